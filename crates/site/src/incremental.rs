//! Rebuilding after changes, for `watch` and `serve`. The builder keeps the last good site in
//! memory with the fingerprints of its outputs ([`crate::inputs`], the same `build`'s cache
//! compares). A change to existing pages, templates or content files reloads what changed
//! and re-renders exactly the outputs whose fingerprint changed (the pages showing a changed
//! title, linking a changed download, using a changed template; the sitemap and print-all
//! document only when what they show changed); anything else (files added or removed, the
//! theme's strings and static files, configuration) rebuilds all in memory. Either way only
//! files whose bytes changed are written and files no longer produced are removed, so the
//! output always equals what a clean `build` writes. A failed rebuild writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::inputs::Fingerprints;
use crate::output::{Lock, Writer};
use crate::pipeline::{
    BuildError, absolute, catching, check_output_location, prepare, render_pages, render_site,
};
use crate::sitewide;
use formwerk_base::diagnostics::{Diagnostics, hash_text};
use formwerk_config::{CONFIG_FILE, CONTENT_DIR, SOURCE_DIRS, TEMPLATES_DIR};
use formwerk_content::{Reload, Site, is_editor_temp_file, is_vim_probe};
use formwerk_render::{SiteWide, Theme};

/// The last good build.
struct State {
    site: Site,
    theme: Theme,
    shared: SiteWide,
    /// The fingerprints of the outputs as written.
    prints: Fingerprints,
    /// Source file (as the watcher names it) → page index.
    pages: BTreeMap<PathBuf, usize>,
    /// Content file copied unchanged → its output path.
    assets: BTreeMap<PathBuf, String>,
}

pub struct Builder {
    root: PathBuf,
    output: PathBuf,
    state: Option<State>,
    /// The last rebuild failed: the next one starts from scratch and reports every error.
    failed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything was loaded and rendered again.
    Full,
    /// Only the changed pages and the pages showing them were rendered.
    Pages,
}

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Report {
    pub scope: Scope,
    /// Pages rendered (with a form's offline copy and schema counted once).
    pub rendered: usize,
    /// Output files whose bytes changed, and files removed.
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub took: Duration,
    /// Only style sheets of the site's sources changed (their output names change with them,
    /// and with them the pages that link them).
    pub styles_only: bool,
}

impl Report {
    /// True when nothing but style sheets changed, so a browser can restyle without
    /// reloading (taking the sheets' new hashed names from the rebuilt page).
    pub fn css_only(&self) -> bool {
        self.styles_only && self.written.iter().any(|p| p.ends_with(".css"))
    }
}

impl Builder {
    pub fn new(root: &Path, output: &Path) -> Result<Builder, BuildError> {
        check_output_location(root, output).map_err(BuildError::Content)?;
        // Watchers report absolute paths; compare like with like.
        Ok(Builder {
            root: absolute(root),
            output: absolute(output),
            state: None,
            failed: false,
        })
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Builds everything. The first build replaces the output folder as `build` does; later
    /// ones write only what changed.
    pub fn full(&mut self) -> Result<Report, BuildError> {
        let started = Instant::now();
        let result = catching(|| self.full_inner(started));
        self.failed = result.is_err();
        result
    }

    fn full_inner(&mut self, started: Instant) -> Result<Report, BuildError> {
        let (mut site, theme, errors) = prepare(&self.root).map_err(BuildError::Content)?;
        let lock = self.lock()?;
        let writer = Writer::begin(&self.output, &lock)?;
        match render_site(&mut site, &theme, &writer, errors, None) {
            Ok(summary) => {
                let changes = writer.commit(true)?;
                self.state = Some(self.index(site, theme));
                Ok(Report {
                    scope: Scope::Full,
                    rendered: summary.pages,
                    written: changes.written,
                    removed: changes.removed,
                    took: started.elapsed(),
                    styles_only: false,
                })
            }
            Err(e) => {
                writer.abort();
                Err(BuildError::Content(e))
            }
        }
    }

    /// One rebuild at a time writes the output, whether from here or from a `build`; a
    /// rebuild waits for an editor's `build` to finish.
    fn lock(&self) -> Result<Lock, BuildError> {
        Ok(Lock::wait_for(&self.root, &self.output)?)
    }

    fn index(&self, site: Site, theme: Theme) -> State {
        let pages = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (self.root.join(&p.source), i))
            .collect();
        let assets = site
            .assets
            .iter()
            .map(|a| (a.path.clone(), a.output.clone()))
            .collect();
        let shared = SiteWide::new(&site);
        let prints = fingerprints(&site, &theme, &shared);
        State {
            shared,
            prints,
            site,
            theme,
            pages,
            assets,
        }
    }

