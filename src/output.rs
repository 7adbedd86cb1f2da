//! Writing the output. A build puts every file it produces through a [`Writer`]: files whose
//! bytes differ from the output folder's go into a staging folder beside it, and only when the
//! whole build succeeded are they moved in (by one rename when the output folder is new, else
//! file by file) and files no longer produced removed. A failed build aborts and leaves the
//! output folder byte for byte as it was; a build that changes nothing writes nothing.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Writer {
    output: PathBuf,
    staging: PathBuf,
    /// The output folder does not exist yet: the staging folder becomes it.
    fresh: bool,
    /// `check`: compare and count, write nothing.
    dry: bool,
    state: Mutex<State>,
    /// The output folder's files, listed in the background while the build runs.
    existing: Option<std::thread::JoinHandle<io::Result<Vec<String>>>>,
}

#[derive(Default)]
struct State {
    produced: BTreeSet<String>,
    staged: Vec<String>,
    made_dirs: HashSet<PathBuf>,
    stamps: BTreeMap<String, Stamp>,
}

/// Size and modification time (nanoseconds) of a file, as the render cache records them.
pub type Stamp = (u64, u128);

/// What a committed build changed in the output folder.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// The stamps of the files written, taken as they were written (a move keeps them), so
    /// that nobody needs to walk the output folder again to learn them.
    pub stamps: BTreeMap<String, Stamp>,
}

/// Writes a file and returns its stamp, from the open file.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    let mut file = fs::File::create(path)?;
    io::Write::write_all(&mut file, bytes)?;
    let meta = file.metadata()?;
    let time = meta.modified()?.duration_since(std::time::UNIX_EPOCH);
    Ok((meta.len(), time.map_err(io::Error::other)?.as_nanos()))
}

impl Writer {
    pub fn begin(output: &Path) -> io::Result<Writer> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        // Staging folders of builds that were killed are left over: clear them.
        let prefix = format!(".{name}.formwerk-new-");
        for entry in fs::read_dir(parent)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                fs::remove_dir_all(entry.path())?;
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        fs::create_dir(&staging)?;
        let fresh = !output.exists();
        let existing = (!fresh).then(|| {
            let dir = output.to_path_buf();
            std::thread::spawn(move || files_below(&dir))
        });
        Ok(Writer {
            fresh,
            output: output.to_path_buf(),
            staging,
            dry: false,
            state: Mutex::new(State::default()),
            existing,
        })
    }

    /// A writer that writes nothing, for `check`.
    pub fn dry_run() -> Writer {
        Writer {
            output: PathBuf::new(),
            staging: PathBuf::new(),
            fresh: true,
            dry: true,
            state: Mutex::new(State::default()),
            existing: None,
        }
    }

    /// Adds a file of the finished site (path relative to the output folder).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if !self
            .state
            .lock()
            .expect("writer")
            .produced
            .insert(rel.to_string())
        {
            return Err(io::Error::other(format!("{rel} is produced twice")));
        }
        if self.dry
            || (!self.fresh && fs::read(self.output.join(rel)).is_ok_and(|old| old == bytes))
        {
            return Ok(());
        }
        let path = self.staging.join(rel);
        self.make_parent(&path)?;
        let stamp = write_file(&path, bytes)?;
        let mut state = self.state.lock().expect("writer");
        state.staged.push(rel.to_string());
        state.stamps.insert(rel.to_string(), stamp);
        Ok(())
    }

    /// Counts a file as produced that is already in the output as it should be.
    pub fn keep(&self, rel: &str) {
        self.state
            .lock()
            .expect("writer")
            .produced
            .insert(rel.to_string());
    }

    /// Adds a file copied unchanged from the site's sources.
    pub fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        self.put(rel, &fs::read(source)?)
    }

    fn make_parent(&self, path: &Path) -> io::Result<()> {
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        if self.state.lock().expect("writer").made_dirs.contains(dir) {
            return Ok(());
        }
        fs::create_dir_all(dir)?;
        self.state
            .lock()
            .expect("writer")
            .made_dirs
            .insert(dir.to_path_buf());
        Ok(())
    }

    /// Moves the staged files into the output folder; with `remove_stale`, files of the
    /// output folder that this build did not produce are removed (a full build).
    pub fn commit(self, remove_stale: bool) -> io::Result<Changes> {
        let state = self.state.into_inner().expect("writer");
        let mut changes = Changes {
            written: state.staged,
            removed: Vec::new(),
            stamps: state.stamps,
        };
        changes.written.sort();
        if self.dry {
            return Ok(changes);
        }
        if self.fresh {
            fs::rename(&self.staging, &self.output)?;
            return Ok(changes);
        }
        for rel in &changes.written {
            let target = self.output.join(rel);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::rename(self.staging.join(rel), &target)?;
        }
        let existing = match self.existing {
            Some(handle) => handle
                .join()
                .map_err(|_| io::Error::other("listing the output failed"))??,
            None => Vec::new(),
        };
        if remove_stale {
            for rel in existing {
                if !state.produced.contains(&rel) {
                    remove_file_and_empty_dirs(&self.output, &rel)?;
                    changes.removed.push(rel);
                }
            }
        }
        fs::remove_dir_all(&self.staging)?;
        Ok(changes)
    }

    /// Drops everything staged; the output folder stays as it was.
    pub fn abort(self) {
        if !self.dry {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Every file below `dir`, relative, with `/` separators, sorted.
fn files_below(dir: &Path) -> io::Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &rel, out)?;
            } else {
                out.push(rel);
            }
        }
        Ok(())
    }
    // Folders are walked in parallel: a big site has thousands, one per page.
    let mut out = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            folders.push(name);
        } else {
            out.push(name);
        }
    }
    let below = crate::parallel::par_map(&folders, |name| {
        let mut files = Vec::new();
        walk(&dir.join(name), name, &mut files).map(|()| files)
    });
    for files in below {
        out.extend(files?);
    }
    out.sort();
    Ok(out)
}

fn remove_file_and_empty_dirs(root: &Path, rel: &str) -> io::Result<()> {
    let path = root.join(rel);
    fs::remove_file(&path)?;
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(out: &Path, files: &[(&str, &str)]) -> Changes {
        let w = Writer::begin(out).unwrap();
        for (rel, text) in files {
            w.put(rel, text.as_bytes()).unwrap();
        }
        w.commit(true).unwrap()
    }

    #[test]
    fn writes_only_changed_files_and_removes_stale_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let first = build(&out, &[("a/index.html", "one"), ("b.html", "two")]);
        assert_eq!(first.written, ["a/index.html", "b.html"]);
        let second = build(&out, &[("b.html", "two"), ("c.html", "three")]);
        assert_eq!(second.written, ["c.html"]);
        assert_eq!(second.removed, ["a/index.html"]);
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn an_aborted_build_keeps_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        build(&out, &[("index.html", "old")]);
        let w = Writer::begin(&out).unwrap();
        w.put("index.html", b"new").unwrap();
        w.put("other.html", b"x").unwrap();
        w.abort();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(!out.join("other.html").exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
