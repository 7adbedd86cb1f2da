//! Reads a `*.form.toml` file and checks it: unknown keys and kinds, attributes that do not
//! fit the field's kind, duplicate ids, empty option lists, `show_if` conditions. Every
//! problem is reported with its place in the file.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::model::*;
use crate::config::Config;
use crate::content::{Page, PageKind, SourceFile};
use crate::diagnostics::{
    Diagnostic, Diagnostics, closest, from_toml_error, quoted_list, read_text,
};
use crate::slug::slugify;
use crate::vars::expand_located;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFile {
    #[serde(default)]
    id: Option<Spanned<String>>,
    title: Spanned<String>,
    #[serde(default)]
    pretitle: Option<Spanned<String>>,
    #[serde(default)]
    subtitle: Option<Spanned<String>>,
    version: Spanned<String>,
    #[serde(default)]
    description: Option<Spanned<String>>,
    #[serde(default)]
    intro: Option<Spanned<String>>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    template: Option<Spanned<String>>,
    sections: Spanned<Vec<SectionFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    intro: Option<Spanned<String>>,
    #[serde(default)]
    fields: Vec<FieldFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldFile {
    #[serde(default)]
    id: Option<Spanned<String>>,
    kind: Spanned<FieldKind>,
    #[serde(default)]
    label: Option<Spanned<String>>,
    #[serde(default)]
    hint: Option<Spanned<String>>,
    #[serde(default)]
    required: Option<Spanned<bool>>,
    #[serde(default)]
    text: Option<Spanned<String>>,
    #[serde(default)]
    options: Option<Spanned<Vec<Spanned<OptionFile>>>>,
    #[serde(default)]
    other: Option<Spanned<String>>,
    #[serde(default)]
    lines: Option<Spanned<u32>>,
    #[serde(default)]
    placeholder: Option<Spanned<String>>,
    #[serde(default)]
    rows: Option<Spanned<u32>>,
    #[serde(default)]
    max_length: Option<Spanned<u32>>,
    #[serde(default)]
    min: Option<Spanned<f64>>,
    #[serde(default)]
    max: Option<Spanned<f64>>,
    #[serde(default)]
    unit: Option<Spanned<String>>,
    #[serde(default)]
    show_if: Option<Spanned<ShowIfFile>>,
}

/// An option: either its label as text, or a table `{ value = "…", label = "…" }`.
#[derive(Debug)]
struct OptionFile {
    value: Option<String>,
    label: String,
}

impl<'de> Deserialize<'de> for OptionFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            #[serde(default)]
            value: Option<String>,
            label: String,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OptionFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an option's text, or a table with `label` and optionally `value`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OptionFile, E> {
                Ok(OptionFile {
                    value: None,
                    label: v.to_string(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<OptionFile, A::Error> {
                let t = Table::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(OptionFile {
                    value: t.value,
                    label: t.label,
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShowIfFile {
    field: Spanned<String>,
    equals: Spanned<toml::Value>,
}

/// Loads a form file as a page; `None` for a draft.
pub fn load_page(config: &Config, file: &SourceFile) -> Result<Option<Page>, Diagnostics> {
    let shown = &file.shown;
    let text = read_text(&file.path, shown).map_err(|d| Diagnostics(vec![d]))?;
    let parsed: FormFile = toml::from_str(&text)
        .map_err(|e| Diagnostics(vec![from_toml_error(shown, &text, 0, &e)]))?;
    if parsed.draft {
        return Ok(None);
    }
    let stem = file
        .content_path
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .trim_end_matches(crate::content::FORM_SUFFIX)
                .to_string()
        })
        .unwrap_or_default();
    let mut cx = Checker {
        config,
        file: shown,
        text: &text,
        errors: Vec::new(),
    };
    let (form, description, template, weight) = cx.form(parsed, &stem);
    if !cx.errors.is_empty() {
        return Err(Diagnostics(cx.errors));
    }
    Ok(Some(Page {
        kind: PageKind::Form,
        source: shown.clone(),
        content_path: file.content_path.clone(),
        output: file.output.clone(),
        title: form.title.clone(),
        description,
        weight,
        template_span: template.as_ref().map(|t| t.span()),
        template: template.map_or_else(|| "form.html".to_string(), |t| t.into_inner()),
        extra: toml::Table::new(),
        body_offset: 0,
        form: Some(form),
        parent: None,
        children: Vec::new(),
        html: String::new(),
        toc: Vec::new(),
        anchors: Vec::new(),
        text,
    }))
}

/// An attribute's name, where it was written (if it was), and the kinds it applies to.
type AttributeRule<'a> = (&'a str, Option<Range<usize>>, &'a [FieldKind]);

struct Checker<'a> {
    config: &'a Config,
    file: &'a Path,
    text: &'a Arc<str>,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, range: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        self.errors
            .push(Diagnostic::at(self.file, self.text, range, message).with_help(help));
    }

    /// Plain text with `{{ variables }}` filled in.
    fn plain(&mut self, s: &Spanned<String>) -> String {
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
    fn markdown(&self, s: &Spanned<String>) -> MarkdownText {
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
                f.title.span(),
                "the form's title is empty",
                "write the form's name, for example title = \"Projektbeschreibung\"",
            );
        }
        if f.version.get_ref().trim().is_empty() {
            self.error(f.version.span(), "the form's version is empty", "give the version applicants' answer files are matched against, for example version = \"2026-1\"");
        }
        if f.sections.get_ref().is_empty() {
            self.error(
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
            title,
            pretitle: self.plain_opt(&f.pretitle),
            subtitle: self.plain_opt(&f.subtitle),
            version: self.plain(&f.version),
            intro: f.intro.as_ref().map(|t| self.markdown(t)),
            sections,
        };
        self.show_ifs(&sections_in, &mut form, &ids);
        (form, description, f.template, f.weight)
    }

    fn check_id(&mut self, id: &Spanned<String>, what: &str) -> bool {
        let s = id.get_ref();
        let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            let suggestion = slugify(s).replace('-', "_");
            self.error(
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
            let (line, col) = crate::diagnostics::line_col(self.text, first.start);
            self.error(
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
        let kind_span = f.kind.span();
        self.check_attributes(f, kind);
        let id = match (&f.id, kind) {
            (Some(id), _) => {
                if self.check_id(id, "field") {
                    self.claim_id(id, ids);
                }
                id.get_ref().clone()
            }
            (None, FieldKind::Info) => String::new(),
            (None, _) => {
                self.error(kind_span.clone(), format!("this `{}` field has no id", kind.name()), "add a stable id, for example id = \"name_der_kommune\"; answers are stored under it");
                String::new()
            }
        };
        let label = match (&f.label, kind) {
            (Some(l), _) => self.plain(l),
            (None, FieldKind::Info) => String::new(),
            (None, _) => {
                self.error(
                    kind_span.clone(),
                    format!("the field `{id}` has no label"),
                    "add label = \"…\": the question as applicants read it",
                );
                String::new()
            }
        };
        let text = match (&f.text, kind) {
            (Some(t), _) => Some(self.markdown(t)),
            (None, FieldKind::Info) => {
                self.error(
                    kind_span.clone(),
                    "an `info` field needs a `text`",
                    "add text = \"\"\"…\"\"\" with the Markdown to show",
                );
                None
            }
            (None, _) => None,
        };
        let options = self.options(f, kind, &id);
        let other = f.other.as_ref().map(|o| Other {
            label: self.plain(o),
            id: format!("{id}-other"),
            label_id: format!("{id}-other-label"),
            text_id: format!("{id}-other-text"),
        });
        let line_count = match (&f.lines, kind) {
            (Some(n), _) if *n.get_ref() == 0 || *n.get_ref() > 50 => {
                self.error(
                    n.span(),
                    "an entry list needs between 1 and 50 lines",
                    "for example lines = 3",
                );
                0
            }
            (Some(n), _) => *n.get_ref() as usize,
            (None, FieldKind::EntryList) => 3,
            (None, _) => 0,
        };
        if let (Some(min), Some(max)) = (&f.min, &f.max)
            && min.get_ref() > max.get_ref()
        {
            self.error(
                min.span().start..max.span().end,
                "`min` is larger than `max`",
                "swap the two values",
            );
        }
        let hint = self.plain_opt(&f.hint);
        Field {
            hint_id: hint.as_ref().map(|_| format!("{id}-hint")),
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
                    id: format!("{id}-{n}"),
                    number: n,
                })
                .collect(),
            placeholder: self.plain_opt(&f.placeholder),
            rows: f.rows.as_ref().map(|r| *r.get_ref()),
            max_length: f.max_length.as_ref().map(|r| *r.get_ref()),
            min: f.min.as_ref().map(|r| *r.get_ref()),
            max: f.max.as_ref().map(|r| *r.get_ref()),
            unit: self.plain_opt(&f.unit),
            show_if: None,
            id,
        }
    }

    /// Each attribute belongs to certain kinds; anything else is a mistake worth naming.
    fn check_attributes(&mut self, f: &FieldFile, kind: FieldKind) {
        use FieldKind::*;
        let attributes: [AttributeRule; 12] = [
            ("text", f.text.as_ref().map(|s| s.span()), &[Info]),
            (
                "options",
                f.options.as_ref().map(|s| s.span()),
                &[Choice, MultiChoice],
            ),
            (
                "other",
                f.other.as_ref().map(|s| s.span()),
                &[Choice, MultiChoice],
            ),
            ("lines", f.lines.as_ref().map(|s| s.span()), &[EntryList]),
            (
                "placeholder",
                f.placeholder.as_ref().map(|s| s.span()),
                &[Text, Textarea, EntryList, Number],
            ),
            ("rows", f.rows.as_ref().map(|s| s.span()), &[Textarea]),
            (
                "max_length",
                f.max_length.as_ref().map(|s| s.span()),
                &[Text, Textarea, EntryList],
            ),
            ("min", f.min.as_ref().map(|s| s.span()), &[Number]),
            ("max", f.max.as_ref().map(|s| s.span()), &[Number]),
            ("unit", f.unit.as_ref().map(|s| s.span()), &[Number]),
            (
                "label",
                f.label.as_ref().map(|s| s.span()),
                &[
                    Text,
                    Textarea,
                    YesNo,
                    Choice,
                    MultiChoice,
                    EntryList,
                    Date,
                    Number,
                ],
            ),
            (
                "required",
                f.required.as_ref().map(|s| s.span()),
                &[
                    Text,
                    Textarea,
                    YesNo,
                    Choice,
                    MultiChoice,
                    EntryList,
                    Date,
                    Number,
                ],
            ),
        ];
        for (name, present, allowed) in attributes {
            if let Some(range) = present
                && !allowed.contains(&kind)
            {
                let kinds: Vec<&str> = allowed.iter().map(|k| k.name()).collect();
                self.error(
                    range,
                    format!(
                        "`{name}` does not apply to a field of kind `{}`",
                        kind.name()
                    ),
                    format!(
                        "remove `{name}`, or use it with kind {}",
                        quoted_list(&kinds)
                    ),
                );
            }
        }
        if kind == Info
            && let Some(s) = &f.show_if
        {
            self.error(
                s.span(),
                "an `info` text cannot be shown conditionally",
                "remove show_if",
            );
        }
        if f.hint.is_some() && kind == Info {
            self.error(
                f.hint.as_ref().map(|h| h.span()).unwrap_or_default(),
                "`hint` does not apply to an `info` text",
                "write it into the text itself",
            );
        }
    }

    fn options(&mut self, f: &FieldFile, kind: FieldKind, id: &str) -> Vec<ChoiceOption> {
        if !matches!(kind, FieldKind::Choice | FieldKind::MultiChoice) {
            return Vec::new();
        }
        let Some(list) = &f.options else {
            self.error(
                f.kind.span(),
                format!("the `{}` field `{id}` has no options", kind.name()),
                "add options = [\"…\", \"…\"]",
            );
            return Vec::new();
        };
        if list.get_ref().is_empty() {
            self.error(
                list.span(),
                format!("the option list of `{id}` is empty"),
                "give at least one option, for example options = [\"Bevölkerung\", \"Soziales\"]",
            );
            return Vec::new();
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for option in list.get_ref() {
            let at = option.span();
            let label = self.plain(&Spanned::new(at.clone(), option.get_ref().label.clone()));
            let value_text = option
                .get_ref()
                .value
                .clone()
                .unwrap_or_else(|| slugify(&label));
            if label.trim().is_empty() {
                self.error(
                    at.clone(),
                    "an option's label is empty",
                    "write the option's text",
                );
            } else if value_text.is_empty()
                || !value_text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                self.error(at, format!("`{value_text}` cannot be used as an option value"), "give the option a value of letters, digits, `-` and `_`: { value = \"…\", label = \"…\" }");
            } else if value_text == "other" && f.other.is_some() {
                self.error(
                    at,
                    "the value `other` is taken by the field's `other` option",
                    "give this option another value",
                );
            } else if !seen.insert(value_text.clone()) {
                self.error(
                    at,
                    format!("the option `{value_text}` appears twice in `{id}`"),
                    "every option needs its own label or value",
                );
            }
            out.push(ChoiceOption {
                id: format!("{id}-{value_text}"),
                value: value_text,
                label,
            });
        }
        out
    }

    /// Resolves `show_if` once all fields are known: it may name a field further down.
    fn show_ifs(
        &mut self,
        sections: &[SectionFile],
        form: &mut Form,
        ids: &BTreeMap<String, Range<usize>>,
    ) {
        let by_id: BTreeMap<String, Field> = form
            .fields()
            .filter(|f| !f.id.is_empty())
            .map(|f| (f.id.clone(), f.clone()))
            .collect();
        for (s_in, s_out) in sections.iter().zip(form.sections.iter_mut()) {
            for (f_in, f_out) in s_in.fields.iter().zip(s_out.fields.iter_mut()) {
                let Some(cond) = &f_in.show_if else { continue };
                let cond = cond.get_ref();
                let name = cond.field.get_ref();
                let Some(target) = by_id.get(name) else {
                    let help = match closest(name, ids.keys().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "name the id of another field of this form".to_string(),
                    };
                    self.error(
                        cond.field.span(),
                        format!("show_if names `{name}`, but this form has no field with that id"),
                        help,
                    );
                    continue;
                };
                if target.id == f_out.id {
                    self.error(
                        cond.field.span(),
                        "a field cannot depend on itself",
                        "name another field in show_if",
                    );
                    continue;
                }
                if let Some(equals) = self.condition_value(target, &cond.equals) {
                    f_out.show_if = Some(ShowIf {
                        field: name.clone(),
                        equals,
                    });
                }
            }
        }
    }

    fn condition_value(&mut self, target: &Field, equals: &Spanned<toml::Value>) -> Option<String> {
        let span = equals.span();
        match (target.kind, equals.get_ref()) {
            (FieldKind::YesNo, toml::Value::Boolean(b)) => Some(b.to_string()),
            (FieldKind::YesNo, _) => {
                self.error(
                    span,
                    format!(
                        "`{}` is a yes/no field: compare it with true (ja) or false (nein)",
                        target.id
                    ),
                    "write equals = true or equals = false",
                );
                None
            }
            (FieldKind::Choice | FieldKind::MultiChoice, toml::Value::String(s)) => {
                let found = target
                    .options
                    .iter()
                    .find(|o| &o.value == s || &o.label == s);
                match found {
                    Some(o) => Some(o.value.clone()),
                    None if target.other.is_some() && s == "other" => Some("other".into()),
                    None => {
                        let labels: Vec<&str> =
                            target.options.iter().map(|o| o.label.as_str()).collect();
                        let help = match closest(s, labels.iter().copied()) {
                            Some(best) => format!("did you mean \"{best}\"?"),
                            None => format!("the options are: {}", quoted_list(&labels)),
                        };
                        self.error(
                            span,
                            format!("\"{s}\" is not an option of `{}`", target.id),
                            help,
                        );
                        None
                    }
                }
            }
            (
                FieldKind::Text | FieldKind::Textarea | FieldKind::Date | FieldKind::Number,
                toml::Value::String(s),
            ) => Some(s.clone()),
            (FieldKind::Number, v @ (toml::Value::Integer(_) | toml::Value::Float(_))) => {
                Some(v.to_string())
            }
            (FieldKind::EntryList | FieldKind::Info, _) => {
                self.error(
                    span,
                    format!(
                        "show_if cannot depend on the `{}` field `{}`",
                        target.kind.name(),
                        target.id
                    ),
                    "depend on a yes/no, choice, text, date or number field",
                );
                None
            }
            _ => {
                self.error(
                    span,
                    "the value to compare with must be text",
                    "write equals = \"…\"",
                );
                None
            }
        }
    }
}

/// Where a TOML string's value begins: after its opening quotes and, for a multi-line string,
/// the newline that directly follows them.
fn value_start(text: &str, span: Range<usize>) -> usize {
    let raw = text.get(span.clone()).unwrap_or("");
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let after = &raw[quote.min(raw.len())..];
    let newline = if quote == 3 && after.starts_with("\r\n") {
        2
    } else if quote == 3 && after.starts_with('\n') {
        1
    } else {
        0
    };
    span.start + quote + newline
}
