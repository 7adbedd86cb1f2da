//! Moving a build's files into the output folder so that a failure halfway can be undone.
//! Every step is recorded; [`Journal::apply`] runs the steps and, on the first error, undoes
//! the ones done in reverse order.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::remove_empty_dirs;

enum Step {
    /// A file that this build no longer produces, moved from the output to `backup`.
    Removed { rel: String, backup: PathBuf },
    /// A new or changed file moved in; the file it replaced (if any) is now at its staging
    /// path.
    Written { rel: String, replaced: bool },
}

pub(crate) struct Journal<'a> {
    output: &'a Path,
    staging: &'a Path,
    done: Vec<Step>,
}

impl<'a> Journal<'a> {
    pub fn new(output: &'a Path, staging: &'a Path) -> Self {
        Journal {
            output,
            staging,
            done: Vec::new(),
        }
    }

    /// Removes `removed` and moves `written` in, or, when a step fails, leaves the output as
    /// it was and returns that step's error (and whether undoing every step worked). Stale
    /// files go first, so a file may become a folder of the same name.
    pub fn apply(
        mut self,
        removed: &[String],
        written: &[String],
    ) -> Result<(), (io::Error, bool)> {
        self.run(removed, written).map_err(|e| (e, self.undo()))
    }

    fn run(&mut self, removed: &[String], written: &[String]) -> io::Result<()> {
        for (n, rel) in removed.iter().enumerate() {
            formwerk_base::fault::io("remove")?;
            // Names beginning with a dot are never produced: no clash with staged files.
            let backup = self.staging.join(format!(".removed-{n}"));
            let target = self.output.join(rel);
            fs::rename(&target, &backup)?;
            self.done.push(Step::Removed {
                rel: rel.clone(),
                backup,
            });
            remove_empty_dirs(self.output, &target);
        }
        for rel in written {
            formwerk_base::fault::io("write")?;
            let replaced = swap_in(&self.staging.join(rel), &self.output.join(rel))?;
            self.done.push(Step::Written {
                rel: rel.clone(),
                replaced,
            });
        }
        Ok(())
    }

    /// Best effort: each step is undone on its own, so one that cannot be undone does not
    /// keep the others from it. True when all were undone.
    fn undo(&mut self) -> bool {
        let mut all = true;
        while let Some(step) = self.done.pop() {
            let undone = match step {
                // Back into the staging folder: undone, the journal leaves both as they were.
                Step::Written { rel, replaced } => {
                    let (staged, target) = (self.staging.join(&rel), self.output.join(&rel));
                    if replaced {
                        exchange(&staged, &target)
                            .or_else(|_| swap_by_renames(&staged, &target).map(drop))
                    } else {
                        let moved = fs::rename(&target, &staged);
                        remove_empty_dirs(self.output, &target);
                        moved
                    }
                }
                Step::Removed { rel, backup } => {
                    let target = self.output.join(&rel);
                    target
                        .parent()
                        .map_or(Ok(()), fs::create_dir_all)
                        .and_then(|()| fs::rename(&backup, &target))
                }
            };
            all &= undone.is_ok();
        }
        all
    }
}

/// Moves `staged` to `target`. Returns true when a file was replaced: that file is then at
/// `staged`. On Linux one atomic exchange (`renameat2`), elsewhere three renames.
fn swap_in(staged: &Path, target: &Path) -> io::Result<bool> {
    match exchange(staged, target) {
        Ok(()) => return Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) if e.raw_os_error().is_some_and(|c| c == EINVAL || c == ENOSYS) => {
            return swap_by_renames(staged, target);
        }
        Err(e) => return Err(e),
    }
    // Nothing there yet (or not even its folder).
    match fs::rename(staged, target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::rename(staged, target)?;
        }
        other => other?,
    }
    Ok(false)
}

fn swap_by_renames(staged: &Path, target: &Path) -> io::Result<bool> {
    if fs::symlink_metadata(target).is_err() {
        fs::rename(staged, target)?;
        return Ok(false);
    }
    let aside = staged.with_file_name(".formwerk-swap");
    fs::rename(staged, &aside)?;
    if let Err(e) = fs::rename(target, staged) {
        let _ = fs::rename(&aside, staged);
        return Err(e);
    }
    if let Err(e) = fs::rename(&aside, target) {
        let _ = fs::rename(staged, target);
        return Err(e);
    }
    Ok(true)
}

#[cfg(target_os = "linux")]
const EINVAL: i32 = libc::EINVAL;
#[cfg(target_os = "linux")]
const ENOSYS: i32 = libc::ENOSYS;
#[cfg(not(target_os = "linux"))]
const EINVAL: i32 = 22;
#[cfg(not(target_os = "linux"))]
const ENOSYS: i32 = 38;

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(ENOSYS))
}

/// Marks a folder Formwerk made as the top of unrelated folder trees (`chattr +T`, ext4's
/// `FS_TOPDIR_FL`), so that the allocator spreads the folders made in it (the sections) over
/// the disk's block groups. Without it, ext4 puts a new tree's inodes beside its parent's
/// and, on a file system without journal, skips every inode freed in the last half minute
/// one by one for each file it creates: after `rm -rf site`, making the 20,000 files and
/// folders of a 10,000-page site took seconds of system time. A hint only: elsewhere it
/// fails and nothing changes.
#[cfg(target_os = "linux")]
pub(crate) fn spread_subfolders(dir: &Path) {
    use std::os::fd::AsRawFd;
    const FS_TOPDIR_FL: libc::c_int = 0x0002_0000;
    let Ok(folder) = fs::File::open(dir) else {
        return;
    };
    let fd = folder.as_raw_fd();
    let mut flags: libc::c_int = 0;
    // SAFETY: `fd` is open for the whole call; the kernel reads and writes one int.
    unsafe {
        if libc::ioctl(fd, libc::FS_IOC_GETFLAGS, &mut flags) == 0 && flags & FS_TOPDIR_FL == 0 {
            flags |= FS_TOPDIR_FL;
            libc::ioctl(fd, libc::FS_IOC_SETFLAGS, &flags);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn spread_subfolders(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_step_that_fails_undoes_the_others() {
        let tmp = tempfile::tempdir().unwrap();
        let (output, staging) = (tmp.path().join("site"), tmp.path().join("staging"));
        for (rel, text) in [
            ("a.html", "old a"),
            ("stale/x.html", "stale"),
            ("b.html", "old b"),
        ] {
            let path = output.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        fs::create_dir_all(staging.join("new")).unwrap();
        fs::write(staging.join("a.html"), "new a").unwrap();
        fs::write(staging.join("new/c.html"), "new c").unwrap();
        let before = files(&output);
        let removed = ["stale/x.html".to_string()];
        // The third file is missing from the staging folder: its move fails.
        let written = ["a.html", "new/c.html", "vanished.html"].map(String::from);
        let (_, undone) = Journal::new(&output, &staging)
            .apply(&removed, &written)
            .unwrap_err();
        assert!(undone);
        assert_eq!(files(&output), before);
        assert!(!output.join("new").exists());

        let written = &written[..2];
        Journal::new(&output, &staging)
            .apply(&removed, written)
            .unwrap();
        assert_eq!(
            files(&output),
            [
                ("a.html", "new a"),
                ("b.html", "old b"),
                ("new/c.html", "new c")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }
}
