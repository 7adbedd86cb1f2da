//! Content: the Markdown pages and form files under content/, loaded into one [`Site`] model.
//!
//! Conventions follow Zola and Hugo: `+++` TOML front matter, `_index.md` for a section's own
//! page, `index.md` for a page whose folder holds its files. Forms are `*.form.toml` files.
//! Every other file is copied to the output as it is (downloads, images).

mod discover;
mod form_page;
mod frontmatter;
mod source;
pub use form_page::parse_form;
pub use frontmatter::file_schema as front_matter_schema;
pub use source::Pending;
pub use source::split_front_matter;
pub mod checks;
pub mod links;
mod markdown;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use formwerk_base::diagnostics::{Diagnostic, Diagnostics, read_text};
use formwerk_base::parallel::par_map_caught;
use formwerk_config::Config;
use formwerk_form::Form;

pub use discover::{
    FORM_SUFFIX, SourceFile, SourceKind, discover, is_editor_temp_file, is_skipped, is_vim_probe,
};
pub use markdown::{AnchorCheck, Heading, PageRender};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// `_index.md`: a section's own page, listing its pages.
    Section,
    /// Any other Markdown page.
    Page,
    /// A `*.form.toml` form.
    Form,
}

/// One output page, from a Markdown file or a form file.
#[derive(Debug)]
pub struct Page {
    pub kind: PageKind,
    /// Path shown in errors, relative to the site root (`content/…`).
    pub source: PathBuf,
    /// Path relative to content/, as editors write it in links.
    pub content_path: PathBuf,
    /// The file's text up to the Markdown body, i.e. its front matter (a form's whole file):
    /// errors about the page's settings point into it.
    pub head: Arc<str>,
    /// A Markdown page's whole file as it was loaded, held until the page is rendered, so
    /// that a build reads the file once (within [`source::HELD_TEXT_BUDGET`]). Rendering
    /// takes it; a page without it or [`Page::pending`] (rendered again in watch mode) is
    /// read again.
    pub text: Option<Arc<str>>,
    /// A Markdown page's file, open and read up to its body, when the page is rendered in
    /// this build whatever its hash: rendering reads the rest ([`source`]). Until then
    /// [`Page::hash`] is the hash of the front matter alone.
    pub pending: Option<source::Pending>,
    /// Hash of the whole file as it was loaded (of a [`Page::pending`] page: once rendered).
    pub hash: u64,
    /// Output file, relative to the output folder, with `/` separators.
    pub output: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub template: String,
    pub template_span: Option<Range<usize>>,
    pub extra: toml::Table,
    /// Byte offset of the Markdown body in the file (pages only).
    pub body_offset: usize,
    pub form: Option<Box<Form>>,
    /// Index of the section page this page belongs to (none for the start page).
    pub parent: Option<usize>,
    /// Pages of a section, ordered by weight, then title.
    pub children: Vec<usize>,
}

/// What rendering a page found out, kept in [`Site::learned`] beside the page (the page
/// itself is what its source says): the pages not rendered again keep theirs.
#[derive(Debug, Default, Clone)]
pub struct Learned {
    /// Every id in the page's content that a link may point to.
    pub anchors: Vec<String>,
    /// What the offline search knows of the page.
    pub search: formwerk_text::search::SearchDoc,
    /// Output paths of the content files it links (their sizes are shown beside the links).
    pub linked_files: Vec<String>,
}

/// A file under content/ copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    pub output: String,
    /// Its size in bytes when last looked at: shown beside links to it ("PDF, 1,2 MB").
    pub size: u64,
}

/// Everything the renderer needs: checked configuration, pages in a stable order, assets.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Index of the start page (`content/_index.md`).
    pub root: usize,
    /// Links between pages that name a `#fragment`, from the last rendering; checked again
    /// when their target changes.
    pub anchor_checks: Vec<markdown::AnchorCheck>,
    /// Per page, what its last rendering found out (empty until it is rendered).
    pub learned: Vec<Learned>,
    resolver: links::Resolver,
}

/// What reloading one page from disk found.
pub enum Reload {
    /// The page was checked and replaced in place (its section's order updated).
    Updated,
    /// The change touches the site's structure (a draft now, a different kind): rebuild all.
    Structural,
}

