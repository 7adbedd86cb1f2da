//! Why a key or a file is refused. The words for the clerk live in the theme's strings
//! (`seal_*` in i18n/de.toml and en.toml, shared by `formwerk answers` and the inbox page):
//! [`SealError::message`] names the string and its values; `Display` is for logs and tests.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SealError {
    #[error("file too large ({size} bytes, at most {max})")]
    TooLarge { size: u64, max: u64 },
    #[error("not a compact JWE: {0}")]
    Malformed(&'static str),
    #[error("algorithm {found} refused (expected {expected})")]
    ForeignAlg {
        found: String,
        expected: &'static str,
    },
    #[error("content encryption {0} refused (expected A256GCM)")]
    ForeignEnc(String),
    #[error("compressed JWE (zip) refused")]
    Zip,
    #[error("JWE with critical extensions (crit) refused")]
    Crit,
    #[error("encrypted for another key (kid {0})")]
    WrongKey(String),
    #[error("RSA-OAEP decryption of the content key failed")]
    KeyUnwrap,
    #[error("changed file (GCM check failed)")]
    Tampered,
    #[error("wrong passphrase (or a changed key file)")]
    WrongPassphrase,
    #[error("PBES2 iteration count {0} outside 1,000..=10,000,000")]
    Iterations(u64),
    #[error("not a usable JWK: {0}")]
    BadKey(String),
    #[error("RSA key of {0} bits; at least 3072 required")]
    KeyTooSmall(usize),
    #[error("the operating system's random numbers are not available")]
    Random,
}

impl SealError {
    /// The theme string that says it to the clerk, and the values for its placeholders.
    pub fn message(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            SealError::TooLarge { size, max } => (
                "seal_too_large",
                vec![("size", size.to_string()), ("max", max.to_string())],
            ),
            SealError::Malformed(what) => ("seal_malformed", vec![("what", what.to_string())]),
            SealError::ForeignAlg { found, expected } => (
                "seal_foreign_alg",
                vec![("alg", found.clone()), ("expected", expected.to_string())],
            ),
            SealError::ForeignEnc(enc) => ("seal_foreign_enc", vec![("enc", enc.clone())]),
            SealError::Zip => ("seal_zip", vec![]),
            SealError::Crit => ("seal_crit", vec![]),
            SealError::WrongKey(kid) => ("seal_wrong_key", vec![("kid", kid.clone())]),
            SealError::KeyUnwrap => ("seal_key_unwrap", vec![]),
            SealError::Tampered => ("seal_tampered", vec![]),
            SealError::WrongPassphrase => ("seal_wrong_passphrase", vec![]),
            SealError::Iterations(n) => ("seal_iterations", vec![("p2c", n.to_string())]),
            SealError::BadKey(why) => ("seal_bad_key", vec![("why", why.clone())]),
            SealError::KeyTooSmall(bits) => (
                "seal_key_too_small",
                vec![
                    ("bits", bits.to_string()),
                    ("min", crate::MIN_KEY_BITS.to_string()),
                ],
            ),
            SealError::Random => ("seal_random", vec![]),
        }
    }
}
