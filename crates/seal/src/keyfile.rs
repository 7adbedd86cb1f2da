//! The private key file (`*.key.jwe`): the private JWK encrypted with a passphrase,
//! `PBES2-HS512+A256KW` (RFC 7518 §4.8: PBKDF2-HMAC-SHA-512 derives the key that wraps the
//! CEK with AES key wrap, RFC 3394) and `A256GCM`. The inbox page opens it with Web Crypto.

use aes_kw::KwAes256;
use aes_kw::cipher::KeyInit;
use serde_json::Value;
use sha2::Sha512;
use zeroize::Zeroizing;

use crate::jwe::{self, ENC};
use crate::{PrivateJwk, SealError, b64};

pub const ALG: &str = "PBES2-HS512+A256KW";
/// The content type of a key file's plaintext.
pub const CTY: &str = "jwk+json";
/// PBKDF2 rounds a new key file gets (the contract; Web Crypto needs about a second).
pub const ITERATIONS: u32 = 600_000;
/// Rounds accepted when reading: fewer is too weak, more only wastes the clerk's time (and
/// a stranger's file could ask for billions).
pub const ITERATIONS_READ: std::ops::RangeInclusive<u64> = 1_000..=10_000_000;
/// The file name ending of a key file.
pub const EXTENSION: &str = ".key.jwe";
/// The shortest passphrase `formwerk keys new` takes.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
const SALT_BYTES: usize = 16;
const CEK_BYTES: usize = 32;

/// The key-encryption key: PBKDF2-HMAC-SHA-512 over the passphrase, salted with
/// `UTF8(alg) || 0x00 || p2s` (RFC 7518 §4.8.1.1).
pub(crate) fn derive(passphrase: &[u8], p2s: &[u8], p2c: u32) -> Zeroizing<[u8; 32]> {
    let mut salt = Vec::with_capacity(ALG.len() + 1 + p2s.len());
    salt.extend_from_slice(ALG.as_bytes());
    salt.push(0);
    salt.extend_from_slice(p2s);
    let mut kek = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha512>(passphrase, &salt, p2c, kek.as_mut());
    kek
}

/// AES key wrap of the CEK (RFC 3394).
pub(crate) fn wrap(kek: &[u8; 32], cek: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; cek.len() + 8];
    KwAes256::new(kek.into())
        .wrap_key(cek, &mut out)
        .expect("a CEK of whole 64-bit blocks");
    out
}

/// AES key unwrap; a failed integrity check means another passphrase (or a changed file).
pub(crate) fn unwrap(kek: &[u8; 32], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
    if wrapped.len() != CEK_BYTES + 8 {
        return Err(SealError::Malformed("wrapped key is not 40 bytes long"));
    }
    let mut out = Zeroizing::new(vec![0u8; CEK_BYTES]);
    KwAes256::new(kek.into())
        .unwrap_key(wrapped, &mut out)
        .map_err(|_| SealError::WrongPassphrase)?;
    Ok(out)
}

/// Writes the key file: the private JWK encrypted with the passphrase.
pub fn seal(key: &PrivateJwk, passphrase: &str) -> Result<String, SealError> {
    seal_with(key, passphrase, ITERATIONS)
}

/// [`seal`] with another iteration count (tests; the file format names the count).
pub fn seal_with(key: &PrivateJwk, passphrase: &str, p2c: u32) -> Result<String, SealError> {
    let p2s = jwe::random::<SALT_BYTES>()?;
    let header = format!(
        r#"{{"alg":"{ALG}","enc":"{ENC}","p2s":"{}","p2c":{p2c},"cty":"{CTY}","kid":{}}}"#,
        b64::encode(p2s.as_ref()),
        Value::from(key.kid())
    );
    let header_b64 = b64::encode(header.as_bytes());
    let kek = derive(passphrase.as_bytes(), p2s.as_ref(), p2c);
    let cek = jwe::random::<CEK_BYTES>()?;
    let iv = jwe::random::<12>()?;
    let wrapped = wrap(&kek, cek.as_ref());
    let json = key.to_json();
    let (ct, tag) = jwe::gcm_seal(
        cek.as_ref(),
        iv.as_ref(),
        header_b64.as_bytes(),
        json.as_bytes(),
    );
    Ok(jwe::join(&header_b64, &wrapped, iv.as_ref(), &ct, &tag))
}

/// Opens a key file with its passphrase.
pub fn open(text: &[u8], passphrase: &str) -> Result<PrivateJwk, SealError> {
    let compact = jwe::parse(text, crate::MAX_KEY_BYTES)?;
    compact.expect_alg(ALG)?;
    let p2c = compact
        .header
        .get("p2c")
        .and_then(Value::as_u64)
        .ok_or(SealError::Malformed("p2c missing or not a number"))?;
    if !ITERATIONS_READ.contains(&p2c) {
        return Err(SealError::Iterations(p2c));
    }
    let p2s = b64::decode(
        compact
            .string("p2s")
            .ok_or(SealError::Malformed("no p2s in the header"))?,
        "p2s is not base64url",
    )?;
    if p2s.len() < 8 {
        return Err(SealError::Malformed("p2s shorter than 8 bytes"));
    }
    let kek = derive(passphrase.as_bytes(), &p2s, p2c as u32);
    let cek = unwrap(&kek, &compact.encrypted_key)?;
    let json = jwe::gcm_open(&cek, &compact)?;
    let text =
        std::str::from_utf8(&json).map_err(|_| SealError::BadKey("content is not UTF-8".into()))?;
    let key = PrivateJwk::parse(text)?;
    if let Some(kid) = compact.string("kid").filter(|kid| *kid != key.kid()) {
        return Err(SealError::BadKey(format!(
            "header names kid {kid}, the key is {}",
            key.kid()
        )));
    }
    Ok(key)
}

/// Whether a compact JWE's header names a PBES2 algorithm: a passphrase-protected key (or
/// other secret) file. Reads the header only; `false` if the text is no compact JWE.
pub fn is_pbes2(text: &[u8]) -> bool {
    let Some(head) = text.trim_ascii_start().split(|b| *b == b'.').next() else {
        return false;
    };
    let Ok(head) = std::str::from_utf8(head) else {
        return false;
    };
    let Ok(bytes) = b64::decode(head, "") else {
        return false;
    };
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|h| h.get("alg")?.as_str().map(|a| a.starts_with("PBES2")))
        .unwrap_or(false)
}
