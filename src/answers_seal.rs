//! `formwerk answers` with encrypted submissions and attachments (issue 27): the private key
//! opened once (`--key`, its passphrase typed or from `--passphrase-file`), each `.jwe` file
//! decrypted before it is read as an answers file, a refusal named in the file's report
//! without stopping the batch; `--attachments DIR` writes the attachments out.

use std::path::Path;

use anyhow::{Context, bail};
use formwerk_answers as answers;
use formwerk_seal::{PrivateJwk, SealError, keyfile};

/// The clerk's words for a seal refusal, from the theme's strings.
pub fn reason(error: &SealError, s: &answers::Strings<'_>) -> String {
    let (key, values) = error.message();
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.fmt(key, &values)
}

/// Opens the private key file at `path` with its passphrase.
pub fn open_key(
    path: &Path,
    passphrase_file: Option<&Path>,
    s: &answers::Strings<'_>,
) -> anyhow::Result<PrivateJwk> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > formwerk_seal::MAX_KEY_BYTES {
        let too_large = SealError::TooLarge {
            size,
            max: formwerk_seal::MAX_KEY_BYTES,
        };
        bail!("{}: {}", path.display(), reason(&too_large, s));
    }
    let text = formwerk_seal::Zeroizing::new(
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
    );
    let passphrase = crate::passphrase::read(passphrase_file, false)?;
    keyfile::open(&text, &passphrase)
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), reason(&e, s)))
}

/// Whether a file's bytes are a compact JWE (an answers file starts with `{`, a PDF with
/// `%PDF`; a JWE's protected header is base64url of `{"`).
pub fn is_jwe(bytes: &[u8]) -> bool {
    bytes.trim_ascii_start().starts_with(b"eyJ")
}

/// Decrypts `bytes` when they are an encrypted submission; other files pass unchanged.
pub fn open_file(
    key: Option<&PrivateJwk>,
    bytes: Vec<u8>,
    s: &answers::Strings<'_>,
) -> Result<Vec<u8>, String> {
    if !is_jwe(&bytes) {
        return Ok(bytes);
    }
    let Some(key) = key else {
        return Err(s.get("seal_needs_key"));
    };
    formwerk_seal::jwe::decrypt(key, &bytes)
        .map(|plain| plain.to_vec())
        .map_err(|e| reason(&e, s))
}

/// Writes the attachments of `merged` under `dir`; prints what was written and each refusal.
/// Returns how many were refused.
pub fn write_attachments(merged: &answers::Merged<'_>, dir: &Path) -> anyhow::Result<usize> {
    let caps = (
        formwerk_seal::MAX_ATTACHMENT_BYTES,
        formwerk_seal::MAX_ATTACHMENTS_TOTAL_BYTES,
    );
    let saved = answers::save_attachments(merged, dir, caps)
        .with_context(|| format!("cannot write {}", dir.display()))?;
    let shown = formwerk_base::control::for_terminal;
    for (file, why) in &saved.refused {
        println!("{}: {}", shown(file), shown(why));
    }
    let n = saved.written.to_string();
    let dir = dir.display().to_string();
    println!(
        "{}",
        merged
            .strings
            .fmt("attachments_written", &[("n", &n), ("dir", &dir)])
    );
    Ok(saved.refused.len())
}
