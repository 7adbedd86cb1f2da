//! Rendering with Tera 2: the theme's templates (overridable one by one from the site's own
//! templates/), the theme's strings, and one context per page. A form page also yields its
//! self-contained offline copy and the JSON Schema of its answers file.

mod context;
mod print_all;
mod templates;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::assets::{self, StaticFiles};
use crate::config::{Config, STATIC_DIR, TEMPLATES_DIR};
use crate::content::{AnchorCheck, Learned, Page, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, closest, read_text};
use crate::form::Form;
use crate::form::schema::{answers_schema, client_model, json_for_script};
use crate::names;
use crate::search::{self, Indexer, SearchDoc};
use context::{FormExtras, PageContext};
pub use context::{LinkContext, SITEMAP, SiteWide};
pub use print_all::{PRINT_ALL, PRINT_ALL_TEMPLATE};
use templates::{collect_templates, load_strings, template_error, template_errors};

/// Where a template came from, for error reports.
struct TemplateSource {
    shown: PathBuf,
    text: Arc<str>,
}

/// Theme files inlined into a form's offline copy (as `form_page.inline.<name with _>`).
const OFFLINE_ASSETS: [&str; 6] = [
    "formwerk.css",
    "answers-file.js",
    "form-rules.js",
    "draft-merge.js",
    "formwerk.js",
    "noscript.css",
];

/// The template of a form's print style sheet.
const FORM_PRINT_CSS: &str = "form-print.css";

/// The site's icon, declared on every page; the offline copy carries it as a `data:` URI.
const FAVICON: &str = "favicon.svg";

