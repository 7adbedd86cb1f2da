//! The form's `[submission]` block and `identify`: how the filled form reaches the ministry and
//! which answer names an application.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path};
use std::sync::Arc;

use toml::Spanned;

use super::file::SubmissionFile;
use super::load::Checker;
use super::model::{Form, Submission};
use super::public_key::{PublicKey, check_public_key};
use formwerk_base::diagnostics::{Diagnostic, closest, code};

impl Checker<'_> {
    pub(super) fn submission(&mut self, s: &SubmissionFile, title: &str) -> Submission {
        let deadline = s.deadline.as_ref().and_then(|d| self.deadline(d));
        let email = s.email.as_ref().and_then(|e| {
            let address = e.get_ref().trim();
            let ok = address.split('@').count() == 2
                && !address.starts_with('@')
                && !address.ends_with('@')
                && !address
                    .chars()
                    .any(|c| c.is_whitespace() || "?&#<>\"',;:".contains(c));
            if !ok {
                self.error(
                    code::INVALID_SUBMISSION,
                    e.span(),
                    format!("`{address}` is not an e-mail address"),
                    "write one address, for example email = \"poststelle@ms.niedersachsen.de\"",
                );
            }
            ok.then(|| address.to_string())
        });
        Submission {
            deadline_display: deadline.as_ref().map(|d: &String| {
                let p: Vec<&str> = d.split('-').collect();
                format!("{}.{}.{}", p[2], p[1], p[0])
            }),
            deadline,
            recipient: s.recipient.as_ref().map(|t| self.markdown(t)),
            mailto: email
                .as_ref()
                .map(|e| format!("mailto:{e}?subject={}", percent_encode(title))),
            email,
            how: s.how.as_ref().map(|t| self.markdown(t)),
            signature: s.signature.as_ref().is_some_and(|b| *b.get_ref()),
            encrypt: s.encrypt_to.as_ref().and_then(|p| self.public_key(p)),
        }
    }

    /// The key file `encrypt_to` names (from the site folder), read and checked; its problems
    /// are reported in the key file, a missing file at `encrypt_to`.
    fn public_key(&mut self, path: &Spanned<String>) -> Option<PublicKey> {
        let rel = path.get_ref().trim();
        let inside = !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        let text = inside
            .then(|| std::fs::read_to_string(self.config.root.join(rel)).ok())
            .flatten();
        let Some(text) = text else {
            self.error(
                code::ENCRYPT_KEY,
                path.span(),
                format!("the key file `{rel}` cannot be read"),
                "write the path of the ministry's public key file (.jwk) from the site folder, for example encrypt_to = \"schluessel/ministerium.jwk\"",
            );
            return None;
        };
        match check_public_key(rel, &text) {
            Ok(key) => Some(key),
            Err(p) => {
                let source: Arc<str> = text.into();
                self.errors.push(
                    Diagnostic::at(rel, &source, p.range, p.message)
                        .with_code(code::ENCRYPT_KEY)
                        .with_help(p.help),
                );
                None
            }
        }
    }

    /// A date, written as a TOML date (`2026-03-31`) or as text in that form.
    fn deadline(&mut self, d: &Spanned<toml::Value>) -> Option<String> {
        let text = match d.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.map(|date| date.to_string())
            }
            toml::Value::String(s) => Some(s.clone()),
            _ => None,
        };
        let valid = text.as_ref().filter(|t| is_iso_date(t));
        if valid.is_none() {
            self.error(
                code::INVALID_SUBMISSION,
                d.span(),
                "the deadline must be a date",
                "write the day as year-month-day, for example deadline = 2026-03-31",
            );
        }
        valid.cloned()
    }

    /// `identify` must name a question whose answer is one short value.
    pub(super) fn identify(
        &mut self,
        id: &Spanned<String>,
        form: &Form,
        ids: &BTreeMap<String, Range<usize>>,
    ) -> Option<String> {
        let name = id.get_ref();
        let Some(field) = form.fields().find(|f| &f.id == name) else {
            let help = match closest(name, ids.keys().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "name the id of a field of this form, for example identify = \"name\""
                    .to_string(),
            };
            self.error(
                code::IDENTIFY_FIELD,
                id.span(),
                format!("identify names `{name}`, but this form has no field with that id"),
                help,
            );
            return None;
        };
        if !field.kind.spec().identifies {
            self.error(
                code::IDENTIFY_FIELD,
                id.span(),
                format!(
                    "the `{}` field `{name}` cannot identify an application",
                    field.kind.name()
                ),
                "name a text, choice, date or number field, for example the municipality's name",
            );
            return None;
        }
        Some(name.clone())
    }
}

/// Whether `s` is a calendar date `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(_), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    (1..=12).contains(&m)
        && (1..=31).contains(&d)
        && s.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// Percent-encoding for a `mailto:` query value (RFC 3986 unreserved characters stay).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `s` has the shape of a date `YYYY-MM-DD` (as answers files write dates).
pub fn is_iso_date_shape(s: &str) -> bool {
    s.len() == 10
        && s.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}
