//! `formwerk watch`: rebuild on every change under content/, templates/, themes/, static/ and
//! formwerk.toml. Events come from notify; [`crate::settle`] gathers them into complete
//! changes, a save as soon as it ended and a burst (a `git checkout`) into one rebuild. A bad
//! edit prints its error and the watcher goes on; the output keeps the last good build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use anyhow::Context;
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::incremental::{Builder, Report, Scope};
use crate::pipeline::BuildError;
use crate::settle::{Event, git_index_lock, next_change};

/// Folders below the site root whose changes matter, watched recursively.
const WATCHED: [&str; 4] = ["content", "templates", "themes", "static"];

/// What a rebuild ended in, for whoever shows it (the terminal, the dev server).
pub enum Outcome<'a> {
    Built(&'a Report),
    Failed(&'a BuildError),
}

pub(crate) struct Watcher {
    root: PathBuf,
    /// How long a change that does not report the end of its save must be quiet.
    quiet: Duration,
    watcher: RecommendedWatcher,
    events: Receiver<Event>,
    watched: BTreeSet<PathBuf>,
    git_lock: Option<PathBuf>,
}

impl Watcher {
    pub fn new(root: &Path, quiet: Duration) -> anyhow::Result<Watcher> {
        let (tx, events) = channel();
        let watcher =
            notify::recommended_watcher(tx).context("cannot start watching for changes")?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            quiet,
            watcher,
            events,
            watched: BTreeSet::new(),
            git_lock: git_index_lock(root),
        };
        w.watcher
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
                self.watcher
                    .watch(&dir, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", dir.display()))?;
                self.watched.insert(dir);
            }
        }
        // A watched folder that was removed is watched again when it comes back.
        self.watched.retain(|d| d.is_dir());
        Ok(())
    }

    /// Waits for the next complete change, at most `wait` for its first event; `relevant`
    /// tells the paths a rebuild looks at.
    pub(crate) fn next_changes(
        &mut self,
        wait: Duration,
        relevant: &impl Fn(&Path) -> bool,
    ) -> anyhow::Result<Option<Vec<PathBuf>>> {
        let change = next_change(
            &self.events,
            wait,
            self.quiet,
            self.git_lock.as_deref(),
            relevant,
        )?;
        self.watch_new_folders()?;
        Ok(change.filter(|paths| !paths.is_empty()))
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
    quiet: Duration,
    stop: &Arc<AtomicBool>,
    mut report: impl FnMut(&[PathBuf], Outcome),
) -> anyhow::Result<()> {
    let root = builder.root().to_path_buf();
    let mut watcher = Watcher::new(&root, quiet)?;
    match builder.full() {
        Ok(r) => report(&[], Outcome::Built(&r)),
        Err(e) => report(&[], Outcome::Failed(&e)),
    }
    while !stop.load(Ordering::SeqCst) {
        let relevant = |p: &Path| builder.relevant(p);
        let Some(mut changed) = watcher.next_changes(Duration::from_millis(100), &relevant)? else {
            continue;
        };
        loop {
            match builder.changed(&changed) {
                Ok(Some(r)) => report(&changed, Outcome::Built(&r)),
                Ok(None) => {}
                Err(e) => {
                    // A file may have been read halfway through a save that began during
                    // the rebuild: when more changes come, build with them before telling.
                    let relevant = |p: &Path| builder.relevant(p);
                    if let Some(more) = watcher.next_changes(quiet, &relevant)? {
                        changed.extend(more);
                        changed.sort();
                        changed.dedup();
                        continue;
                    }
                    report(&changed, Outcome::Failed(&e));
                }
            }
            break;
        }
    }
    Ok(())
}