pub struct Theme {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    strings: toml::Table,
    /// `strings` as a template value, `t` in every page's context.
    strings_value: tera::Value,
    /// The theme's and the site's static files (the site's win), with their output names.
    pub statics: StaticFiles,
    /// The [`OFFLINE_ASSETS`] as text, and the icon as a `data:` URI, for offline copies.
    inline: BTreeMap<String, String>,
    /// The theme's `fonts/` folder, for forms' PDFs.
    fonts_dir: PathBuf,
    /// Its fonts, subset when the first PDF needs them.
    pdf_fonts: std::sync::OnceLock<Result<Arc<crate::pdf::Fonts>, String>>,
    /// Size and time of the font files (part of the fingerprint: PDFs depend on them).
    fonts_hash: u64,
    /// Per template, a hash of it and the templates it uses (`templates::chain_hashes`).
    chains: BTreeMap<String, u64>,
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
                .with_code(crate::diagnostics::code::UNKNOWN_THEME)
                .with_help(format!(
                    "expected the folder themes/{}/ beside formwerk.toml",
                    config.theme
                ));
            return Err(Diagnostics(vec![d]));
        }
        let mut sources = BTreeMap::new();
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
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        tera.register_filter("css_string", css_string);
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
                errors.0.extend(template_errors(&sources, &e));
            }
        }
        let static_dirs: Vec<PathBuf> = [theme_dir.join(STATIC_DIR), config.root.join(STATIC_DIR)]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect();
        let (statics, unreadable) = assets::collect(&static_dirs);
        for (path, e) in unreadable {
            let shown = path.strip_prefix(&config.root).unwrap_or(&path);
            errors.push(
                Diagnostic::file(shown, format!("cannot read this file: {e}"))
                    .with_code(crate::diagnostics::code::UNREADABLE_FILE),
            );
        }
        let mut inline = BTreeMap::new();
        let source = |name: &str| statics.names.get(name).map(|out| &statics.files[out]);
        for name in OFFLINE_ASSETS.into_iter().chain([FAVICON]) {
            let Some(path) = source(name) else {
                continue;
            };
            let shown = path.strip_prefix(&config.root).unwrap_or(path);
            match read_text(path, shown) {
                Ok(text) if text.contains("</") && name != FAVICON => errors.push(
                    Diagnostic::file(shown, "contains `</`, which would end the inline <style> or <script> of offline copies")
                        .with_code(crate::diagnostics::code::UNSAFE_INLINE_ASSET)
                        .with_help("write `<\\/` in strings instead"),
                ),
                Ok(text) if name == FAVICON => {
                    inline.insert("favicon".to_string(), svg_data_uri(&text));
                }
                Ok(text) => {
                    inline.insert(name.replace(['.', '-'], "_"), text.to_string());
                }
                Err(d) => errors.push(d),
            }
        }
        let fonts_dir = theme_dir.join("fonts");
        let fonts_hash = crate::pdf::fonts_stamp(&fonts_dir);
        if errors.is_empty() {
            Ok(Theme {
                tera,
                strings_value: tera::Value::from_serializable(&strings),
                strings,
                statics,
                inline,
                fonts_dir,
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
            .with_code(crate::diagnostics::code::MISSING_TEMPLATE)
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
            .with_code(crate::diagnostics::code::TEMPLATE_ERROR)
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
        context.assets = &self.statics.names;
        let one = |d: Diagnostic| Diagnostics(vec![d]);
        match &form {
            None => {
                let html = self.render(page, &context).map_err(one)?;
                put(&page.output, html.as_bytes()).map_err(one)?;
            }
            Some(form) => {
                let [
                    offline_path,
                    schema_path,
                    print_path,
                    offline_script_path,
                    inbox_path,
                ] = form_files(page, form);
                let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
                let pdf = match pdf_file(page, form) {
                    Some(path) => Some((path, self.form_pdf(page, form, &site.config.language)?)),
                    None => None,
                };
                let print_css = self
                    .render_context(page, &context)
                    .and_then(|c| {
                        self.tera
                            .render(FORM_PRINT_CSS, &c)
                            .map_err(|e| template_error(&self.sources, &e, Some(page)))
                    })
                    .map_err(one)?;
                context.form_page = Some(FormExtras {
                    model_json: json_for_script(&client_model(form, &self.strings)),
                    offline_href: name(&offline_path),
                    offline_script_href: name(&offline_script_path),
                    schema_href: name(&schema_path),
                    pdf_href: pdf.as_ref().map(|(p, _)| name(p)),
                    pdf_info: pdf.as_ref().and_then(|(p, bytes)| {
                        crate::content::links::download_info(p, bytes.len() as u64)
                    }),
                    print_css_href: name(&print_path),
                    print_css: print_css.clone(),
                    inline: &self.inline,
                });
                let online = self.render(page, &context).map_err(one)?;
                context.offline = true;
                let offline = self.render(page, &context).map_err(one)?;
                context.offline = false;
                let inbox = self.render_inbox(page, form, &mut context).map_err(one)?;
                let schema =
                    serde_json::to_string_pretty(&answers_schema(form, &name(&schema_path)))
                        .expect("JSON values serialise")
                        + "\n";
                let offline_script = offline_script(&name(&offline_path), &offline);
                for (rel, text) in [
                    (&page.output, online),
                    (&offline_path, offline),
                    (&schema_path, schema),
                    (&inbox_path, inbox),
                    (&print_path, print_css),
                    (&offline_script_path, offline_script),
                ] {
                    put(rel, text.as_bytes()).map_err(one)?;
                }
                if let Some((path, bytes)) = &pdf {
                    put(path, bytes).map_err(one)?;
                }
            }
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

    /// The form's inbox (`<id>-posteingang.html`): the template `inbox.html` with the form
    /// model, the answers table's columns and the theme strings for inbox.js.
    fn render_inbox(
        &self,
        page: &Page,
        form: &Form,
        context: &mut PageContext,
    ) -> Result<String, Diagnostic> {
        let mut model = client_model(form, &self.strings);
        model["columns"] = serde_json::to_value(crate::answers::columns(form, &self.strings))
            .expect("columns serialise");
        if let Some(extras) = context.form_page.as_mut() {
            extras.model_json = json_for_script(&model);
        }
        let context = self.render_context(page, context)?;
        self.render_html(INBOX_TEMPLATE, &context, Some(page))
    }

    /// The theme's PDF fonts, read and subset once per build (an error names what failed).
    pub fn pdf_fonts(&self) -> Result<&Arc<crate::pdf::Fonts>, &str> {
        self.pdf_fonts
            .get_or_init(|| {
                crate::timing::phase("pdf fonts", || {
                    crate::pdf::Fonts::shared(&self.fonts_dir).map_err(|e| format!("{e:#}"))
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The form's fillable PDF, in the theme's fonts.
    fn form_pdf(&self, page: &Page, form: &Form, language: &str) -> Result<Vec<u8>, Diagnostics> {
        match self.pdf_fonts() {
            Ok(fonts) => Ok(crate::timing::phase("pdf", || {
                crate::pdf::form_pdf(
                    form,
                    fonts,
                    &crate::pdf::Strings::from_theme(&self.strings),
                    language,
                )
            })),
            Err(e) => Err(Diagnostics(vec![
                Diagnostic::file(&page.source, format!("cannot make this form's PDF: {e}"))
                    .with_help(format!(
                        "the theme needs the fonts {} in its fonts/ folder; or set pdf = false in the form",
                        crate::pdf::FONT_FILES.join(", ")
                    )),
            ])),
        }
    }

    fn render_context(&self, page: &Page, context: &PageContext) -> Result<Context, Diagnostic> {
        let mut context = Context::from_serialize(context).map_err(|e| {
            Diagnostic::file(
                &page.source,
                format!("cannot prepare this page for its template: {e}"),
            )
            .with_code(crate::diagnostics::code::TEMPLATE_ERROR)
        })?;
        // The same strings for every page: converted once, shared by reference count.
        context.insert_value("t", self.strings_value.clone());
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
            .with_code(crate::diagnostics::code::UNHASHED_ASSET_LINK)
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
                .with_code(crate::diagnostics::code::MISSING_TEMPLATE),
            None => Diagnostic::file(&page.source, message)
                .with_code(crate::diagnostics::code::MISSING_TEMPLATE),
        }
        .with_help(help)
    }
}

/// Takes a rendered output file: its path below the output folder and its bytes.
pub type Put<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + 'a;

/// What the site learns from one rendered page.
pub struct PageOutput {
    /// Its ids, its words for the search, the files it links.
    pub learned: Learned,
    /// Its links to `#fragments` on other pages, to check once every page is rendered.
    pub checks: Vec<AnchorCheck>,
}

/// A form's words for the search: intros, section titles, questions, hints, options, each
/// after a space.
fn form_text(form: &Form, index: &mut Indexer) {
    let html = |index: &mut Indexer, s: &str| {
        index.text(" ");
        index.html(s);
    };
    let text = |index: &mut Indexer, s: &str| {
        index.text(" ");
        index.text(s);
    };
    for intro in form.intro.iter() {
        html(index, &intro.html);
    }
    for section in &form.sections {
        text(index, &section.title);
        if let Some(intro) = &section.intro {
            html(index, &intro.html);
        }
        for field in &section.fields {
            text(index, &field.label);
            field.hint.iter().for_each(|h| text(index, h));
            field.options.iter().for_each(|o| text(index, &o.label));
            if let Some(t) = &field.text {
                html(index, &t.html);
            }
        }
    }
}

/// The template of every form's inbox page.
const INBOX_TEMPLATE: &str = "inbox.html";

/// The offline copy as a script, for pages opened from disk: browsers do not download a
/// linked `file://` document, so the page's script builds the download from this text.
fn offline_script(name: &str, html: &str) -> String {
    let record = serde_json::json!({ "name": name, "html": html });
    format!(
        "window.formwerkOfflineCopy = {};\n",
        json_for_script(&record)
    )
}

/// The search's folding table and stemming endings for search.js, which folds queries as the
/// index was folded: `window.FORMWERK_FOLD = {"map": {"ä": "ae", …}, "endings": […]}`.
pub fn folding_script() -> String {
    let endings = serde_json::to_string(&search::ENDINGS).unwrap_or_else(|_| "[]".into());
    format!(
        "window.FORMWERK_FOLD = {{\"map\": {}, \"endings\": {endings}}};\n",
        crate::slug::folding_json()
    )
}

/// Where a form's offline copy, answers schema, print style sheet (its page header with
/// title and version), offline copy as a script and inbox are written: beside its page.
pub fn form_files(page: &Page, form: &Form) -> [String; 5] {
    let dir = page.output.rsplit_once('/').map_or("", |(d, _)| d);
    let in_dir = |name: String| {
        if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        }
    };
    [
        names::FORM_OFFLINE,
        names::FORM_SCHEMA,
        names::FORM_PRINT_CSS,
        names::FORM_OFFLINE_SCRIPT,
        names::FORM_INBOX,
    ]
    .map(|suffix| in_dir(format!("{}{suffix}", form.id)))
}

/// Where a form's PDF is written, beside its page; `None` when the form has none.
pub fn pdf_file(page: &Page, form: &Form) -> Option<String> {
    let dir = page.output.rsplit_once('/').map_or("", |(d, _)| d);
    form.pdf.then(|| {
        if dir.is_empty() {
            format!("{}{}", form.id, names::FORM_PDF)
        } else {
            format!("{dir}/{}{}", form.id, names::FORM_PDF)
        }
    })
}

/// Every file a page's rendering writes, known before rendering.
pub fn outputs_of(page: &Page) -> Vec<String> {
    let mut out = vec![page.output.clone()];
    if let Some(form) = &page.form {
        out.extend(form_files(page, form));
        out.extend(pdf_file(page, form));
    }
    out
}

/// A text as the body of a double-quoted CSS string, for `content:` in `@page` rules.
fn css_string(val: std::borrow::Cow<'_, str>, _: Kwargs, _: &State) -> tera::Value {
    let mut out = String::with_capacity(val.len());
    for c in val.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push_str("\\a "),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            '&' => out.push_str("\\26 "),
            c => out.push(c),
        }
    }
    tera::Value::safe_string(&out)
}

/// An SVG image as a `data:` URI (percent-encoding what a URL or an attribute may not hold).
fn svg_data_uri(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for c in svg.trim().chars() {
        match c {
            '%' | '#' | '"' | '<' | '>' | '&' | '\'' | ' ' | '\n' | '\r' | '\t' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}
