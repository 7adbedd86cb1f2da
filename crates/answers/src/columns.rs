//! The table of all answers, laid out once from the form model: the inbox (through the model
//! handed to its page) and `formwerk answers` (CSV, XLSX) use the same columns.
//!
//! Every question gets a column; a multiple choice one per option ("x" when chosen); an
//! "other" text ("Sonstiges") stands beside its question. Headers have two rows: section number
//! and question label, then the answer's key.

use std::collections::BTreeMap;

use serde::Serialize;

use formwerk_form::schema::other_key;
use formwerk_form::{FieldKind, Form};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    /// The answers key the column reads.
    pub key: String,
    /// How the cell is made from the value: "value" (text, number, date, yes/no, choice
    /// label), "option" (an "x" when `option` is among the chosen values), "lines" (entry list,
    /// one line per entry), "text" (an "other" text).
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
        for f in section.fields.iter().filter(|f| f.kind != FieldKind::Info) {
            let label = format!("{}. {}", section.number, f.label);
            let labels: BTreeMap<String, String> = match f.kind {
                FieldKind::YesNo => {
                    [("true".into(), text("yes")), ("false".into(), text("no"))].into()
                }
                FieldKind::Choice => f
                    .options
                    .iter()
                    .map(|o| (o.value.clone(), o.label.clone()))
                    .chain(
                        f.other
                            .iter()
                            .map(|o| ("other".to_string(), o.label.clone())),
                    )
                    .collect(),
                _ => BTreeMap::new(),
            };
            let column =
                |key: String, cell, option: Option<String>, label: String, id: String| Column {
                    key,
                    cell,
                    option,
                    label,
                    id,
                    kind: f.kind,
                    labels: if cell == "value" {
                        labels.clone()
                    } else {
                        BTreeMap::new()
                    },
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
                };
            match f.kind {
                FieldKind::MultiChoice => {
                    for o in &f.options {
                        out.push(column(
                            f.id.clone(),
                            "option",
                            Some(o.value.clone()),
                            format!("{label}: {}", o.label),
                            format!("{}={}", f.id, o.value),
                        ));
                    }
                    if let Some(other) = &f.other {
                        out.push(column(
                            f.id.clone(),
                            "option",
                            Some("other".into()),
                            format!("{label}: {}", other.label),
                            format!("{}=other", f.id),
                        ));
                    }
                }
                FieldKind::Table | FieldKind::Group => out.push(column(
                    f.id.clone(),
                    "rows",
                    None,
                    label.clone(),
                    f.id.clone(),
                )),
                FieldKind::EntryList => out.push(column(
                    f.id.clone(),
                    "lines",
                    None,
                    label.clone(),
                    f.id.clone(),
                )),
                _ => out.push(column(
                    f.id.clone(),
                    "value",
                    None,
                    label.clone(),
                    f.id.clone(),
                )),
            }
            if let Some(other) = &f.other {
                out.push(column(
                    other_key(f),
                    "text",
                    None,
                    format!("{label}: {} (Text)", other.label),
                    other_key(f),
                ));
            }
        }
    }
    out
}
