//! Writing the output. A build puts every file it produces through a [`Writer`]: files whose
//! bytes differ from the output folder's go into a staging folder beside it, and only when the
//! whole build succeeded are they moved in (by one rename when the output folder is new, else
//! file by file) and files no longer produced removed. A failed build aborts and leaves the
//! output folder byte for byte as it was; a build that changes nothing writes nothing.
//!
//! Moving in is undone when it fails halfway (a read-only folder, a full disk): each file is
//! exchanged with the one it replaces, which then waits in the staging folder, and a removed
//! file is moved there too; a failure moves everything back. Only a build that succeeded
//! deletes the staging folder with the old files in it. See [`guard`] for who may write an
//! output folder at all.

mod commit;
pub mod guard;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use formwerk_base::diagnostics::Diagnostic;
pub use guard::{Lock, cache_path, check_output_location, summary_path};

pub(crate) struct Writer {
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
pub(crate) type Stamp = (u64, u128);

/// What a committed build changed in the output folder.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// The stamps of the files written, taken as they were written (moving them in keeps
    /// them), so that nobody needs to walk the output folder again to learn them.
    pub stamps: BTreeMap<String, Stamp>,
}

fn stamp_of(meta: &fs::Metadata) -> io::Result<Stamp> {
    let time = meta.modified()?.duration_since(std::time::UNIX_EPOCH);
    Ok((meta.len(), time.map_err(io::Error::other)?.as_nanos()))
}

/// Writes a file and returns its stamp, from the open file.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    let mut file = fs::File::create(path)?;
    io::Write::write_all(&mut file, bytes)?;
    stamp_of(&file.metadata()?)
}

