//! JWE Compact Serialization (RFC 7516 §7.1) with `A256GCM` content encryption, and the
//! encrypted submission: `RSA-OAEP-256` to the ministry's public key (RFC 7518 §4.3).
//!
//! Reading checks size before decoding anything, then the protected header (the only header
//! compact serialization has): a foreign `alg` or `enc`, `zip` and `crit` are refused by name
//! before any key is used.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{AeadInOut, KeyInit, Nonce, Tag};
use rsa::Oaep;
use rsa::traits::{PaddingScheme, PublicKeyParts};
use serde_json::{Map, Value};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::jwk::KEY_ALG;
use crate::{PrivateJwk, PublicJwk, SealError, b64};

/// The only content encryption read or written.
pub const ENC: &str = "A256GCM";
/// The content type of a submission: the answers file.
pub const SUBMISSION_CTY: &str = "application/json";
const IV_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
const CEK_BYTES: usize = 32;

/// The five parts of a compact JWE, decoded, with the protected header as JSON.
pub(crate) struct Compact<'a> {
    /// The header's base64url text: the additional authenticated data.
    pub header_b64: &'a str,
    pub header: Map<String, Value>,
    pub encrypted_key: Vec<u8>,
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
    pub tag: Vec<u8>,
}

impl Compact<'_> {
    pub fn string(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// Refuses any `alg` but `expected`.
    pub fn expect_alg(&self, expected: &'static str) -> Result<(), SealError> {
        match self.header.get("alg") {
            Some(Value::String(alg)) if alg == expected => Ok(()),
            Some(Value::String(alg)) => Err(SealError::ForeignAlg {
                found: alg.clone(),
                expected,
            }),
            Some(_) => Err(SealError::Malformed("alg is not a string")),
            None => Err(SealError::Malformed("no alg in the header")),
        }
    }
}

/// Splits and decodes a compact JWE of at most `max` bytes; checks `zip`, `crit`, `enc` and
/// the lengths of IV and tag. The caller checks `alg`.
pub(crate) fn parse(text: &[u8], max: u64) -> Result<Compact<'_>, SealError> {
    if text.len() as u64 > max {
        return Err(SealError::TooLarge {
            size: text.len() as u64,
            max,
        });
    }
    let text = std::str::from_utf8(text)
        .ok()
        .filter(|t| t.is_ascii())
        .ok_or(SealError::Malformed("characters outside ASCII"))?
        .trim_ascii();
    let parts: Vec<&str> = text.split('.').collect();
    let [header_b64, key, iv, ciphertext, tag] = parts[..] else {
        return Err(SealError::Malformed("not five parts separated by dots"));
    };
    let header_bytes = b64::decode(header_b64, "header is not base64url")?;
    let header: Map<String, Value> = serde_json::from_slice(&header_bytes)
        .map_err(|_| SealError::Malformed("header is not a JSON object"))?;
    if header.contains_key("zip") {
        return Err(SealError::Zip);
    }
    if header.contains_key("crit") {
        return Err(SealError::Crit);
    }
    match header.get("enc") {
        Some(Value::String(enc)) if enc == ENC => {}
        Some(Value::String(enc)) => return Err(SealError::ForeignEnc(enc.clone())),
        _ => return Err(SealError::Malformed("no enc in the header")),
    }
    let compact = Compact {
        header_b64,
        header,
        encrypted_key: b64::decode(key, "encrypted key is not base64url")?,
        iv: b64::decode(iv, "IV is not base64url")?,
        ciphertext: b64::decode(ciphertext, "ciphertext is not base64url")?,
        tag: b64::decode(tag, "tag is not base64url")?,
    };
    if compact.iv.len() != IV_BYTES {
        return Err(SealError::Malformed("IV is not 96 bits long"));
    }
    if compact.tag.len() != TAG_BYTES {
        return Err(SealError::Malformed("tag is not 128 bits long"));
    }
    Ok(compact)
}

pub(crate) fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, SealError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).map_err(|_| SealError::Random)?;
    Ok(bytes)
}

/// AES-256-GCM over `plaintext` with the header's base64url text as additional data
/// (RFC 7516 §5.1 steps 14–15): ciphertext and tag.
pub(crate) fn gcm_seal(cek: &[u8], iv: &[u8], aad: &[u8], plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let cipher = Aes256Gcm::new_from_slice(cek).expect("a 256-bit key");
    let mut buffer = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(
            &Nonce::<Aes256Gcm>::try_from(iv).expect("a 96-bit IV"),
            aad,
            buffer.as_mut_slice().into(),
        )
        .expect("AES-GCM takes any plaintext below 64 GiB");
    (buffer, tag.to_vec())
}

