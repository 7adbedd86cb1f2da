//! One build: config → content (pages, forms) → render (Tera) → output. Pages are rendered
//! in parallel and each page's files go to the [`Writer`] as soon as they are rendered, so a
//! build holds one page per core in memory, not the whole site. `check` runs the same steps
//! and writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::cache::{Cache, Stamps};
use crate::collisions;
use crate::inputs::Fingerprints;
use crate::output::{Changes, Lock, Writer};
pub use crate::output::{absolute, check_output_location};
use crate::sitewide::{self, CopyOf, write_failed};
use formwerk_base::diagnostics::{Diagnostic, Diagnostics};
use formwerk_base::parallel::{par_map, par_map_caught};
use formwerk_base::timing;
use formwerk_config::Config;
use formwerk_content::{AnchorCheck, Learned, Site};
use formwerk_render::{SiteWide, Source, Theme, outputs_of};

/// What a successful build produced.
#[derive(Debug, Default)]
pub struct Summary {
    pub pages: usize,
    pub forms: usize,
    pub files: usize,
    /// Pages rendered (the others were up to date in the output).
    pub rendered: usize,
    /// Files whose bytes changed, and files removed.
    pub changes: Changes,
    /// What the site lacks but a build does not need (filled by `check`).
    pub warnings: Diagnostics,
}

/// Loads and checks configuration, theme and content. Theme and content are independent:
/// the problems of both are reported at once. Problems of single pages come back beside the
/// site, so that rendering the others can find their problems too.
pub fn prepare(root: &Path) -> Result<(Site, Theme, Diagnostics), Diagnostics> {
    prepare_reading(root, &|_| false)
}

/// [`prepare`] for a build that renders the pages from the sources `rendered` names
/// whatever their hash: their files wait open, read up to their body
/// ([`Site::load_waiting`]).
fn prepare_reading(
    root: &Path,
    rendered: &(dyn Fn(&Path) -> bool + Sync),
) -> Result<(Site, Theme, Diagnostics), Diagnostics> {
    let config = Config::load(root).map_err(Diagnostics)?;
    let theme_dir = config.theme_dir();
    let theme = timing::phase("theme", || Theme::load(&config));
    // Refused before anything is written: a built site is copied to a web server.
    let keys = timing::phase("private keys", || crate::secrets::private_keys(root));
    let site = Site::load_waiting(config, rendered);
    match (theme, site) {
        (Ok(t), Ok((s, mut errors))) => {
            errors.extend(keys);
            Ok((s, t, errors))
        }
        (t, s) => {
            let mut errors = keys;
            if let Err(e) = t {
                errors.extend(e);
            }
            match s {
                Err(e) | Ok((_, e)) => errors.extend(e),
            }
            explain_old_theme(&mut errors, root, &theme_dir);
            errors.sort();
            Err(errors)
        }
    }
}

/// Adds to a failed build's errors that the site's theme folder holds files of an earlier
/// release's default theme, where it does: they are the likely cause, and `formwerk upgrade`
/// the cure.
fn explain_old_theme(errors: &mut Diagnostics, root: &Path, theme_dir: &Path) {
    let severity = formwerk_base::diagnostics::Severity::Error;
    if let Some(d) = formwerk_render::theme_notes::old_copy_diagnostic(root, theme_dir, severity) {
        errors.push(d);
    }
}

/// A page's file as loaded, or waiting as an open file, taken from the site for rendering.
type Loaded = (Option<Arc<str>>, Option<formwerk_content::Pending>);

/// What rendering one page yields: what the site learns from it, its links to `#fragments`
/// on other pages, and its hash if its file was read to the end only now.
type Rendered = (Learned, Vec<AnchorCheck>, Option<u64>);

/// Renders the pages `indices` and hands their files to `writer`; records each page's
/// anchors in the site and checks every link to a `#fragment` once all are rendered.
pub(crate) fn render_pages(
    site: &mut Site,
    theme: &Theme,
    shared: &SiteWide,
    indices: &[usize],
    writer: &Writer,
) -> Diagnostics {
    let texts = take_texts(site, indices);
    let loaded = &*site;
    let results = par_map_caught(&texts, |(i, text)| {
        render_one(loaded, theme, shared, writer, *i, text)
    });
    drop(texts);
    let (mut errors, failed, checks) = record_results(site, indices, results);
    // A page that failed has no anchors to check against; its own error says enough.
    let checkable = checks.iter().filter(|c| !failed.contains(&c.target));
    errors.0.extend(site.check_anchors(checkable));
    let rendered: BTreeSet<_> = indices
        .iter()
        .map(|&i| site.pages[i].source.clone())
        .collect();
    site.anchor_checks.retain(|c| !rendered.contains(&c.file));
    site.anchor_checks.extend(checks);
    errors
}

