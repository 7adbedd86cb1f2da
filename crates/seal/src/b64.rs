//! Base64url without padding (RFC 7515 §2), the encoding of every JOSE part.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url; `what` names the part in the refusal.
pub(crate) fn decode(text: &str, what: &'static str) -> Result<Vec<u8>, crate::SealError> {
    URL_SAFE_NO_PAD
        .decode(text.as_bytes())
        .map_err(|_| crate::SealError::Malformed(what))
}
