//! Reading a filled PDF back into answers: the field tree's full names are the answer ids,
//! so each question's value is found under its id whatever reader filled the PDF. The
//! result is the `answers` object of an answers file, in the same shapes the form page
//! exports (hidden `show_if` fields left out).

use std::collections::{BTreeMap, HashSet};

use lopdf::{Document, Object, ObjectId};
use serde_json::{Map, Value};

use super::values::from_text;
use formwerk_form::{AnswerShape, Field, Form};

/// The PDF keys naming the form and version a PDF was made for (in the document info).
pub(crate) const FORM_KEY: &[u8] = b"FormwerkForm";
pub(crate) const VERSION_KEY: &[u8] = b"FormwerkVersion";

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a readable PDF: {0}")]
    Malformed(String),
    #[error("the PDF has no form fields")]
    NoForm,
    #[error("the PDF is encrypted")]
    Encrypted,
    #[error("the PDF is over the budget {0:?}")]
    Over(formwerk_form::Budget),
}

/// What a filled PDF says.
#[derive(Debug, Default)]
pub struct ReadAnswers {
    /// Form id and version recorded in the PDF, when it was made by Formwerk.
    pub form: Option<String>,
    pub version: Option<String>,
    pub answers: Map<String, Value>,
    /// Field texts that do not fit their question (a date that is none), by answer id.
    pub problems: Vec<(String, String)>,
}

/// A field's value: text, or the state name of a button.
#[derive(Debug, Clone)]
enum Raw {
    Text(String),
    State(String),
}

/// The form id and version a Formwerk PDF records.
pub fn identity(bytes: &[u8]) -> Result<(Option<String>, Option<String>), ReadError> {
    let doc = super::guard::load(bytes)?;
    Ok(identity_of(&doc))
}

fn identity_of(doc: &Document) -> (Option<String>, Option<String>) {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| resolve(doc, o).as_dict().ok());
    let get = |key: &[u8]| {
        info.and_then(|d| d.get(key).ok())
            .and_then(|o| text_of(resolve(doc, o)))
    };
    (get(FORM_KEY), get(VERSION_KEY))
}

