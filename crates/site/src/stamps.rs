//! Size and modification time of every file a build reads or wrote: how `build` knows,
//! without reading a single source, that nothing changed since the last build.
//!
//! Trusting size and time is safe because of three rules. A stamp is taken before the build
//! reads anything, and those stamps (not later ones) are saved: a file edited while the build
//! runs counts as changed next time. A file whose modification time lies within
//! [`RACY_WINDOW`] of the moment the stamps were taken (or in the future) is not trusted: its
//! stamp is saved as one no file has, so the next build reads it again. An edit in the same
//! clock tick as the stamp, with the same size, can therefore never pass unseen (the coarse
//! file clocks of ext4 tick every few milliseconds, FAT's every two seconds). And the
//! program's own stamp is part of it: a new release renders everything again.
//!
//! The output folder is stamped too (a file deleted or changed there by hand is written
//! again), but not listed when it need not be: the summary names the files and folders the
//! last build left, and they are stamped where they lie. A file added, removed or renamed in
//! a folder changes the folder's time, and a file changed in place its own: when every
//! listed stamp is as saved, the folder holds exactly those files. Otherwise it is walked.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::output::{Stamp, summary_path};

/// How close to the taking of the stamps a file's modification time may lie before its stamp
/// is no longer trusted.
const RACY_WINDOW: u128 = 3_000_000_000;

/// The stamp saved for a file that must be read again: no file has length `u64::MAX - 1`.
const DISTRUSTED: Stamp = (u64::MAX - 1, 0);

const SUMMARY_FORMAT: u32 = 2;

#[derive(Serialize, Deserialize, Default, Debug)]
pub(crate) struct Stamps {
    pub(crate) binary: Option<Stamp>,
    pub(crate) sources: BTreeMap<String, Stamp>,
    pub(crate) outputs: BTreeMap<String, Stamp>,
    /// The output's folders ("" is the output folder itself), kept in the summary only.
    #[serde(skip)]
    pub(crate) output_dirs: BTreeMap<String, Stamp>,
    /// When the stamps were taken, in nanoseconds since the epoch (not saved).
    #[serde(skip)]
    taken: u128,
}

impl PartialEq for Stamps {
    fn eq(&self, other: &Stamps) -> bool {
        self.binary == other.binary
            && self.sources == other.sources
            && self.outputs == other.outputs
    }
}

/// The few bytes read first: digests of the last build's saved stamps and its counts.
#[derive(Serialize, Deserialize)]
pub(crate) struct Summary {
    format: u32,
    /// Digest of the program's and the sources' stamps.
    pub(crate) sources: u64,
    /// Digest of the output's stamps, its folders' included.
    pub(crate) outputs: u64,
    /// Pages, forms and files of that build.
    pub(crate) counts: (usize, usize, usize),
    /// The files outside the source folders that build read (the public keys the forms'
    /// `[submission] encrypt_to` name, relative to the site): stamped with the sources.
    pub(crate) outside: Vec<String>,
    /// The output's files and folders as that build left them.
    pub(crate) output_files: Vec<String>,
    pub(crate) output_dirs: Vec<String>,
}

impl Summary {
    pub(crate) fn load(output: &Path) -> Option<Summary> {
        let bytes = std::fs::read(summary_path(output)).ok()?;
        serde_json::from_slice::<Summary>(&bytes)
            .ok()
            .filter(|s| s.format == SUMMARY_FORMAT)
    }

    /// The summary of `stamps`: their digests and the output's files and folders.
    fn of(stamps: &Stamps, counts: (usize, usize, usize), outside: Vec<String>) -> Summary {
        Summary {
            format: SUMMARY_FORMAT,
            sources: stamps.sources_digest(),
            outputs: stamps.outputs_digest(),
            counts,
            outside,
            output_files: stamps.outputs.keys().cloned().collect(),
            output_dirs: stamps.output_dirs.keys().cloned().collect(),
        }
    }

