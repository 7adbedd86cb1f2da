//! The render cache of `build`, kept beside the output folder (`.site.formwerk-cache`): for
//! every page a fingerprint of everything its output depends on, what it learned (its
//! anchors, its links to other pages' anchors) and the size and time of its output files. A
//! page whose fingerprint matches and whose output files are as written is not rendered
//! again, so a rebuild in which nothing changed only loads, compares and checks.
//!
//! The fingerprints come from `inputs`, the same that `watch` compares; the cache also
//! keeps what a fingerprint needs from the last rendering (the files each page links) and the
//! fingerprints of the site-wide outputs (sitemap, print-all document).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::{Changes, Stamp};
pub(crate) use crate::stamps::Stamps;
use crate::stamps::Summary;
use formwerk_base::diagnostics::read_text;
use formwerk_content::{AnchorCheck, Learned, Site};
use formwerk_text::search::SearchDoc;

const FORMAT: u32 = 3;

#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Cache {
    format: u32,
    pages: BTreeMap<PathBuf, Entry>,
    /// Size and time of every source file (formwerk.toml, content/, templates/, themes/,
    /// static/), of every output file and of the formwerk binary, after the build.
    stamps: Stamps,
    /// Pages, forms and files of that build.
    counts: (usize, usize, usize),
    /// Site-wide output file → its fingerprint and its size and time as written.
    wholes: BTreeMap<String, (String, (u64, u128))>,
    /// The pages that link content files, and those files (from `pages`, after loading):
    /// looked up for every page, and most pages link none.
    #[serde(skip)]
    linking: BTreeMap<PathBuf, Vec<String>>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    anchors: Vec<String>,
    search: SearchDoc,
    checks: Vec<Check>,
    /// The content files the page links (part of its fingerprint).
    linked_files: Vec<String>,
    /// Output file → (length, modification time in nanoseconds).
    outputs: BTreeMap<String, (u64, u128)>,
}

/// [`Cache`] as saved, borrowing from the site.
#[derive(Serialize)]
struct CacheRef<'a> {
    format: u32,
    pages: BTreeMap<&'a Path, EntryRef<'a>>,
    stamps: &'a Stamps,
    counts: (usize, usize, usize),
    wholes: BTreeMap<String, (String, Stamp)>,
}

/// [`Entry`] as saved.
#[derive(Serialize)]
struct EntryRef<'a> {
    fingerprint: &'a str,
    anchors: &'a [String],
    search: &'a SearchDoc,
    checks: Vec<Check>,
    linked_files: &'a [String],
    outputs: BTreeMap<String, Stamp>,
}

#[derive(Serialize, Deserialize)]
struct Check {
    target: PathBuf,
    fragment: String,
    start: usize,
    end: usize,
}

/// What a page reuses from the cache.
pub(crate) struct Reused {
    pub learned: Learned,
    pub checks: Vec<AnchorCheck>,
}

/// A fingerprint as the cache stores it.
fn hex(print: u64) -> String {
    format!("{print:016x}")
}

/// Where the render cache of `output` lies (`.site.formwerk-cache` beside `site/`).
pub(crate) fn path_for(output: &Path) -> PathBuf {
    crate::output::cache_path(output)
}

impl Cache {
    pub fn load(output: &Path) -> Cache {
        std::fs::read(path_for(output))
            .ok()
            .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
            .filter(|c| c.format == FORMAT)
            .map(|mut c| {
                c.linking = c
                    .pages
                    .iter()
                    .filter(|(_, e)| !e.linked_files.is_empty())
                    .map(|(path, e)| (path.clone(), e.linked_files.clone()))
                    .collect();
                c
            })
            .unwrap_or_default()
    }

