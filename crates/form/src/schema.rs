//! What the browser needs to know about a form, and the JSON Schema (draft 2020-12) of the
//! answers file it exports. Both come from the same checked model as the HTML form.
//!
//! Answers file (docs/antwortdatei.md): `{ "format": "formwerk-answers", "format_version": 2,
//! "form": id, "version": v, "saved_at": RFC 3339, "answers": { id: value }, "checksum": … }`
//! (format 1 files lack format, format_version and checksum) with one value per answered
//! field: text, textarea, date, email, tel → string; number → number;
//! yes_no → boolean; choice → option value; multi_choice → array of option values;
//! entry_list → array of its lines' texts; the "other" text of a choice under `"<id>.other"`;
//! table and group → array of objects (one per row or instance) keyed by column id;
//! computed → number (recalculated on loading); attachment → array of
//! `{name, type, size, sha256, content}` (content standard base64, sha256 lowercase hex).
//! Unanswered and hidden (show_if) fields are left out.

use serde_json::{Map, Value, json};

use super::attachment::{MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES};
use super::kind::AnswerShape;
use super::model::{Field, Form};

/// The key under which a field's "other" text is stored.
pub fn other_key(field: &Field) -> String {
    format!("{}.other", field.id)
}

fn option_values(field: &Field) -> Vec<Value> {
    let mut values: Vec<Value> = field.options.iter().map(|o| json!(o.value)).collect();
    if field.other.is_some() {
        values.push(json!("other"));
    }
    values
}

fn answer_schema(field: &Field) -> Value {
    let shape = field.kind.shape();
    let mut s = match shape {
        // E-mail and telephone answers are checked by "Eingaben prüfen", not by the schema:
        // a file saved before the check still loads.
        Some(AnswerShape::Text { .. }) => json!({ "type": "string" }),
        Some(AnswerShape::Date) => {
            json!({ "type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" })
        }
        Some(AnswerShape::Number) => number_schema(field),
        Some(AnswerShape::YesNo) => json!({ "type": "boolean" }),
        Some(AnswerShape::Choice) => json!({ "enum": option_values(field) }),
        Some(AnswerShape::Ticks) => json!({
            "type": "array",
            "items": { "enum": option_values(field) },
            "uniqueItems": true
        }),
        Some(AnswerShape::Lines) => json!({
            "type": "array",
            "items": { "type": "string" },
            "maxItems": field.lines.len()
        }),
        // Rows (instances) as objects keyed by column id; an older version's rows may lack
        // columns added since, so none is required.
        Some(AnswerShape::Rows(_)) => {
            let columns: Map<String, Value> = field
                .columns
                .iter()
                .map(|c| (c.id.clone(), answer_schema(c)))
                .collect();
            json!({
                "type": "array",
                "maxItems": field.max_items,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": columns
                }
            })
        }
        // Stored for readers without the calculation; recalculated on loading.
        Some(AnswerShape::Calculated) => json!({ "type": "number" }),
        Some(AnswerShape::Files) => files_schema(field),
        None => Value::Null,
    };
    s.as_object_mut()
        .expect("schema of a question")
        .insert("title".into(), json!(field.label));
    if let Some(max) = field.max_length {
        // An entry list's limit is per line.
        let limited = match shape {
            Some(AnswerShape::Lines) => &mut s["items"],
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::Number
                | AnswerShape::Calculated
                | AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Rows(_)
                | AnswerShape::Files,
            )
            | None => &mut s,
        };
        limited["maxLength"] = json!(max);
    }
    s
}

/// An attachment's files: each with its name, MIME type, size, SHA-256 (lowercase hex) and
/// content (standard base64), at most `max_files` of at most `max_size` bytes.
fn files_schema(field: &Field) -> Value {
    let (max_files, max_size) = field
        .attachment
        .as_ref()
        .map_or((MAX_FILES, MAX_FILE_BYTES), |a| (a.max_files, a.max_size));
    json!({
        "type": "array",
        "maxItems": max_files,
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "type", "size", "sha256", "content"],
            "properties": {
                "name": { "type": "string", "minLength": 1 },
                "type": { "type": "string" },
                "size": { "type": "integer", "minimum": 0, "maximum": max_size },
                "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
                "content": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                }
            }
        }
    })
}

