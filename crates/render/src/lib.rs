//! Rendering with Tera 2: the theme's templates (the built-in ones, [`builtin`], overridable
//! one by one by the site's theme and the site's own templates/), the theme's strings, and one
//! context per page. A form page also yields its
//! self-contained offline copy and the JSON Schema of its answers file. With a `base_url` the
//! site also gets what search engines read ([`crawlers`]).

mod assets;
pub mod builtin;
mod context;
pub mod crawlers;
pub mod csp;
mod form_page;
mod load;
mod print_all;
mod templates;
pub mod theme_notes;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, Tera};

pub use crate::assets::Source;
use crate::assets::StaticFiles;
use context::PageContext;
pub use context::{LinkContext, SITEMAP, SiteWide};
pub use form_page::FormFiles;
use form_page::{FORM_PRINT_CSS, INBOX_TEMPLATE, form_text};
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, closest};
use formwerk_config::{Config, TEMPLATES_DIR};
use formwerk_content::{AnchorCheck, Learned, Page, Site};
use formwerk_text::search::{self, Indexer, SearchDoc};
use load::{
    FontFiles, builtin_fonts, compile_templates, inline_assets, static_files, theme_not_installed,
};
pub use print_all::{PRINT_ALL, PRINT_ALL_TEMPLATE};
use templates::{collect_templates, load_strings, template_error};

/// Where a template came from, for error reports.
struct TemplateSource {
    shown: PathBuf,
    text: Arc<str>,
}

/// Theme files inlined into a form's offline copy and the inbox's worker (as
/// `form_page.inline.<name with _>`).
const OFFLINE_ASSETS: [&str; 8] = [
    "formwerk.css",
    "answers-file.js",
    "form-rules.js",
    "draft-merge.js",
    "formwerk.js",
    "seal.js",
    "sealed-submission.js",
    "noscript.css",
];

/// Scripts inlined only into the inbox's worker (an inert `<script type="text/plain">`).
/// A `</` in them is written `<\/` (the same in a JavaScript string, regular expression or
/// comment), so that a site's older copy of one still builds.
const WORKER_ASSETS: [&str; 3] = ["pdf-file.js", "pdf-answers.js", "inbox-worker.js"];

/// The site's icon, declared on every page; the offline copy carries it as a `data:` URI.
const FAVICON: &str = "favicon.svg";

pub struct Theme {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    strings: toml::Table,
    /// `strings` as a template value, `t` in every page's context.
    strings_value: tera::Value,
    /// The static files' output names as a template value, `assets` in every page's context.
    assets_value: tera::Value,
    /// The theme's and the site's static files (the site's win), with their output names.
    pub statics: StaticFiles,
    /// The [`OFFLINE_ASSETS`] and [`WORKER_ASSETS`] as text, and the icon as a `data:` URI, for offline copies.
    inline: BTreeMap<String, String>,
    /// The fonts for forms' PDFs: the built-in ones, or the site theme's `fonts/` folder.
    fonts: FontFiles,
    /// Its fonts, subset when the first PDF needs them.
    pdf_fonts: std::sync::OnceLock<Result<Arc<formwerk_pdf::Fonts>, String>>,
    /// Size and time of the font files (part of the fingerprint: PDFs depend on them).
    fonts_hash: u64,
    /// Per template, a hash of it and the templates it uses (`templates::chain_hashes`).
    chains: BTreeMap<String, u64>,
}