    /// Loads the cache while the files' stamps are taken. When no source file, output file or
    /// the program changed since the cache was written, a build would change nothing: then
    /// also the page, form and file counts of that build. The stamps taken now go back into
    /// the cache this build saves: a file edited while the build runs then counts as changed.
    ///
    /// The stamps are compared first with the digests of the last build's (in the summary
    /// beside the cache, with the output's files and folders that build left): a build with
    /// nothing changed never parses the cache. When the sources differ, the cache is parsed
    /// while the output folder is still being stamped.
    pub(crate) fn load_and_compare(
        root: &Path,
        output: &Path,
    ) -> (Cache, Option<(usize, usize, usize)>, Stamps) {
        let last = Summary::load(output);
        let (now, cache) = Stamps::take(root, output, last.as_ref(), |sources| {
            let same = last.as_ref().is_some_and(|l| l.sources == sources);
            (!same).then(|| Cache::load(output))
        });
        if let Some(last) = &last
            && last.sources == now.sources_digest()
            && last.outputs == now.outputs_digest()
        {
            return (Cache::default(), Some(last.counts), now);
        }
        let cache = cache.unwrap_or_else(|| Cache::load(output));
        let same = !cache.stamps.sources.is_empty() && cache.stamps == now;
        if same && let Some(last) = last {
            // The output's folders changed, not its files (an empty folder made by hand): the
            // summary is brought up to date, or every build would list the output again. (Its
            // sources are those the cache trusted: none was modified close to this build.)
            let _ = Summary::save(output, &now, cache.counts, last.outside);
        }
        let counts = same.then_some(cache.counts);
        (cache, counts, now)
    }

