//! The ministry's RSA key as JSON Web Key (RFC 7517, RFC 7518 §6.3): the public half that the
//! form pages encrypt to, the private half inside the key file, and the RFC 7638 thumbprint
//! that names both (`kid`) and that the call for applications prints.

use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BoxedUint, PrivateKey, PublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::{SealError, b64};

/// The key management algorithm of submissions; also the JWK's `alg`.
pub const KEY_ALG: &str = "RSA-OAEP-256";

/// Members of an RSA JWK that only a private key has (RFC 7518 §6.3.2), and `k` of a
/// symmetric one (§6.4.1): a file with any of them must stay out of a site.
pub const PRIVATE_MEMBERS: [&str; 9] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];

/// A JWK as read: every member that Formwerk uses, the secret ones wiped when dropped.
#[derive(Default, Deserialize)]
struct RawJwk {
    kty: Option<String>,
    n: Option<String>,
    e: Option<String>,
    d: Option<String>,
    p: Option<String>,
    q: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    kid: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl Drop for RawJwk {
    fn drop(&mut self) {
        self.d.zeroize();
        self.p.zeroize();
        self.q.zeroize();
    }
}

impl RawJwk {
    fn parse(text: &str) -> Result<RawJwk, SealError> {
        if text.len() as u64 > crate::MAX_KEY_BYTES {
            return Err(SealError::TooLarge {
                size: text.len() as u64,
                max: crate::MAX_KEY_BYTES,
            });
        }
        let raw: RawJwk = serde_json::from_str(text)
            .map_err(|e| SealError::BadKey(format!("not a JSON object ({e})")))?;
        match raw.kty.as_deref() {
            Some("RSA") => {}
            Some(other) => {
                return Err(SealError::BadKey(format!("key type {other}, not RSA")));
            }
            None => return Err(SealError::BadKey("no kty".into())),
        }
        if let Some(alg) = raw.alg.as_deref().filter(|a| *a != KEY_ALG) {
            return Err(SealError::ForeignAlg {
                found: alg.to_string(),
                expected: KEY_ALG,
            });
        }
        if let Some(use_) = raw.use_.as_deref().filter(|u| *u != "enc") {
            return Err(SealError::BadKey(format!("use is {use_}, not enc")));
        }
        Ok(raw)
    }

    fn number(&self, member: &'static str) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let text = match member {
            "n" => &self.n,
            "e" => &self.e,
            "d" => &self.d,
            "p" => &self.p,
            _ => &self.q,
        };
        let text = text
            .as_deref()
            .ok_or_else(|| SealError::BadKey(format!("no {member}")))?;
        let bytes = b64::decode(text, "number is not base64url")
            .map_err(|_| SealError::BadKey(format!("{member} is not base64url")))?;
        Ok(Zeroizing::new(bytes))
    }

    fn has_private_members(&self) -> bool {
        self.d.is_some()
            || self.p.is_some()
            || self.q.is_some()
            || PRIVATE_MEMBERS.iter().any(|m| self.rest.contains_key(*m))
    }
}

fn uint(bytes: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(bytes)
}

/// RFC 7638: the thumbprint of an RSA key whose members `n` and `e` are written in base64url,
/// SHA-256 of `{"e":…,"kty":"RSA","n":…}` (members in this order, no spaces), base64url. What
/// the form page shows for `encrypt_to` and `keys new` prints.
pub fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    b64::encode(&Sha256::digest(canonical.as_bytes()))
}

fn thumbprint_of(key: &PublicKey) -> String {
    thumbprint(&b64::encode(&key.n_bytes()), &b64::encode(&key.e_bytes()))
}

/// The public key the form pages encrypt to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicJwk {
    pub(crate) key: PublicKey,
    kid: String,
}

#[derive(Serialize)]
struct PublicOut<'a> {
    kty: &'static str,
    n: String,
    e: String,
    alg: &'static str,
    #[serde(rename = "use")]
    use_: &'static str,
    kid: &'a str,
}

impl PublicJwk {
    /// Reads a public JWK; one with private members is refused (it belongs in a key file).
    pub fn parse(text: &str) -> Result<PublicJwk, SealError> {
        let raw = RawJwk::parse(text)?;
        if raw.has_private_members() {
            return Err(SealError::BadKey(
                "has private members; only the public key is published".into(),
            ));
        }
        let key = PublicKey::new(uint(&raw.number("n")?), uint(&raw.number("e")?))
            .map_err(|e| SealError::BadKey(e.to_string()))?;
        let kid = raw.kid.clone().unwrap_or_else(|| thumbprint_of(&key));
        Ok(PublicJwk { key, kid })
    }