impl Theme {
    /// Loads the site's theme: its templates (the site's own override them one by one), its
    /// strings in the site's language, its static files and what offline copies inline. All
    /// problems are reported together.
    pub fn load(config: &Config) -> Result<Theme, Diagnostics> {
        let mut errors = Diagnostics::default();
        let theme_dir = config.theme_dir();
        if !theme_dir.is_dir() && config.theme != builtin::NAME {
            return Err(Diagnostics(vec![theme_not_installed(config)]));
        }
        let mut sources = templates::builtin_templates();
        for dir in [theme_dir.join(TEMPLATES_DIR), config.site_templates_dir()] {
            collect_templates(&config.root, &dir, &mut sources, &mut errors);
        }
        let strings = match load_strings(config, &theme_dir) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                toml::Table::new()
            }
        };
        let tera = compile_templates(&sources, &mut errors);
        let statics = static_files(config, &theme_dir, &mut errors);
        let inline = inline_assets(config, &statics, &mut errors);
        let fonts = FontFiles::of(&theme_dir);
        let fonts_hash = match &fonts {
            FontFiles::BuiltIn => 0,
            FontFiles::Dir(dir) => formwerk_pdf::fonts_stamp(dir),
        };
        if errors.is_empty() {
            Ok(Theme {
                tera,
                strings_value: tera::Value::from_serializable(&strings),
                assets_value: tera::Value::from_serializable(&statics.names),
                strings,
                statics,
                inline,
                fonts,
                pdf_fonts: std::sync::OnceLock::new(),
                fonts_hash,
                chains: templates::chain_hashes(&sources),
                sources,
            })
        } else {
            Err(errors)
        }
    }

    /// The theme's user-interface strings in the site's language.
    pub fn strings(&self) -> &toml::Table {
        &self.strings
    }

    /// A hash of what every output depends on alike: the theme's strings, the inlined CSS
    /// and script, the fonts, the assets' hashed names.
    pub fn shared_fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        self.strings.to_string().hash(&mut h);
        self.inline.hash(&mut h);
        self.fonts_hash.hash(&mut h);
        self.statics.names.hash(&mut h);
        h.finish()
    }

    /// A hash of the templates `page` renders with: its own (with what that extends and
    /// includes) and, for a form, its print style sheet's and its inbox page's.
    pub fn templates_fingerprint(&self, page: &Page) -> u64 {
        let chain = |name: &str| self.chains.get(name).copied().unwrap_or_default();
        let own = chain(&page.template);
        match page.form {
            Some(_) => {
                use std::hash::{Hash, Hasher};
                let mut h = std::hash::DefaultHasher::new();
                (own, chain(FORM_PRINT_CSS), chain(INBOX_TEMPLATE)).hash(&mut h);
                h.finish()
            }
            None => own,
        }
    }

    /// A hash of the template `name` and those it uses (see [`Theme::templates_fingerprint`]).
    pub fn template_fingerprint(&self, name: &str) -> u64 {
        self.chains.get(name).copied().unwrap_or_default()
    }

    /// Renders the sitemap (`sitemap.html`): every page of the site, as a tree, on one page.
    pub fn render_sitemap(
        &self,
        site: &Site,
        shared: &SiteWide,
    ) -> Result<(String, String), Diagnostic> {
        let name = context::SITEMAP;
        if !self.sources.contains_key(name) {
            return Err(Diagnostic::file(
                "templates",
                "the template `sitemap.html` does not exist",
            )
            .with_code(formwerk_base::diagnostics::code::MISSING_TEMPLATE)
            .with_help("the theme must have templates/sitemap.html"));
        }
        let title = self
            .strings
            .get("sitemap")
            .and_then(|v| v.as_str())
            .unwrap_or("Sitemap");
        let context =
            context::SitemapContext::new(site, shared, &self.strings, title, &self.statics.names);
        let context = Context::from_serialize(&context).map_err(|e| {
            Diagnostic::file(
                "templates/sitemap.html",
                format!("cannot prepare the sitemap: {e}"),
            )
            .with_code(formwerk_base::diagnostics::code::TEMPLATE_ERROR)
        })?;
        let html = self.render_html(name, &context, None)?;
        Ok((context::SITEMAP.to_string(), html))
    }

    /// The offline search's index: the shards `only` (all when `None`), as (path, script),
    /// each made when the caller takes it, so that only one shard's text is held at a time.
    pub fn search_index<'s>(
        &self,
        site: &'s Site,
        only: Option<&'s BTreeSet<usize>>,
    ) -> impl Iterator<Item = (String, String)> + 's {
        let shards = search::shard_count(site.pages.len());
        let mut docs: Vec<Vec<(&str, &str, &SearchDoc)>> = vec![Vec::new(); shards];
        for (p, learned) in site.pages.iter().zip(&site.learned) {
            docs[search::shard_of(&p.output, shards)].push((
                p.title.as_str(),
                p.output.as_str(),
                &learned.search,
            ));
        }
        docs.into_iter()
            .enumerate()
            .filter(move |(n, _)| only.is_none_or(|o| o.contains(n)))
            .map(|(n, d)| {
                let script = search::index_script(&d);
                match n {
                    // The first shard also hands search.js the folding and stemming rules.
                    0 => (search::shard_file(n), folding_script() + &script),
                    _ => (search::shard_file(n), script),
                }
            })
    }

    /// Renders one page: its Markdown, then its template; for a form also its offline copy
    /// and answers schema. The unit that builds run in parallel and rebuilds re-run. `text`
    /// is the page's file as loaded, if the caller holds it (else it is read again). Each
    /// output file goes to `put` (path, bytes) as soon as it is rendered.
    pub fn render_page(
        &self,
        site: &Site,
        shared: &SiteWide,
        index: usize,
        text: Option<Arc<str>>,
        put: &Put,
    ) -> Result<PageOutput, Diagnostics> {
        let page = &site.pages[index];
        if !self.sources.contains_key(&page.template) {
            return Err(Diagnostics(vec![self.missing_template(page)]));
        }
        let body = site.render_body_of(index, text, &self.strings);
        if !body.errors.is_empty() {
            return Err(Diagnostics(body.errors));
        }
        let form = page.form.clone().map(|mut f| {
            f.apply_rendered(body.form_html);
            f
        });
        let mut context =
            PageContext::new(site, shared, index, &body.html, &body.toc, form.as_deref());
        let one = |d: Diagnostic| Diagnostics(vec![d]);
        match &form {
            None => {
                let html = self.render(page, &context).map_err(one)?;
                put(&page.output, html.as_bytes()).map_err(one)?;
            }
            Some(form) => self.render_form_page(site, page, form, &mut context, put)?,
        }
        let search = Indexer::with(|index| {
            index.html(&body.html);
            if let Some(form) = &form {
                form_text(form, index);
            }
            index.finish(&page.title)
        });
        Ok(PageOutput {
            learned: Learned {
                anchors: body.anchors,
                search,
                linked_files: body.linked_files,
            },
            checks: body.anchor_checks,
        })
    }

    /// The theme's PDF fonts, read and subset once per build (an error names what failed).
    pub fn pdf_fonts(&self) -> Result<&Arc<formwerk_pdf::Fonts>, &str> {
        self.pdf_fonts
            .get_or_init(|| {
                formwerk_base::timing::phase("pdf fonts", || {
                    match &self.fonts {
                        FontFiles::BuiltIn => builtin_fonts(),
                        FontFiles::Dir(dir) => formwerk_pdf::Fonts::shared(dir),
                    }
                    .map_err(|e| format!("{e:#}"))
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }

    fn render_context(
        &self,
        page: &Page,
        page_context: &PageContext,
    ) -> Result<Context, Diagnostic> {
        let mut context = Context::from_serialize(page_context).map_err(|e| {
            Diagnostic::file(
                &page.source,
                format!("cannot prepare this page for its template: {e}"),
            )
            .with_code(formwerk_base::diagnostics::code::TEMPLATE_ERROR)
        })?;
        // The same for every page: converted once, shared by reference count.
        context.insert_value("t", self.strings_value.clone());
        context.insert_value("assets", self.assets_value.clone());
        for (key, value) in page_context.shared.values() {
            context.insert_value(*key, value.clone());
        }
        Ok(context)
    }

    fn render(&self, page: &Page, context: &PageContext) -> Result<String, Diagnostic> {
        let context = self.render_context(page, context)?;
        self.render_html(&page.template, &context, Some(page))
    }

    /// Renders an HTML document and writes its Content Security Policy into it. A link to a
    /// style sheet or script by its unhashed name (which the output does not have) is an
    /// error.
    fn render_html(
        &self,
        template: &str,
        context: &Context,
        page: Option<&Page>,
    ) -> Result<String, Diagnostic> {
        let html = self
            .tera
            .render(template, context)
            .map_err(|e| template_error(&self.sources, &e, page))?;
        if let Some((name, output)) = self.statics.unhashed_reference(&html) {
            let shown = self
                .sources
                .get(template)
                .map_or_else(|| PathBuf::from(template), |s| s.shown.clone());
            let d = Diagnostic::file(
                shown,
                format!("links `{name}`, which the output has as `{output}` (named by its content)"),
            )
            .with_code(formwerk_base::diagnostics::code::UNHASHED_ASSET_LINK)
            .with_help(format!(
                "write {{{{ root }}}}{{{{ assets[\"{name}\"] }}}} in this template or one it extends"
            ));
            return Err(match page {
                Some(p) => d.with_help(format!("while rendering {}", p.source.display())),
                None => d,
            });
        }
        Ok(crate::csp::with_meta(&html))
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
            Some(span) => Diagnostic::at(&page.source, &page.head, span.clone(), message)
                .with_code(formwerk_base::diagnostics::code::MISSING_TEMPLATE),
            None => Diagnostic::file(&page.source, message)
                .with_code(formwerk_base::diagnostics::code::MISSING_TEMPLATE),
        }
        .with_help(help)
    }
}

/// Takes a rendered output file: its path below the output folder and its bytes.
pub(crate) type Put<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + 'a;

/// What the site learns from one rendered page.
pub struct PageOutput {
    /// Its ids, its words for the search, the files it links.
    pub learned: Learned,
    /// Its links to `#fragments` on other pages, to check once every page is rendered.
    pub checks: Vec<AnchorCheck>,
}

/// The search's folding table and stemming endings for search.js, which folds queries as the
/// index was folded: `window.FORMWERK_FOLD = {"map": {"ä": "ae", …}, "endings": […]}`.
pub(crate) fn folding_script() -> String {
    let endings = serde_json::to_string(&search::ENDINGS).unwrap_or_else(|_| "[]".into());
    format!(
        "window.FORMWERK_FOLD = {{\"map\": {}, \"endings\": {endings}}};\n",
        formwerk_text::slug::folding_json()
    )
}

/// Every file a page's rendering writes, known before rendering.
pub fn outputs_of(page: &Page) -> Vec<String> {
    let mut out = vec![page.output.clone()];
    if let Some(form) = &page.form {
        out.extend(FormFiles::of(page, form).all());
    }
    out
}