/// Each page's file as loaded, taken from the site for its rendering and dropped after it;
/// a site small enough for the print-all document keeps them for that.
fn take_texts(site: &mut Site, indices: &[usize]) -> Vec<(usize, Mutex<Loaded>)> {
    let keep = site.pages.len() <= site.config.print_all_limit;
    indices
        .iter()
        .map(|&i| {
            let page = &mut site.pages[i];
            let text = if keep {
                page.text.clone()
            } else {
                page.text.take()
            };
            (i, Mutex::new((text, page.pending.take())))
        })
        .collect()
}

/// Renders page `i` from its file as loaded (`text`), its files to `writer`. A page waiting
/// as an open file is read to its end now, and its hash learned.
fn render_one(
    site: &Site,
    theme: &Theme,
    shared: &SiteWide,
    writer: &Writer,
    i: usize,
    text: &Mutex<Loaded>,
) -> Result<Rendered, Diagnostics> {
    formwerk_base::fault::panic_point(&site.pages[i].source);
    let (text, pending) = std::mem::take(
        &mut *text
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let (text, hash) = match (text, pending) {
        (None, Some(pending)) => {
            let text = pending
                .finish_text(&site.pages[i], &site.config.root)
                .map_err(|d| Diagnostics(vec![d]))?;
            let hash = text.as_deref().map(formwerk_base::diagnostics::hash_text);
            (text, hash)
        }
        (text, _) => (text, None),
    };
    let put = |rel: &str, bytes: &[u8]| writer.put(rel, bytes).map_err(|e| write_failed(rel, e));
    let out = theme.render_page(site, shared, i, text, &put)?;
    Ok((out.learned, out.checks, hash))
}

/// Takes what the pages `indices` learned into the site. Returns the errors (a panic is an
/// internal error of its page), the pages that failed and the links left to check.
fn record_results(
    site: &mut Site,
    indices: &[usize],
    results: Vec<Result<Result<Rendered, Diagnostics>, String>>,
) -> (Diagnostics, BTreeSet<usize>, Vec<AnchorCheck>) {
    let mut errors = Diagnostics::default();
    let mut failed = BTreeSet::new();
    let mut checks = Vec::new();
    for (&i, result) in indices.iter().zip(results) {
        let result = result.unwrap_or_else(|panic| {
            Err(Diagnostics(vec![
                formwerk_base::diagnostics::internal_error(&site.pages[i].source, &panic),
            ]))
        });
        match result {
            Ok((learned, page_checks, hash)) => {
                site.learned[i] = learned;
                if let Some(hash) = hash {
                    site.pages[i].hash = hash;
                }
                checks.extend(page_checks);
            }
            Err(e) => {
                failed.insert(i);
                errors.extend(e);
            }
        }
    }
    (errors, failed, checks)
}

/// Renders the whole site through `writer`: every page, the site-wide files, the content
/// files and the static files. Nothing reaches the output unless the caller commits after
/// success. With a cache and the site's fingerprints, outputs known to be up to date are not
/// rendered again.
pub(crate) fn render_site(
    site: &mut Site,
    theme: &Theme,
    writer: &Writer,
    mut errors: Diagnostics,
    cache: Option<(&Cache, &Fingerprints, &Stamps)>,
) -> Result<Summary, Diagnostics> {
    let statics = &theme.statics.files;
    errors.extend(collisions::collisions(site, &shown_sources(statics)));
    errors.extend(formwerk_content::checks::legal_errors(site));
    let shared = SiteWide::new(site);
    let (indices, reused_checks) = reuse_cached(site, writer, cache);
    errors.extend(timing::phase("render", || {
        render_pages(site, theme, &shared, &indices, writer)
    }));
    // Links from pages not rendered again must still find their anchors.
    errors.0.extend(site.check_anchors(&reused_checks));
    site.anchor_checks.extend(reused_checks);
    let up_to_date = |rel: &str, which| {
        cache.is_some_and(|(cache, prints, started)| {
            cache.has_whole(rel, prints.whole(which), started)
        })
    };
    let copies = copied_files(site, statics);
    let files = file_count(site, theme, copies.len());
    let wanted = sitewide::Wanted {
        up_to_date: &up_to_date,
        shards: None,
        copies,
    };
    errors.extend(sitewide::write(site, theme, &shared, wanted, writer));
    // Kept only for the print-all document, which is written now; a file still open waits
    // for a page not rendered (a failed build).
    for page in &mut site.pages {
        page.text = None;
        page.pending = None;
    }
    if !errors.is_empty() {
        explain_old_theme(&mut errors, &site.config.root, &site.config.theme_dir());
        errors.sort();
        return Err(errors);
    }
    Ok(Summary {
        pages: site.pages.len(),
        forms: site.pages.iter().filter(|p| p.form.is_some()).count(),
        files,
        rendered: indices.len(),
        changes: Changes::default(),
        warnings: Diagnostics::default(),
    })
}

/// Takes from the cache what the pages whose outputs are up to date learned, and keeps their
/// files in the output. Returns the pages to render and the reused pages' links to check.
fn reuse_cached(
    site: &mut Site,
    writer: &Writer,
    cache: Option<(&Cache, &Fingerprints, &Stamps)>,
) -> (Vec<usize>, Vec<AnchorCheck>) {
    let mut indices = Vec::new();
    let mut reused_checks = Vec::new();
    let reuse_started = std::time::Instant::now();
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let reusable = match cache {
        Some((cache, prints, started)) => {
            let by_path = site.page_by_content_path();
            par_map(&all, |&i| {
                let files = outputs_of(&site.pages[i]);
                cache.reuse(site, &by_path, (prints.page(i), &files), i, started)
            })
        }
        None => all.iter().map(|_| None).collect(),
    };
    for (i, reused) in reusable.into_iter().enumerate() {
        match reused {
            Some(reused) => {
                site.pages[i].text = None;
                for rel in outputs_of(&site.pages[i]) {
                    writer.keep(&rel);
                }
                site.learned[i] = reused.learned;
                reused_checks.extend(reused.checks);
            }
            None => indices.push(i),
        }
    }
    timing::record("reuse", reuse_started.elapsed());
    (indices, reused_checks)
}

/// The files copied unchanged: the content files, then the static files, as (output path,
/// source).
fn copied_files<'a>(
    site: &'a Site,
    statics: &'a BTreeMap<String, Source>,
) -> Vec<(&'a str, CopyOf<'a>)> {
    site.assets
        .iter()
        .map(|a| (a.output.as_str(), CopyOf::File(a.path.as_path())))
        .chain(
            statics
                .iter()
                .map(|(rel, source)| (rel.as_str(), CopyOf::of(source))),
        )
        .collect::<Vec<_>>()
}

