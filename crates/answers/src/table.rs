//! The answers table's cells, and the CSV file for German Excel: UTF-8 with BOM, `;` between
//! cells, CRLF between rows, and cells that Excel would take for a formula (starting with
//! `=`, `+`, `-`, `@`, tab or carriage return) neutralised with a leading apostrophe.

use serde_json::Value;

use super::columns::Column;
use super::read::{Application, Strings};
use formwerk_form::{AnswerShape, FieldKind};

/// The fixed columns before the answers: file, identifying answer, version, saved at,
/// checksum, status.
pub(crate) fn fixed_headers(s: &Strings, identify_label: Option<&str>) -> Vec<(String, String)> {
    let mut out = vec![(s.get("col_file"), "file".to_string())];
    if let Some(label) = identify_label {
        out.push((label.to_string(), "identify".into()));
    }
    for (key, id) in [
        ("col_version", "version"),
        ("col_saved", "saved_at"),
        ("col_integrity", "checksum"),
        ("col_status", "status"),
    ] {
        out.push((s.get(key), id.into()));
    }
    out
}

pub(crate) fn fixed_cells(app: &Application, s: &Strings, identify: bool) -> Vec<String> {
    let mut out = vec![app.file.clone()];
    if identify {
        out.push(app.identify.clone());
    }
    let integrity = match app.integrity {
        _ if app.from_pdf => "integrity_pdf",
        super::checksum::Integrity::Valid => "integrity_valid",
        super::checksum::Integrity::Missing => "integrity_missing",
        super::checksum::Integrity::Mismatch => "integrity_mismatch",
    };
    out.extend([
        app.version.clone(),
        app.saved_at.clone(),
        s.get(integrity),
        status_text(app, s),
    ]);
    out
}

/// "vollständig", "unvollständig, doppelt" …
pub fn status_text(app: &Application, s: &Strings) -> String {
    let status = s.get(app.status.key());
    if app.duplicate {
        format!("{status}, {}", s.get("status_duplicate"))
    } else {
        status
    }
}

/// A number as written in German: a decimal comma.
fn number(n: &serde_json::Number) -> String {
    let v = n.as_f64().unwrap_or(0.0);
    let text = if n.is_f64() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        n.to_string()
    };
    text.replace('.', ",")
}

/// Any value as text, for extra columns (answers the current version has no column for).
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => number(n),
        Value::Array(_) if crate::attachment::attachments(v).is_some() => {
            crate::attachment::attachment_summary(v)
        }
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The text of one answer cell.
pub fn cell(column: &Column, app: &Application) -> String {
    let Some(v) = app.answers.get(&column.key) else {
        return String::new();
    };
    match column.cell {
        "option" => {
            let chosen = v
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x.as_str() == column.option.as_deref()));
            if chosen { "x".into() } else { String::new() }
        }
        "rows" => v
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| {
                column
                    .parts
                    .iter()
                    .filter_map(|p| {
                        let x = row.get(&p.id)?;
                        let text = shown(p.kind, p.decimals, p.unit.as_deref(), x);
                        (!text.trim().is_empty()).then(|| format!("{}: {text}", p.label))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        "lines" => {
            let mut lines: Vec<&str> = v
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
            lines.join("\n")
        }
        _ => value_cell(column, v),
    }
}

/// The text of a cell with the answer itself: the label of the option or of yes/no chosen, a
/// computed value as the form shows it, a date as 31.01.2026, anything else as it is.
fn value_cell(column: &Column, v: &Value) -> String {
    let key = match v {
        Value::Bool(b) => Some(b.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    if let Some(label) = key.as_ref().and_then(|k| column.labels.get(k)) {
        return label.clone();
    }
    match column.kind.shape() {
        Some(AnswerShape::Calculated) => {
            shown(column.kind, column.decimals, column.unit.as_deref(), v)
        }
        Some(AnswerShape::Date) => date(v),
        Some(
            AnswerShape::Text { .. }
            | AnswerShape::Number
            | AnswerShape::YesNo
            | AnswerShape::Choice
            | AnswerShape::Ticks
            | AnswerShape::Lines
            | AnswerShape::Rows(_),
        )
        | None => plain(v),
    }
}

/// A value as the form shows it: numbers German with decimals and unit, dates as 31.01.2026.
pub fn shown(kind: FieldKind, decimals: Option<u32>, unit: Option<&str>, v: &Value) -> String {
    match kind.shape() {
        Some(AnswerShape::Number | AnswerShape::Calculated) => {
            match formwerk_form::expr::from_json(v) {
                Some(n) => formwerk_form::expr::german(n, decimals, unit),
                None => plain(v),
            }
        }
        Some(AnswerShape::Date) => date(v),
        Some(
            AnswerShape::Text { .. }
            | AnswerShape::YesNo
            | AnswerShape::Choice
            | AnswerShape::Ticks
            | AnswerShape::Lines
            | AnswerShape::Rows(_),
        )
        | None => plain(v),
    }
}

/// A date `YYYY-MM-DD` as 31.01.2026; anything else as it is.
fn date(v: &Value) -> String {
    match v {
        Value::String(d) if formwerk_form::is_iso_date_shape(d) => {
            format!("{}.{}.{}", &d[8..10], &d[5..7], &d[0..4])
        }
        v => plain(v),
    }
}

/// A CSV cell: neutralised against formulas, quoted when needed.
pub fn csv_cell(text: &str, out: &mut String) {
    let neutral = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = text.contains([';', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if neutral {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

pub fn csv_row<S: AsRef<str>>(cells: impl IntoIterator<Item = S>, out: &mut String) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        csv_cell(c.as_ref(), out);
    }
    out.push_str("\r\n");
}
