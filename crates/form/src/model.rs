//! The checked form model, serialised into the templates' context as `form`.

use serde::Serialize;

use super::kind::AnswerShape;
pub use super::kind::FieldKind;

/// Markdown written in the form file, with the place it was written for error reports.
#[derive(Debug, Clone, Serialize)]
pub struct MarkdownText {
    #[serde(skip)]
    pub markdown: String,
    /// Byte offset in the form file where the text's value starts.
    #[serde(skip)]
    pub offset: usize,
    /// Rendered HTML, filled in by the Markdown stage.
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub id: String,
    /// Where `id` is written in the form file; the file's start when it comes from the name.
    #[serde(skip)]
    pub id_span: std::ops::Range<usize>,
    pub title: String,
    pub pretitle: Option<String>,
    pub subtitle: Option<String>,
    pub version: String,
    pub intro: Option<MarkdownText>,
    pub sections: Vec<Section>,
    /// How the filled form is submitted; `None` when the form file has no `[submission]`.
    pub submission: Option<Submission>,
    /// The id of the field that names an answers file (e.g. the municipality's name).
    pub identify: Option<String>,
    /// Whether the build writes the form as a fillable PDF too.
    pub pdf: bool,
    /// The `[[checks]]`: rules across fields, checked by "Eingaben prüfen".
    pub checks: Vec<Check>,
}

/// A rule across fields (`[[checks]]`), e.g. that the funding covers the costs.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    #[serde(skip)]
    pub rule: super::expr::Expr,
    pub message: String,
    /// The fields the rule names, in order of writing; the first is linked from the message.
    pub fields: Vec<String>,
}

/// The `[submission]` block: every part optional, its texts the ministry's.
#[derive(Debug, Clone, Serialize)]
pub struct Submission {
    /// ISO date (`2026-03-31`); whether it has passed is decided in the browser.
    pub deadline: Option<String>,
    /// The same date as printed (`31.03.2026`).
    pub deadline_display: Option<String>,
    pub recipient: Option<MarkdownText>,
    pub email: Option<String>,
    /// `mailto:` link with the form's title as subject (the script adds the identifying answer).
    pub mailto: Option<String>,
    pub how: Option<MarkdownText>,
    pub signature: bool,
    /// The ministry's public key (`encrypt_to`): the page then saves the answers for
    /// submission encrypted to it.
    pub encrypt: Option<super::PublicKey>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    /// 1-based, as printed before the title.
    pub number: usize,
    pub title: String,
    pub intro: Option<MarkdownText>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    /// HTML id of the option's control.
    pub id: String,
}

/// The free-text "other" option of a multiple choice ("Sonstiges – ggfs. eintragen").
#[derive(Debug, Clone, Serialize)]
pub struct Other {
    pub label: String,
    pub id: String,
    pub label_id: String,
    pub text_id: String,
}

/// Show a field only while another field has a given answer.
#[derive(Debug, Clone, Serialize)]
pub struct ShowIf {
    pub field: String,
    /// The answer as the browser sees it: an option value, `true`/`false` for yes/no, or text.
    pub equals: String,
}

/// One entry line of an entry list.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub id: String,
    pub number: usize,
}

/// The HTML ids of a field's elements besides its control (whose id is the field's): one
/// scheme, read by the templates (`field.el`), the collision check ([`Form::element_ids`])
/// and the browser (`el` in the page's model), so that no template or script spells a
/// suffix. The last four are prefixes that take a row (instance) number or a column id.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ElementIds {
    /// The element around the field, hidden while its `show_if` does not hold.
    pub field: String,
    /// The error message under the field (added by the script).
    pub error: String,
    /// The live region that announces rows and items added and removed.
    pub status: String,
    /// A table's caption.
    pub caption: String,
    /// The label of a group or computed value.
    pub label: String,
    /// Yes/no's two buttons.
    pub yes: String,
    pub no: String,
    /// The box around the "other" text, shown while "other" is chosen, and the text itself.
    pub other_wrap: String,
    pub other_text: String,
    /// + row number: a table's row header.
    pub row: String,
    /// + column id: a column's header.
    pub col: String,
    /// + column id: a column's total.
    pub total: String,
    /// An attachment's list of the files chosen.
    pub files: String,
    /// An attachment's note on how to send the document without the script.
    pub note: String,
    /// + number: an entry line; + number + "-" + column id: a cell of a row or an instance;
    /// + number + "-legend": an instance's legend.
    pub item: String,
}

