//! The rules of an `attachment` field, stated once: the hard caps, how `accept`, `max_size`
//! and `max_files` are read, and whether a file fits. The page's script gets the same
//! numbers from the model (`client_model`), the answers reader checks with [`fits_type`].

use serde::Serialize;

use super::file::FieldFile;
use super::kind::FieldKind;
use super::load::Checker;
use formwerk_base::diagnostics::code;

use formwerk_text::size::limit_label;

/// The largest file an attachment field may take, whatever the form says (10 MB): the
/// contract's, stated in the seal crate that writes attachments out.
pub const MAX_FILE_BYTES: u64 = formwerk_seal::MAX_ATTACHMENT_BYTES;
/// The most attachment bytes one answers file (and one submission) may carry in all (20 MB):
/// what e-mail servers take.
pub const MAX_TOTAL_BYTES: u64 = formwerk_seal::MAX_ATTACHMENTS_TOTAL_BYTES;
/// The most files one attachment field may take.
pub const MAX_FILES: u32 = 10;

/// What an attachment field takes: checked on the page, when an answers file is read, and
/// named beside the label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    /// File name endings (`.pdf`) and MIME types (`application/pdf`, `image/*`), lowercase;
    /// empty: any file.
    pub accept: Vec<String>,
    /// The largest file, in bytes (at most [`MAX_FILE_BYTES`]).
    pub max_size: u64,
    /// The most files (1 unless told).
    pub max_files: u32,
    /// The types for people: "PDF", "PDF, JPEG"; empty for any file.
    pub types: String,
    /// `max_size` for people: "10 MB".
    pub size: String,
}

impl Attachment {
    pub fn new(accept: Vec<String>, max_size: Option<u64>, max_files: Option<u32>) -> Self {
        let max_size = max_size.unwrap_or(MAX_FILE_BYTES).min(MAX_FILE_BYTES);
        let mut types: Vec<String> = Vec::new();
        for a in &accept {
            let name = type_name(a);
            if !types.contains(&name) {
                types.push(name);
            }
        }
        Attachment {
            types: types.join(", "),
            size: limit_label(max_size),
            accept,
            max_size,
            max_files: max_files.unwrap_or(1),
        }
    }

    /// What the field takes, for its label: "PDF, höchstens 10 MB" from the theme's
    /// `attachment_limits` ("höchstens {size}") or, for several files,
    /// `attachment_limits_files` ("bis zu {files} Dateien, je höchstens {size}"). The page's
    /// template (form/attachment.html) writes the same.
    pub fn limits(&self, one: &str, many: &str) -> String {
        let text = if self.max_files > 1 { many } else { one }
            .replace("{files}", &self.max_files.to_string())
            .replace("{size}", &self.size);
        if self.types.is_empty() {
            text
        } else {
            format!("{}, {text}", self.types)
        }
    }

    /// Whether a file of this name and MIME type is one the field accepts.
    pub fn fits_type(&self, name: &str, mime: &str) -> bool {
        let name = name.to_lowercase();
        let mime = mime.to_ascii_lowercase();
        self.accept.is_empty()
            || self.accept.iter().any(|a| {
                if a.starts_with('.') {
                    name.ends_with(a.as_str())
                } else if let Some(major) = a.strip_suffix("/*") {
                    mime.split_once('/').is_some_and(|(m, _)| m == major)
                } else {
                    *a == mime
                }
            })
    }
}

/// One file of an attachment answer as paper and the answers table list it, without its
/// content: "Haushaltsplan.pdf (1,2 MB, SHA-256 9f86d0…)". One line per object of `value`
/// with a name; nothing for a value that is not an array.
pub fn listed_files(value: &serde_json::Value) -> Vec<String> {
    let Some(files) = value.as_array() else {
        return Vec::new();
    };
    files
        .iter()
        .filter_map(|file| {
            let name = file.get("name")?.as_str()?;
            let size = file.get("size").and_then(|s| s.as_u64());
            let sha = file.get("sha256").and_then(|s| s.as_str()).unwrap_or("");
            let size = size.map(formwerk_text::size::human_size);
            let details: Vec<String> = size
                .into_iter()
                .chain((!sha.is_empty()).then(|| format!("SHA-256 {sha}")))
                .collect();
            Some(if details.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({})", details.join(", "))
            })
        })
        .collect()
}

/// Whether `entry` can stand in `accept`: a name ending (`.pdf`) or a MIME type
/// (`application/pdf`, `image/*`), as the browser's `accept` attribute takes them.
pub fn valid_accept(entry: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    };
    match entry.strip_prefix('.') {
        Some(ext) => token(ext),
        None => entry
            .split_once('/')
            .is_some_and(|(a, b)| token(a) && (b == "*" || token(b))),
    }
}

