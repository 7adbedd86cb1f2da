//! Formwerk's seal: end-to-end encryption of submissions, the ministry's side (issue 27).
//!
//! Applicants' form pages encrypt the answers file in the browser (Web Crypto) to the
//! ministry's public key; the ministry's clerk decrypts with the private key. The formats are
//! the JOSE ones FIT-Connect uses, so that other tools can read them:
//!
//! - the public key: a JWK (RFC 7517) `{"kty":"RSA","n","e","alg":"RSA-OAEP-256","use":"enc",
//!   "kid"}`, its `kid` the RFC 7638 thumbprint ([`jwk`]);
//! - an encrypted submission: JWE Compact Serialization (RFC 7516) with `RSA-OAEP-256` and
//!   `A256GCM` ([`jwe`]);
//! - the private key file: the private JWK as a JWE with `PBES2-HS512+A256KW` and `A256GCM`
//!   (RFC 7518 §4.8), opened with a passphrase ([`keyfile`]);
//! - private keys where they must not be: [`detect`] (a site's sources and output).
//!
//! Everything else is refused with a named reason ([`SealError`], German, for the clerk).

mod b64;
pub mod detect;
mod error;
pub mod jwe;
pub mod jwk;
pub mod keyfile;

pub use error::SealError;
pub use jwk::{PrivateJwk, PublicJwk};
pub use zeroize::Zeroizing;

/// The contract's cap on one attachment, unless the form asks for less: 10 MB as the page,
/// its label and file managers count them (1 MB = 1,048,576 bytes). The form model's
/// `attachment` kind takes its caps from here: the page accepts exactly what
/// `formwerk answers --attachments` writes out.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;
/// The contract's cap on all attachments of one submission together, 20 MB (e-mail servers
/// take about 20–25 MB).
pub const MAX_ATTACHMENTS_TOTAL_BYTES: u64 = 20 * 1024 * 1024;
/// The largest answers file an encrypted submission may hold: every attachment byte as
/// standard base64 (4 characters for 3 bytes) and 6 MB for the answers themselves and the
/// JSON around the attachments.
pub const MAX_PLAINTEXT_BYTES: u64 = MAX_ATTACHMENTS_TOTAL_BYTES.div_ceil(3) * 4 + 6_000_000;
/// The largest `.jwe` file read: the plaintext as base64url plus the other four parts
/// (a 4096-bit encrypted key is 683 characters; the header stays under 1 KiB).
pub const MAX_SUBMISSION_BYTES: u64 = MAX_PLAINTEXT_BYTES.div_ceil(3) * 4 + 4096;
/// The largest key file or JWK read (a 4096-bit private JWK is about 3.2 KiB).
pub const MAX_KEY_BYTES: u64 = 64 * 1024;

/// The key size `formwerk keys new` makes (BSI TR-02102-1 asks for at least 3000 bits).
pub const KEY_BITS: usize = 4096;
/// The smallest RSA modulus accepted for encryption or decryption (BSI TR-02102-1: 3000 bits;
/// the next size keys are made in is 3072).
pub const MIN_KEY_BITS: usize = 3072;

#[cfg(test)]
mod tests;
