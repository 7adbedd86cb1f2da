//! Rebuilding after changes, for `watch` and `serve`. The builder keeps the last good site in
//! memory and the hash of every output file. A change to existing pages re-renders those
//! pages and only the pages whose context shows them (their section, the pages below a
//! section, every page when the top navigation changes); anything else (files added or
//! removed, templates, theme, configuration) rebuilds all in memory. Either way only files
//! whose bytes changed are written and files no longer produced are removed, so the output
//! always equals what a clean `build` writes. A failed rebuild writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::CONFIG_FILE;
use crate::content::{Reload, Site, is_editor_temp_file};
use crate::diagnostics::Diagnostics;
use crate::output::{OutputFile, write_site};
use crate::pipeline::{BuildError, absolute, check_output_location, output_files, prepare};
use crate::render::{SiteWide, Theme};

/// The last good build.
struct State {
    site: Site,
    theme: Theme,
    shared: SiteWide,
    /// Source file (as the watcher names it) → page index.
    pages: BTreeMap<PathBuf, usize>,
    /// Content file copied unchanged → its output path.
    assets: BTreeMap<PathBuf, String>,
}

pub struct Builder {
    root: PathBuf,
    output: PathBuf,
    state: Option<State>,
    /// Output path → hash of the bytes on disk.
    written: BTreeMap<String, u64>,
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
}

impl Report {
    /// True when nothing but style sheets changed (offline copies inline them), so a browser
    /// can restyle without reloading.
    pub fn css_only(&self) -> bool {
        !self.written.is_empty()
            && self.removed.is_empty()
            && self
                .written
                .iter()
                .all(|p| p.ends_with(".css") || p.ends_with("-offline.html"))
            && self.written.iter().any(|p| p.ends_with(".css"))
    }
}

fn hash(bytes: &[u8]) -> u64 {
    // SipHash with fixed keys: the same bytes hash the same in every run.
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn bytes_of(file: &OutputFile) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match file {
        OutputFile::Text(text) => text.as_bytes().into(),
        OutputFile::Copy(path) => std::fs::read(path)?.into(),
    })
}

