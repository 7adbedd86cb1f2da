//! One answer against its field, the rules form-rules.js applies on the page: whether a value
//! fits the field's kind, whether the field is shown (`show_if`), and the problem to name —
//! a required answer missing, a number out of range, a date, e-mail address or telephone
//! number of the wrong shape, an empty cell of a required column.

use serde_json::{Map, Value};

use super::read::Strings;
use formwerk_form::{AnswerShape, Field, Form, Rows, TextFormat};

/// Whether a value fits the field (form-rules.js `fits`).
pub(crate) fn fits(f: &Field, v: &Value) -> bool {
    let allowed =
        |x: &str| f.options.iter().any(|o| o.value == x) || (f.other.is_some() && x == "other");
    match f.kind.shape() {
        Some(AnswerShape::Text { .. }) => v.is_string(),
        Some(AnswerShape::Date) => v.as_str().is_some_and(formwerk_form::is_iso_date_shape),
        Some(AnswerShape::Number | AnswerShape::Calculated) => v.is_number(),
        Some(AnswerShape::YesNo) => v.is_boolean(),
        Some(AnswerShape::Choice) => v.as_str().is_some_and(allowed),
        Some(AnswerShape::Ticks) => v.as_array().is_some_and(|items| {
            items
                .iter()
                .enumerate()
                .all(|(i, x)| x.as_str().is_some_and(allowed) && !items[..i].contains(x))
        }),
        Some(AnswerShape::Lines) => v.as_array().is_some_and(|items| {
            items.len() <= f.lines.len() && items.iter().all(Value::is_string)
        }),
        Some(AnswerShape::Files) => super::attachments::fits(v),
        // Rows of an older version may lack columns added since; a column the form does not
        // have does not fit.
        Some(AnswerShape::Rows(_)) => v.as_array().is_some_and(|rows| {
            rows.len() <= f.max_items as usize
                && rows.iter().all(|row| {
                    row.as_object().is_some_and(|cells| {
                        cells
                            .iter()
                            .all(|(k, x)| f.columns.iter().any(|c| c.id == *k && fits(c, x)))
                    })
                })
        }),
        None => false,
    }
}

/// The answer as the form page reads it: `None` when blank (form-rules.js `answered`).
pub(crate) fn answered(v: &Value) -> Option<&Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::Array(items)
            if items
                .iter()
                .all(|x| x.as_str().is_some_and(|s| s.trim().is_empty())) =>
        {
            None
        }
        v => Some(v),
    }
}

/// Whether a field is shown with these answers (form-rules.js `visible`).
pub(crate) fn visible(form: &Form, f: &Field, answers: &Map<String, Value>, depth: usize) -> bool {
    let Some(cond) = &f.show_if else { return true };
    let Some(dep) = form.fields().find(|d| d.id == cond.field) else {
        return true;
    };
    if depth > 32 {
        return true;
    }
    if !visible(form, dep, answers, depth + 1) {
        return false;
    }
    match answers.get(&dep.id).and_then(answered) {
        None => false,
        Some(Value::Array(items)) => items.iter().any(|x| x.as_str() == Some(&cond.equals)),
        Some(Value::Number(n)) => cond.equals.parse::<f64>().ok() == n.as_f64(),
        Some(Value::String(s)) => s == &cond.equals,
        Some(other) => *other == cond.equals,
    }
}

/// What is wrong with an answer (`None`: none given), as the form page says it.
pub(crate) fn problem(f: &Field, v: Option<&Value>, s: &Strings) -> Option<String> {
    let Some(v) = v else {
        return unanswered(f, s);
    };
    let label = f.label.as_str();
    match f.kind.shape() {
        Some(AnswerShape::Rows(rows)) => {
            if let Some(message) = empty_cell(f, rows, v, s) {
                return Some(message);
            }
        }
        Some(AnswerShape::Text { format, .. }) => {
            if let Some(key) = v.as_str().and_then(|t| misformatted(format, t.trim())) {
                return Some(s.fmt(key, &[("label", label)]));
            }
        }
        Some(AnswerShape::Number) => {
            if let Some(n) = v.as_f64() {
                if let Some(min) = f.min.filter(|m| n < *m) {
                    return Some(
                        s.fmt("error_min", &[("label", label), ("min", &min.to_string())]),
                    );
                }
                if let Some(max) = f.max.filter(|m| n > *m) {
                    return Some(
                        s.fmt("error_max", &[("label", label), ("max", &max.to_string())]),
                    );
                }
            }
        }
        Some(AnswerShape::Files) => {
            if let Some(message) = super::attachments::problem(f, v, s) {
                return Some(message);
            }
        }
        Some(
            AnswerShape::Date
            | AnswerShape::Calculated
            | AnswerShape::YesNo
            | AnswerShape::Choice
            | AnswerShape::Ticks
            | AnswerShape::Lines,
        )
        | None => {}
    }
    if let Some(max) = f.max_length {
        let too_long = |x: &Value| {
            x.as_str()
                .is_some_and(|t| t.encode_utf16().count() > max as usize)
        };
        let long = match v {
            Value::Array(items) => items.iter().any(too_long),
            v => too_long(v),
        };
        if long {
            return Some(s.fmt(
                "error_length",
                &[("label", label), ("max", &max.to_string())],
            ));
        }
    }
    None
}

