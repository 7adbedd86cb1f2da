//! Content: the Markdown pages and form files under content/, loaded into one [`Site`] model.
//!
//! Conventions follow Zola and Hugo: `+++` TOML front matter, `_index.md` for a section's own
//! page, `index.md` for a page whose folder holds its files. Forms are `*.form.toml` files.
//! Every other file is copied to the output as it is (downloads, images).

mod discover;
mod frontmatter;
pub mod links;
pub mod markdown;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::form::Form;
use crate::parallel::par_map;

pub use discover::{FORM_SUFFIX, SourceFile, SourceKind, discover, is_editor_temp_file};
pub use markdown::Heading;

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
    pub text: Arc<str>,
    /// Output file, relative to the output folder, with `/` separators.
    pub output: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub template: String,
    pub template_span: Option<Range<usize>>,
    pub extra: toml::Table,
    /// Byte offset of the Markdown body in `text` (pages only).
    pub body_offset: usize,
    pub form: Option<Form>,
    /// Index of the section page this page belongs to (none for the start page).
    pub parent: Option<usize>,
    /// Pages of a section, ordered by weight, then title.
    pub children: Vec<usize>,
    /// Rendered Markdown body.
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every id in the page's content that a link may point to.
    pub anchors: Vec<String>,
}

/// A file under content/ copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    pub output: String,
}

/// Everything the renderer needs: checked configuration, pages in a stable order, assets.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Index of the start page (`content/_index.md`).
    pub root: usize,
    /// Links between pages that name a `#fragment`, checked again when their target changes.
    pub anchor_checks: Vec<markdown::AnchorCheck>,
    resolver: Option<links::Resolver>,
}

/// What reloading one page from disk found.
pub enum Reload {
    /// The page was re-rendered in place; `shown_elsewhere` if its title, description or
    /// weight changed, which its section, the pages below it and the navigation show.
    Updated { shown_elsewhere: bool },
    /// The change touches the site's structure (a draft now, a different kind): rebuild all.
    Structural,
}

