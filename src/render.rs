//! Rendering with Tera 2: the theme's templates (overridable one by one from the site's own
//! templates/), the theme's strings, and one context per page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::content::links::root_prefix;
use crate::content::{Heading, Page, PageKind, Site, is_editor_temp_file};
use crate::diagnostics::{Diagnostic, Diagnostics, closest, from_toml_error, read_text};
use crate::form::Form;

/// Where a template came from, for error reports.
struct TemplateSource {
    shown: PathBuf,
    text: Arc<str>,
}

pub struct Theme {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    strings: toml::Table,
    /// Folders copied to the output root, theme first, so the site's files win.
    pub static_dirs: Vec<PathBuf>,
}

impl Theme {
    pub fn load(config: &Config) -> Result<Theme, Diagnostics> {
        let mut errors = Diagnostics::default();
        let theme_dir = config.theme_dir();
        if !theme_dir.is_dir() {
            let d = config
                .error_at(
                    config.theme_span.clone(),
                    format!("the theme `{}` is not installed", config.theme),
                )
                .with_help(format!(
                    "expected the folder themes/{}/ beside formwerk.toml",
                    config.theme
                ));
            return Err(Diagnostics(vec![d]));
        }
        let mut sources = BTreeMap::new();
        for dir in [theme_dir.join("templates"), config.site_templates_dir()] {
            collect_templates(&config.root, &dir, &mut sources, &mut errors);
        }
        let strings = match load_strings(config, &theme_dir) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                toml::Table::new()
            }
        };
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        let all = sources
            .iter()
            .map(|(name, s)| (name.as_str(), s.text.as_ref()));
        if let Err(e) = tera.add_raw_templates(all) {
            // Tera stops at the first broken template; check each alone to report them all.
            for (name, source) in &sources {
                if let Err(single) = Tera::new().add_raw_template(name, &source.text)
                    && matches!(single.kind(), ErrorKind::SyntaxError(_))
                {
                    errors.push(template_error(&sources, &single, None));
                }
            }
            if errors.is_empty() {
                errors.push(template_error(&sources, &e, None));
            }
        }
        let static_dirs = [theme_dir.join("static"), config.root.join("static")]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect();
        if errors.is_empty() {
            Ok(Theme {
                tera,
                sources,
                strings,
                static_dirs,
            })
        } else {
            Err(errors)
        }
    }

    /// Renders every page; all failures are collected.
    pub fn render_all(&self, site: &Site) -> Result<Vec<(String, String)>, Diagnostics> {
        let nav = SiteWide::new(site);
        let indices: Vec<usize> = (0..site.pages.len()).collect();
        let results = crate::parallel::par_map(&indices, |&i| self.render_page(site, &nav, i));
        let mut out = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::default();
        for (i, r) in results.into_iter().enumerate() {
            match r {
                Ok(html) => out.push((site.pages[i].output.clone(), html)),
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Renders one page: the unit a later incremental rebuild re-runs.
    pub fn render_page(
        &self,
        site: &Site,
        nav: &SiteWide,
        index: usize,
    ) -> Result<String, Diagnostic> {
        let page = &site.pages[index];
        if !self.sources.contains_key(&page.template) {
            return Err(self.missing_template(page));
        }
        let context = PageContext::new(site, nav, index, &self.strings);
        let context = Context::from_serialize(&context).map_err(|e| {
            Diagnostic::file(
                &page.source,
                format!("cannot prepare this page for its template: {e}"),
            )
        })?;
        self.tera
            .render(&page.template, &context)
            .map_err(|e| template_error(&self.sources, &e, Some(page)))
    }

    fn missing_template(&self, page: &Page) -> Diagnostic {
        let names = self.sources.keys().map(String::as_str);
        let help = match closest(&page.template, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "put a file {} into templates/ or themes/{{theme}}/templates/",
                page.template
            ),
        };
        let message = format!("the template `{}` does not exist", page.template);
        match &page.template_span {
            Some(span) => Diagnostic::at(&page.source, &page.text, span.clone(), message),
            None => Diagnostic::file(&page.source, message),
        }
        .with_help(help)
    }
}

fn collect_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, TemplateSource>,
    errors: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_temp_file(&e.file_name().to_string_lossy()));
    for entry in walker.flatten().filter(|e| e.file_type().is_file()) {
        let name = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match read_text(entry.path(), &shown) {
            Ok(text) => {
                sources.insert(name, TemplateSource { shown, text });
            }
            Err(d) => errors.push(d),
        }
    }
}

/// The theme's user-interface strings in the site's language, as `t` in templates.
fn load_strings(config: &Config, theme_dir: &Path) -> Result<toml::Table, Diagnostic> {
    let dir = theme_dir.join("i18n");
    let path = dir.join(format!("{}.toml", config.language));
    if !path.is_file() {
        let mut available: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .strip_suffix(".toml")
                    .map(String::from)
            })
            .collect();
        available.sort();
        return Err(config
            .error_at(
                config.language_span.clone(),
                format!(
                    "the theme `{}` has no strings for the language `{}`",
                    config.theme, config.language
                ),
            )
            .with_help(format!("available: {}", available.join(", "))));
    }
    let shown = path
        .strip_prefix(&config.root)
        .unwrap_or(&path)
        .to_path_buf();
    let text = read_text(&path, &shown)?;
    toml::from_str(&text).map_err(|e| from_toml_error(&shown, &text, 0, &e))
}

