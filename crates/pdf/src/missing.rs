//! Characters no font has: a filled PDF draws them as placeholders (see [`crate::shape`])
//! and closes with a note naming them, and `formwerk answers --pdf` names them too, so
//! that nothing an applicant typed is lost without a word.

use std::collections::BTreeSet;

use pdf_writer::types::StructRole;
use serde_json::{Map, Value};

use crate::layout::{BODY, Layout, WIDTH, styled};
use crate::{Fonts, Older, Strings};

/// The characters of the answers (and of an older version's extra answers) that no face of
/// `fonts` has, in the order of their code points.
pub fn missing_chars(fonts: &Fonts, answers: &Map<String, Value>) -> Vec<char> {
    let mut out = BTreeSet::new();
    for value in answers.values() {
        strings(value, &mut |s| out.extend(fonts.missing(s)));
    }
    out.into_iter().collect()
}

/// Calls `f` with every string in `value`.
fn strings(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, f)),
        Value::Object(map) => map.values().for_each(|v| strings(v, f)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// "U+1F600 U+1F4A9": how the note names characters (they cannot be drawn).
pub(crate) fn code_points(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds the note naming the characters no face has, when there are any: those of the
/// pages so far (the form's own texts, printed answers) and those of the answers (which
/// field appearances draw later).
pub(crate) fn note(
    layout: &mut Layout,
    strings: &Strings,
    answers: Option<(&Map<String, Value>, Option<Older>)>,
) {
    let mut chars: BTreeSet<char> = layout.used.borrow().missing.clone();
    if let Some((answers, older)) = answers {
        chars.extend(missing_chars(layout.fonts, answers));
        if let Some(older) = older {
            chars.extend(missing_chars(layout.fonts, older.extra));
        }
    }
    if chars.is_empty() {
        return;
    }
    let chars: Vec<char> = chars.into_iter().collect();
    let text = strings
        .missing_glyphs
        .replace("{chars}", &code_points(&chars));
    layout.space(10.0);
    layout.text(
        StructRole::P,
        0,
        &[styled(&text, false, true)],
        BODY,
        0.0,
        WIDTH,
    );
}
