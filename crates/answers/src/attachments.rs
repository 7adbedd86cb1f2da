//! Attachments in answers files (`attachment` fields, docs/antwortdatei.md): each file an
//! object `{name, type, size, sha256, content}`, content in standard base64. Listed in the
//! table by name, size and SHA-256 ([`attachment_summary`]), never with their content; checked
//! as the form page checks them when it loads a file: the bytes must have the size and hash
//! the file names, the type and size the field takes, and all of a file's attachments
//! together at most [`MAX_TOTAL_BYTES`]. `formwerk answers --attachments` writes them out
//! after [`Attachment::bytes`] checked size and checksum.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::read::Strings;
use formwerk_form::attachment::{MAX_TOTAL_BYTES, listed_files};
use formwerk_form::{AnswerShape, Field, Form};
use formwerk_text::size::{human_size, limit_label};

/// An attachment answer for a table cell or a summary: one line per file, "Plan.pdf (1,2 MB,
/// SHA-256 9f86…)".
pub fn attachment_summary(value: &Value) -> String {
    listed_files(value).join("\n")
}

/// Whether a value has the shape of an attachment answer: an array of objects with exactly
/// the five members, of the right types (too many files is a [`problem`], as on the page).
pub(crate) fn fits(v: &Value) -> bool {
    v.as_array().is_some_and(|files| {
        files.iter().all(|file| {
            file.as_object().is_some_and(|o| {
                o.len() == 5
                    && ["name", "type", "sha256", "content"]
                        .iter()
                        .all(|k| o.get(*k).is_some_and(Value::is_string))
                    && o.get("size").is_some_and(Value::is_u64)
            })
        })
    })
}

/// The bytes of one attached file, if its content is standard base64 of exactly the size and
/// SHA-256 it names.
pub fn verified_bytes(file: &Map<String, Value>) -> Option<Vec<u8>> {
    let content = file.get("content")?.as_str()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content)
        .ok()?;
    let size = file.get("size")?.as_u64()?;
    let sha = file.get("sha256")?.as_str()?;
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (bytes.len() as u64 == size && digest == sha).then_some(bytes)
}

/// What is wrong with an attachment answer of the shape [`fits`] checks: the first file
/// that is damaged, of a type or size the field does not take.
pub(crate) fn problem(f: &Field, v: &Value, s: &Strings) -> Option<String> {
    let rules = f.attachment.as_ref()?;
    let files = v.as_array()?;
    if files.len() > rules.max_files as usize {
        let max = rules.max_files.to_string();
        return Some(s.fmt("error_file_count", &[("label", &f.label), ("max", &max)]));
    }
    for file in files.iter().filter_map(Value::as_object) {
        let name = file.get("name").and_then(Value::as_str).unwrap_or_default();
        let mime = file.get("type").and_then(Value::as_str).unwrap_or_default();
        let size = file.get("size").and_then(Value::as_u64).unwrap_or_default();
        let named = [("file", name), ("label", f.label.as_str())];
        if verified_bytes(file).is_none() {
            return Some(s.fmt("error_file_damaged", &named));
        }
        if !rules.fits_type(name, mime) {
            return Some(s.fmt(
                "error_file_type",
                &[named[0], named[1], ("types", &rules.types)],
            ));
        }
        if size > rules.max_size {
            let (size, max) = (human_size(size), rules.size.clone());
            return Some(s.fmt(
                "error_file_size",
                &[named[0], named[1], ("size", &size), ("max", &max)],
            ));
        }
    }
    None
}

/// The bytes all attachments of these answers name together, when more than one answers
/// file may carry: the problem to report.
pub(crate) fn total_problem(
    form: &Form,
    answers: &Map<String, Value>,
    s: &Strings,
) -> Option<String> {
    let total: u64 = form
        .fields()
        .filter(|f| matches!(f.kind.shape(), Some(AnswerShape::Files)))
        .filter_map(|f| answers.get(&f.id)?.as_array())
        .flatten()
        .filter_map(|file| file.get("size")?.as_u64())
        .sum();
    (total > MAX_TOTAL_BYTES).then(|| {
        s.fmt(
            "error_file_total",
            &[
                ("size", &human_size(total)),
                ("max", &limit_label(MAX_TOTAL_BYTES)),
            ],
        )
    })
}

/// One attachment as the answers file describes it.
pub struct Attachment<'a> {
    pub name: &'a str,
    pub mime: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    content: &'a str,
}

impl<'a> Attachment<'a> {
    fn of(entry: &'a Map<String, Value>) -> Option<Attachment<'a>> {
        Some(Attachment {
            name: entry.get("name")?.as_str()?,
            mime: entry
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            size: entry.get("size")?.as_u64()?,
            sha256: entry.get("sha256")?.as_str()?,
            content: entry.get("content")?.as_str()?,
        })
    }

    /// The bytes, decoded only when the stated size is within `max` and the base64 text fits
    /// it, then checked against the stated size and SHA-256; a refusal says why.
    pub fn bytes(&self, max: u64, s: &Strings) -> Result<Vec<u8>, String> {
        if self.size > max || self.content.len() as u64 > self.size.div_ceil(3) * 4 {
            let shown = limit_label(max);
            return Err(s.fmt("attachment_too_large", &[("max", &shown)]));
        }
        let bytes = STANDARD
            .decode(self.content)
            .map_err(|_| s.get("attachment_not_base64"))?;
        if bytes.len() as u64 != self.size {
            let (size, actual) = (self.size.to_string(), bytes.len().to_string());
            return Err(s.fmt(
                "attachment_size_mismatch",
                &[("size", &size), ("actual", &actual)],
            ));
        }
        if hex(&Sha256::digest(&bytes)) != self.sha256.to_ascii_lowercase() {
            return Err(s.get("attachment_hash_mismatch"));
        }
        Ok(bytes)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The attachments of an answer, if it is a list of them (every entry of the contract's
/// shape; an empty list is no attachment answer).
pub fn attachments(value: &Value) -> Option<Vec<Attachment<'_>>> {
    let items = value.as_array().filter(|a| !a.is_empty())?;
    items
        .iter()
        .map(|item| item.as_object().and_then(Attachment::of))
        .collect()
}
