//! The table of all answers, laid out once from the form model: the inbox (through the model
//! handed to its page) and `formwerk answers` (CSV, XLSX) use the same columns.
//!
//! Every question gets a column; a multiple choice one per option ("x" when chosen); an
//! "other" text ("Sonstiges") stands beside its question. Headers have two rows: section number
//! and question label, then the answer's key.

use std::collections::BTreeMap;

use serde::Serialize;

use formwerk_form::schema::other_key;
use formwerk_form::{AnswerShape, Field, FieldKind, Form};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    /// The answers key the column reads.
    pub key: String,
    /// How the cell is made from the value: "value" (text, number, date, yes/no, choice
    /// label), "option" (an "x" when `option` is among the chosen values), "lines" (entry list,
    /// one line per entry), "files" (an attachment: one line per file with name, size and
    /// SHA-256, never its content), "text" (an "other" text).
    pub cell: &'static str,
    /// For "option" columns: the option value; for "value" columns of a choice: none.
    pub option: Option<String>,
    /// First header row: "1. Name der Gebietskörperschaft" or "2. Datenbereiche: Soziales".
    pub label: String,
    /// Second header row: the key, for an option `key=value`.
    pub id: String,
    /// The field's kind, to format the value (dates as 31.01.2026, numbers with a comma).
    pub kind: FieldKind,
    /// Texts shown for values: a choice's option labels, "ja"/"nein" for `true`/`false`.
    pub labels: BTreeMap<String, String>,
    /// Numbers and computed values: decimal places and unit, as the form shows them.
    pub decimals: Option<u32>,
    pub unit: Option<String>,
    /// For "rows" cells (a table or group, one row per line): the columns of a row.
    pub parts: Vec<Part>,
}

/// A column of a table or field of a group, for writing its rows as text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub decimals: Option<u32>,
    pub unit: Option<String>,
}

/// The answer columns of `form`, in form order; `strings` are the theme's (for ja/nein).
pub fn columns(form: &Form, strings: &toml::Table) -> Vec<Column> {
    let text = |key: &str| {
        strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    };
    let mut out = Vec::new();
    for section in &form.sections {
        for f in section.fields.iter().filter(|f| f.kind.asks()) {
            let label = format!("{}. {}", section.number, f.label);
            field_columns(f, &label, &text, &mut out);
        }
    }
    out
}

/// The columns of one question headed `label`: its answer's (a multiple choice's one per
/// option), then its "other" text's.
fn field_columns(f: &Field, label: &str, text: &dyn Fn(&str) -> String, out: &mut Vec<Column>) {
    let one = |cell, labels| column(f, f.id.clone(), cell, None, label.to_string(), labels);
    match f.kind.shape() {
        Some(AnswerShape::YesNo) => out.push(one(
            "value",
            [("true".into(), text("yes")), ("false".into(), text("no"))].into(),
        )),
        Some(AnswerShape::Choice) => out.push(one(
            "value",
            f.options
                .iter()
                .map(|o| (o.value.clone(), o.label.clone()))
                .chain(
                    f.other
                        .iter()
                        .map(|o| ("other".to_string(), o.label.clone())),
                )
                .collect(),
        )),
        Some(AnswerShape::Ticks) => {
            let ticks = f
                .options
                .iter()
                .map(|o| (o.value.as_str(), o.label.as_str()));
            let other = f.other.iter().map(|o| ("other", o.label.as_str()));
            for (value, text) in ticks.chain(other) {
                let mut c = column(
                    f,
                    f.id.clone(),
                    "option",
                    Some(value.to_string()),
                    format!("{label}: {text}"),
                    BTreeMap::new(),
                );
                c.id = format!("{}={value}", f.id);
                out.push(c);
            }
        }
        Some(AnswerShape::Rows(_)) => out.push(one("rows", BTreeMap::new())),
        Some(AnswerShape::Lines) => out.push(one("lines", BTreeMap::new())),
        Some(AnswerShape::Files) => out.push(one("files", BTreeMap::new())),
        Some(
            AnswerShape::Text { .. }
            | AnswerShape::Date
            | AnswerShape::Number
            | AnswerShape::Calculated,
        ) => out.push(one("value", BTreeMap::new())),
        None => {}
    }
    if let Some(other) = &f.other {
        out.push(column(
            f,
            other_key(f),
            "text",
            None,
            format!("{label}: {} (Text)", other.label),
            BTreeMap::new(),
        ));
    }
}

/// A column of `f` reading `key`, its second header row the key.
fn column(
    f: &Field,
    key: String,
    cell: &'static str,
    option: Option<String>,
    label: String,
    labels: BTreeMap<String, String>,
) -> Column {
    Column {
        id: key.clone(),
        key,
        cell,
        option,
        label,
        kind: f.kind,
        labels,
        decimals: f.decimals,
        unit: f.unit.clone(),
        parts: f
            .columns
            .iter()
            .map(|c| Part {
                id: c.id.clone(),
                label: c.label.clone(),
                kind: c.kind,
                decimals: c.decimals,
                unit: c.unit.clone(),
            })
            .collect(),
    }
}
