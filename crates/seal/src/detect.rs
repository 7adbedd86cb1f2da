//! Private keys where they must not be: a site's sources and its output go to a web server,
//! and a private key there would open every applicant's submission. `formwerk check` and
//! every build refuse a file that is one.

use std::path::Path;

use crate::jwk::json_has_private_members;

/// The longest file read in full to look for a private JWK (a JWK set of many keys stays far
/// below); larger files are only looked at for the PEM and key-file markers at their start.
const JSON_READ_BYTES: usize = 1024 * 1024;
/// How much of a file's start is looked at for PEM and JWE markers.
const HEAD_BYTES: usize = 8 * 1024;

/// What kind of private key `bytes` (the file at `path`) is, in words for a diagnostic
/// (English, as the build's messages are), or `None`.
pub fn private_key_kind(path: &Path, bytes: &[u8]) -> Option<&'static str> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
    if name.is_some_and(|n| n.ends_with(crate::keyfile::EXTENSION)) {
        return Some("a key file (.key.jwe)");
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    if contains(head, b"PRIVATE KEY-----") {
        return Some("a PEM private key");
    }
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"eyJ") && crate::keyfile::is_pbes2(trimmed) {
        return Some("a passphrase-protected key (PBES2 JWE)");
    }
    if trimmed.starts_with(b"{") && bytes.len() <= JSON_READ_BYTES {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        if json_has_private_members(&value) {
            return Some("a private JWK");
        }
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