/// A type as people name it: ".pdf" and "application/pdf" are "PDF", "image/*" is "Bild".
fn type_name(entry: &str) -> String {
    if let Some(ext) = entry.strip_prefix('.') {
        return match ext {
            "jpg" | "jpeg" => "JPEG".into(),
            _ => ext.to_ascii_uppercase(),
        };
    }
    match entry {
        "application/pdf" => "PDF".into(),
        "image/jpeg" => "JPEG".into(),
        "image/png" => "PNG".into(),
        "image/*" => "Bild".into(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "DOCX".into(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "XLSX".into(),
        "application/vnd.oasis.opendocument.text" => "ODT".into(),
        other => other.into(),
    }
}

impl Checker<'_> {
    /// What an attachment field takes (`accept`, `max_size`, `max_files`); `None` for other
    /// kinds.
    pub(super) fn attachment(&mut self, f: &FieldFile, kind: FieldKind) -> Option<Attachment> {
        if !kind.takes("max_size") {
            return None;
        }
        let mut accept = Vec::new();
        for entry in f.accept.iter().flat_map(|a| a.get_ref()) {
            let value = entry.get_ref().trim().to_ascii_lowercase();
            if valid_accept(&value) {
                accept.push(value);
            } else {
                self.error(
                    code::INVALID_ACCEPT,
                    entry.span(),
                    format!("`{}` is neither a file name ending nor a MIME type", entry.get_ref()),
                    "write endings with a dot or MIME types, for example accept = [\".pdf\", \"application/pdf\"]",
                );
            }
        }
        let max_size = f.max_size.as_ref().and_then(|m| {
            let bytes = formwerk_text::size::parse_size(m.get_ref()).filter(|b| *b > 0);
            let problem = match bytes {
                None => format!("`{}` is not a file size", m.get_ref()),
                Some(b) if b > MAX_FILE_BYTES => format!(
                    "`{}` is more than an attachment may have ({})",
                    m.get_ref(),
                    formwerk_text::size::limit_label(MAX_FILE_BYTES)
                ),
                Some(_) => return bytes,
            };
            self.error(
                code::INVALID_FILE_SIZE,
                m.span(),
                problem,
                "write a number and KB or MB, at most 10 MB, for example max_size = \"10 MB\" or max_size = \"500 KB\"",
            );
            None
        });
        let max_files = f
            .max_files
            .as_ref()
            .map(|n| (*n.get_ref()).clamp(1, MAX_FILES));
        Some(Attachment::new(accept, max_size, max_files))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwerk_text::size::MB;

    #[test]
    fn types_are_named_once_and_matched_by_name_or_mime() {
        let a = Attachment::new(vec![".pdf".into(), "application/pdf".into()], None, None);
        assert_eq!(a.types, "PDF");
        assert_eq!(a.size, "10 MB");
        assert_eq!(a.max_files, 1);
        assert!(a.fits_type("Haushaltsplan.PDF", ""));
        assert!(a.fits_type("plan", "application/pdf"));
        assert!(!a.fits_type("plan.docx", "application/msword"));
        let images = Attachment::new(vec!["image/*".into()], Some(MB), Some(3));
        assert!(images.fits_type("foto", "image/png"));
        assert!(!images.fits_type("foto.png", "text/plain"));
        assert!(Attachment::new(vec![], None, None).fits_type("x", ""));
    }

    #[test]
    fn files_are_listed_by_name_size_and_hash() {
        let value = serde_json::json!([
            { "name": "Plan.pdf", "type": "application/pdf", "size": 1_258_291,
              "sha256": "ab".repeat(32), "content": "…" },
            { "name": "Satzung.pdf", "size": 500 }
        ]);
        assert_eq!(
            listed_files(&value),
            [
                format!("Plan.pdf (1,2 MB, SHA-256 {})", "ab".repeat(32)),
                "Satzung.pdf (500 Byte)".to_string()
            ]
        );
        assert!(listed_files(&serde_json::json!("x")).is_empty());
    }

    #[test]
    fn accept_takes_endings_and_mime_types_only() {
        for ok in [".pdf", "application/pdf", "image/*", ".tar.gz"] {
            assert!(valid_accept(ok), "{ok}");
        }
        for bad in [
            "pdf",
            "",
            ".",
            "application/",
            "*/*x",
            ".p df",
            "PDF-Dateien",
        ] {
            assert!(!valid_accept(bad), "{bad}");
        }
    }
}
