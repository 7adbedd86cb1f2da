//! The ministry's public key that a form's `[submission] encrypt_to` names: a JSON Web Key
//! (RFC 7517) checked at build time, its RFC 7638 thumbprint (which the page shows, so that
//! an applicant can compare it with the one the ministry publishes), and the members the
//! page's seal.js encrypts with.

use std::ops::Range;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

/// The key-management algorithm every encrypted submission uses (RFC 7518 §4.3).
pub const KEY_ALG: &str = "RSA-OAEP-256";

/// The smallest RSA modulus accepted, in bits.
pub const MIN_MODULUS_BITS: usize = 4096;

/// The largest encrypted submission (`.jwe`) the inbox and `formwerk answers` open: 20 MB
/// of attachments (the contract with the `attachment` kind), base64 inside the JSON, plus the
/// other answers, then base64url once more (the seal crate's one computation).
pub const MAX_SEALED_BYTES: u64 = formwerk_seal::MAX_SUBMISSION_BYTES;

// An encrypted submission is read whole: the per-file size budget must take the largest.
const _: () = assert!(crate::budget::Budget::Size.limit() >= MAX_SEALED_BYTES);

/// The members of a private or symmetric key: a public key file must have none of them.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// A checked public key, as the page gets it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKey {
    /// The key file as `encrypt_to` names it (from the site folder).
    pub file: String,
    pub kid: String,
    /// RFC 7638 thumbprint: SHA-256 of the required members, base64url.
    pub thumbprint: String,
    /// The public members only (`kty`, `n`, `e`, `alg`, `use`, `kid`), for Web Crypto.
    pub jwk: Value,
}

/// What is wrong with a key file, with its place in the file.
#[derive(Debug, PartialEq)]
pub struct KeyProblem {
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
}

fn problem(range: Range<usize>, message: impl Into<String>, help: &str) -> KeyProblem {
    KeyProblem {
        range,
        message: message.into(),
        help: help.to_string(),
    }
}

/// Checks the text of a public key file (`file` as written in `encrypt_to`): JSON, one RSA key
/// of at least [`MIN_MODULUS_BITS`] for [`KEY_ALG`] and `use` `enc`, with a `kid`, and no
/// private member.
pub fn check_public_key(file: &str, text: &str) -> Result<PublicKey, KeyProblem> {
    let whole = 0..text.len().min(1);
    let jwk: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
        let at = formwerk_base::diagnostics::offset_of(text, e.line(), e.column());
        problem(
            at.saturating_sub(1)..at,
            format!("the key file is not a JSON Web Key: {e}"),
            "name the public key file that `formwerk keys new` wrote (a JSON object)",
        )
    })?;
    if let Some(private) = PRIVATE_MEMBERS.iter().find(|m| jwk.contains_key(**m)) {
        return Err(problem(
            member_span(text, private),
            format!("the key file holds the private member `{private}`: this is a private key"),
            "never publish the private key; name the public key file (without d, p, q, dp, dq, qi)",
        ));
    }
    let member = |name: &str, expected: Option<&str>| -> Result<String, KeyProblem> {
        match jwk.get(name).and_then(Value::as_str) {
            Some(v) if expected.is_none_or(|x| x == v) && !v.is_empty() => Ok(v.to_string()),
            Some(v) => Err(problem(
                member_span(text, name),
                format!(
                    "`{name}` is `{v}`, expected `{}`",
                    expected.unwrap_or("a text")
                ),
                "the ministry's encryption key is an RSA key for RSA-OAEP-256 with use \"enc\"",
            )),
            None => Err(problem(
                whole.clone(),
                format!("the key has no `{name}`"),
                "name the public key file that `formwerk keys new` wrote",
            )),
        }
    };
    member("kty", Some("RSA"))?;
    member("alg", Some(KEY_ALG))?;
    member("use", Some("enc"))?;
    let kid = member("kid", None)?;
    let n = member("n", None)?;
    let e = member("e", None)?;
    let bits = modulus_bits(&n).ok_or_else(|| {
        problem(
            member_span(text, "n"),
            "the modulus `n` is not base64url",
            "name the public key file that `formwerk keys new` wrote",
        )
    })?;
    if bits < MIN_MODULUS_BITS || URL_SAFE_NO_PAD.decode(&e).is_err() {
        return Err(problem(
            member_span(text, if bits < MIN_MODULUS_BITS { "n" } else { "e" }),
            format!(
                "the key is too weak or damaged: a modulus of {bits} bits, at least {MIN_MODULUS_BITS} needed"
            ),
            "make a 4096-bit key with `formwerk keys new`",
        ));
    }
    Ok(PublicKey {
        file: file.to_string(),
        thumbprint: formwerk_seal::jwk::thumbprint(&n, &e),
        jwk: serde_json::json!({ "kty": "RSA", "n": n, "e": e, "alg": KEY_ALG, "use": "enc", "kid": kid }),
        kid,
    })
}