    /// Whether a page from `source` (relative to the site, `content/…`) is rendered in this
    /// build whatever its hash: the cache knows no page, something besides the content
    /// changed (the binary, the configuration, the theme: every page is rendered), or the
    /// file itself changed. Such a page may wait as an open file until it is rendered.
    pub(crate) fn rendered_anyway(&self, now: &Stamps) -> impl Fn(&Path) -> bool + Sync + use<'_> {
        let outside_content = |stamps: &Stamps| {
            stamps
                .sources
                .iter()
                .filter(|(rel, _)| !rel.starts_with("content/"))
                .map(|(rel, s)| (rel.clone(), *s))
                .collect::<Vec<_>>()
        };
        let all = self.pages.is_empty()
            || self.stamps.binary != now.binary
            || outside_content(&self.stamps) != outside_content(now);
        let changed: std::collections::HashSet<String> = now
            .sources
            .iter()
            .filter(|(rel, s)| self.stamps.sources.get(*rel) != Some(s))
            .map(|(rel, _)| rel.clone())
            .collect();
        move |source: &Path| all || changed.contains(source.to_string_lossy().as_ref())
    }

    /// The content files page `content_path` linked when it was last rendered.
    pub fn linked_files(&self, content_path: &Path) -> &[String] {
        if self.linking.is_empty() {
            return &[];
        }
        self.linking.get(content_path).map_or(&[], Vec::as_slice)
    }

    /// Whether the site-wide output `rel` is still as this cache wrote it for `print`
    /// (`started`: the stamps taken when this build began).
    pub(crate) fn has_whole(&self, rel: &str, print: u64, started: &Stamps) -> bool {
        self.wholes
            .get(rel)
            .is_some_and(|(p, s)| *p == hex(print) && started.outputs.get(rel) == Some(s))
    }

    /// What page `index` can reuse: only if its fingerprint matches and every output file
    /// (`files`) is still as this cache wrote it (`started`: the stamps taken when this build
    /// began).
    pub fn reuse(
        &self,
        site: &Site,
        by_path: &BTreeMap<&Path, usize>,
        (print, files): (u64, &[String]),
        index: usize,
        started: &Stamps,
    ) -> Option<Reused> {
        let page = &site.pages[index];
        let entry = self.pages.get(&page.content_path)?;
        if entry.fingerprint != hex(print) {
            return None;
        }
        if files.len() != entry.outputs.len()
            || files
                .iter()
                .any(|f| entry.outputs.get(f) != started.outputs.get(f))
        {
            return None;
        }
        let mut checks = Vec::new();
        if !entry.checks.is_empty() {
            // The links' places are needed only to report them; read the page for that.
            let source = read_text(&site.config.root.join(&page.source), &page.source).ok()?;
            for c in &entry.checks {
                checks.push(AnchorCheck {
                    target: *by_path.get(c.target.as_path())?,
                    fragment: c.fragment.clone(),
                    file: page.source.clone(),
                    source: source.clone(),
                    range: c.start..c.end,
                });
            }
        }
        Some(Reused {
            learned: Learned {
                anchors: entry.anchors.clone(),
                search: entry.search.clone(),
                linked_files: entry.linked_files.clone(),
            },
            checks,
        })
    }

    /// Records the state of a successful build: `print_of(i)` and `outputs_of(i)` are page
    /// `i`'s fingerprint and output files, `wholes` the site-wide outputs with theirs.
    /// `started` are the stamps taken when the build began; of the output, the files
    /// `changes` wrote have new ones, and the files it removed have none: the output folder
    /// is not walked again.
    pub fn save(
        site: &Site,
        print_of: impl Fn(usize) -> u64,
        outputs_of: impl Fn(usize) -> Vec<String>,
        wholes: &[(String, u64)],
        output: &Path,
        files: usize,
        (started, changes): (Stamps, &Changes),
    ) -> std::io::Result<()> {
        let mut stamps = started;
        // The key files the forms read lie outside the source folders: stamped too.
        let outside: Vec<String> = site
            .pages
            .iter()
            .filter_map(|p| p.form.as_ref()?.submission.as_ref()?.encrypt.as_ref())
            .map(|k| k.file.clone())
            .collect();
        stamps.read_outside(outside.iter());
        stamps.distrust_recent();
        for rel in &changes.removed {
            stamps.outputs.remove(rel);
        }
        stamps
            .outputs
            .extend(changes.stamps.iter().map(|(k, v)| (k.clone(), *v)));
        stamps.restamp_output_dirs(output, changes.written.iter().chain(&changes.removed));
        let mut checks: BTreeMap<&Path, Vec<Check>> = BTreeMap::new();
        for c in &site.anchor_checks {
            checks.entry(c.file.as_path()).or_default().push(Check {
                target: site.pages[c.target].content_path.clone(),
                fragment: c.fragment.clone(),
                start: c.range.start,
                end: c.range.end,
            });
        }
        let forms = site.pages.iter().filter(|p| p.form.is_some()).count();
        // Borrowed, not copied: the same JSON as `Cache`, without a second copy of every
        // page's search words in memory.
        let mut pages = BTreeMap::new();
        let wholes: BTreeMap<String, (String, Stamp)> = wholes
            .iter()
            .filter_map(|(rel, print)| {
                let s = stamps.outputs.get(rel)?;
                Some((rel.clone(), (hex(*print), *s)))
            })
            .collect();
        let prints: Vec<String> = (0..site.pages.len()).map(|i| hex(print_of(i))).collect();
        for (i, page) in site.pages.iter().enumerate() {
            let learned = &site.learned[i];
            let outputs = outputs_of(i)
                .into_iter()
                .filter_map(|f| stamps.outputs.get(&f).map(|&s| (f, s)))
                .collect();
            pages.insert(
                page.content_path.as_path(),
                EntryRef {
                    fingerprint: &prints[i],
                    anchors: &learned.anchors,
                    search: &learned.search,
                    checks: checks.remove(page.source.as_path()).unwrap_or_default(),
                    linked_files: &learned.linked_files,
                    outputs,
                },
            );
        }
        let cache = CacheRef {
            format: FORMAT,
            pages,
            stamps: &stamps,
            counts: (site.pages.len(), forms, files),
            wholes,
        };
        Summary::remove(output);
        let path = path_for(output);
        let temp = path.with_extension("tmp");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&temp)?);
        serde_json::to_writer(&mut file, &cache).map_err(std::io::Error::other)?;
        std::io::Write::flush(&mut file)?;
        drop(file);
        std::fs::rename(temp, path)?;
        Summary::save(output, &stamps, cache.counts, outside)
    }
}