impl Builder {
    pub fn new(root: &Path, output: &Path) -> Result<Builder, BuildError> {
        check_output_location(root, output).map_err(BuildError::Content)?;
        // Watchers report absolute paths; compare like with like.
        Ok(Builder {
            root: absolute(root),
            output: absolute(output),
            state: None,
            written: BTreeMap::new(),
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
        let result = self.full_inner(started);
        self.failed = result.is_err();
        result
    }

    fn full_inner(&mut self, started: Instant) -> Result<Report, BuildError> {
        let (site, theme) = prepare(&self.root).map_err(BuildError::Content)?;
        let rendered = theme.render_all(&site).map_err(BuildError::Content)?;
        let rendered_pages = site.pages.len();
        let files = output_files(&site, &theme, rendered).map_err(BuildError::Content)?;
        let (written, removed) = if self.state.is_none() {
            write_site(&self.output, &files).map_err(|e| self.write_error(e))?;
            self.written.clear();
            for (rel, file) in &files {
                let bytes = bytes_of(file).map_err(|e| self.write_error(e))?;
                self.written.insert(rel.clone(), hash(&bytes));
            }
            (files.iter().map(|(r, _)| r.clone()).collect(), Vec::new())
        } else {
            let written = self.sync(&files)?;
            let keep: BTreeSet<&str> = files.iter().map(|(r, _)| r.as_str()).collect();
            let stale: Vec<String> = self
                .written
                .keys()
                .filter(|k| !keep.contains(k.as_str()))
                .cloned()
                .collect();
            self.remove(&stale)?;
            (written, stale)
        };
        self.state = Some(self.index(site, theme));
        Ok(Report {
            scope: Scope::Full,
            rendered: rendered_pages,
            written,
            removed,
            took: started.elapsed(),
        })
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
        State {
            shared: SiteWide::new(&site),
            site,
            theme,
            pages,
            assets,
        }
    }

    fn write_error(&self, e: std::io::Error) -> BuildError {
        BuildError::Write(self.output.clone(), e)
    }

    /// Writes the files whose bytes differ from what is on disk, each by a rename, so that a
    /// reader never sees half a file. Returns the paths written.
    fn sync(&mut self, files: &[(String, OutputFile)]) -> Result<Vec<String>, BuildError> {
        let mut written = Vec::new();
        for (rel, file) in files {
            let bytes = bytes_of(file).map_err(|e| self.write_error(e))?;
            let h = hash(&bytes);
            let path = self.output.join(rel);
            if self.written.get(rel) == Some(&h) && path.is_file() {
                continue;
            }
            write_atomically(&path, &bytes).map_err(|e| self.write_error(e))?;
            self.written.insert(rel.clone(), h);
            written.push(rel.clone());
        }
        Ok(written)
    }

    fn remove(&mut self, stale: &[String]) -> Result<(), BuildError> {
        for rel in stale {
            let path = self.output.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(self.write_error(e)),
            }
            self.written.remove(rel);
            // Remove folders left empty, up to the output folder.
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == self.output || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(())
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
        let result = match plan {
            Plan::Nothing => return Ok(None),
            Plan::Full => self.full_inner(started),
            Plan::Pages { pages, assets } => self.pages(pages, assets, started),
        };
        self.failed = result.is_err();
        result.map(Some)
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
        rel == Path::new(CONFIG_FILE)
            || ["content", "templates", "themes", "static"]
                .iter()
                .any(|dir| rel.starts_with(dir))
    }

    fn plan(&self, state: &State, paths: &[PathBuf]) -> Plan {
        let mut pages = BTreeSet::new();
        let mut assets = BTreeSet::new();
        let content = self.root.join("content");
        for path in paths.iter().filter(|p| self.relevant(p)) {
            if !path.starts_with(&content) {
                return Plan::Full;
            }
            let exists = path.is_file();
            if let Some(&i) = state.pages.get(path) {
                if !exists {
                    return Plan::Full;
                }
                // Editors often save without changing anything.
                let unchanged =
                    std::fs::read(path).is_ok_and(|b| b == state.site.pages[i].text.as_bytes());
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
        if pages.is_empty() && assets.is_empty() {
            Plan::Nothing
        } else {
            Plan::Pages { pages, assets }
        }
    }

    fn pages(
        &mut self,
        changed: BTreeSet<usize>,
        assets: BTreeSet<(PathBuf, String)>,
        started: Instant,
    ) -> Result<Report, BuildError> {
        let state = self.state.as_mut().expect("planned from a good state");
        let mut render = BTreeSet::new();
        let mut navigation_changed = false;
        for &i in &changed {
            match state.site.reload_page(i).map_err(BuildError::Content)? {
                Reload::Structural => return self.full_inner(started),
                Reload::Updated { shown_elsewhere } => {
                    render.insert(i);
                    if shown_elsewhere {
                        navigation_changed |= state.shared.in_navigation(i);
                        render.extend(state.site.showing(i));
                    }
                }
            }
        }
        if navigation_changed {
            state.shared = SiteWide::new(&state.site);
            render.extend(0..state.site.pages.len());
        }
        let indices: Vec<usize> = render.into_iter().collect();
        let (site, theme, shared) = (&state.site, &state.theme, &state.shared);
        let results = crate::parallel::par_map(&indices, |&i| theme.render_page(site, shared, i));
        let mut files = Vec::new();
        let mut errors = Diagnostics::default();
        for r in results {
            match r {
                Ok(outputs) => files.extend(
                    outputs
                        .into_iter()
                        .map(|(p, text)| (p, OutputFile::Text(text))),
                ),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(BuildError::Content(errors));
        }
        files.extend(
            assets
                .into_iter()
                .map(|(path, output)| (output, OutputFile::Copy(path))),
        );
        let written = self.sync(&files)?;
        Ok(Report {
            scope: Scope::Pages,
            rendered: indices.len(),
            written,
            removed: Vec::new(),
            took: started.elapsed(),
        })
    }
}

enum Plan {
    Nothing,
    Full,
    Pages {
        pages: BTreeSet<usize>,
        assets: BTreeSet<(PathBuf, String)>,
    },
}

/// Writes a file through a temporary neighbour and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.formwerk-tmp"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
}