impl Site {
    /// Loads and checks all content's settings and structure. Every problem found is
    /// reported, not only the first. Markdown is rendered later, page by page
    /// ([`Site::render_body`]).
    /// Returns the site with the problems of single pages (which are left out of it), or the
    /// problems that leave no site at all.
    pub fn load(config: Config) -> Result<(Site, Diagnostics), Diagnostics> {
        Site::load_waiting(config, &|_| false)
    }

    /// [`Site::load`] for a build that renders the pages whose source (`content/…`)
    /// `rendered` names whatever their hash: those wait as open files read up to their body
    /// ([`Page::pending`]), not read twice.
    pub fn load_waiting(
        config: Config,
        rendered: &(dyn Fn(&Path) -> bool + Sync),
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut errors = Diagnostics::default();
        let content_dir = config.content_dir();
        let files =
            match formwerk_base::timing::phase("discover", || discover(&config.root, &content_dir))
            {
                Ok(files) => files,
                Err(d) => {
                    errors.extend(d);
                    return Err(errors);
                }
            };

        // A page is large (its form inline): growing by doubling would leave up to half of
        // the list unused for the whole build.
        let mut pages = Vec::with_capacity(files.len());
        let mut assets = Vec::new();
        let mut drafts = Vec::new();
        let mut failed = Vec::new();
        // A site small enough for the print-all document keeps every text for it anyway.
        let small = files.len() <= config.print_all_limit;
        let may_wait = |source: &Path| !small && rendered(source);
        let holding = source::Holding::new(&may_wait);
        let loaded = formwerk_base::timing::phase("load", || {
            par_map_caught(&files, |file| load_source(&config, file, &holding))
        });
        for (file, result) in files.iter().zip(loaded) {
            let result = result.unwrap_or_else(|panic| {
                Err(Diagnostics(vec![
                    formwerk_base::diagnostics::internal_error(&file.shown, &panic),
                ]))
            });
            match result {
                Ok(Loaded::Page(page)) => pages.push(*page),
                Ok(Loaded::Draft) => drafts.push(file.content_path.clone()),
                Ok(Loaded::Asset(asset)) => assets.push(asset),
                Err(d) => {
                    errors.extend(d);
                    failed.push((file.content_path.clone(), file.output.clone()));
                }
            }
        }

        check_output_collisions(&pages, &assets, &mut errors);
        check_form_ids(&pages, &mut errors);
        let root = pages
            .iter()
            .position(|p| p.kind == PageKind::Section && p.content_path == Path::new("_index.md"));
        let Some(root) = root else {
            if errors.is_empty() {
                errors.push(
                    Diagnostic::file("content/_index.md", "the start page is missing")
                        .with_code(formwerk_base::diagnostics::code::MISSING_START_PAGE)
                        .with_help("create content/_index.md with +++ front matter and a title"),
                );
            }
            return Err(errors);
        };
        link_sections(&mut pages);

        let mut site = Site {
            config,
            learned: vec![Learned::default(); pages.len()],
            pages,
            assets,
            root,
            anchor_checks: Vec::new(),
            resolver: links::Resolver::default(),
        };
        site.resolver = links::Resolver::new(&site, &drafts, &failed);
        Ok((site, errors))
    }

    /// Reads page `index` and renders its Markdown (a form's Markdown texts), checking links
    /// and same-page anchors; anchors on other pages are checked by [`Site::check_anchors`]
    /// once every page is rendered.
    pub fn render_body(&self, index: usize, strings: &toml::Table) -> markdown::PageRender {
        self.render_body_of(index, self.pages[index].text.clone(), strings)
    }

    /// [`Site::render_body`] with the page's file as loaded, if still held (`text`); without
    /// it, the file is read again.
    pub fn render_body_of(
        &self,
        index: usize,
        text: Option<Arc<str>>,
        strings: &toml::Table,
    ) -> markdown::PageRender {
        let page = &self.pages[index];
        if page.form.is_some() {
            return markdown::render_page(
                &self.config,
                page,
                &page.head,
                0,
                &self.resolver,
                strings,
            );
        }
        if let Some(text) = text {
            return markdown::render_page(
                &self.config,
                page,
                &text,
                page.body_offset,
                &self.resolver,
                strings,
            );
        }
        match read_text(&self.config.root.join(&page.source), &page.source) {
            Ok(text) => {
                // The file may have been edited since it was loaded: find its body again. Caught
                // halfway through being saved (no front matter yet), it has no body to show;
                // the watcher's next rebuild, or the next build, reads it whole.
                let body = split_front_matter(&text).map_or(text.len(), |(_, _, b)| b);
                markdown::render_page(&self.config, page, &text, body, &self.resolver, strings)
            }
            Err(d) => markdown::PageRender {
                errors: vec![d],
                ..Default::default()
            },
        }
    }

