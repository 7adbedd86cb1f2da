//! When a change is complete: the watcher's events gathered until every file being written
//! has been saved, so that `watch` rebuilds the moment the editor's save ends, not after a
//! fixed window.
//!
//! A save ends with an event that says so: the file was closed after writing (Linux reports
//! it), or a finished file was renamed into place (atomic saves), or a folder came or went.
//! Writing into a file, creating one, removing or renaming one away leave it *in the making*:
//! an editor's save writes, or removes and recreates, and a rebuild halfway would show a page
//! missing or half written. The change is complete when nothing is in the making and the
//! events have paused for [`GRACE`], which only lets the files of one change that follow each
//! other at once (an editor's backup and its file) join it. Where a save never reports its
//! end (file systems or platforms without close events, a file removed for good), the
//! changes count as complete once everything was quiet for the `quiet` time the user sets
//! (`--debounce-ms`). Bursts wait longer: while git holds its index lock (a checkout, a merge)
//! and once many files changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{
    AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind, RemoveKind, RenameMode,
};

use formwerk_content::is_vim_probe;

/// After the last event of a complete change, how long to look for one more.
const GRACE: Duration = Duration::from_millis(2);

/// A change of more files than this is likely part of a burst: wait for the rest.
const BURST: usize = 16;

/// How long a git index lock is waited for at most (one left by a crashed git stays).
const GIT_LOCK_WAIT: Duration = Duration::from_secs(10);

/// What one event says of a path.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Step {
    /// The file's save ended.
    Saved,
    /// The file is being written, created, removed or renamed away.
    Making,
    /// Nothing changed (a read, an access time).
    Nothing,
}

/// What an event says of each of its paths.
fn steps(kind: &EventKind, paths: &[PathBuf]) -> Vec<(PathBuf, Step)> {
    let each = |step: Step| paths.iter().map(|p| (p.clone(), step)).collect();
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => each(Step::Saved),
        EventKind::Access(_) => each(Step::Nothing),
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => each(Step::Nothing),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), if i == 0 { Step::Making } else { Step::Saved }))
            .collect(),
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => each(Step::Making),
        EventKind::Modify(ModifyKind::Name(_)) => each(Step::Saved),
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => {
            each(Step::Saved)
        }
        // vim's probe file (4913) is created, closed and removed before every save; its
        // removal is no file in the making.
        EventKind::Remove(_) => paths
            .iter()
            .map(|p| {
                let probe = p
                    .file_name()
                    .is_some_and(|n| is_vim_probe(&n.to_string_lossy()));
                (p.clone(), if probe { Step::Nothing } else { Step::Making })
            })
            .collect(),
        _ => each(Step::Making),
    }
}

/// The files of one change, as they are gathered.
#[derive(Default)]
pub(crate) struct Gathering {
    saved: BTreeSet<PathBuf>,
    making: BTreeSet<PathBuf>,
}

impl Gathering {
    /// Takes one event in; `relevant` tells the paths a rebuild looks at.
    pub(crate) fn take(
        &mut self,
        kind: &EventKind,
        paths: &[PathBuf],
        relevant: &impl Fn(&Path) -> bool,
    ) {
        for (path, step) in steps(kind, paths) {
            if !relevant(&path) {
                continue;
            }
            match step {
                Step::Saved => {
                    self.making.remove(&path);
                    self.saved.insert(path);
                }
                Step::Making => {
                    self.making.insert(path);
                }
                Step::Nothing => {}
            }
        }
    }