    /// Writes the summary of `stamps` as saved in the cache (written after the cache: a
    /// summary never describes an older cache than the one beside it).
    pub(crate) fn save(
        output: &Path,
        stamps: &Stamps,
        counts: (usize, usize, usize),
        outside: Vec<String>,
    ) -> std::io::Result<()> {
        let summary = Summary::of(stamps, counts, outside);
        let path = summary_path(output);
        let temp = path.with_extension("tmp");
        std::fs::write(
            &temp,
            serde_json::to_vec(&summary).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(temp, path)
    }

    /// Removes the summary before the cache is replaced, so that a crash between the two
    /// leaves no summary describing the old cache.
    pub(crate) fn remove(output: &Path) {
        let _ = std::fs::remove_file(summary_path(output));
    }
}

impl Stamps {
    /// Takes the stamps of the sources below `root` and of the output folder, the two at the
    /// same time on two cores. `after_sources` runs as soon as the sources are listed, with
    /// their digest, while the output folder is still being stamped; its result comes back.
    /// The sources include the files outside the source folders that the `last` build read;
    /// the output's files are those it left, when they are as it left them.
    pub(crate) fn take<T: Send>(
        root: &Path,
        output: &Path,
        last: Option<&Summary>,
        after_sources: impl FnOnce(u64) -> T + Send,
    ) -> (Stamps, T) {
        let outside = last.map_or(&[][..], |l| &l.outside[..]);
        let taken = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let binary = std::env::current_exe().ok().as_deref().and_then(stamp);
        std::thread::scope(|scope| {
            let outputs = scope.spawn(|| output_stamps(output, last));
            let mut sources = BTreeMap::new();
            if let Some(s) = stamp(&root.join(formwerk_config::CONFIG_FILE)) {
                sources.insert(formwerk_config::CONFIG_FILE.to_string(), s);
            }
            for dir in formwerk_config::SOURCE_DIRS {
                stamps_below(root, &root.join(dir), &mut sources, None);
            }
            for rel in outside {
                let s = stamp(&root.join(rel)).unwrap_or((u64::MAX, 0));
                sources.insert(rel.clone(), s);
            }
            let mut stamps = Stamps {
                binary,
                sources,
                outputs: BTreeMap::new(),
                output_dirs: BTreeMap::new(),
                taken,
            };
            let result = after_sources(stamps.sources_digest());
            (stamps.outputs, stamps.output_dirs) = outputs.join().unwrap_or_default();
            (stamps, result)
        })
    }

    /// Adds the files outside the source folders that this build read but did not stamp
    /// before reading (a form names a new key file): to be read again next time.
    pub(crate) fn read_outside<'a>(&mut self, rels: impl Iterator<Item = &'a String>) {
        for rel in rels {
            self.sources.entry(rel.clone()).or_insert(DISTRUSTED);
        }
    }

    /// Marks every source modified too close to the taking of the stamps (or later) as one
    /// to read again next time; see the module's documentation.
    pub(crate) fn distrust_recent(&mut self) {
        let taken = self.taken;
        for s in self.sources.values_mut() {
            if s.1 + RACY_WINDOW >= taken {
                *s = DISTRUSTED;
            }
        }
    }

    /// Digest of the program's and the sources' stamps (SipHash with fixed keys: the same
    /// program gives the same digest; a new program has another stamp anyway).
    pub(crate) fn sources_digest(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.binary.hash(&mut h);
        self.sources.hash(&mut h);
        h.finish()
    }

    /// Digest of the output's stamps, its folders' included.
    pub(crate) fn outputs_digest(&self) -> u64 {
        digest_of(&self.outputs, &self.output_dirs)
    }

    /// Stamps again the output's folders a commit wrote into or removed from (the `changed`
    /// files' folders and theirs, up to the output folder); a folder no longer there goes.
    pub(crate) fn restamp_output_dirs<'a>(
        &mut self,
        output: &Path,
        changed: impl Iterator<Item = &'a String>,
    ) {
        let mut dirs = std::collections::BTreeSet::new();
        for rel in changed {
            let mut rel = rel.as_str();
            while let Some((parent, _)) = rel.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                rel = parent;
            }
            dirs.insert("");
        }
        for dir in dirs {
            match stamp_any(&output.join(dir)) {
                Some(s) => self.output_dirs.insert(dir.to_string(), s),
                None => self.output_dirs.remove(dir),
            };
        }
    }
}

fn digest_of(files: &BTreeMap<String, Stamp>, dirs: &BTreeMap<String, Stamp>) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    files.hash(&mut h);
    dirs.hash(&mut h);
    h.finish()
}

/// Size and modification time of the file at `path` (links followed).
pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    stamp_of(&std::fs::metadata(path).ok()?)
}

/// Size and modification time of a file or folder at `path`.
fn stamp_any(path: &Path) -> Option<Stamp> {
    stamp_of(&std::fs::symlink_metadata(path).ok()?)
}

fn stamp_of(meta: &std::fs::Metadata) -> Option<Stamp> {
    let time = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), time.as_nanos()))
}

/// Size and time of every file below `dir`, by path relative to `base`; with `dirs`, of
/// every folder too (`dir` itself included).
fn stamps_below(
    base: &Path,
    dir: &Path,
    into: &mut BTreeMap<String, Stamp>,
    mut dirs: Option<&mut BTreeMap<String, Stamp>>,
) {
    let rel = |path: &Path| {
        let rel = path.strip_prefix(base).unwrap_or(path);
        rel.to_string_lossy().into_owned()
    };
    // Links followed: a theme folder linked from elsewhere changes with its target. A link
    // leading nowhere (or in a circle) counts too, with a stamp no file has.
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        match &entry {
            Ok(e) if e.file_type().is_file() => {
                if let Some(s) = stamp(e.path()) {
                    into.insert(rel(e.path()), s);
                }
            }
            Ok(e) => {
                if let (Some(dirs), Some(s)) = (dirs.as_deref_mut(), stamp_any(e.path())) {
                    dirs.insert(rel(e.path()), s);
                }
            }
            Err(e) => {
                if let Some(p) = e.path() {
                    into.insert(rel(p), (u64::MAX, 0));
                }
            }
        }
    }
}

