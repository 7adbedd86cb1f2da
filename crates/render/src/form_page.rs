//! A form's page and the files beside it: the page, its offline copy (as a page and as a
//! script), the JSON Schema of its answers file, its print style sheet, its inbox and its
//! PDF, all rendered from the one checked form model, and the form's words for the search.

use tera::Context;

use super::context::{FormExtras, PageContext};
use super::templates::template_error;
use super::{Put, Theme};
use formwerk_base::diagnostics::{Diagnostic, Diagnostics};
use formwerk_content::{Page, Site};
use formwerk_form::Form;
use formwerk_form::schema::{answers_schema, client_model, json_for_script};
use formwerk_text::names;
use formwerk_text::search::Indexer;

/// The template of a form's print style sheet.
pub(super) const FORM_PRINT_CSS: &str = "form-print.css";

/// The template of every form's inbox page.
pub(super) const INBOX_TEMPLATE: &str = "inbox.html";

/// Where a form's files are written, beside its page (paths from the output root).
pub struct FormFiles {
    /// The self-contained offline copy.
    pub offline: String,
    /// The JSON Schema of its answers file.
    pub schema: String,
    /// The print style sheet (its page header with title and version).
    pub print_css: String,
    /// The offline copy as a script, for pages opened from disk.
    pub offline_script: String,
    /// The inbox for the receiving office.
    pub inbox: String,
    /// The fillable PDF, unless the form has none.
    pub pdf: Option<String>,
}

impl FormFiles {
    pub fn of(page: &Page, form: &Form) -> FormFiles {
        let dir = page.output.rsplit_once('/').map_or("", |(d, _)| d);
        let beside = |suffix: &str| {
            if dir.is_empty() {
                format!("{}{suffix}", form.id)
            } else {
                format!("{dir}/{}{suffix}", form.id)
            }
        };
        FormFiles {
            offline: beside(names::FORM_OFFLINE),
            schema: beside(names::FORM_SCHEMA),
            print_css: beside(names::FORM_PRINT_CSS),
            offline_script: beside(names::FORM_OFFLINE_SCRIPT),
            inbox: beside(names::FORM_INBOX),
            pdf: form.pdf.then(|| beside(names::FORM_PDF)),
        }
    }

    /// Every one of them.
    pub fn all(self) -> impl Iterator<Item = String> {
        [
            self.offline,
            self.schema,
            self.print_css,
            self.offline_script,
            self.inbox,
        ]
        .into_iter()
        .chain(self.pdf)
    }
}

impl Theme {
    /// Renders a form's page and the files beside it ([`FormFiles`]) into `put`.
    pub(super) fn render_form_page<'a>(
        &'a self,
        site: &Site,
        page: &Page,
        form: &Form,
        context: &mut PageContext<'a>,
        put: &Put,
    ) -> Result<(), Diagnostics> {
        let one = |d: Diagnostic| Diagnostics(vec![d]);
        let files = FormFiles::of(page, form);
        let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        let pdf = match &files.pdf {
            Some(path) => Some((path, self.form_pdf(page, form, &site.config.language)?)),
            None => None,
        };
        let print_css = self
            .render_context(page, context)
            .and_then(|c: Context| {
                self.tera
                    .render(FORM_PRINT_CSS, &c)
                    .map_err(|e| template_error(&self.sources, &e, Some(page)))
            })
            .map_err(one)?;
        let mut model = client_model(form, &self.strings);
        // Files saved from the page are named by the identifying answer, its letters folded
        // with the one folding table.
        model["fold"] = serde_json::from_str(&formwerk_text::slug::folding_json())
            .expect("the folding table is JSON");
        context.form_page = Some(FormExtras {
            model_json: json_for_script(&model),
            offline_href: name(&files.offline),
            offline_script_href: name(&files.offline_script),
            schema_href: name(&files.schema),
            pdf_href: pdf.as_ref().map(|(p, _)| name(p)),
            pdf_info: pdf.as_ref().and_then(|(p, bytes)| {
                formwerk_content::links::download_info(p, bytes.len() as u64)
            }),
            print_css_href: name(&files.print_css),
            print_css: print_css.clone(),
            inline: &self.inline,
        });
        let online = self.render(page, context).map_err(one)?;
        // The offline copy and the inbox are not the form page: the offline copy is a file
        // for the applicant's disk (it may hold an older version of the form than the page
        // online), the inbox is for the office alone (`noindex`). Neither names an address.
        let canonical = context.canonical.take();
        context.offline = true;
        let offline = self.render(page, context).map_err(one)?;
        context.offline = false;
        let inbox = self.render_inbox(page, form, context).map_err(one)?;
        context.canonical = canonical;
        let schema = serde_json::to_string_pretty(&answers_schema(form, &name(&files.schema)))
            .expect("JSON values serialise")
            + "\n";
        let offline_script = offline_script(&name(&files.offline), &offline);
        for (rel, text) in [
            (&page.output, online),
            (&files.offline, offline),
            (&files.schema, schema),
            (&files.inbox, inbox),
            (&files.print_css, print_css),
            (&files.offline_script, offline_script),
        ] {
            put(rel, text.as_bytes()).map_err(one)?;
        }
        if let Some((path, bytes)) = &pdf {
            put(path, bytes).map_err(one)?;
        }
        Ok(())
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
        model["columns"] = serde_json::to_value(formwerk_answers::columns(form, &self.strings))
            .expect("columns serialise");
        // The filter folds as the search does ("Aysegul" finds "Ayşegül"): the one table.
        model["fold"] = serde_json::from_str(&formwerk_text::slug::folding_json())
            .expect("the folding table is JSON");
        // Duplicates are compared as `formwerk answers` compares them.
        model["invisible"] = formwerk_text::slug::INVISIBLE.into();
        // What one file may cost, with the messages of the budgets it can break: the same
        // budgets `formwerk answers` checks (crates/form/src/budget.rs).
        model["budgets"] = formwerk_form::Budget::all_json(&self.strings);
        if let Some(extras) = context.form_page.as_mut() {
            extras.model_json = json_for_script(&model);
        }
        let context = self.render_context(page, context)?;
        self.render_html(INBOX_TEMPLATE, &context, Some(page))
    }

    /// The form's fillable PDF, in the theme's fonts.
    fn form_pdf(&self, page: &Page, form: &Form, language: &str) -> Result<Vec<u8>, Diagnostics> {
        match self.pdf_fonts() {
            Ok(fonts) => Ok(formwerk_base::timing::phase("pdf", || {
                formwerk_pdf::form_pdf(
                    form,
                    fonts,
                    &formwerk_pdf::Strings::from_theme(&self.strings),
                    language,
                )
            })),
            Err(e) => Err(Diagnostics(vec![
                Diagnostic::file(&page.source, format!("cannot make this form's PDF: {e}"))
                    .with_help(format!(
                        "the theme needs the fonts {} in its fonts/ folder; or set pdf = false in the form",
                        formwerk_pdf::FONT_FILES.join(", ")
                    )),
            ])),
        }
    }
}

/// A form's words for the search: intros, section titles, questions, hints, options, each
/// after a space.
pub(super) fn form_text(form: &Form, index: &mut Indexer) {
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

/// The offline copy as a script, for pages opened from disk: browsers do not download a
/// linked `file://` document, so the page's script builds the download from this text.
fn offline_script(name: &str, html: &str) -> String {
    let record = serde_json::json!({ "name": name, "html": html });
    format!(
        "window.formwerkOfflineCopy = {};\n",
        json_for_script(&record)
    )
}
