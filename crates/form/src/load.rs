//! Reads a `*.form.toml` file and checks it: unknown keys and kinds, attributes that do not
//! fit the field's kind, duplicate ids, empty option lists, `show_if` conditions. Every
//! problem is reported with its place in the file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::Spanned;

use super::attachment::MAX_FILES;
use super::file::{FieldFile, FormFile, SectionFile, value_start};
use super::kind::{AnswerShape, Rows};
use super::model::*;
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, LineIndex, code, from_toml_error};
use formwerk_config::Config;
use formwerk_text::slug::slugify;
use formwerk_text::vars::expand_located;

/// A form file checked: the form model and what its page needs besides.
#[derive(Debug)]
pub struct FormFileParsed {
    pub form: Form,
    pub description: Option<String>,
    /// The page template the file names, with its place for errors.
    pub template: Option<Spanned<String>>,
    pub weight: i64,
}

/// Checks the text of a form file (`shown` names it in errors; `stem` is its file name
/// without `.form.toml`, the id when the file names none); `None` for a draft.
pub fn parse(
    config: &Config,
    shown: &Path,
    stem: &str,
    text: &Arc<str>,
) -> Result<Option<FormFileParsed>, Diagnostics> {
    let parsed: FormFile =
        toml::from_str(text).map_err(|e| Diagnostics(vec![from_toml_error(shown, text, 0, &e)]))?;
    if parsed.draft {
        return Ok(None);
    }
    let mut cx = Checker {
        config,
        file: shown,
        text,
        lines: None,
        errors: formwerk_base::control::control_escapes(shown, text, text, 0),
    };
    let (form, description, template, weight) = cx.form(parsed, stem);
    if !cx.errors.is_empty() {
        return Err(Diagnostics(cx.errors));
    }
    Ok(Some(FormFileParsed {
        form,
        description,
        template,
        weight,
    }))
}

/// Most entry lines an entry list may have.
pub(crate) const MAX_LINES: u32 = 50;
/// Most rows a text area may show at first (it grows with its text anyway).
pub(crate) const MAX_ROWS: u32 = 50;
/// Most rows of a table or instances of a group.
pub(crate) const MAX_ITEMS: u32 = 200;
/// Empty rows a table shows without a script and on blank paper, at least.
pub(crate) const BLANK_ROWS: u32 = 5;
/// Most characters an answer may be limited to: a long text, not a file.
pub(crate) const MAX_LENGTH: u32 = 100_000;