/// The answers in a filled PDF of `form`.
pub fn read_answers(bytes: &[u8], form: &Form) -> Result<ReadAnswers, ReadError> {
    let doc = super::guard::load(bytes)?;
    let (form_id, version) = identity_of(&doc);
    let catalog = doc
        .catalog()
        .map_err(|e| ReadError::Malformed(e.to_string()))?;
    let fields = catalog
        .get(b"AcroForm")
        .ok()
        .and_then(|o| resolve(&doc, o).as_dict().ok())
        .and_then(|d| d.get(b"Fields").ok())
        .and_then(|o| resolve(&doc, o).as_array().ok())
        .ok_or(ReadError::NoForm)?;
    let mut raw = BTreeMap::new();
    let mut seen = HashSet::new();
    for f in fields {
        if let Ok(id) = f.as_reference() {
            walk(&doc, id, "", None, &mut raw, &mut seen, 0);
        }
    }
    if seen.len() as u64 > formwerk_form::Budget::PdfFields.limit() {
        return Err(ReadError::Over(formwerk_form::Budget::PdfFields));
    }
    let mut out = ReadAnswers {
        form: form_id,
        version,
        ..ReadAnswers::default()
    };
    for field in form.fields() {
        read_field(field, &raw, &mut out);
    }
    drop_hidden(form, &mut out.answers);
    for field in form
        .fields()
        .filter(|f| f.kind.shape() == Some(AnswerShape::Calculated))
    {
        if let Some(n) = form.computed_value(field, &out.answers) {
            out.answers
                .insert(field.id.clone(), formwerk_form::expr::to_json_number(n));
        }
    }
    Ok(out)
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// Collects the values of the terminal fields under `id` by full name. Each field object is
/// visited once (`seen`): a hostile file's `/Kids [self self]` or shared kids would otherwise
/// be walked exponentially often.
fn walk(
    doc: &Document,
    id: ObjectId,
    prefix: &str,
    inherited_ft: Option<Vec<u8>>,
    raw: &mut BTreeMap<String, Raw>,
    seen: &mut HashSet<ObjectId>,
    depth: usize,
) {
    // One field over the budget is enough to refuse the file (read_answers).
    if depth > 32 || seen.len() as u64 > formwerk_form::Budget::PdfFields.limit() {
        return;
    }
    if !seen.insert(id) {
        return;
    }
    formwerk_base::work::add(1);
    let Ok(dict) = doc.get_dictionary(id) else {
        return;
    };
    let name = dict.get(b"T").ok().and_then(|t| text_of(resolve(doc, t)));
    let full = match (&name, prefix.is_empty()) {
        (Some(n), true) => n.clone(),
        (Some(n), false) => format!("{prefix}.{n}"),
        (None, _) => prefix.to_string(),
    };
    let ft = dict
        .get(b"FT")
        .ok()
        .and_then(|o| resolve(doc, o).as_name().ok())
        .map(|n| n.to_vec())
        .or(inherited_ft);
    let kids: Vec<ObjectId> = dict
        .get(b"Kids")
        .ok()
        .and_then(|k| resolve(doc, k).as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    // Kids with names of their own are fields; kids without are this field's widgets.
    for kid in &kids {
        let named = doc.get_dictionary(*kid).is_ok_and(|d| d.has(b"T"));
        if named {
            walk(doc, *kid, &full, ft.clone(), raw, seen, depth + 1);
        }
    }
    if name.is_none() {
        return;
    }
    let value = dict.get(b"V").ok().map(|v| resolve(doc, v));
    let raw_value = match (ft.as_deref(), value) {
        (Some(b"Btn"), v) => {
            // Some tools write the state as a string ("/true"); some leave /V alone and set
            // only the widgets' appearance state.
            let state = v
                .and_then(text_of)
                .map(|s| s.trim_start_matches('/').to_string())
                .filter(|s| s != "Off" && !s.is_empty());
            let shown = || {
                let widgets = kids
                    .iter()
                    .filter_map(|k| doc.get_dictionary(*k).ok())
                    .filter(|d| !d.has(b"T"));
                std::iter::once(dict)
                    .chain(widgets)
                    .filter_map(|d| d.get(b"AS").ok().and_then(|a| a.as_name().ok()))
                    .map(|n| String::from_utf8_lossy(n).to_string())
                    .find(|n| n != "Off")
            };
            state.or_else(shown).map(Raw::State)
        }
        (_, Some(v)) => text_of(v).map(Raw::Text),
        _ => None,
    };
    if let Some(v) = raw_value {
        raw.insert(full, v);
    }
}

/// A PDF text string: UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding.
fn text_of(o: &Object) -> Option<String> {
    match o {
        Object::String(bytes, _) => Some(decode_text(bytes)),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into()),
        _ => None,
    }
}

pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        // An odd last byte is no character; a lone surrogate is U+FFFD (as pdf-answers.js).
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

fn pdf_doc_char(b: u8) -> char {
    const HIGH: [u16; 33] = [
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
        0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
        0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC,
    ];
    const LOW: [u16; 8] = [
        0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC,
    ];
    match b {
        0x18..=0x1F => char::from_u32(LOW[(b - 0x18) as usize] as u32).unwrap_or('?'),
        0x80..=0xA0 => char::from_u32(HIGH[(b - 0x80) as usize] as u32).unwrap_or('?'),
        _ => b as char,
    }
}

fn text(raw: &BTreeMap<String, Raw>, key: &str) -> Option<String> {
    match raw.get(key) {
        Some(Raw::Text(t)) if !t.is_empty() => Some(t.replace("\r\n", "\n").replace('\r', "\n")),
        _ => None,
    }
}

fn on(raw: &BTreeMap<String, Raw>, key: &str) -> Option<String> {
    match raw.get(key) {
        Some(Raw::State(s)) if s != "Off" => Some(s.clone()),
        _ => None,
    }
}

fn read_field(field: &Field, raw: &BTreeMap<String, Raw>, out: &mut ReadAnswers) {
    let id = &field.id;
    let other_key = format!("{id}.other");
    let other = field.other.as_ref().and_then(|_| text(raw, &other_key));
    let value = match field.kind.shape() {
        None => None,
        Some(AnswerShape::Text { .. } | AnswerShape::Date | AnswerShape::Number) => text(raw, id)
            .and_then(|t| match from_text(field.kind, &t) {
                Ok(v) => Some(v),
                Err(problem) => {
                    out.problems.push((id.clone(), problem));
                    None
                }
            }),
        Some(AnswerShape::YesNo) => on(raw, id).and_then(|s| match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        }),
        Some(AnswerShape::Choice) => on(raw, id)
            .filter(|s| s == "other" || field.options.iter().any(|o| &o.value == s))
            .map(Value::String),
        Some(AnswerShape::Ticks) => {
            let mut chosen: Vec<Value> = field
                .options
                .iter()
                .filter(|o| on(raw, &format!("{id}.{}", o.value)).is_some())
                .map(|o| Value::String(o.value.clone()))
                .collect();
            if other.is_some() {
                chosen.push(Value::String("other".into()));
            }
            (!chosen.is_empty()).then_some(Value::Array(chosen))
        }
        Some(AnswerShape::Rows(_)) => read_rows(field, raw, out),
        // Calculated again from the answers once all are read.
        Some(AnswerShape::Calculated) => None,
        // Paper lists attachments; their bytes travel in the answers file only.
        Some(AnswerShape::Files) => None,
        Some(AnswerShape::Lines) => {
            let lines: Vec<String> = field
                .lines
                .iter()
                .map(|l| text(raw, &format!("{id}.{}", l.number)).unwrap_or_default())
                .collect();
            lines
                .iter()
                .any(|l| !l.trim().is_empty())
                .then(|| Value::Array(lines.into_iter().map(Value::String).collect()))
        }
    };
    let chose_other = match &value {
        Some(Value::String(s)) => s == "other",
        Some(Value::Array(a)) => a.iter().any(|v| v == "other"),
        _ => false,
    };
    if let Some(v) = value {
        out.answers.insert(id.clone(), v);
    }
    if let (true, Some(t)) = (chose_other, other) {
        out.answers.insert(other_key, Value::String(t));
    }
}