    /// The RFC 7638 thumbprint (SHA-256, base64url).
    pub fn thumbprint(&self) -> String {
        thumbprint_of(&self.key)
    }

    /// The `kid` an encrypted file names: the JWK's own, else its thumbprint.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The modulus' size in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bit_width() as usize
    }

    /// The JWK as a file holds it: pretty JSON, members in the contract's order, newline.
    pub fn to_json(&self) -> String {
        let out = PublicOut {
            kty: "RSA",
            n: b64::encode(&self.key.n_bytes()),
            e: b64::encode(&self.key.e_bytes()),
            alg: KEY_ALG,
            use_: "enc",
            kid: &self.kid,
        };
        let mut text = serde_json::to_string_pretty(&out).expect("a JWK serialises");
        text.push('\n');
        text
    }
}

/// The private key: only in memory, after the key file was opened with its passphrase.
/// `rsa::PrivateKey` wipes its numbers when dropped.
pub struct PrivateJwk {
    pub(crate) key: PrivateKey,
    kid: String,
}

impl std::fmt::Debug for PrivateJwk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateJwk {{ kid: {:?}, .. }}", self.kid)
    }
}

impl PrivateJwk {
    /// A new RSA key of `bits` bits with exponent 65537 from the operating system's random
    /// numbers; its `kid` is its thumbprint. 4096 bits take seconds.
    pub fn generate(bits: usize) -> Result<PrivateJwk, SealError> {
        let key = PrivateKey::new(&mut getrandom::SysRng, bits)
            .map_err(|e| SealError::BadKey(e.to_string()))?;
        let kid = thumbprint_of(key.as_public_key());
        Ok(PrivateJwk { key, kid })
    }

    /// Reads a private JWK (`n`, `e`, `d`, `p`, `q`; the CRT values are computed again).
    pub fn parse(text: &str) -> Result<PrivateJwk, SealError> {
        let raw = RawJwk::parse(text)?;
        let primes = vec![uint(&raw.number("p")?), uint(&raw.number("q")?)];
        let key = PrivateKey::from_components(
            uint(&raw.number("n")?),
            uint(&raw.number("e")?),
            uint(&raw.number("d")?),
            primes,
        )
        .map_err(|e| SealError::BadKey(e.to_string()))?;
        let kid = raw
            .kid
            .clone()
            .unwrap_or_else(|| thumbprint_of(key.as_public_key()));
        Ok(PrivateJwk { key, kid })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn public(&self) -> PublicJwk {
        PublicJwk {
            key: self.key.to_public_key(),
            kid: self.kid.clone(),
        }
    }

    /// The private JWK as compact JSON (RFC 7518 §6.3.2), wiped when dropped.
    pub fn to_json(&self) -> Zeroizing<String> {
        let k = &self.key;
        let primes = k.primes();
        let num = |v: &BoxedUint| Zeroizing::new(b64::encode(&v.to_be_bytes_trimmed_vartime()));
        let dp = k.dp().map(num).unwrap_or_default();
        let dq = k.dq().map(num).unwrap_or_default();
        let qi = k.crt_coefficient().map(|v| num(&v)).unwrap_or_default();
        let mut text = Zeroizing::new(String::with_capacity(4096));
        text.push_str(&format!(
            r#"{{"kty":"RSA","n":"{}","e":"{}","#,
            b64::encode(&k.n_bytes()),
            b64::encode(&k.e_bytes())
        ));
        for (name, value) in [
            ("d", num(k.d())),
            ("p", num(primes[0].as_ref())),
            ("q", num(primes[1].as_ref())),
            ("dp", dp),
            ("dq", dq),
            ("qi", qi),
        ] {
            text.push_str(&format!(r#""{name}":"{}","#, value.as_str()));
        }
        text.push_str(&format!(
            r#""alg":"{KEY_ALG}","use":"enc","kid":{}}}"#,
            serde_json::Value::from(self.kid.as_str())
        ));
        text
    }
}

/// Whether JSON text is a JWK, or a JWK set, with a private member.
pub fn json_has_private_members(value: &serde_json::Value) -> bool {
    let is_private = |v: &serde_json::Value| {
        v.get("kty").is_some() && PRIVATE_MEMBERS.iter().any(|m| v.get(*m).is_some())
    };
    match value.get("keys").and_then(|k| k.as_array()) {
        Some(keys) => keys.iter().any(is_private),
        None => is_private(value),
    }
}