/// A number's schema, with its `min` and `max`.
fn number_schema(field: &Field) -> Value {
    let mut s = json!({ "type": "number" });
    if let Some(min) = field.min {
        s["minimum"] = json!(min);
    }
    if let Some(max) = field.max {
        s["maximum"] = json!(max);
    }
    s
}

fn questions(form: &Form) -> impl Iterator<Item = &Field> {
    form.fields().filter(|f| f.kind.asks())
}

/// The JSON Schema of the form's answers file.
pub fn answers_schema(form: &Form, file_name: &str) -> Value {
    let mut answers = Map::new();
    for field in questions(form) {
        answers.insert(field.id.clone(), answer_schema(field));
        if let Some(other) = &field.other {
            answers.insert(
                other_key(field),
                json!({ "type": "string", "title": other.label }),
            );
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": file_name,
        "title": format!("Antworten: {} (Version {})", form.title, form.version),
        "type": "object",
        "required": ["form", "version", "saved_at", "answers"],
        "additionalProperties": false,
        "properties": {
            "format": { "const": "formwerk-answers" },
            "format_version": { "const": 2 },
            "checksum": { "type": "string", "pattern": "^sha256:[0-9a-f]{64}$" },
            "form": { "const": form.id },
            "version": { "const": form.version },
            "saved_at": { "type": "string", "format": "date-time" },
            "answers": {
                "type": "object",
                "additionalProperties": false,
                "properties": answers
            }
        }
    })
}

/// The form as the page's script sees it: ids, kinds, rules and labels for messages.
pub fn client_model(form: &Form, strings: &toml::Table) -> Value {
    let fields: Vec<Value> = questions(form)
        .map(|f| {
            json!({
                "id": f.id,
                "kind": f.kind,
                "label": f.label,
                "required": f.required,
                "options": f.options.iter().map(|o| &o.value).collect::<Vec<_>>(),
                "other": f.other.is_some(),
                "lines": f.lines.len(),
                "max_length": f.max_length,
                "min": f.min,
                "max": f.max,
                "show_if": f.show_if,
                "unit": f.unit,
                "decimals": f.decimals,
                "columns": f.columns.iter().map(|c| json!({
                    "id": c.id,
                    "kind": c.kind,
                    "label": c.label,
                    "required": c.required,
                    "unit": c.unit,
                    "decimals": c.decimals,
                    "min": c.min,
                    "max": c.max,
                    "max_length": c.max_length,
                    "total": c.total,
                })).collect::<Vec<_>>(),
                "min_items": f.min_items,
                "start": f.items.len(),
                "max_items": f.max_items,
                "expr": f.expr.as_ref().map(|e| e.to_json()),
                "attachment": f.attachment,
            })
        })
        .collect();
    let checks: Vec<Value> = form
        .checks
        .iter()
        .map(|c| json!({ "rule": c.rule.to_json(), "message": c.message, "fields": c.fields }))
        .collect();
    json!({
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "identify": form.identify,
        "email": form.submission.as_ref().and_then(|s| s.email.as_ref()),
        // The ministry's public key for seal.js, and the size the inbox opens at most.
        "encrypt": form.submission.as_ref().and_then(|s| s.encrypt.as_ref()).map(|k| json!({
            "jwk": k.jwk,
            "kid": k.kid,
            "thumbprint": k.thumbprint,
            "max_bytes": super::MAX_SEALED_BYTES,
        })),
        "fields": fields,
        "checks": checks,
        // Attachment bytes one answers file may carry in all.
        "max_attachment_bytes": MAX_TOTAL_BYTES,
        "strings": strings,
        // The element-id scheme as suffixes: a field's id + `ids.error` is its error's id,
        // as the templates have it from `field.el`.
        "ids": super::ElementIds::of(""),
    })
}

/// JSON that can stand inside `<script type="application/json">` without ending it early.
pub fn json_for_script(value: &Value) -> String {
    serde_json::to_string(value)
        .expect("JSON values serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = json!({ "label": "</script><b>" });
        let s = json_for_script(&v);
        assert!(!s.contains("</script"));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }
}