    /// Rebuilds after the given paths changed (as a file watcher reports them). Returns
    /// `Ok(None)` when none of them matters to the output.
    pub fn changed(&mut self, paths: &[PathBuf]) -> Result<Option<Report>, BuildError> {
        let started = Instant::now();
        let plan = match (&self.state, self.failed) {
            (Some(state), false) => self.plan(state, paths),
            _ if paths.iter().any(|p| self.relevant(p)) => Plan::Full,
            _ => Plan::Nothing,
        };
        // A bug met while rebuilding fails this rebuild; the next one starts from scratch.
        let result = catching(|| match plan {
            Plan::Nothing => Ok(None),
            Plan::Full => self.full_inner(started).map(Some),
            Plan::Pages {
                pages,
                assets,
                templates,
            } => self.pages(pages, assets, templates, started).map(Some),
        });
        if matches!(result, Ok(None)) {
            return Ok(None);
        }
        self.failed = result.is_err();
        let styles_only = paths
            .iter()
            .filter(|p| self.relevant(p))
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        result.map(|report| {
            report.map(|report| Report {
                styles_only,
                ..report
            })
        })
    }

    /// Whether a changed path can affect the output at all.
    pub fn relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        if rel
            .components()
            .any(|c| is_editor_temp_file(&c.as_os_str().to_string_lossy()))
        {
            return false;
        }
        // vim's probe file; a folder of that name (a year) is content, and so is one that
        // is gone (it may have been a folder).
        if rel
            .file_name()
            .is_some_and(|n| is_vim_probe(&n.to_string_lossy()))
            && path.is_file()
        {
            return false;
        }
        rel == Path::new(CONFIG_FILE) || SOURCE_DIRS.iter().any(|dir| rel.starts_with(dir))
    }

    fn plan(&self, state: &State, paths: &[PathBuf]) -> Plan {
        let mut pages = BTreeSet::new();
        let mut assets = BTreeSet::new();
        let mut templates = false;
        let content = self.root.join(CONTENT_DIR);
        let template_dirs = [
            self.root.join(TEMPLATES_DIR),
            state.site.config.theme_dir().join(TEMPLATES_DIR),
        ];
        for path in paths.iter().filter(|p| self.relevant(p)) {
            if template_dirs.iter().any(|d| path.starts_with(d)) {
                templates = true;
                continue;
            }
            if !path.starts_with(&content) {
                return Plan::Full;
            }
            let exists = path.is_file();
            if let Some(&i) = state.pages.get(path) {
                if !exists {
                    return Plan::Full;
                }
                // Editors often save without changing anything.
                let unchanged = std::fs::read_to_string(path)
                    .is_ok_and(|t| hash_text(&t) == state.site.pages[i].hash);
                if !unchanged {
                    pages.insert(i);
                }
            } else if let Some(output) = state.assets.get(path) {
                if !exists {
                    return Plan::Full;
                }
                assets.insert((path.clone(), output.clone()));
            } else if path.exists() {
                // A new file or folder.
                return Plan::Full;
            } else if state
                .pages
                .keys()
                .chain(state.assets.keys())
                .any(|p| p.starts_with(path))
            {
                // A folder that held content was removed or renamed (reported once, as a folder).
                return Plan::Full;
            }
            // Otherwise a file that came and went between two looks (an editor's temp file).
        }
        if pages.is_empty() && assets.is_empty() && !templates {
            Plan::Nothing
        } else {
            Plan::Pages {
                pages,
                assets,
                templates,
            }
        }
    }

    /// Rebuilds after changes to the pages `changed`, the content files `assets` (source,
    /// output path) and, with `templates`, the templates: reloads what changed and renders
    /// the outputs whose fingerprints changed. A full build without a previous one, or when
    /// a page's change touches the site's structure.
    fn pages(
        &mut self,
        changed: BTreeSet<usize>,
        assets: BTreeSet<(PathBuf, String)>,
        templates: bool,
        started: Instant,
    ) -> Result<Report, BuildError> {
        let Some(state) = self.state.as_mut() else {
            return self.full_inner(started);
        };
        if let Reload::Structural = reload(state, &changed, &assets, templates)? {
            return self.full_inner(started);
        }
        state.shared = SiteWide::new(&state.site);
        let reloaded: Vec<usize> = changed.iter().copied().collect();
        let prints = prints_after_reload(state, &reloaded, templates || !assets.is_empty());
        let mut render: BTreeSet<usize> = prints.changed_since(&state.prints).into_iter().collect();
        render.extend(&changed);
        let indices: Vec<usize> = render.into_iter().collect();
        let linked_before: Vec<Vec<String>> = indices
            .iter()
            .map(|&i| state.site.learned[i].linked_files.clone())
            .collect();
        let lock = self.lock()?;
        let writer = Writer::begin_partial(&self.output, &lock)?;
        let Some(state) = self.state.as_mut() else {
            return Err(BuildError::Internal("no previous build to update".into()));
        };
        let errors = write_pages(state, &writer, &indices, &assets, &prints);
        if !errors.is_empty() {
            writer.abort();
            return Err(BuildError::Content(errors));
        }
        let changes = writer.commit(false)?;
        state.prints = after_relinking(state, prints, &indices, &linked_before);
        Ok(Report {
            scope: Scope::Pages,
            rendered: indices.len(),
            written: changes.written,
            removed: Vec::new(),
            took: started.elapsed(),
            styles_only: false,
        })
    }
}