fn lock_state(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A thread that panicked while holding it left a consistent set behind: keep going.
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Writer {
    /// Starts writing `output`, whose lock the caller holds: refuses an output path that is
    /// a file and clears left-over staging folders. (A folder Formwerk did not make is
    /// refused at [`Writer::commit`], so that the content's own errors come first.)
    pub fn begin(output: &Path, lock: &Lock) -> Result<Writer, Diagnostic> {
        Writer::start(output, lock, true)
    }

    /// [`Writer::begin`] for a build that writes some files and removes none
    /// ([`Writer::commit`] with `remove_stale` false): the output folder is not listed. A
    /// watch rebuild of one page would otherwise walk every folder of the site.
    pub(crate) fn begin_partial(output: &Path, lock: &Lock) -> Result<Writer, Diagnostic> {
        Writer::start(output, lock, false)
    }

    fn start(output: &Path, lock: &Lock, list_existing: bool) -> Result<Writer, Diagnostic> {
        let exists = guard::prepare(output, lock)?;
        let staging = guard::beside(output, &format!("new-{}", std::process::id()));
        fs::create_dir(&staging).map_err(|e| {
            Diagnostic::file(&staging, format!("cannot create the staging folder: {e}"))
                .with_code(formwerk_base::diagnostics::code::WRITE_FAILED)
        })?;
        commit::spread_subfolders(&staging);
        let existing = (exists && list_existing).then(|| {
            let dir = output.to_path_buf();
            std::thread::spawn(move || files_below(&dir))
        });
        Ok(Writer {
            fresh: !exists,
            output: output.to_path_buf(),
            staging,
            dry: false,
            state: Mutex::new(State::default()),
            existing,
        })
    }

    /// A writer that writes nothing, for `check`.
    pub(crate) fn dry_run() -> Writer {
        Writer {
            output: PathBuf::new(),
            staging: PathBuf::new(),
            fresh: true,
            dry: true,
            state: Mutex::new(State::default()),
            existing: None,
        }
    }

    fn produce(&self, rel: &str) -> io::Result<()> {
        if lock_state(&self.state).produced.insert(rel.to_string()) {
            Ok(())
        } else {
            Err(io::Error::other(format!("{rel} is produced twice")))
        }
    }

    /// Adds a file of the finished site (path relative to the output folder).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.produce(rel)?;
        if self.dry
            || (!self.fresh && fs::read(self.output.join(rel)).is_ok_and(|old| old == bytes))
        {
            return Ok(());
        }
        let path = self.staging.join(rel);
        self.make_parent(&path)?;
        let stamp = write_file(&path, bytes)?;
        self.staged(rel, stamp);
        Ok(())
    }

    /// Counts a file as produced that is already in the output as it should be.
    pub fn keep(&self, rel: &str) {
        lock_state(&self.state).produced.insert(rel.to_string());
    }

    /// Adds a file copied unchanged from the site's sources. It is compared and copied in
    /// pieces, never read whole: a download of hundreds of megabytes costs no memory.
    pub fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        self.produce(rel)?;
        if self.dry {
            // Still find out whether it can be read, as a build would.
            fs::File::open(source)?;
            return Ok(());
        }
        if !self.fresh && same_contents(source, &self.output.join(rel))? {
            return Ok(());
        }
        let path = self.staging.join(rel);
        self.make_parent(&path)?;
        fs::copy(source, &path)?;
        self.staged(rel, stamp_of(&fs::metadata(&path)?)?);
        Ok(())
    }

    fn staged(&self, rel: &str, stamp: Stamp) {
        let mut state = lock_state(&self.state);
        state.staged.push(rel.to_string());
        state.stamps.insert(rel.to_string(), stamp);
    }

    fn make_parent(&self, path: &Path) -> io::Result<()> {
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        if lock_state(&self.state).made_dirs.contains(dir) {
            return Ok(());
        }
        fs::create_dir_all(dir)?;
        lock_state(&self.state).made_dirs.insert(dir.to_path_buf());
        Ok(())
    }

    /// Moves the staged files into the output folder; with `remove_stale`, files of the
    /// output folder that this build did not produce are removed (a full build). When that
    /// fails halfway, everything moved is moved back: the output folder is as it was.
    pub fn commit(mut self, remove_stale: bool) -> Result<Changes, Diagnostic> {
        let existing = self.existing.take();
        let state = std::mem::take(&mut self.state)
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut changes = Changes {
            written: state.staged,
            removed: Vec::new(),
            stamps: state.stamps,
        };
        changes.written.sort();
        if self.dry {
            return Ok(changes);
        }
        let failed = |e: io::Error, undone: bool| {
            Diagnostic::file(&self.output, format!("cannot write the output folder: {e}"))
                .with_code(formwerk_base::diagnostics::code::WRITE_FAILED)
                .with_help(
                if undone {
                    "nothing of this build was kept: the output folder is as it was before"
                } else {
                    "moving the build in failed and could not be undone completely; the next successful build puts everything right"
                },
            )
        };
        let result = if self.fresh {
            formwerk_base::fault::io("rename")
                .and_then(|()| fs::rename(&self.staging, &self.output))
                .map_err(|e| failed(e, true))
        } else {
            let existing = match existing.map(std::thread::JoinHandle::join) {
                None => Ok(Vec::new()),
                Some(Ok(listed)) => listed,
                Some(Err(_)) => Err(io::Error::other("listing the output folder failed")),
            };
            existing.map_err(|e| failed(e, true)).and_then(|existing| {
                self.move_in(
                    existing,
                    &state.produced,
                    remove_stale,
                    &mut changes,
                    &failed,
                )
            })
        };
        // After success it holds the replaced and removed files, after a failure the build.
        let _ = fs::remove_dir_all(&self.staging);
        result?;
        // Without the record the render cache beside it still marks the folder as ours.
        let _ = guard::record(&self.output);
        Ok(changes)
    }

    fn move_in(
        &self,
        existing: Vec<String>,
        produced: &BTreeSet<String>,
        remove_stale: bool,
        changes: &mut Changes,
        failed: &dyn Fn(io::Error, bool) -> Diagnostic,
    ) -> Result<(), Diagnostic> {
        guard::check_owned(&self.output)?;
        if remove_stale {
            changes.removed = existing
                .into_iter()
                .filter(|rel| !produced.contains(rel))
                .collect();
        }
        commit::Journal::new(&self.output, &self.staging)
            .apply(&changes.removed, &changes.written)
            .map_err(|(e, undone)| failed(e, undone))
    }

    /// Drops everything staged; the output folder stays as it was.
    pub(crate) fn abort(self) {
        if !self.dry {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether two files hold the same bytes, read in pieces (sizes compared first).
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    let Ok(b_meta) = fs::metadata(b) else {
        return Ok(false);
    };
    let mut fa = fs::File::open(a)?;
    if fa.metadata()?.len() != b_meta.len() || !b_meta.is_file() {
        return Ok(false);
    }
    let Ok(mut fb) = fs::File::open(b) else {
        return Ok(false);
    };
    let mut ba = vec![0; 64 * 1024];
    let mut bb = vec![0; 64 * 1024];
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(fb.read(&mut bb[..1])? == 0);
        }
        if fb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return Ok(false);
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
    let below = formwerk_base::parallel::par_map(&folders, |name| {
        let mut files = Vec::new();
        walk(&dir.join(name), name, &mut files).map(|()| files)
    });
    for files in below {
        out.extend(files?);
    }
    out.sort();
    Ok(out)
}