/// The rows `<id>.<n>.<column>` of a table or group; empty rows are left out, also between
/// filled ones (a person may skip a row on paper).
fn read_rows(field: &Field, raw: &BTreeMap<String, Raw>, out: &mut ReadAnswers) -> Option<Value> {
    let mut rows = Vec::new();
    for n in 1..=field.max_items {
        let prefix = format!("{}.{n}.", field.id);
        if !raw.keys().any(|k| k.starts_with(&prefix)) {
            continue;
        }
        let mut row = Map::new();
        for c in &field.columns {
            let key = format!("{prefix}{}", c.id);
            let Some(t) = text(raw, &key) else { continue };
            match from_text(c.kind, &t) {
                Ok(v) => {
                    row.insert(c.id.clone(), v);
                }
                Err(problem) => out.problems.push((key, problem)),
            }
        }
        if !row.is_empty() {
            rows.push(Value::Object(row));
        }
    }
    (!rows.is_empty()).then_some(Value::Array(rows))
}

/// Leaves out the answers of fields whose `show_if` condition does not hold, as the form
/// page does; conditions on hidden fields hide in turn.
fn drop_hidden(form: &Form, answers: &mut Map<String, Value>) {
    loop {
        let hidden: Vec<&Field> = form
            .fields()
            .filter(|f| answers.contains_key(&f.id))
            .filter(|f| {
                f.show_if.as_ref().is_some_and(|s| {
                    !answers.get(&s.field).is_some_and(|v| match v {
                        Value::String(t) => *t == s.equals,
                        Value::Bool(b) => b.to_string() == s.equals,
                        Value::Number(n) => n.to_string() == s.equals,
                        Value::Array(a) => a.iter().any(|x| x.as_str() == Some(&s.equals)),
                        _ => false,
                    })
                })
            })
            .collect();
        if hidden.is_empty() {
            return;
        }
        for f in hidden {
            answers.remove(&f.id);
            answers.remove(&format!("{}.other", f.id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, StringFormat};

    /// A chain of `levels` fields, each with the next as its two kids (or itself twice, with
    /// `cycle`), ending in one text field with a value.
    fn shared_kids(levels: usize, cycle: bool) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let ids: Vec<ObjectId> = (0..=levels).map(|_| doc.new_object_id()).collect();
        for (i, id) in ids.iter().enumerate() {
            let mut dict = Dictionary::new();
            dict.set(
                "T",
                Object::String(format!("f{i}").into_bytes(), StringFormat::Literal),
            );
            if i == levels {
                dict.set("FT", Object::Name(b"Tx".to_vec()));
                dict.set("V", Object::String(b"Wert".to_vec(), StringFormat::Literal));
            } else {
                let kid = if cycle { *id } else { ids[i + 1] };
                dict.set("Kids", vec![Object::Reference(kid), Object::Reference(kid)]);
            }
            doc.objects.insert(*id, Object::Dictionary(dict));
        }
        (doc, ids[0])
    }

    fn walked(doc: &Document, root: ObjectId) -> (BTreeMap<String, Raw>, u64) {
        let mut raw = BTreeMap::new();
        formwerk_base::work::take();
        walk(doc, root, "", None, &mut raw, &mut HashSet::new(), 0);
        (raw, formwerk_base::work::take())
    }

    #[test]
    fn shared_and_cyclic_kids_are_walked_once() {
        // Twice the same kid at every one of 30 levels: 2^30 visits without `seen`.
        let (doc, root) = shared_kids(30, false);
        let (raw, visits) = walked(&doc, root);
        assert_eq!(visits, 31);
        let name: Vec<String> = (0..=30).map(|i| format!("f{i}")).collect();
        assert!(raw.contains_key(&name.join(".")), "{:?}", raw.keys());
        // A field that is its own kid, twice.
        let (doc, root) = shared_kids(1, true);
        assert_eq!(walked(&doc, root).1, 1);
    }
}