impl Site {
    /// Loads and checks all content. Every problem found is reported, not only the first.
    pub fn load(config: Config) -> Result<Site, Diagnostics> {
        let mut errors = Diagnostics::default();
        let content_dir = config.content_dir();
        let files = match discover(&config.root, &content_dir) {
            Ok(files) => files,
            Err(d) => {
                errors.extend(d);
                return Err(errors);
            }
        };

        let mut pages = Vec::new();
        let mut assets = Vec::new();
        let mut drafts = Vec::new();
        let mut failed = Vec::new();
        let loaded = par_map(&files, |file| load_source(&config, file));
        for (file, result) in files.iter().zip(loaded) {
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
        let root = pages
            .iter()
            .position(|p| p.kind == PageKind::Section && p.content_path == Path::new("_index.md"));
        let Some(root) = root else {
            if errors.is_empty() {
                errors.push(
                    Diagnostic::file("content/_index.md", "the start page is missing")
                        .with_help("create content/_index.md with +++ front matter and a title"),
                );
            }
            return Err(errors);
        };
        link_sections(&mut pages);

        let mut site = Site {
            config,
            pages,
            assets,
            root,
            anchor_checks: Vec::new(),
            resolver: None,
        };
        errors.extend(site.render_bodies(&drafts, &failed));
        if errors.is_empty() {
            Ok(site)
        } else {
            Err(errors)
        }
    }

    /// Renders every page's Markdown (and every form's text) and checks its links.
    fn render_bodies(&mut self, drafts: &[PathBuf], failed: &[(PathBuf, String)]) -> Diagnostics {
        let resolver = links::Resolver::new(self, drafts, failed);
        let rendered = par_map(&self.pages, |page| {
            markdown::render_page(&self.config, page, &resolver)
        });
        let mut errors = Diagnostics::default();
        let mut checks = Vec::new();
        for (page, result) in self.pages.iter_mut().zip(rendered) {
            errors.0.extend(apply_render(page, result, &mut checks));
        }
        errors
            .0
            .extend(checks.iter().filter_map(|c| self.check_anchor(c, None)));
        self.anchor_checks = checks;
        self.resolver = Some(resolver);
        errors
    }

    /// The error for a link whose `#fragment` is not on its target page. `replacement` stands
    /// in for a page that is being reloaded.
    fn check_anchor(
        &self,
        check: &markdown::AnchorCheck,
        replacement: Option<(usize, &Page)>,
    ) -> Option<Diagnostic> {
        let target = match replacement {
            Some((i, page)) if i == check.target => page,
            _ => &self.pages[check.target],
        };
        if target.anchors.iter().any(|a| a == &check.fragment) {
            return None;
        }
        let d = Diagnostic::at(
            &check.file,
            &check.source,
            check.range.clone(),
            format!(
                "the link points to `#{}`, which is not an id on {}",
                check.fragment,
                target.source.display()
            ),
        );
        let names = target.anchors.iter().map(String::as_str);
        Some(match crate::diagnostics::closest(&check.fragment, names) {
            Some(best) => d.with_help(format!("did you mean `#{best}`?")),
            None => d.with_help(
                "link to a heading's id; headings get ids like \"Übersicht\" → #uebersicht",
            ),
        })
    }

    /// Reads page `index` from disk again and renders it; on success it replaces the old page.
    /// Links from other pages to its anchors are checked again. On error nothing changes.
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
        let mut page = match load_source(&self.config, &file)? {
            Loaded::Page(page) => *page,
            Loaded::Draft | Loaded::Asset(_) => return Ok(Reload::Structural),
        };
        if page.kind != old.kind {
            return Ok(Reload::Structural);
        }
        let resolver = self
            .resolver
            .as_ref()
            .expect("a loaded site has a resolver");
        let result = markdown::render_page(&self.config, &page, resolver);
        let mut own_checks = Vec::new();
        let mut errors = Diagnostics(apply_render(&mut page, result, &mut own_checks));
        let others = self.anchor_checks.iter().filter(|c| c.file != page.source);
        for check in own_checks.iter().chain(others) {
            errors
                .0
                .extend(self.check_anchor(check, Some((index, &page))));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let old = &self.pages[index];
        let shown_elsewhere = (&old.title, &old.description, old.weight)
            != (&page.title, &page.description, page.weight);
        page.parent = old.parent;
        page.children = old.children.clone();
        let source = page.source.clone();
        self.anchor_checks.retain(|c| c.file != source);
        self.anchor_checks.extend(own_checks);
        self.pages[index] = page;
        if shown_elsewhere && let Some(parent) = self.pages[index].parent {
            sort_children(&mut self.pages, parent);
        }
        Ok(Reload::Updated { shown_elsewhere })
    }

    /// The pages whose templates show page `index` by its title: its section (in the list of
    /// the section's pages) and every page below it (in their breadcrumbs).
    pub fn showing(&self, index: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.pages[index].parent.into_iter().collect();
        let mut stack = self.pages[index].children.clone();
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(&self.pages[i].children);
        }
        out
    }

    pub fn page_by_content_path(&self) -> BTreeMap<&Path, usize> {
        self.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.content_path.as_path(), i))
            .collect()
    }
}

/// Stores a page's rendered Markdown; returns its errors and collects its cross-page anchor
/// checks into `checks`.
fn apply_render(
    page: &mut Page,
    result: markdown::PageRender,
    checks: &mut Vec<markdown::AnchorCheck>,
) -> Vec<Diagnostic> {
    page.html = result.html;
    page.toc = result.toc;
    page.anchors = result.anchors;
    if let Some(form) = &mut page.form {
        form.apply_rendered(result.form_html);
    }
    checks.extend(result.anchor_checks);
    result.errors
}

enum Loaded {
    Page(Box<Page>),
    Draft,
    Asset(Asset),
}

fn load_source(config: &Config, file: &SourceFile) -> Result<Loaded, Diagnostics> {
    match file.kind {
        SourceKind::Asset => Ok(Loaded::Asset(Asset {
            path: file.path.clone(),
            output: file.output.clone(),
        })),
        SourceKind::Markdown { section } => {
            let page = frontmatter::load_markdown(config, file, section)?;
            Ok(page.map_or(Loaded::Draft, |p| Loaded::Page(Box::new(p))))
        }
        SourceKind::Form => {
            let page = crate::form::load_page(config, file)?;
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
                .with_help("rename or move one of them"),
            );
        }
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