pub(super) struct Checker<'a> {
    pub(super) config: &'a Config,
    file: &'a Path,
    text: &'a Arc<str>,
    /// Where the file's lines start, made when an error first needs it.
    lines: Option<LineIndex<'a>>,
    pub(super) errors: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(super) fn error(
        &mut self,
        code: formwerk_base::diagnostics::code::Code,
        range: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.errors.push(
            Diagnostic::at(self.file, self.text, range, message)
                .with_code(code)
                .with_help(help),
        );
    }

    /// The form file's text.
    pub(super) fn file_text(&self) -> &str {
        self.text
    }

    /// Plain text with `{{ variables }}` filled in.
    pub(super) fn plain(&mut self, s: &Spanned<String>) -> String {
        expand_located(
            &self.config.variables,
            self.file,
            self.text,
            s.span(),
            s.get_ref(),
            &mut self.errors,
        )
    }

    fn plain_opt(&mut self, s: &Option<Spanned<String>>) -> Option<String> {
        s.as_ref().map(|s| self.plain(s))
    }

    /// Markdown is expanded and rendered later; remember where its value starts in the file.
    pub(super) fn markdown(&self, s: &Spanned<String>) -> MarkdownText {
        MarkdownText {
            markdown: s.get_ref().clone(),
            offset: value_start(self.text, s.span()),
            html: String::new(),
        }
    }

    fn form(
        &mut self,
        f: FormFile,
        stem: &str,
    ) -> (Form, Option<String>, Option<Spanned<String>>, i64) {
        let id = match &f.id {
            Some(id) => {
                self.check_id(id, "form");
                id.get_ref().clone()
            }
            None => slugify(stem).replace('-', "_"),
        };
        let title = self.plain(&f.title);
        if title.trim().is_empty() {
            self.error(
                code::EMPTY_TITLE,
                f.title.span(),
                "the form's title is empty",
                "write the form's name, for example title = \"Projektbeschreibung\"",
            );
        }
        if f.version.get_ref().trim().is_empty() {
            self.error(code::EMPTY_VERSION, f.version.span(), "the form's version is empty", "give the version applicants' answer files are matched against, for example version = \"2026-1\"");
        }
        if f.sections.get_ref().is_empty() {
            self.error(
                code::NO_SECTIONS,
                f.sections.span(),
                "the form has no sections",
                "add at least one [[sections]] table with id, title and fields",
            );
        }
        let description = self.plain_opt(&f.description);
        let mut ids = BTreeMap::new();
        let mut sections = Vec::new();
        let sections_in = f.sections.into_inner();
        for (i, s) in sections_in.iter().enumerate() {
            sections.push(self.section(s, i + 1, &mut ids));
        }
        let mut form = Form {
            id,
            id_span: f.id.as_ref().map_or(0..0, |id| id.span()),
            title,
            pretitle: self.plain_opt(&f.pretitle),
            subtitle: self.plain_opt(&f.subtitle),
            version: self.plain(&f.version),
            intro: f.intro.as_ref().map(|t| self.markdown(t)),
            sections,
            submission: None,
            identify: None,
            pdf: f.pdf.unwrap_or(true),
            checks: Vec::new(),
        };
        self.show_ifs(&sections_in, &mut form, &ids);
        self.expressions(&sections_in, &f.checks, &mut form);
        form.submission = f
            .submission
            .as_ref()
            .map(|s| self.submission(s.get_ref(), &form.title));
        form.identify = f
            .identify
            .as_ref()
            .and_then(|i| self.identify(i, &form, &ids));
        (form, description, f.template, f.weight)
    }

    /// A count such as `rows` must lie between 1 and `max`: a million rows or a limit of
    /// zero characters is a typing slip that would make the page unusable.
    fn check_size(&mut self, name: &str, value: &Option<Spanned<u32>>, max: u32, example: &str) {
        if let Some(v) = value
            && !(1..=max).contains(v.get_ref())
        {
            self.error(
                code::SIZE_OUT_OF_RANGE,
                v.span(),
                format!("`{name}` must lie between 1 and {max}, not {}", v.get_ref()),
                format!("for example {example}"),
            );
        }
    }

    /// A table's columns or a group's fields, their ids unique within it.
    fn parts(&mut self, f: &FieldFile, kind: FieldKind) -> Vec<Field> {
        let (list, rows, key, example) = match kind.shape() {
            Some(AnswerShape::Rows(rows @ Rows::Table)) => (
                &f.columns,
                rows,
                "columns",
                "columns = [{ id = \"position\", kind = \"text\", label = \"Kostenart\" }, { id = \"betrag\", kind = \"number\", label = \"Betrag\", unit = \"€\", decimals = 2 }]",
            ),
            Some(AnswerShape::Rows(rows @ Rows::Group)) => (
                &f.fields,
                rows,
                "fields",
                "fields = [{ id = \"titel\", kind = \"text\", label = \"Bezeichnung\" }]",
            ),
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::Number
                | AnswerShape::Calculated
                | AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Lines
                | AnswerShape::Files,
            )
            | None => return Vec::new(),
        };
        let Some(list) = list.as_ref().filter(|l| !l.get_ref().is_empty()) else {
            let at = list.as_ref().map_or(f.kind.span(), |l| l.span());
            self.error(
                code::MISSING_PARTS,
                at,
                format!("this `{}` field has no {key}", kind.name()),
                format!("add {example}"),
            );
            return Vec::new();
        };
        let allowed = rows.part_kinds();
        let mut local = BTreeMap::new();
        let mut out = Vec::new();
        for part in list.get_ref() {
            let part_kind = *part.kind.get_ref();
            if !allowed.contains(&part_kind) {
                let names: Vec<&str> = allowed.iter().map(|k| k.name()).collect();
                self.error(
                    code::PART_KIND,
                    part.kind.span(),
                    format!(
                        "a field of kind `{}` cannot stand in the {key} of a `{}`",
                        part_kind.name(),
                        kind.name()
                    ),
                    format!(
                        "use one of {}",
                        formwerk_base::diagnostics::quoted_list(&names)
                    ),
                );
                continue;
            }
            if let Some(s) = &part.show_if {
                self.error(
                    code::KEY_NOT_FOR_KIND,
                    s.span(),
                    format!("`show_if` does not apply inside a `{}`", kind.name()),
                    "put the condition on the whole table or group",
                );
            }
            out.push(self.field(part, &mut local));
        }
        out
    }

    /// Fewest and most rows of a table (`min_rows`, `max_rows`) or instances of a group
    /// (`min`, `max`), and how many are drawn without a script and on blank paper; none for
    /// other kinds.
    fn item_bounds(&mut self, f: &FieldFile, kind: FieldKind) -> (u32, u32, u32) {
        let whole = |v: &Option<Spanned<f64>>| {
            v.as_ref()
                .map(|v| (v.get_ref().clamp(0.0, MAX_ITEMS as f64) as u32, v.span()))
        };
        let counted = |v: &Option<Spanned<u32>>| v.as_ref().map(|v| (*v.get_ref(), v.span()));
        let (min, max, most, drawn, (lo_key, hi_key)) = match kind.shape() {
            Some(AnswerShape::Rows(Rows::Table)) => (
                counted(&f.min_rows),
                counted(&f.max_rows),
                30,
                BLANK_ROWS,
                ("min_rows", "max_rows"),
            ),
            Some(AnswerShape::Rows(Rows::Group)) => {
                (whole(&f.min), whole(&f.max), 20, 1, ("min", "max"))
            }
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::Number
                | AnswerShape::Calculated
                | AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Lines
                | AnswerShape::Files,
            )
            | None => return (0, 0, 0),
        };
        let (lo, hi) = (
            min.as_ref().map_or(1, |m| m.0),
            max.as_ref().map_or(most, |m| m.0),
        );
        if let (Some((_, a)), Some((_, b))) = (&min, &max)
            && lo > hi
        {
            self.error(
                code::MIN_ABOVE_MAX,
                if lo_key == "min" {
                    a.start..b.end
                } else {
                    b.clone()
                },
                format!("`{hi_key}` ({hi}) is smaller than `{lo_key}` ({lo})"),
                format!("raise `{hi_key}` to at least {lo}, or lower `{lo_key}`"),
            );
        }
        if let Some((_, at)) = &min
            && lo > MAX_ITEMS
        {
            self.error(
                code::SIZE_OUT_OF_RANGE,
                at.clone(),
                format!("at most {MAX_ITEMS} rows are possible"),
                "for example min_rows = 1",
            );
        }
        let (lo, hi) = (lo.min(MAX_ITEMS), hi.max(lo).min(MAX_ITEMS));
        (lo, hi, lo.max(drawn).min(hi))
    }

    fn check_id(&mut self, id: &Spanned<String>, what: &str) -> bool {
        let s = id.get_ref();
        let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            let suggestion = slugify(s).replace('-', "_");
            self.error(
                code::INVALID_ID,
                id.span(),
                format!("`{s}` cannot be used as a {what} id"),
                format!(
                    "ids use lowercase letters, digits and underscores and start with a letter{}",
                    if suggestion.is_empty() {
                        String::new()
                    } else {
                        format!(", for example `{suggestion}`")
                    }
                ),
            );
        }
        ok
    }

    fn claim_id(&mut self, id: &Spanned<String>, ids: &mut BTreeMap<String, Range<usize>>) {
        if let Some(first) = ids.get(id.get_ref()) {
            let text: &'a str = self.text;
            let (line, col) = self
                .lines
                .get_or_insert_with(|| LineIndex::new(text))
                .line_col(first.start);
            self.error(
                code::DUPLICATE_ID,
                id.span(),
                format!("the id `{}` is used twice in this form", id.get_ref()),
                format!("it was first used at line {line}, column {col}; every section and field needs its own id"),
            );
        } else {
            ids.insert(id.get_ref().clone(), id.span());
        }
    }

    fn section(
        &mut self,
        s: &SectionFile,
        number: usize,
        ids: &mut BTreeMap<String, Range<usize>>,
    ) -> Section {
        if self.check_id(&s.id, "section") {
            self.claim_id(&s.id, ids);
        }
        let fields = s.fields.iter().map(|f| self.field(f, ids)).collect();
        Section {
            id: s.id.get_ref().clone(),
            number,
            title: self.plain(&s.title),
            intro: s.intro.as_ref().map(|t| self.markdown(t)),
            fields,
        }
    }

    fn field(&mut self, f: &FieldFile, ids: &mut BTreeMap<String, Range<usize>>) -> Field {
        let kind = *f.kind.get_ref();
        self.check_attributes(f, kind);
        let id = self.field_id(f, kind, ids);
        let label = self.field_label(f, kind, &id);
        let text = self.field_text(f, kind);
        let options = self.options(f, kind, &id);
        let other = self.other(f, &id);
        let line_count = self.line_count(f, kind);
        self.check_numbers(f, kind);
        let columns = self.parts(f, kind);
        let (min_items, max_items, start) = self.item_bounds(f, kind);
        if kind.needs("expr") && f.expr.is_none() {
            self.error(
                code::MISSING_EXPR,
                f.kind.span(),
                format!("the computed field `{id}` has no expr"),
                "add the calculation, for example expr = \"sum(kosten.betrag)\"",
            );
        }
        let hint = self.plain_opt(&f.hint);
        let el = ElementIds::of(&id);
        let attachment = self.attachment(f, kind);
        Field {
            attachment,
            columns,
            min_items,
            max_items,
            items: (1..=start).collect(),
            decimals: f.decimals.as_ref().map(|d| *d.get_ref()),
            expr: None,
            total: None,
            totals: false,
            hint_id: hint.as_ref().map(|_| format!("{id}-hint")),
            hint_print: f.hint_print.as_ref().is_none_or(|p| *p.get_ref()),
            autocomplete: f.autocomplete.as_ref().map(|a| a.get_ref().clone()),
            group: kind.is_group(),
            kind,
            label,
            hint,
            required: f.required.as_ref().is_some_and(|r| *r.get_ref()),
            text,
            options,
            other,
            lines: (1..=line_count)
                .map(|n| Line {
                    id: format!("{}{n}", el.item),
                    number: n,
                })
                .collect(),
            placeholder: self.plain_opt(&f.placeholder),
            rows: f.rows.as_ref().map(|r| *r.get_ref()),
            max_length: f
                .max_length
                .as_ref()
                .map(|r| *r.get_ref())
                .or(kind.spec().default_max_length),
            min: f.min.as_ref().map(|r| *r.get_ref()),
            max: f.max.as_ref().map(|r| *r.get_ref()),
            unit: self.plain_opt(&f.unit),
            show_if: None,
            id,
            el,
        }
    }

    /// The field's id, claimed in the form; empty for a kind that needs none (`info`).
    fn field_id(
        &mut self,
        f: &FieldFile,
        kind: FieldKind,
        ids: &mut BTreeMap<String, Range<usize>>,
    ) -> String {
        match &f.id {
            Some(id) => {
                if self.check_id(id, "field") {
                    self.claim_id(id, ids);
                }
                id.get_ref().clone()
            }
            None if !kind.needs("id") => String::new(),
            None => {
                self.error(code::MISSING_ID, f.kind.span(), format!("this `{}` field has no id", kind.name()), "add a stable id, for example id = \"name_der_kommune\"; answers are stored under it");
                String::new()
            }
        }
    }

    fn field_label(&mut self, f: &FieldFile, kind: FieldKind, id: &str) -> String {
        match &f.label {
            Some(l) => self.plain(l),
            None if !kind.needs("label") => String::new(),
            None => {
                self.error(
                    code::MISSING_LABEL,
                    f.kind.span(),
                    format!("the field `{id}` has no label"),
                    "add label = \"…\": the question as applicants read it",
                );
                String::new()
            }
        }
    }

    /// The Markdown text of an `info` field.
    fn field_text(&mut self, f: &FieldFile, kind: FieldKind) -> Option<MarkdownText> {
        match &f.text {
            Some(t) => Some(self.markdown(t)),
            None if kind.needs("text") => {
                self.error(
                    code::MISSING_TEXT,
                    f.kind.span(),
                    "an `info` field needs a `text`",
                    "add text = \"\"\"…\"\"\" with the Markdown to show",
                );
                None
            }
            None => None,
        }
    }

    /// The free-text "other" option of a choice.
    fn other(&mut self, f: &FieldFile, id: &str) -> Option<Other> {
        f.other.as_ref().map(|o| Other {
            label: {
                let label = self.plain(o);
                if label.trim().is_empty() {
                    self.error(
                        code::EMPTY_OTHER_LABEL,
                        o.span(),
                        "the label of the \"other\" option is empty",
                        "write the text shown beside its box, for example other = \"Sonstiges – ggfs. eintragen\", or remove `other`",
                    );
                }
                label
            },
            id: format!("{id}-other"),
            label_id: format!("{id}-other-label"),
            text_id: ElementIds::of(id).other_text,
        })
    }

    /// The entry lines of an entry list (`lines`, 3 unless told).
    fn line_count(&mut self, f: &FieldFile, kind: FieldKind) -> usize {
        match &f.lines {
            Some(n) if *n.get_ref() == 0 || *n.get_ref() > MAX_LINES => {
                self.error(
                    code::LINES_OUT_OF_RANGE,
                    n.span(),
                    format!("an entry list needs between 1 and {MAX_LINES} lines"),
                    "for example lines = 3",
                );
                0
            }
            Some(n) => *n.get_ref() as usize,
            None if kind.takes("lines") => 3,
            None => 0,
        }
    }

    /// Numbers that make no sense: bounds that are none or cross, sizes out of range.
    fn check_numbers(&mut self, f: &FieldFile, kind: FieldKind) {
        for (name, bound) in [("min", &f.min), ("max", &f.max)] {
            if let Some(b) = bound
                && !b.get_ref().is_finite()
            {
                self.error(
                    code::NOT_A_NUMBER,
                    b.span(),
                    format!("`{name}` must be a number, not {}", b.get_ref()),
                    format!("write a finite number, for example {name} = 0, or leave `{name}` out for no limit"),
                );
            }
        }
        self.check_size("rows", &f.rows, MAX_ROWS, "rows = 5");
        self.check_size("max_length", &f.max_length, MAX_LENGTH, "max_length = 2000");
        // `min` and `max` bound a number; a group's count its instances (`item_bounds`).
        let bounds_answer = AnswerShape::is_typed_number(kind.shape());
        if let (Some(min), Some(max)) = (&f.min, &f.max)
            && bounds_answer
            && min.get_ref() > max.get_ref()
        {
            self.error(
                code::MIN_ABOVE_MAX,
                min.span().start..max.span().end,
                "`min` is larger than `max`",
                "swap the two values",
            );
        }
        self.check_size("max_rows", &f.max_rows, MAX_ITEMS, "max_rows = 30");
        self.check_size("max_files", &f.max_files, MAX_FILES, "max_files = 3");
        if let Some(d) = &f.decimals
            && *d.get_ref() > crate::expr::PLACES
        {
            self.error(
                code::SIZE_OUT_OF_RANGE,
                d.span(),
                format!("`decimals` must lie between 0 and 6, not {}", d.get_ref()),
                "for example decimals = 2 for euros and cents",
            );
        }
    }
}
