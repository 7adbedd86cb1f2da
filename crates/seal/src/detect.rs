//! Private keys where they must not be: a site's sources and its output go to a web server,
//! and a private key there would open every applicant's submission. `formwerk check` and
//! every build refuse a file that is one.

use std::path::Path;

use crate::jwk::json_has_private_members;

/// The longest file looked at in full for a private JWK (a 4096-bit one is about 3.2 KiB, a
/// set of many keys stays far below); of larger ones only the start counts.
pub const JSON_MAX_BYTES: usize = 1024 * 1024;
/// How much of a file's start is looked at for PEM and JWE markers: a caller need not read
/// more of a file that does not start with `{`.
pub const HEAD_BYTES: usize = 8 * 1024;

/// What kind of private key `bytes` (the file at `path`) is, in words for a diagnostic
/// (English, as the build's messages are), or `None`.
pub fn private_key_kind(path: &Path, bytes: &[u8]) -> Option<&'static str> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
    if name.is_some_and(|n| n.ends_with(crate::keyfile::EXTENSION)) {
        return Some("a key file (.key.jwe)");
    }
    if bytes.is_empty() {
        return None;
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    if memchr::memmem::find(head, b"PRIVATE KEY-----").is_some() {
        return Some("a PEM private key");
    }
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"eyJ") && crate::keyfile::is_pbes2(trimmed) {
        return Some("a passphrase-protected key (PBES2 JWE)");
    }
    if trimmed.starts_with(b"{") && bytes.len() <= JSON_MAX_BYTES {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        if json_has_private_members(&value) {
            return Some("a private JWK");
        }
    }
    None
}