/// The static files by output path, each with the file it comes from as messages name it
/// (`<built-in>/static/…` for the built-in theme's).
fn shown_sources(statics: &BTreeMap<String, Source>) -> BTreeMap<String, PathBuf> {
    statics
        .iter()
        .map(|(rel, source)| {
            let shown = match source {
                Source::File(path) => path.clone(),
                Source::BuiltIn(_) | Source::Made(_) => PathBuf::from(format!(
                    "{}/static/{rel}",
                    formwerk_render::builtin::SHOWN_PREFIX
                )),
            };
            (rel.clone(), shown)
        })
        .collect()
}

/// How many files the site has: every page's files, the site-wide files and the search
/// index, then the `copies` copied files.
fn file_count(site: &Site, theme: &Theme, copies: usize) -> usize {
    sitewide::wholes(site, theme).len()
        + formwerk_text::search::shard_count(site.pages.len())
        + copies
        + site
            .pages
            .iter()
            .map(|p| outputs_of(p).len())
            .sum::<usize>()
}

/// Builds the site at `root` into `output`; the output changes only if the whole build
/// succeeded, and then only in the files whose bytes changed.
pub fn build(root: &Path, output: &Path) -> Result<Summary, BuildError> {
    check_output_location(root, output).map_err(BuildError::Content)?;
    // Nothing is created (not even the folder the output and its lock go into) for a folder
    // that is no site: `--root /missing` said "nothing was written" and made /missing.
    if let Err(e) = Config::load(root) {
        return Err(BuildError::Content(Diagnostics(e)));
    }
    // Held until the cache is saved: one build at a time per output folder.
    let lock = Lock::acquire(root, output).map_err(BuildError::from)?;
    let (cache, unchanged, stamps) =
        timing::phase("unchanged?", || Cache::load_and_compare(root, output));
    if let Some((pages, forms, files)) = unchanged {
        return Ok(Summary {
            pages,
            forms,
            files,
            ..Summary::default()
        });
    }
    // A page rendered whatever its hash (no cache, a changed theme, its file changed) needs
    // its hash only after rendering.
    let (mut site, theme, errors) =
        prepare_reading(root, &cache.rendered_anyway(&stamps)).map_err(BuildError::Content)?;
    // Their hashes are learned while rendering: the fingerprints are taken again after it.
    let hashed_late = site.pages.iter().any(|p| p.pending.is_some());
    if !errors.is_empty() {
        // Already failed: render only to find the other pages' problems.
        let more = render_site(&mut site, &theme, &Writer::dry_run(), errors, None);
        return Err(BuildError::Content(more.err().unwrap_or_default()));
    }
    let writer = Writer::begin(output, &lock)?;
    let prints = timing::phase("fingerprint", || {
        Fingerprints::new(&site, &theme, &SiteWide::new(&site), |i| {
            cache.linked_files(&site.pages[i].content_path)
        })
    });
    let written = |e| BuildError::Write(output.to_path_buf(), e);
    match render_site(
        &mut site,
        &theme,
        &writer,
        errors,
        Some((&cache, &prints, &stamps)),
    ) {
        Ok(mut summary) => {
            // A commit that fails is undone, and the cache then still describes the output.
            // After a crash halfway it is not deleted either: a page is taken from it only
            // while its output files have the size and time the cache recorded.
            summary.changes = timing::phase("commit", || writer.commit(true))?;
            timing::phase("cache save", || {
                let learned = Learnt {
                    prints,
                    hashed_late,
                };
                save_cache(&site, &theme, &cache, learned, output, &summary, stamps)
            })
            .map_err(written)?;
            drop(lock);
            Ok(summary)
        }
        Err(e) => {
            writer.abort();
            Err(BuildError::Content(e))
        }
    }
}