/// Removes the folders above `path` that are empty now, up to `root`.
fn remove_empty_dirs(root: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// An absolute, `..`-free path without requiring it to exist (symlinks of existing parts
/// resolved).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Resolve the longest existing prefix, then append the rest lexically.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is in the folder holding the output: no staging folder may be left.
    fn beside_output(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort_by_key(|n| (n.starts_with('.'), n.clone()));
        names
    }

    fn build(out: &Path, files: &[(&str, &str)]) -> Changes {
        let lock = Lock::acquire(out.parent().unwrap(), out).unwrap();
        let w = Writer::begin(out, &lock).unwrap();
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
        assert_eq!(beside_output(tmp.path()), ["site", ".site.formwerk-output"]);
    }

    #[test]
    fn the_stamps_handed_back_are_those_of_the_files_in_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let source = tmp.path().join("logo.svg");
        for (round, text) in ["<svg/>", "<svg></svg>"].into_iter().enumerate() {
            fs::write(&source, text).unwrap();
            let lock = Lock::acquire(tmp.path(), &out).unwrap();
            let w = Writer::begin(&out, &lock).unwrap();
            w.put("index.html", format!("page {round}").as_bytes())
                .unwrap();
            w.put("same.html", b"unchanged").unwrap();
            w.copy("static/logo.svg", &source).unwrap();
            let changes = w.commit(true).unwrap();
            let expected: Vec<&str> = if round == 0 {
                vec!["index.html", "same.html", "static/logo.svg"]
            } else {
                vec!["index.html", "static/logo.svg"]
            };
            assert_eq!(changes.stamps.keys().collect::<Vec<_>>(), expected);
            for (rel, stamp) in &changes.stamps {
                let meta = fs::metadata(out.join(rel)).unwrap();
                assert_eq!(*stamp, stamp_of(&meta).unwrap(), "{rel}");
            }
        }
    }

    #[test]
    fn an_aborted_build_keeps_the_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        build(&out, &[("index.html", "old")]);
        let lock = Lock::acquire(tmp.path(), &out).unwrap();
        let w = Writer::begin(&out, &lock).unwrap();
        w.put("index.html", b"new").unwrap();
        w.put("other.html", b"x").unwrap();
        w.abort();
        drop(lock);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(!out.join("other.html").exists());
        assert_eq!(beside_output(tmp.path()), ["site", ".site.formwerk-output"]);
    }
}