    /// Errors for links whose `#fragment` is not among their target page's anchors. Each
    /// target's anchors are put into a set once, however many links point at it.
    pub fn check_anchors<'a>(
        &'a self,
        checks: impl IntoIterator<Item = &'a markdown::AnchorCheck>,
    ) -> Vec<Diagnostic> {
        let mut sets: HashMap<usize, HashSet<&str>> = HashMap::new();
        let mut suggestions = formwerk_base::diagnostics::SUGGESTIONS;
        let mut errors = Vec::new();
        for check in checks {
            let anchors = sets.entry(check.target).or_insert_with(|| {
                let anchors = &self.learned[check.target].anchors;
                formwerk_base::work::add(anchors.len());
                anchors.iter().map(String::as_str).collect()
            });
            formwerk_base::work::add(1);
            if !anchors.contains(check.fragment.as_str()) {
                let suggest = suggestions > 0;
                suggestions = suggestions.saturating_sub(1);
                errors.push(self.broken_anchor(check, suggest));
            }
        }
        errors
    }

    fn broken_anchor(&self, check: &markdown::AnchorCheck, suggest: bool) -> Diagnostic {
        let target = &self.pages[check.target];
        let d = Diagnostic::at(
            &check.file,
            &check.source,
            check.range.clone(),
            format!(
                "the link points to `#{}`, which is not an id on {}",
                check.fragment,
                target.source.display()
            ),
        )
        .with_code(formwerk_base::diagnostics::code::BROKEN_ANCHOR);
        let names = self.learned[check.target]
            .anchors
            .iter()
            .map(String::as_str);
        let best = suggest
            .then(|| formwerk_base::diagnostics::closest(&check.fragment, names))
            .flatten();
        match best {
            Some(best) => d.with_help(format!("did you mean `#{best}`?")),
            None => d.with_help(
                "link to a heading's id; headings get ids like \"Übersicht\" → #uebersicht",
            ),
        }
    }

    /// Reads page `index` from disk again, checks it (its Markdown, its links, links from
    /// other pages to its anchors) and on success replaces the old page. On error nothing
    /// changes.
    pub fn reload_page(&mut self, index: usize) -> Result<Reload, Diagnostics> {
        let old = &self.pages[index];
        let file = SourceFile {
            kind: match old.kind {
                PageKind::Form => SourceKind::Form,
                kind => SourceKind::Markdown {
                    section: kind == PageKind::Section,
                },
            },
            path: self.config.root.join(&old.source),
            shown: old.source.clone(),
            content_path: old.content_path.clone(),
            output: old.output.clone(),
        };
        let mut page = match load_source(&self.config, &file, &source::Holding::new(&|_| false))? {
            Loaded::Page(page) => *page,
            Loaded::Draft | Loaded::Asset(_) => return Ok(Reload::Structural),
        };
        if page.kind != old.kind {
            return Ok(Reload::Structural);
        }
        page.parent = old.parent;
        page.children = old.children.clone();
        let previous = std::mem::replace(&mut self.pages[index], page);
        // Only checked here, not shown: theme strings do not matter.
        let body = self.render_body(index, &toml::Table::new());
        let own: Vec<markdown::AnchorCheck> = body.anchor_checks;
        let previous_anchors = std::mem::replace(&mut self.learned[index].anchors, body.anchors);
        let source = self.pages[index].source.clone();
        let mut errors = Diagnostics(body.errors);
        let others = self.anchor_checks.iter().filter(|c| c.file != source);
        errors
            .0
            .extend(self.check_anchors(own.iter().chain(others)));
        if !errors.is_empty() {
            self.pages[index] = previous;
            self.learned[index].anchors = previous_anchors;
            return Err(errors);
        }
        let page = &self.pages[index];
        let shown_elsewhere = (&previous.title, &previous.description, previous.weight)
            != (&page.title, &page.description, page.weight);
        self.anchor_checks.retain(|c| c.file != source);
        self.anchor_checks.extend(own);
        if shown_elsewhere && let Some(parent) = self.pages[index].parent {
            sort_children(&mut self.pages, parent);
        }
        Ok(Reload::Updated)
    }

    /// Looks at the size of the content file `path` again (after it changed).
    pub fn refresh_asset(&mut self, path: &Path) {
        let size = file_size(path);
        for asset in self.assets.iter_mut().filter(|a| a.path == path) {
            asset.size = size;
            self.resolver.set_size(&asset.output, size);
        }
    }

    pub fn page_by_content_path(&self) -> BTreeMap<&Path, usize> {
        self.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.content_path.as_path(), i))
            .collect()
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