/// The fingerprints taken before rendering, and whether some pages learned their hash only
/// while rendering.
struct Learnt {
    prints: Fingerprints,
    hashed_late: bool,
}

/// Saves the render cache of a committed build: the fingerprints taken again where rendering
/// changed them (pages that link other files now, hashes learned late).
fn save_cache(
    site: &Site,
    theme: &Theme,
    cache: &Cache,
    learnt: Learnt,
    output: &Path,
    summary: &Summary,
    stamps: Stamps,
) -> std::io::Result<()> {
    let relinked = site
        .pages
        .iter()
        .zip(&site.learned)
        .any(|(page, learned)| learned.linked_files != cache.linked_files(&page.content_path));
    let prints = match relinked || learnt.hashed_late {
        true => Fingerprints::new(site, theme, &SiteWide::new(site), |i| {
            &site.learned[i].linked_files
        }),
        false => learnt.prints,
    };
    let wholes: Vec<(String, u64)> = sitewide::wholes(site, theme)
        .into_iter()
        .map(|(rel, which)| (rel, prints.whole(which)))
        .collect();
    Cache::save(
        site,
        |i| prints.page(i),
        |i: usize| outputs_of(&site.pages[i]),
        &wholes,
        output,
        summary.files,
        (stamps, &summary.changes),
    )
}

/// Runs every step of a build and writes nothing; warnings come back in the summary.
pub fn check(root: &Path) -> Result<Summary, Diagnostics> {
    let (mut site, theme, errors) = prepare_reading(root, &|_| true)?;
    let mut summary = render_site(&mut site, &theme, &Writer::dry_run(), errors, None)?;
    let mut warnings = formwerk_content::checks::warnings(&site);
    warnings.extend(formwerk_render::theme_notes::warnings(&site.config));
    summary.warnings = Diagnostics(warnings);
    Ok(summary)
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Content(Diagnostics),
    #[error("cannot write the output folder {path}: {source}", path = .0.display(), source = .1)]
    Write(PathBuf, std::io::Error),
    /// A bug in Formwerk (a panic) outside the work on a single file.
    #[error(
        "Formwerk failed (internal error: {0}); this is a bug, please report it. The output keeps the last good build."
    )]
    Internal(String),
}

/// Runs one build step with a panic turned into [`BuildError::Internal`].
pub fn catching<T>(step: impl FnOnce() -> Result<T, BuildError>) -> Result<T, BuildError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|payload| {
        Err(BuildError::Internal(formwerk_base::fault::panic_message(
            &*payload,
        )))
    })
}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError::Content(Diagnostics(vec![d]))
    }
}