impl ElementIds {
    /// The ids of the field `id`; `of("")` gives the suffixes, which the browser appends to a
    /// field's id.
    pub fn of(id: &str) -> ElementIds {
        let with = |suffix: &str| format!("{id}-{suffix}");
        ElementIds {
            field: with("field"),
            error: with("error"),
            status: with("status"),
            caption: with("caption"),
            label: with("label"),
            yes: with("true"),
            no: with("false"),
            other_wrap: with("other-wrap"),
            other_text: with("other-text"),
            row: with("row-"),
            col: with("col-"),
            total: with("total-"),
            files: with("files"),
            note: with("note"),
            item: with(""),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Stable id: the answer's key and the control's HTML id. Empty for `info`.
    pub id: String,
    /// The ids of its other elements.
    pub el: ElementIds,
    pub kind: FieldKind,
    /// Whether the theme renders it as a fieldset with a legend.
    pub group: bool,
    pub label: String,
    pub hint: Option<String>,
    pub hint_id: Option<String>,
    /// Whether the hint is printed; false for hints true only on screen.
    pub hint_print: bool,
    /// The input purpose for the browser's autofill (WCAG 1.3.5), e.g. `email`.
    pub autocomplete: Option<String>,
    pub required: bool,
    pub text: Option<MarkdownText>,
    pub options: Vec<ChoiceOption>,
    pub other: Option<Other>,
    pub lines: Vec<Line>,
    pub placeholder: Option<String>,
    pub rows: Option<u32>,
    pub max_length: Option<u32>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    pub show_if: Option<ShowIf>,
    /// A table's columns or a repeatable group's fields (ids unique within it).
    pub columns: Vec<Field>,
    /// Fewest and most rows of a table, instances of a group.
    pub min_items: u32,
    pub max_items: u32,
    /// The rows (instances) drawn without a script and on blank paper, numbered from 1.
    pub items: Vec<u32>,
    /// Decimal places of a number or computed value (shown and stored rounded).
    pub decimals: Option<u32>,
    /// A computed field's expression.
    #[serde(skip)]
    pub expr: Option<super::expr::Expr>,
    /// For a table's number column: the computed field that is its sum (the totals row).
    pub total: Option<String>,
    /// For a table: whether a column has a total (the table gets a totals row).
    pub totals: bool,
    /// For an attachment: the files it takes.
    pub attachment: Option<super::attachment::Attachment>,
}

impl Form {
    fn texts_mut(&mut self) -> impl Iterator<Item = &mut MarkdownText> {
        let submission = self
            .submission
            .iter_mut()
            .flat_map(|s| s.recipient.iter_mut().chain(s.how.iter_mut()));
        self.intro
            .iter_mut()
            .chain(self.sections.iter_mut().flat_map(|s| {
                s.intro
                    .iter_mut()
                    .chain(s.fields.iter_mut().filter_map(|f| f.text.as_mut()))
            }))
            .chain(submission)
    }

    fn texts(&self) -> impl Iterator<Item = &MarkdownText> {
        let submission = self
            .submission
            .iter()
            .flat_map(|s| s.recipient.iter().chain(s.how.iter()));
        self.intro
            .iter()
            .chain(self.sections.iter().flat_map(|s| {
                s.intro
                    .iter()
                    .chain(s.fields.iter().filter_map(|f| f.text.as_ref()))
            }))
            .chain(submission)
    }

    /// The form's Markdown texts with their offsets in the form file, in a fixed order.
    pub fn markdown_texts(&self) -> Vec<(&str, usize)> {
        self.texts()
            .map(|t| (t.markdown.as_str(), t.offset))
            .collect()
    }

    /// Stores the rendered HTML of [`Form::markdown_texts`], in the same order.
    pub fn apply_rendered(&mut self, html: Vec<String>) {
        for (text, html) in self.texts_mut().zip(html) {
            text.html = html;
        }
    }

    /// Every HTML id the form's controls use, so Markdown headings do not take them.
    pub fn element_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = [
            "formular",
            "formwerk-model",
            "form-tools",
            "save-status",
            "form-notice",
            "version-notice",
            "version-notice-text",
            "version-notice-list",
            "import-file",
            "error-summary",
            "error-summary-title",
            "submission-top",
            "submission-top-title",
            "submission-end",
            "submission-end-title",
            "abschluss",
            "abschluss-title",
        ]
        .map(String::from)
        .into();
        for s in &self.sections {
            ids.push(s.id.clone());
            ids.push(format!("{}-title", s.id));
            for f in s.fields.iter().filter(|f| !f.id.is_empty()) {
                let el = &f.el;
                // Besides control and error: yes/no's buttons, or the caption, live region and
                // label of tables, groups and computed values (templates form/table.html,
                // group.html, computed.html).
                let (buttons, captioned) = match f.kind.shape() {
                    Some(AnswerShape::YesNo) => (true, false),
                    Some(AnswerShape::Files) => {
                        ids.extend([el.files.clone(), el.note.clone(), el.status.clone()]);
                        (false, false)
                    }
                    Some(AnswerShape::Rows(_) | AnswerShape::Calculated) => (false, true),
                    Some(
                        AnswerShape::Text { .. }
                        | AnswerShape::Date
                        | AnswerShape::Number
                        | AnswerShape::Choice
                        | AnswerShape::Ticks
                        | AnswerShape::Lines,
                    )
                    | None => (false, false),
                };
                ids.extend([f.id.clone(), el.field.clone(), el.error.clone()]);
                if buttons {
                    ids.extend([el.yes.clone(), el.no.clone()]);
                }
                ids.extend(f.hint_id.clone());
                ids.extend(f.options.iter().map(|o| o.id.clone()));
                ids.extend(f.lines.iter().map(|l| l.id.clone()));
                if let Some(o) = &f.other {
                    ids.extend([o.id.clone(), o.label_id.clone(), o.text_id.clone()]);
                    ids.push(el.other_wrap.clone());
                }
                if captioned {
                    ids.extend([el.caption.clone(), el.status.clone(), el.label.clone()]);
                }
                for c in &f.columns {
                    ids.push(format!("{}{}", el.col, c.id));
                    ids.push(format!("{}{}", el.total, c.id));
                }
                // Rows added by the script count up from the ones drawn.
                for n in 1..=f.max_items.min(f.items.len() as u32 + 50) {
                    ids.push(format!("{}{n}", el.row));
                    ids.push(format!("{}{n}-legend", el.item));
                    ids.extend(f.columns.iter().map(|c| format!("{}{n}-{}", el.item, c.id)));
                }
            }
        }
        ids
    }

    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }
}