enum Loaded {
    Page(Box<Page>),
    Draft,
    Asset(Asset),
}

fn load_source(
    config: &Config,
    file: &SourceFile,
    holding: &source::Holding,
) -> Result<Loaded, Diagnostics> {
    match file.kind {
        SourceKind::Asset => Ok(Loaded::Asset(Asset {
            path: file.path.clone(),
            output: file.output.clone(),
            size: file_size(&file.path),
        })),
        SourceKind::Markdown { section } => {
            let page = frontmatter::load_markdown(config, file, section, holding)?;
            Ok(page.map_or(Loaded::Draft, |p| Loaded::Page(Box::new(p))))
        }
        SourceKind::Form => {
            let page = form_page::load_form(config, file)?;
            Ok(page.map_or(Loaded::Draft, |p| Loaded::Page(Box::new(p))))
        }
    }
}

fn check_output_collisions(pages: &[Page], assets: &[Asset], errors: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    let outputs = pages
        .iter()
        .map(|p| (p.output.as_str(), p.source.as_path()))
        .chain(assets.iter().map(|a| (a.output.as_str(), a.path.as_path())));
    for (output, source) in outputs {
        if let Some(first) = seen.insert(output, source) {
            errors.push(
                Diagnostic::file(
                    source,
                    format!(
                        "this file and {} would both be written to {output}",
                        first.display()
                    ),
                )
                .with_code(formwerk_base::diagnostics::code::OUTPUT_CLASH)
                .with_help("rename or move one of them"),
            );
        }
    }
}

/// Two forms with one id would share their drafts in the browser (stored under the id) and
/// their answers files would pass for each other's.
fn check_form_ids(pages: &[Page], errors: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        let Some(form) = &page.form else { continue };
        let Some(first) = seen.get(form.id.as_str()) else {
            seen.insert(&form.id, page);
            continue;
        };
        let how = if form.id_span.is_empty() {
            " (taken from its file name)"
        } else {
            ""
        };
        errors.push(
            Diagnostic::at(
                &page.source,
                &page.head,
                form.id_span.clone(),
                format!(
                    "this form's id `{}`{how} is also the id of {}",
                    form.id,
                    first.source.display()
                ),
            )
            .with_code(formwerk_base::diagnostics::code::DUPLICATE_FORM_ID)
            .with_help("every form needs its own id: drafts and answers files are stored under it; write for example id = \"antrag_2\" at the top of this file"),
        );
    }
}

/// Gives every page its parent section (the nearest `_index.md` above it) and orders children.
fn link_sections(pages: &mut [Page]) {
    let sections: BTreeMap<PathBuf, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PageKind::Section)
        .map(|(i, p)| {
            (
                p.content_path
                    .parent()
                    .unwrap_or(Path::new(""))
                    .to_path_buf(),
                i,
            )
        })
        .collect();
    for page in pages.iter_mut() {
        let own_dir = page.content_path.parent().unwrap_or(Path::new(""));
        // A section's parent is found from the folder above its own; a page bundle's
        // (`dir/index.md`) likewise, since the folder is the page itself.
        let is_folder_page = page.kind == PageKind::Section
            || page.content_path.file_name() == Some("index.md".as_ref());
        let mut dir = if is_folder_page {
            own_dir.parent()
        } else {
            Some(own_dir)
        };
        while let Some(d) = dir {
            if let Some(&s) = sections.get(d) {
                page.parent = Some(s);
                break;
            }
            dir = d.parent();
        }
    }
    let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(parent) = p.parent {
            children.entry(parent).or_default().push(i);
        }
    }
    for (parent, list) in children {
        pages[parent].children = list;
        sort_children(pages, parent);
    }
}

/// Orders a section's pages by weight, then title (then output path, for equal titles).
fn sort_children(pages: &mut [Page], parent: usize) {
    let mut list = std::mem::take(&mut pages[parent].children);
    list.sort_by(|&a, &b| {
        (pages[a].weight, &pages[a].title, &pages[a].output).cmp(&(
            pages[b].weight,
            &pages[b].title,
            &pages[b].output,
        ))
    });
    pages[parent].children = list;
}