/// The bit length of a base64url big-endian modulus; `None` when it is no base64url.
fn modulus_bits(n: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(n).ok()?;
    let first = bytes.iter().position(|b| *b != 0)?;
    Some((bytes.len() - first) * 8 - bytes[first].leading_zeros() as usize)
}

/// Where the member `name` is written in the key file (its quoted name), else its start.
fn member_span(text: &str, name: &str) -> Range<usize> {
    let quoted = format!("\"{name}\"");
    let mut from = 0;
    while let Some(i) = text[from..].find(&quoted) {
        let at = from + i;
        let rest = text[at + quoted.len()..].trim_start();
        if rest.starts_with(':') {
            return at..at + quoted.len();
        }
        from = at + quoted.len();
    }
    0..text.len().min(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7638 §3.1's example key and thumbprint.
    const RFC_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    #[test]
    fn thumbprint_of_the_rfc_7638_example() {
        assert_eq!(
            formwerk_seal::jwk::thumbprint(RFC_N, "AQAB"),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(modulus_bits(RFC_N), Some(2048));
    }

    /// A key of `bits` bits (all ones), written as `formwerk keys new` writes one.
    fn key(bits: usize, extra: &str) -> String {
        let mut n = vec![0xffu8; bits / 8];
        n[0] = 0xc1;
        format!(
            "{{\n  \"kty\": \"RSA\",\n  \"n\": \"{}\",\n  \"e\": \"AQAB\",\n  \"alg\": \"RSA-OAEP-256\",\n  \"use\": \"enc\",\n  \"kid\": \"ms-2026\"{extra}\n}}\n",
            URL_SAFE_NO_PAD.encode(&n)
        )
    }

    #[test]
    fn a_4096_bit_public_key_is_taken_with_public_members_only() {
        let text = key(4096, ",\n  \"key_ops\": [\"encrypt\"]");
        let k = check_public_key("k.jwk", &text).unwrap();
        assert_eq!(k.kid, "ms-2026");
        assert_eq!(k.jwk.as_object().unwrap().len(), 6);
        assert_eq!(
            k.thumbprint,
            formwerk_seal::jwk::thumbprint(k.jwk["n"].as_str().unwrap(), "AQAB")
        );
    }

    #[test]
    fn refusals_point_at_the_member() {
        let at = |text: &str, name: &str| {
            let p = check_public_key("k.jwk", text).unwrap_err();
            assert_eq!(
                &text[p.range.clone()],
                format!("\"{name}\""),
                "{}",
                p.message
            );
            p.message
        };
        let private = key(4096, ",\n  \"d\": \"AAAA\"");
        assert!(at(&private, "d").contains("private"));
        assert!(at(&key(2048, ""), "n").contains("2048 bits"));
        let rsa1_5 = key(4096, "").replace("RSA-OAEP-256", "RSA1_5");
        assert!(at(&rsa1_5, "alg").contains("RSA1_5"));
        let sig = key(4096, "").replace("\"enc\"", "\"sig\"");
        assert!(at(&sig, "use").contains("sig"));
        let ec = key(4096, "").replace("\"RSA\"", "\"EC\"");
        assert!(at(&ec, "kty").contains("EC"));
    }

    #[test]
    fn no_kid_and_no_json_are_refused() {
        let no_kid = key(4096, "").replace("\"kid\"", "\"x\"");
        let p = check_public_key("k.jwk", &no_kid).unwrap_err();
        assert!(p.message.contains("no `kid`"), "{}", p.message);
        let p = check_public_key("k.jwk", "{\n  \"kty\": RSA\n}").unwrap_err();
        assert_eq!(
            formwerk_base::diagnostics::line_col("{\n  \"kty\": RSA\n}", p.range.start).0,
            2
        );
    }
}
