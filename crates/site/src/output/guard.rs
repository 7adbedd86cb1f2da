//! Who may write an output folder. Three files beside it (never inside it, so nothing of this
//! is deployed) hold the answers, named after the folder (`site` → `.site.formwerk-…`):
//!
//! - `.site.formwerk-output` says the folder was made by Formwerk (written by the first build
//!   that moved into it). A folder that exists, is not empty and has neither this record nor
//!   a render cache beside it (what builds before the record left) is someone else's: the
//!   build is refused before anything is moved in, nothing in it is touched. A new or empty
//!   folder is taken over.
//! - `.site.formwerk-lock` is locked (`flock`) by the build writing the folder, and names its
//!   process and site folder for the message another build gets; the build removes it when
//!   done. The operating system drops the lock when the process ends, however it ends: a
//!   killed build leaves the file, not the lock, and the next build takes it over.
//! - `.site.formwerk-new-<pid>` is a build's staging folder. The build holding the lock is the
//!   only one writing this output, so another staging folder is left over from a build that
//!   crashed or was killed; it is removed once no process of its id runs any more.
//!
//! And where: never the site's folder, a folder holding its sources or one inside them
//! ([`check_output_location`]), since the output folder is replaced wholesale.

use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::absolute;
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, code};

/// `.<name>.formwerk-<what>` beside `output`.
pub fn beside(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    parent_of(output).join(format!(".{name}.formwerk-{what}"))
}

/// The render cache beside `output` (read and written by `crate::cache`): its name is
/// decided here, beside the other names that mark a folder as Formwerk's own.
pub fn cache_path(output: &Path) -> PathBuf {
    beside(output, "cache")
}

/// The render cache's summary beside `output`: the digest of every file's stamp after the
/// last build, read first so that a build with nothing changed never parses the cache.
pub fn summary_path(output: &Path) -> PathBuf {
    beside(output, "stamps")
}

pub(crate) fn parent_of(output: &Path) -> &Path {
    output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn cannot(output: &Path, what: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::file(output, format!("cannot {what}: {e}")).with_code(code::WRITE_FAILED)
}

/// The right to write one output folder, held from before the render cache is read until
/// after it is saved. Dropping it removes the lock file and releases the lock; when the
/// process ends otherwise, the operating system releases it and the file stays until the
/// next build takes it over.
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock of `output` for the site at `root`, or says who holds it.
    pub(crate) fn acquire(root: &Path, output: &Path) -> Result<Lock, Diagnostic> {
        Lock::take(root, output, false)
    }

    /// Takes the lock, waiting while another build holds it: `watch` and `serve` rebuild
    /// once an editor's `build` is done, rather than fail.
    pub(crate) fn wait_for(root: &Path, output: &Path) -> Result<Lock, Diagnostic> {
        Lock::take(root, output, true)
    }

    fn take(root: &Path, output: &Path, wait: bool) -> Result<Lock, Diagnostic> {
        fs::create_dir_all(parent_of(output))
            .map_err(|e| cannot(output, "create the folder the output goes into", &e))?;
        let path = beside(output, "lock");
        loop {
            let mut file = File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| cannot(&path, "create the build lock", &e))?;
            let locked = if wait {
                file.lock().map_err(fs::TryLockError::Error)
            } else {
                file.try_lock()
            };
            match locked {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    return Err(busy(output, &holder));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(cannot(&path, "lock the build lock", &e));
                }
            }
            // The build before may have removed the file between our opening and locking it:
            // then this lock guards nothing, try again with the file now there.
            if !same_file(&file, &path) {
                continue;
            }
            let site = super::absolute(root);
            let _ = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| writeln!(file, "{}\n{}", std::process::id(), site.display()));
            return Ok(Lock { file, path });
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so no other build can have taken it in between.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn busy(output: &Path, holder: &str) -> Diagnostic {
    let mut lines = holder.lines();
    let pid = lines.next().unwrap_or("?").trim();
    let site = lines.next().unwrap_or("?").trim();
    Diagnostic::file(
        output,
        format!("another build is running in {site}, pid {pid}; it is writing this output folder"),
    )
    .with_code(code::BUILD_RUNNING)
    .with_help(
        "wait until it has finished (`formwerk serve` and `watch` build after every change), then build again",
    )
}

/// Checks that `output` is not a file and removes staging folders left over by builds that
/// were killed. Returns whether the output folder exists already.
pub fn prepare(output: &Path, _lock: &Lock) -> Result<bool, Diagnostic> {
    let exists = match fs::symlink_metadata(output) {
        Ok(meta) if meta.is_dir() => true,
        Ok(meta) if meta.file_type().is_symlink() && output.is_dir() => true,
        Ok(_) => {
            return Err(Diagnostic::file(
                output,
                "the output path is a file, not a folder; a site is a folder of files",
            )
            .with_code(code::OUTPUT_NOT_FOLDER)
            .with_help("choose another --output, or move the file away"));
        }
        Err(_) => false,
    };
    remove_stale_staging(output);
    Ok(exists)
}

