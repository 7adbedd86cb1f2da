//! The end of a filled PDF whose answers were saved with another version of the form: that
//! version, named, and the answers the PDF's version no longer asks, each with its key and
//! value — printed, so that nothing of the answers file is dropped without being named.

use pdf_writer::types::StructRole;
use serde_json::Value;

use super::layout::*;
use super::{Older, Strings};
use formwerk_form::Form;

const HEADING: TextStyle = TextStyle {
    size: 13.0,
    leading: 18.0,
    gray: 0.0,
};

pub fn older_answers(l: &mut Layout, form: &Form, strings: &Strings, older: Older) {
    if older.version == form.version && older.extra.is_empty() {
        return;
    }
    let sect = l.element(StructRole::Sect, 0);
    l.space(18.0);
    let note = vec![styled(
        &strings.older_version.replace("{version}", older.version),
        false,
        true,
    )];
    l.keep(l.height(&note, BODY, WIDTH));
    l.text(StructRole::P, sect, &note, BODY, 0.0, WIDTH);
    if older.extra.is_empty() {
        return;
    }
    let heading = vec![styled(
        &strings.older_extra.replace("{version}", older.version),
        true,
        false,
    )];
    l.space(10.0);
    l.keep(l.height(&heading, HEADING, WIDTH) + 2.0 * BODY.leading);
    l.text(StructRole::H2, sect, &heading, HEADING, 0.0, WIDTH);
    l.space(4.0);
    for (key, value) in older.extra {
        let runs = vec![
            styled(&format!("{key}:"), true, false),
            styled(&format!(" {}", shown(value, strings)), false, false),
        ];
        l.keep(l.height(&runs, BODY, WIDTH).min(3.0 * BODY.leading));
        l.text(StructRole::P, sect, &runs, BODY, 0.0, WIDTH);
        l.space(4.0);
    }
}

/// An answer as a reader sees it: text as it is, yes/no in words, lists one item a line.
fn shown(value: &Value, strings: &Strings) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => strings.yes.clone(),
        Value::Bool(false) => strings.no.clone(),
        Value::Number(n) => n.to_string().replace('.', ","),
        Value::Array(items) => items
            .iter()
            .map(|v| shown(v, strings))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{k}: {}", shown(v, strings)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => String::new(),
    }
}
