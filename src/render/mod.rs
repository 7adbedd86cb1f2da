//! Rendering with Tera 2: the theme's templates (overridable one by one from the site's own
//! templates/), the theme's strings, and one context per page. A form page also yields its
//! self-contained offline copy and the JSON Schema of its answers file.

mod context;
mod templates;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::config::Config;
use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, closest, read_text};
use crate::form::schema::{answers_schema, client_model, json_for_script};
use context::{FormExtras, PageContext};
pub use context::{LinkContext, SiteWide};
use templates::{collect_templates, load_strings, template_error};

/// Where a template came from, for error reports.
struct TemplateSource {
    shown: PathBuf,
    text: Arc<str>,
}

/// Theme files inlined into a form's offline copy.
const OFFLINE_ASSETS: [&str; 2] = ["formwerk.css", "formwerk.js"];

pub struct Theme {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    strings: toml::Table,
    /// Folders copied to the output root, theme first, so the site's files win.
    pub static_dirs: Vec<PathBuf>,
    /// `formwerk.css` and `formwerk.js` as text, for offline copies.
    inline: BTreeMap<String, String>,
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
                errors.push(template_error(&sources, &e, None));
            }
        }
        let static_dirs: Vec<PathBuf> = [theme_dir.join("static"), config.root.join("static")]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect();
        let mut inline = BTreeMap::new();
        for dir in &static_dirs {
            for name in OFFLINE_ASSETS {
                let path = dir.join(name);
                if !path.is_file() {
                    continue;
                }
                let shown = path.strip_prefix(&config.root).unwrap_or(&path);
                match read_text(&path, shown) {
                    Ok(text) if text.contains("</") => errors.push(
                        Diagnostic::file(shown, "contains `</`, which would end the inline <style> or <script> of offline copies")
                            .with_help("write `<\\/` in strings instead"),
                    ),
                    Ok(text) => {
                        inline.insert(name.replace('.', "_"), text.to_string());
                    }
                    Err(d) => errors.push(d),
                }
            }
        }
        if errors.is_empty() {
            Ok(Theme {
                tera,
                sources,
                strings,
                static_dirs,
                inline,
            })
        } else {
            Err(errors)
        }
    }

    /// Renders every page (and every form's extra files); all failures are collected.
    pub fn render_all(&self, site: &Site) -> Result<Vec<(String, String)>, Diagnostics> {
        let shared = SiteWide::new(site);
        let indices: Vec<usize> = (0..site.pages.len()).collect();
        let results = crate::parallel::par_map(&indices, |&i| self.render_page(site, &shared, i));
        let mut out = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::default();
        for r in results {
            match r {
                Ok(files) => out.extend(files),
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Renders one page and, for a form, its offline copy and answers schema: the unit a
    /// later incremental rebuild re-runs. Returns (output path, text) pairs.
    pub fn render_page(
        &self,
        site: &Site,
        shared: &SiteWide,
        index: usize,
    ) -> Result<Vec<(String, String)>, Diagnostic> {
        let page = &site.pages[index];
        if !self.sources.contains_key(&page.template) {
            return Err(self.missing_template(page));
        }
        let mut context = PageContext::new(site, shared, index, &self.strings);
        let Some(form) = &page.form else {
            return Ok(vec![(page.output.clone(), self.render(page, &context)?)]);
        };
        let dir = page.output.rsplit_once('/').map_or("", |(d, _)| d);
        let in_dir = |name: &str| {
            if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            }
        };
        let offline_name = format!("{}-offline.html", form.id);
        let schema_name = format!("{}.schema.json", form.id);
        context.form_page = Some(FormExtras {
            model_json: json_for_script(&client_model(form, &self.strings)),
            offline_href: offline_name.clone(),
            schema_href: schema_name.clone(),
            inline: &self.inline,
        });
        let online = self.render(page, &context)?;
        context.offline = true;
        let offline = self.render(page, &context)?;
        let schema = serde_json::to_string_pretty(&answers_schema(form, &schema_name))
            .expect("JSON values serialise")
            + "\n";
        Ok(vec![
            (page.output.clone(), online),
            (in_dir(&offline_name), offline),
            (in_dir(&schema_name), schema),
        ])
    }

    fn render(&self, page: &Page, context: &PageContext) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(context).map_err(|e| {
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