/// Refuses an existing output folder that Formwerk did not make: one that is not empty and
/// has neither the record nor a render cache (which builds before the record wrote) beside
/// it. Checked before anything is moved in.
pub(crate) fn check_owned(output: &Path) -> Result<(), Diagnostic> {
    let record = beside(output, "output");
    if record.exists() || cache_path(output).exists() {
        return Ok(());
    }
    let mut entries = fs::read_dir(output)
        .map_err(|e| cannot(output, "read the output folder", &e))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    if entries.is_empty() {
        return Ok(());
    }
    entries.sort();
    let count = entries.len();
    entries.truncate(3);
    Err(Diagnostic::file(
        output,
        format!(
            "the output folder already exists and was not made by Formwerk ({count} {} in it, such as {}); a build would replace its contents",
            if count == 1 { "entry" } else { "entries" },
            entries.join(", ")
        ),
    )
    .with_code(code::OUTPUT_NOT_OURS)
    .with_help(format!(
        "choose a new or empty folder with --output; if this folder is an older Formwerk build, delete it first (Formwerk records its own output folders in {} beside them)",
        record.file_name().unwrap_or_default().to_string_lossy()
    )))
}

/// Records `output` as Formwerk's, after a build moved into it.
pub fn record(output: &Path) -> io::Result<()> {
    let record = beside(output, "output");
    if record.exists() {
        return Ok(());
    }
    fs::write(
        &record,
        "Formwerk made the folder beside this file and replaces its contents on every build.\n",
    )
}

/// Removes the staging folders of builds that were killed: the caller holds the lock, so no
/// other build of this output is running; a folder is removed once its process is gone (or it
/// is this process's own, from an earlier rebuild of `watch`).
fn remove_stale_staging(output: &Path) {
    let prefix = beside(output, "new-");
    let (Some(dir), Some(prefix)) = (prefix.parent(), prefix.file_name()) else {
        return;
    };
    let prefix = prefix.to_string_lossy().into_owned();
    let own = std::process::id().to_string();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix(&prefix)
            && (pid == own || !process_alive(pid))
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id is running (Linux: its /proc entry exists).
fn process_alive(pid: &str) -> bool {
    Path::new("/proc").join(pid).exists()
}

/// The output folder is replaced wholesale, so it must never be, contain or lie inside the
/// site's sources.
pub fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostics> {
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    let protected = std::iter::once(root_abs.clone()).chain(
        formwerk_config::SOURCE_DIRS
            .into_iter()
            .map(|d| root_abs.join(d)),
    );
    for source in protected {
        let clash = if output_abs == source {
            Some("is")
        } else if source.starts_with(&output_abs) {
            Some("contains")
        } else if output_abs.starts_with(&source) && source != root_abs {
            Some("lies inside")
        } else {
            None
        };
        if let Some(how) = clash {
            let what = source.strip_prefix(&root_abs).map_or_else(
                |_| source.display().to_string(),
                |p| {
                    if p.as_os_str().is_empty() {
                        "the site folder".to_string()
                    } else {
                        format!("{}/", p.display())
                    }
                },
            );
            return Err(Diagnostics(vec![
                Diagnostic::file(output, format!("the output folder {how} {what}; building there would replace the site's own files")).with_code(code::OUTPUT_IN_SOURCES)
                    .with_help("choose an output folder of its own, for example --output site"),
            ]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_folders_of_ended_builds_go_those_of_running_ones_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        // Process ids above the kernel's maximum (4194304) never run.
        let dead = beside(&out, "new-4999999");
        let own = beside(&out, &format!("new-{}", std::process::id()));
        let running = beside(&out, "new-1");
        for dir in [&dead, &own, &running] {
            fs::create_dir_all(dir.join("sub")).unwrap();
        }
        let lock = Lock::acquire(tmp.path(), &out).unwrap();
        assert!(!prepare(&out, &lock).unwrap());
        assert!(!dead.exists() && !own.exists());
        assert!(running.exists(), "pid 1 is running");
    }

    #[test]
    fn a_second_lock_is_refused_with_the_holder_named() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let first = Lock::acquire(Path::new("/srv/website"), &out).unwrap();
        let Err(busy) = Lock::acquire(tmp.path(), &out) else {
            panic!("locked twice");
        };
        let text = busy.render();
        let pid = std::process::id();
        assert!(
            text.contains(&format!(
                "another build is running in /srv/website, pid {pid}"
            )),
            "{text}"
        );
        drop(first);
        assert!(!beside(&out, "lock").exists());
        let _again = Lock::acquire(tmp.path(), &out).unwrap();
    }
}