/// Reloads into `state` what changed: with `templates` the theme, then the pages `changed`
/// one by one (stopping at the first whose change touches the site's structure, which
/// `Reload::Structural` reports), then the content files `assets`.
fn reload(
    state: &mut State,
    changed: &BTreeSet<usize>,
    assets: &BTreeSet<(PathBuf, String)>,
    templates: bool,
) -> Result<Reload, BuildError> {
    if templates {
        state.theme = Theme::load(&state.site.config).map_err(BuildError::Content)?;
    }
    for &i in changed {
        match state.site.reload_page(i).map_err(BuildError::Content)? {
            Reload::Structural => return Ok(Reload::Structural),
            Reload::Updated => {}
        }
    }
    for (path, _) in assets {
        state.site.refresh_asset(path);
    }
    Ok(Reload::Updated)
}

/// The fingerprints after a reload: with `all`, computed again for every output (templates
/// or content files changed); else only the pages `reloaded` need computing again (and,
/// when one is shown differently elsewhere, all).
fn prints_after_reload(state: &State, reloaded: &[usize], all: bool) -> Fingerprints {
    match all {
        true => fingerprints(&state.site, &state.theme, &state.shared),
        false => {
            let site = &state.site;
            let linked = |i: usize| site.learned[i].linked_files.as_slice();
            let shared = &state.shared;
            state
                .prints
                .after_edits(site, &state.theme, shared, reloaded, linked)
        }
    }
}

/// Renders the pages `indices` and writes through `writer` their files, the content files
/// `assets` (source, output path), the search index's shards that hold the pages, and the
/// site-wide files whose fingerprints differ between `state.prints` (as written) and
/// `prints`.
fn write_pages(
    state: &mut State,
    writer: &Writer,
    indices: &[usize],
    assets: &BTreeSet<(PathBuf, String)>,
    prints: &Fingerprints,
) -> Diagnostics {
    let mut errors = render_pages(
        &mut state.site,
        &state.theme,
        &state.shared,
        indices,
        writer,
    );
    // Rendered pages may have new words for the search: rewrite their shards.
    let shards = formwerk_text::search::shard_count(state.site.pages.len());
    let touched: BTreeSet<usize> = indices
        .iter()
        .map(|&i| formwerk_text::search::shard_of(&state.site.pages[i].output, shards))
        .collect();
    let written = &state.prints;
    let up_to_date = |_: &str, which| written.whole(which) == prints.whole(which);
    let wanted = sitewide::Wanted {
        up_to_date: &up_to_date,
        shards: Some(&touched),
        copies: assets
            .iter()
            .map(|(path, output)| (output.as_str(), sitewide::CopyOf::File(path.as_path())))
            .collect(),
    };
    errors.extend(sitewide::write(
        &state.site,
        &state.theme,
        &state.shared,
        wanted,
        writer,
    ));
    errors
}

/// `prints` once the pages `indices` are rendered: their links are known now, and when they
/// link other files than before (`linked_before`), their fingerprints change.
fn after_relinking(
    state: &State,
    prints: Fingerprints,
    indices: &[usize],
    linked_before: &[Vec<String>],
) -> Fingerprints {
    let relinked = indices
        .iter()
        .zip(linked_before)
        .any(|(&i, before)| state.site.learned[i].linked_files != *before);
    match relinked {
        true => {
            let site = &state.site;
            let linked = |i: usize| site.learned[i].linked_files.as_slice();
            prints.after_edits(site, &state.theme, &state.shared, indices, linked)
        }
        false => prints,
    }
}

/// The fingerprints of the site as it stands, with the links each page had when last rendered.
fn fingerprints(site: &Site, theme: &Theme, shared: &SiteWide) -> Fingerprints {
    Fingerprints::new(site, theme, shared, |i| &site.learned[i].linked_files)
}

enum Plan {
    Nothing,
    Full,
    Pages {
        pages: BTreeSet<usize>,
        assets: BTreeSet<(PathBuf, String)>,
        /// Templates changed: reload them and re-render the pages that use them.
        templates: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_folder_matters_vims_probe_file_does_not() {
        let tmp = tempfile::tempdir().unwrap();
        let root = absolute(tmp.path());
        std::fs::create_dir_all(root.join("content/2026")).unwrap();
        std::fs::write(root.join("content/4913"), "").unwrap();
        let builder = Builder::new(&root, &root.join("site")).unwrap();
        assert!(builder.relevant(&root.join("content/2026")));
        assert!(builder.relevant(&root.join("content/2026/bericht.md")));
        // Gone: it may have been a folder of pages; the plan finds out.
        assert!(builder.relevant(&root.join("content/2025")));
        assert!(!builder.relevant(&root.join("content/4913")));
    }
}