/// What is wrong with a question left unanswered: required, or a group with a minimum,
/// whose first instance is asked for with its required fields.
fn unanswered(f: &Field, s: &Strings) -> Option<String> {
    let (key, first) = match f.kind.shape() {
        Some(AnswerShape::YesNo | AnswerShape::Choice | AnswerShape::Ticks) => {
            ("error_required_choice", false)
        }
        Some(AnswerShape::Rows(Rows::Group)) => ("error_required", f.min_items > 0),
        Some(
            AnswerShape::Text { .. }
            | AnswerShape::Date
            | AnswerShape::Number
            | AnswerShape::Calculated
            | AnswerShape::Lines
            | AnswerShape::Rows(Rows::Table)
            | AnswerShape::Files,
        )
        | None => ("error_required", false),
    };
    if first && let Some(c) = f.columns.iter().find(|c| c.required) {
        let item = format!("{} 1", f.label);
        return Some(s.fmt(
            "error_required_item",
            &[("item", &item), ("label", &c.label)],
        ));
    }
    if !f.required {
        return None;
    }
    Some(s.fmt(key, &[("label", &f.label)]))
}

/// The first required cell left empty in a row or instance given ("Maßnahme 2"): required
/// fields are required in each.
fn empty_cell(f: &Field, rows: Rows, v: &Value, s: &Strings) -> Option<String> {
    for (n, item) in v.as_array().into_iter().flatten().enumerate() {
        for c in f.columns.iter().filter(|c| c.required) {
            if item.get(&c.id).and_then(answered).is_none() {
                let number = (n + 1).to_string();
                let item = format!("{} {number}", f.label);
                let (key, values) = match rows {
                    Rows::Group => (
                        "error_required_item",
                        [("item", item.as_str()), ("label", &c.label)],
                    ),
                    Rows::Table => (
                        "error_required_row",
                        [("row", number.as_str()), ("label", &c.label)],
                    ),
                };
                return Some(s.fmt(key, &[values[0], values[1], ("table", &f.label)]));
            }
        }
    }
    None
}

/// The theme's message for a text that does not have its format, if it does not.
fn misformatted(format: TextFormat, t: &str) -> Option<&'static str> {
    match format {
        TextFormat::Any => None,
        TextFormat::Email => (!is_email(t)).then_some("error_email"),
        TextFormat::Tel => (!is_tel(t)).then_some("error_tel"),
    }
}

/// An e-mail address as form-rules.js checks it: `^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$`.
fn is_email(t: &str) -> bool {
    let plain = |part: &str, dots: bool| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| !c.is_whitespace() && c != '@' && (dots || c != '.'))
    };
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    let mut labels = domain.split('.');
    let first = labels.next().unwrap_or_default();
    plain(local, true) && plain(first, false) && {
        let rest: Vec<&str> = labels.collect();
        !rest.is_empty() && rest.iter().all(|l| plain(l, false))
    }
}

/// A telephone number as form-rules.js checks it: `^\+?[0-9 ()\/-]+$`, three digits at least.
fn is_tel(t: &str) -> bool {
    let body = t.strip_prefix('+').unwrap_or(t);
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " ()/-".contains(c))
        && t.chars().filter(char::is_ascii_digit).count() >= 3
}

#[cfg(test)]
mod shape_tests {
    use super::{is_email, is_tel};

    #[test]
    fn email_and_tel_shapes_match_the_browser_rules() {
        assert!(is_email("name@beispiel.de"));
        assert!(is_email("a.b@c.d.e"));
        assert!(!is_email("name@beispiel"));
        assert!(!is_email("na me@beispiel.de"));
        assert!(!is_email("a@b@c.de"));
        assert!(!is_email("a@.de"));
        assert!(!is_email("a@b..de"));
        assert!(is_tel("+49 (0511) 120-0"));
        assert!(is_tel("0511/1200"));
        assert!(!is_tel("12"));
        assert!(!is_tel("0511 x 12"));
        assert!(!is_tel("++49 511"));
    }
}