type OutputStamps = (BTreeMap<String, Stamp>, BTreeMap<String, Stamp>);

/// The output's files and folders: those the `last` build left when each is as it left
/// them, else all that are there.
fn output_stamps(output: &Path, last: Option<&Summary>) -> OutputStamps {
    if let Some(listed) = last.and_then(|l| as_left(output, l)) {
        return listed;
    }
    formwerk_base::timing::phase("output listed", || {
        let (mut files, mut dirs) = OutputStamps::default();
        // An output folder not made yet has no files; counted as a broken link it would stay
        // in the stamps saved after the first build and keep the second from taking the fast
        // path.
        if output.exists() {
            stamps_below(output, output, &mut files, Some(&mut dirs));
        }
        (files, dirs)
    })
}

/// The stamps of the files and folders the `last` build left, if all are as it left them.
fn as_left(output: &Path, last: &Summary) -> Option<OutputStamps> {
    if last.output_dirs.is_empty() {
        return None;
    }
    let stamped = |rels: &[String], any: bool| {
        rels.iter()
            .map(|rel| {
                let path = output.join(rel);
                let s = if any { stamp_any(&path) } else { stamp(&path) };
                Some((rel.clone(), s?))
            })
            .collect::<Option<BTreeMap<_, _>>>()
    };
    // The folders on a thread of their own: with the sources' that makes three for two cores,
    // which share the work better than two of unequal length.
    let listed = std::thread::scope(|scope| {
        let dirs = scope.spawn(|| stamped(&last.output_dirs, true));
        let files = stamped(&last.output_files, false);
        Some((files?, dirs.join().ok()??))
    })?;
    (digest_of(&listed.0, &listed.1) == last.outputs).then_some(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_modified_as_the_stamps_were_taken_is_read_again() {
        let mut stamps = Stamps {
            taken: 10 * RACY_WINDOW,
            ..Stamps::default()
        };
        stamps.sources.insert("old.md".into(), (5, 5 * RACY_WINDOW));
        stamps
            .sources
            .insert("racy.md".into(), (5, 10 * RACY_WINDOW - 1));
        stamps
            .sources
            .insert("future.md".into(), (5, 20 * RACY_WINDOW));
        stamps.distrust_recent();
        assert_eq!(stamps.sources["old.md"], (5, 5 * RACY_WINDOW));
        assert_eq!(stamps.sources["racy.md"], DISTRUSTED);
        assert_eq!(stamps.sources["future.md"], DISTRUSTED);
    }

    #[test]
    fn digests_tell_sources_and_outputs_apart() {
        let mut a = Stamps::default();
        a.sources.insert("content/a.md".into(), (1, 2));
        let mut b = Stamps::default();
        b.outputs.insert("content/a.md".into(), (1, 2));
        assert_ne!(a.sources_digest(), b.sources_digest());
        assert_ne!(a.outputs_digest(), b.outputs_digest());
        let mut c = Stamps::default();
        c.outputs.insert("a.html".into(), (1, 2));
        assert_eq!(c.sources_digest(), Stamps::default().sources_digest());
        assert_ne!(c.outputs_digest(), Stamps::default().outputs_digest());
        let mut d = Stamps::default();
        d.output_dirs.insert("a".into(), (1, 2));
        assert_ne!(d.outputs_digest(), Stamps::default().outputs_digest());
    }

    /// The output's files are stamped where the last build left them, and walked again when
    /// a file was added, removed or changed there.
    #[test]
    fn the_output_is_listed_only_when_it_is_not_as_left() {
        let dir = std::env::temp_dir().join(format!("formwerk-stamps-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("seite")).unwrap();
        std::fs::write(dir.join("seite/index.html"), "a").unwrap();
        std::fs::write(dir.join("index.html"), "b").unwrap();
        let (files, dirs) = output_stamps(&dir, None);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["index.html", "seite/index.html"]
        );
        assert_eq!(dirs.keys().collect::<Vec<_>>(), ["", "seite"]);
        let stamps = Stamps {
            outputs: files,
            output_dirs: dirs,
            ..Stamps::default()
        };
        let summary = Summary::of(&stamps, (0, 0, 0), Vec::new());
        assert!(as_left(&dir, &summary).is_some());
        std::fs::write(dir.join("seite/fremd.txt"), "c").unwrap();
        assert!(
            as_left(&dir, &summary).is_none(),
            "a file added in a folder"
        );
        let (files, _) = output_stamps(&dir, Some(&summary));
        assert!(files.contains_key("seite/fremd.txt"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
