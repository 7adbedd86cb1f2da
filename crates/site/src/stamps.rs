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

const SUMMARY_FORMAT: u32 = 1;

#[derive(Serialize, Deserialize, Default, Debug)]
pub(crate) struct Stamps {
    pub(crate) binary: Option<Stamp>,
    pub(crate) sources: BTreeMap<String, Stamp>,
    pub(crate) outputs: BTreeMap<String, Stamp>,
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
    /// Digest of all stamps, the output's included.
    pub(crate) all: u64,
    /// Pages, forms and files of that build.
    pub(crate) counts: (usize, usize, usize),
    /// The files outside the source folders that build read (the public keys the forms'
    /// `[submission] encrypt_to` name, relative to the site): stamped with the sources.
    #[serde(default)]
    pub(crate) outside: Vec<String>,
}

impl Summary {
    pub(crate) fn load(output: &Path) -> Option<Summary> {
        let bytes = std::fs::read(summary_path(output)).ok()?;
        serde_json::from_slice::<Summary>(&bytes)
            .ok()
            .filter(|s| s.format == SUMMARY_FORMAT)
    }

    /// Writes the summary of `stamps` as saved in the cache (written after the cache: a
    /// summary never describes an older cache than the one beside it).
    pub(crate) fn save(
        output: &Path,
        stamps: &Stamps,
        counts: (usize, usize, usize),
        outside: Vec<String>,
    ) -> std::io::Result<()> {
        let summary = Summary {
            format: SUMMARY_FORMAT,
            sources: stamps.sources_digest(),
            all: stamps.digest(),
            counts,
            outside,
        };
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
    /// their digest, while the output folder is still being listed; its result comes back.
    /// The sources include the files `outside` the source folders that the last build read.
    pub(crate) fn take<T: Send>(
        root: &Path,
        output: &Path,
        outside: &[String],
        after_sources: impl FnOnce(u64) -> T + Send,
    ) -> (Stamps, T) {
        let taken = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let binary = std::env::current_exe().ok().as_deref().and_then(stamp);
        std::thread::scope(|scope| {
            let outputs = scope.spawn(|| output_stamps(output));
            let mut sources = BTreeMap::new();
            if let Some(s) = stamp(&root.join(formwerk_config::CONFIG_FILE)) {
                sources.insert(formwerk_config::CONFIG_FILE.to_string(), s);
            }
            for dir in formwerk_config::SOURCE_DIRS {
                stamps_below(root, &root.join(dir), &mut sources);
            }
            for rel in outside {
                let s = stamp(&root.join(rel)).unwrap_or((u64::MAX, 0));
                sources.insert(rel.clone(), s);
            }
            let mut stamps = Stamps {
                binary,
                sources,
                outputs: BTreeMap::new(),
                taken,
            };
            let result = after_sources(stamps.sources_digest());
            stamps.outputs = outputs.join().unwrap_or_default();
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

    pub(crate) fn digest(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.sources_digest().hash(&mut h);
        self.outputs.hash(&mut h);
        h.finish()
    }
}

pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let time = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), time.as_nanos()))
}

/// Size and time of every file below `dir`, by path relative to `base`.
fn stamps_below(base: &Path, dir: &Path, into: &mut BTreeMap<String, Stamp>) {
    // Links followed: a theme folder linked from elsewhere changes with its target. A link
    // leading nowhere (or in a circle) counts too, with a stamp no file has.
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let (path, s) = match &entry {
            Ok(e) if e.file_type().is_file() => match stamp(e.path()) {
                Some(s) => (e.path(), s),
                None => continue,
            },
            Ok(_) => continue,
            Err(e) => match e.path() {
                Some(p) => (p, (u64::MAX, 0)),
                None => continue,
            },
        };
        let rel = path.strip_prefix(base).unwrap_or(path);
        into.insert(rel.to_string_lossy().into_owned(), s);
    }
}

fn output_stamps(output: &Path) -> BTreeMap<String, Stamp> {
    let mut outputs = BTreeMap::new();
    // An output folder not made yet has no files; counted as a broken link it would stay in
    // the stamps saved after the first build and keep the second from taking the fast path.
    if output.exists() {
        stamps_below(output, output, &mut outputs);
    }
    outputs
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
        assert_ne!(a.digest(), b.digest());
        assert_ne!(a.sources_digest(), b.sources_digest());
        let mut c = Stamps::default();
        c.outputs.insert("a.html".into(), (1, 2));
        assert_eq!(c.sources_digest(), Stamps::default().sources_digest());
        assert_ne!(c.digest(), Stamps::default().digest());
    }
}