/// The reverse of [`gcm_seal`]; a changed header, IV, ciphertext or tag fails the check.
pub(crate) fn gcm_open(cek: &[u8], compact: &Compact<'_>) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let cipher = Aes256Gcm::new_from_slice(cek).map_err(|_| SealError::KeyUnwrap)?;
    let mut buffer = Zeroizing::new(compact.ciphertext.clone());
    cipher
        .decrypt_inout_detached(
            &Nonce::<Aes256Gcm>::try_from(&compact.iv[..])
                .map_err(|_| SealError::Malformed("IV is not 96 bits long"))?,
            compact.header_b64.as_bytes(),
            buffer.as_mut_slice().into(),
            &Tag::<Aes256Gcm>::try_from(&compact.tag[..]).map_err(|_| SealError::Tampered)?,
        )
        .map_err(|_| SealError::Tampered)?;
    Ok(buffer)
}

/// The five parts joined with dots.
pub(crate) fn join(header_b64: &str, key: &[u8], iv: &[u8], ct: &[u8], tag: &[u8]) -> String {
    [
        header_b64.to_string(),
        b64::encode(key),
        b64::encode(iv),
        b64::encode(ct),
        b64::encode(tag),
    ]
    .join(".")
}

fn check_size(bits: usize) -> Result<(), SealError> {
    if bits < crate::MIN_KEY_BITS {
        return Err(SealError::KeyTooSmall(bits));
    }
    Ok(())
}

/// Encrypts an answers file to the ministry's public key, as the form page does: a fresh
/// random CEK and IV, header `{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":…,"cty":…}`.
pub fn encrypt(to: &PublicJwk, plaintext: &[u8]) -> Result<String, SealError> {
    check_size(to.bits())?;
    let header = format!(
        r#"{{"alg":"{KEY_ALG}","enc":"{ENC}","kid":{},"cty":"{SUBMISSION_CTY}"}}"#,
        Value::from(to.kid())
    );
    let header_b64 = b64::encode(header.as_bytes());
    let cek = random::<CEK_BYTES>()?;
    let iv = random::<IV_BYTES>()?;
    let encrypted_key = to
        .key
        .oaep_encrypt_with_rng::<Sha256, _>(&mut getrandom::SysRng, cek.as_ref())
        .map_err(|e| SealError::BadKey(e.to_string()))?;
    let (ct, tag) = gcm_seal(cek.as_ref(), iv.as_ref(), header_b64.as_bytes(), plaintext);
    Ok(join(&header_b64, &encrypted_key, iv.as_ref(), &ct, &tag))
}

/// Decrypts an encrypted submission with the private key: the answers file's bytes.
pub fn decrypt(key: &PrivateJwk, text: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let compact = parse(text, crate::MAX_SUBMISSION_BYTES)?;
    compact.expect_alg(KEY_ALG)?;
    if let Some(kid) = compact.header.get("kid") {
        let kid = kid
            .as_str()
            .ok_or(SealError::Malformed("kid is not a string"))?;
        if kid != key.kid() && kid != key.public().thumbprint() {
            return Err(SealError::WrongKey(kid.to_string()));
        }
    }
    check_size(key.key.n().bit_width() as usize)?;
    if compact.encrypted_key.len() != key.key.size() {
        return Err(SealError::KeyUnwrap);
    }
    // Without blinding, as Go's crypto/rsa since 1.20 (its `random` is "legacy and
    // ignored"): crypto-bigint's exponentiation and the OAEP check are constant-time, and
    // blinding the base, exponents and primes cost a quarter of every decryption's work
    // (500 submissions: 3.17 -> 2.47 s, docs/performance.md). An offline batch on the
    // clerk's machine answers no one, so there is no timing oracle to blind against.
    let cek = Oaep::<Sha256>::new()
        .decrypt(
            Option::<&mut getrandom::SysRng>::None,
            &key.key,
            &compact.encrypted_key,
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError::KeyUnwrap)?;
    if cek.len() != CEK_BYTES {
        return Err(SealError::KeyUnwrap);
    }
    gcm_open(&cek, &compact)
}
