//! `formwerk watch`: rebuild on every change under content/, templates/, themes/, static/ and
//! formwerk.toml. Events come from notify through notify-debouncer-full; a burst of changes
//! (a `git checkout`) is gathered into one rebuild. A bad edit prints its error and the
//! watcher goes on; the output keeps the last good build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context;
use notify_debouncer_full::notify::event::{EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::incremental::{Builder, Report, Scope};
use crate::pipeline::BuildError;

/// Folders below the site root whose changes matter, watched recursively.
const WATCHED: [&str; 4] = ["content", "templates", "themes", "static"];

/// A batch larger than this is likely part of a burst: wait for the rest before rebuilding.
const BURST: usize = 16;

/// What a rebuild ended in, for whoever shows it (the terminal, the dev server).
pub enum Outcome<'a> {
    Built(&'a Report),
    Failed(&'a BuildError),
}

pub(crate) struct Watcher {
    root: PathBuf,
    debounce: Duration,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    pub fn new(root: &Path, debounce: Duration) -> anyhow::Result<Watcher> {
        let (tx, events) = channel();
        // The debouncer stitches each file's events together (renames, writes); the quiet
        // period in `next_changes` then gathers the files of one change.
        let per_file = (debounce / 2).max(Duration::from_millis(5));
        let debouncer =
            new_debouncer(per_file, None, tx).context("cannot start watching for changes")?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            debounce,
            debouncer,
            events,
            watched: BTreeSet::new(),
        };
        w.debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        w.watch_new_folders()?;
        Ok(w)
    }

    /// Watches the content folders that exist now (a folder may appear later).
    fn watch_new_folders(&mut self) -> anyhow::Result<()> {
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", dir.display()))?;
                self.watched.insert(dir);
            }
        }
        // A watched folder that was removed is watched again when it comes back.
        self.watched.retain(|d| d.is_dir());
        Ok(())
    }

    /// Waits for the next changes, at most `wait`; gathers a burst into one list.
    pub(crate) fn next_changes(&mut self, wait: Duration) -> anyhow::Result<Option<Vec<PathBuf>>> {
        let mut paths = BTreeSet::new();
        match self.events.recv_timeout(wait) {
            Ok(batch) => add_paths(&mut paths, batch),
            Err(RecvTimeoutError::Timeout) => return Ok(None),
            Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
        }
        // Whatever comes before it has been quiet for the debounce time belongs to the same
        // change; once many files changed, a burst (a checkout) is likely still going on, so
        // wait longer.
        loop {
            let settle = if paths.len() > BURST {
                self.debounce * 4
            } else {
                self.debounce
            };
            match self.events.recv_timeout(settle) {
                Ok(batch) => add_paths(&mut paths, batch),
                Err(_) => break,
            }
        }
        self.watch_new_folders()?;
        if paths.is_empty() {
            return Ok(None);
        }
        Ok(Some(paths.into_iter().collect()))
    }
}

/// Whether an event changes a file. Reading files (as every build does) is reported too,
/// as access events; counting those would rebuild forever.
fn is_change(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

fn add_paths(paths: &mut BTreeSet<PathBuf>, batch: DebounceEventResult) {
    match batch {
        Ok(events) => {
            for e in events.iter().filter(|e| is_change(&e.event.kind)) {
                paths.extend(e.event.paths.iter().cloned());
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("warning: file watcher: {e}");
                paths.extend(e.paths);
            }
        }
    }
}

/// One line per rebuild: what changed, what was rebuilt, how long it took.
pub fn describe(root: &Path, changed: &[PathBuf], outcome: &Outcome) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    let mut what = if names.is_empty() {
        "start".to_string()
    } else {
        names.join(", ")
    };
    if more > 0 {
        what.push_str(&format!(" and {more} more"));
    }
    match outcome {
        Outcome::Built(r) => {
            let scope = match r.scope {
                Scope::Full => "rebuilt all",
                Scope::Pages => "re-rendered",
            };
            let mut line = format!(
                "{what}: {scope} {} {}, wrote {} {}",
                r.rendered,
                if r.rendered == 1 { "page" } else { "pages" },
                r.written.len(),
                if r.written.len() == 1 {
                    "file"
                } else {
                    "files"
                },
            );
            if !r.removed.is_empty() {
                line.push_str(&format!(", removed {}", r.removed.len()));
            }
            line.push_str(&format!(" in {:.1} ms", r.took.as_secs_f64() * 1000.0));
            line
        }
        Outcome::Failed(e) => format!("{what}: failed, the output keeps the last good build\n{e}"),
    }
}

/// Builds, then rebuilds on every change until `stop` is set. `report` sees each outcome
/// after all files of a rebuild are written.
pub fn run(
    builder: &mut Builder,
    debounce: Duration,
    stop: &Arc<AtomicBool>,
    mut report: impl FnMut(&[PathBuf], Outcome),
) -> anyhow::Result<()> {
    let root = builder.root().to_path_buf();
    let mut watcher = Watcher::new(&root, debounce)?;
    match builder.full() {
        Ok(r) => report(&[], Outcome::Built(&r)),
        Err(e) => report(&[], Outcome::Failed(&e)),
    }
    while !stop.load(Ordering::SeqCst) {
        let Some(changed) = watcher.next_changes(Duration::from_millis(100))? else {
            continue;
        };
        let changed: Vec<PathBuf> = changed
            .into_iter()
            .filter(|p| builder.relevant(p))
            .collect();
        if changed.is_empty() {
            continue;
        }
        match builder.changed(&changed) {
            Ok(Some(r)) => report(&changed, Outcome::Built(&r)),
            Ok(None) => {}
            Err(e) => report(&changed, Outcome::Failed(&e)),
        }
    }
    Ok(())
}