/// Turns a Tera error into a diagnostic pointing into the template file.
fn template_error(
    sources: &BTreeMap<String, TemplateSource>,
    err: &tera::Error,
    page: Option<&Page>,
) -> Diagnostic {
    let while_rendering = page.map(|p| format!("while rendering {}", p.source.display()));
    let d = match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            match sources.get(report.filename()) {
                Some(src) => Diagnostic::at(
                    &src.shown,
                    &src.text,
                    report.span().range.clone(),
                    report.message(),
                ),
                None => Diagnostic::file(report.filename(), report.message()),
            }
        }
        ErrorKind::MissingParent { current, parent } => {
            let shown = sources
                .get(current)
                .map_or_else(|| PathBuf::from(current), |s| s.shown.clone());
            let d = Diagnostic::file(shown, format!("extends `{parent}`, which does not exist"));
            match closest(parent, sources.keys().map(String::as_str)) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d,
            }
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::file(
            page.map_or_else(|| PathBuf::from("templates"), |p| p.source.clone()),
            format!("the template `{name}` does not exist"),
        ),
        _ => Diagnostic::file(
            page.map_or_else(|| PathBuf::from("templates"), |p| p.source.clone()),
            err.to_string(),
        ),
    };
    match while_rendering {
        Some(w) => d.with_help(w),
        None => d,
    }
}

/// Links from one page to another, relative to the page that shows them.
#[derive(Debug, Clone, Serialize)]
pub struct LinkContext {
    pub title: String,
    pub description: Option<String>,
    pub href: String,
    pub kind: PageKind,
    /// Marks the page being shown, or the section it lies in.
    pub current: bool,
}

/// The parts of every page's context that are the same for all pages, computed once.
pub struct SiteWide {
    /// The start page and its direct children, in order.
    top: Vec<usize>,
    variables: BTreeMap<String, VarValue>,
}

impl SiteWide {
    pub fn new(site: &Site) -> SiteWide {
        let mut top = vec![site.root];
        top.extend(&site.pages[site.root].children);
        let variables = site
            .config
            .variables
            .values
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    toml::Value::Integer(i) => VarValue::Integer(*i),
                    toml::Value::Float(f) => VarValue::Float(*f),
                    toml::Value::Boolean(b) => VarValue::Bool(*b),
                    toml::Value::String(s) => VarValue::Text(s.clone()),
                    other => VarValue::Text(other.to_string()),
                };
                (k.clone(), v)
            })
            .collect();
        SiteWide { top, variables }
    }
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
}

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    description: Option<&'a str>,
    kind: PageKind,
    content: &'a str,
    toc: &'a [Heading],
    /// This page's output path, from the output root.
    path: &'a str,
    extra: &'a toml::Table,
    children: Vec<LinkContext>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    site: SiteContext<'a>,
    variables: &'a BTreeMap<String, VarValue>,
    t: &'a toml::Table,
    /// Relative way back to the output root ("" or "../../"): prefix for theme assets.
    root: String,
    page: PageData<'a>,
    nav: Vec<LinkContext>,
    /// From the start page down to the page's parent section.
    breadcrumbs: Vec<LinkContext>,
    form: Option<&'a Form>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum VarValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

impl<'a> PageContext<'a> {
    fn new(site: &'a Site, nav: &'a SiteWide, index: usize, strings: &'a toml::Table) -> Self {
        let page = &site.pages[index];
        let root = root_prefix(&page.output);
        let mut ancestors = Vec::new();
        let mut cursor = page.parent;
        while let Some(p) = cursor {
            ancestors.push(p);
            cursor = site.pages[p].parent;
        }
        ancestors.reverse();
        let link = |i: usize| {
            let target = &site.pages[i];
            LinkContext {
                title: target.title.clone(),
                description: target.description.clone(),
                href: format!("{root}{}", crate::content::links::encode(&target.output)),
                kind: target.kind,
                current: i == index || (i != site.root && ancestors.contains(&i)),
            }
        };
        PageContext {
            site: SiteContext {
                title: &site.config.title,
                description: site.config.description.as_deref(),
                language: &site.config.language,
            },
            variables: &nav.variables,
            t: strings,
            page: PageData {
                title: &page.title,
                description: page.description.as_deref(),
                kind: page.kind,
                content: &page.html,
                toc: &page.toc,
                path: &page.output,
                extra: &page.extra,
                children: page.children.iter().map(|&c| link(c)).collect(),
            },
            nav: nav.top.iter().map(|&i| link(i)).collect(),
            breadcrumbs: ancestors.iter().map(|&i| link(i)).collect(),
            form: page.form.as_ref(),
            root,
        }
    }
}