    fn len(&self) -> usize {
        self.saved.len() + self.making.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Everything quiet for the user's quiet time: what is still in the making counts as
    /// done (no close event came, or a file was removed for good).
    fn quiet(&mut self) {
        self.saved.append(&mut self.making);
    }

    pub(crate) fn into_paths(mut self) -> Vec<PathBuf> {
        self.quiet();
        self.saved.into_iter().collect()
    }
}

/// One event as the watcher passes it on.
pub(crate) type Event = notify::Result<notify::Event>;

/// Gathers the files of the next complete change from `events`: waits at most `wait` for its
/// first event, then as long as the module's documentation says. `None`: nothing came.
pub(crate) fn next_change(
    events: &Receiver<Event>,
    wait: Duration,
    quiet: Duration,
    git_lock: Option<&Path>,
    relevant: &impl Fn(&Path) -> bool,
) -> anyhow::Result<Option<Vec<PathBuf>>> {
    let mut change = Gathering::default();
    let mut first = Some(wait);
    let mut git_since: Option<Instant> = None;
    loop {
        let timeout = match first.take() {
            Some(wait) => wait,
            None if change.len() > BURST => quiet * 4,
            None if !change.making.is_empty() => quiet,
            None => GRACE,
        };
        match events.recv_timeout(timeout) {
            Ok(Ok(event)) => change.take(&event.kind, &event.paths, relevant),
            Ok(Err(error)) => {
                eprintln!("warning: file watcher: {error}");
                change.saved.extend(error.paths);
            }
            Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
            Err(RecvTimeoutError::Timeout) if change.is_empty() => return Ok(None),
            Err(RecvTimeoutError::Timeout) => {
                // git writes the files of a checkout while it holds its index lock.
                let git_busy = git_lock.is_some_and(Path::exists)
                    && git_since.get_or_insert_with(Instant::now).elapsed() < GIT_LOCK_WAIT;
                if git_busy {
                    std::thread::sleep(GRACE);
                    continue;
                }
                if timeout >= quiet || change.making.is_empty() {
                    return Ok(Some(change.into_paths()));
                }
            }
        }
    }
}

/// Where git's index lock of the repository holding `root` lies, if `root` is in one (a
/// `.git` folder, or a `.git` file naming the folder, as in a worktree).
pub(crate) fn git_index_lock(root: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    for dir in root.ancestors() {
        let git = dir.join(".git");
        if git.is_dir() {
            return Some(git.join("index.lock"));
        }
        if git.is_file() {
            let text = std::fs::read_to_string(&git).ok()?;
            let gitdir = text.strip_prefix("gitdir:")?.trim();
            return Some(dir.join(gitdir).join("index.lock"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        Ok(notify::Event {
            kind,
            paths: paths.iter().map(PathBuf::from).collect(),
            attrs: Default::default(),
        })
    }

    fn data() -> EventKind {
        EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any))
    }

    fn closed() -> EventKind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    }

    fn gather(events: Vec<Event>, quiet: Duration) -> Option<Vec<PathBuf>> {
        let (tx, rx) = channel();
        for e in events {
            tx.send(e).unwrap();
        }
        next_change(&rx, Duration::from_millis(1), quiet, None, &|_| true).unwrap()
    }

    #[test]
    fn a_save_that_ends_with_a_close_is_complete_at_once() {
        // A quiet time of an hour: the change must come back without waiting for it.
        let paths = gather(
            vec![event(data(), &["a.md"]), event(closed(), &["a.md"])],
            Duration::from_secs(3600),
        );
        assert_eq!(paths, Some(vec![PathBuf::from("a.md")]));
    }

    #[test]
    fn vims_save_is_one_change_of_the_file() {
        let rename = |mode| EventKind::Modify(ModifyKind::Name(mode));
        let not_temp = |p: &Path| !p.to_string_lossy().ends_with('~');
        let (tx, rx) = channel();
        for e in [
            event(EventKind::Create(CreateKind::File), &["4913"]),
            event(closed(), &["4913"]),
            event(EventKind::Remove(RemoveKind::File), &["4913"]),
            event(rename(RenameMode::From), &["a.md"]),
            event(rename(RenameMode::To), &["a.md~"]),
            event(EventKind::Create(CreateKind::File), &["a.md"]),
            event(data(), &["a.md"]),
            event(closed(), &["a.md"]),
            event(EventKind::Remove(RemoveKind::File), &["a.md~"]),
        ] {
            tx.send(e).unwrap();
        }
        let hour = Duration::from_secs(3600);
        let paths = next_change(&rx, hour, hour, None, &not_temp).unwrap();
        assert_eq!(
            paths,
            Some(vec![PathBuf::from("4913"), PathBuf::from("a.md")])
        );
    }

    #[test]
    fn a_file_still_being_written_waits_for_the_quiet_time() {
        let (tx, rx) = channel();
        tx.send(event(data(), &["a.md"])).unwrap();
        // Without a close, only the quiet time ends the change.
        let started = Instant::now();
        let quiet = Duration::from_millis(30);
        let paths = next_change(&rx, quiet, quiet, None, &|_| true).unwrap();
        assert!(started.elapsed() >= quiet);
        assert_eq!(paths, Some(vec![PathBuf::from("a.md")]));
    }

    #[test]
    fn reads_are_no_change() {
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert_eq!(
            gather(vec![event(read, &["a.md"])], Duration::from_millis(1)),
            None
        );
    }

    #[test]
    fn the_git_lock_of_a_worktree_is_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/site")).unwrap();
        std::fs::write(
            dir.path().join("repo/.git"),
            "gitdir: ../main/.git/worktrees/x\n",
        )
        .unwrap();
        let lock = git_index_lock(&dir.path().join("repo/site")).unwrap();
        assert!(
            lock.ends_with("main/.git/worktrees/x/index.lock"),
            "{lock:?}"
        );
    }
}
