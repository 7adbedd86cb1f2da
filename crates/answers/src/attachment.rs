//! Attachments inside an answers file (the contract between the attachment field, the
//! encrypted submission and the readers): the answer of an `attachment` field is an array of
//! `{"name", "type", "size", "sha256", "content"}` objects, `content` the file's bytes as
//! standard base64. The table lists them ([`attachment_summary`]); `formwerk answers
//! --attachments` writes them out after [`Attachment::bytes`] checked size and checksum.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::Strings;

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
            let shown = max.to_string();
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

/// An attachment answer as table text: one line per file, `name (size B, sha256:hex)` (a
/// unit symbol and an algorithm's name, the same in every language; the content itself never
/// goes into a cell). Empty for a value that is no attachment list.
pub fn attachment_summary(value: &Value) -> String {
    let Some(list) = attachments(value) else {
        return String::new();
    };
    list.iter()
        .map(|a| format!("{} ({} B, sha256:{})", a.name, a.size, a.sha256))
        .collect::<Vec<_>>()
        .join("\n")
}
