//! The seal's own checks: published vectors for each step (RFC 7638, RFC 7520 §5.3, RFC 7516
//! A.1), round trips and every refusal with its German reason. Interoperability with another
//! implementation (jwcrypto) is tests/seal_interop.rs.

use std::sync::OnceLock;

use crate::jwe::{self, Compact};
use crate::{PrivateJwk, PublicJwk, SealError, b64, detect, keyfile};

/// One 4096-bit key for all tests (making one takes seconds).
fn key() -> &'static PrivateJwk {
    static KEY: OnceLock<PrivateJwk> = OnceLock::new();
    KEY.get_or_init(|| PrivateJwk::generate(crate::KEY_BITS).unwrap())
}

/// A second, unrelated key.
fn other_key() -> &'static PrivateJwk {
    static KEY: OnceLock<PrivateJwk> = OnceLock::new();
    KEY.get_or_init(|| PrivateJwk::generate(crate::MIN_KEY_BITS).unwrap())
}

fn with_header(jwe: &str, header: &str) -> String {
    let rest = jwe.split_once('.').unwrap().1;
    format!("{}.{rest}", b64::encode(header.as_bytes()))
}

#[test]
fn rfc7638_thumbprint_example() {
    let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","kid":"2011-04-29"}"#;
    let key = PublicJwk::parse(jwk).unwrap();
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    assert_eq!(key.kid(), "2011-04-29");
}

/// RFC 7520 §5.3 (PBES2-HS512+A256KW; its content encryption is A128CBC-HS256, which
/// Formwerk does not use, so the key derivation and key wrap steps are checked).
#[test]
fn rfc7520_pbes2_derivation_and_key_wrap() {
    let password = "entrap_o\u{2013}peter_long\u{2013}credit_tun";
    let p2s = b64::decode("8Q1SzinasR3xchYz6ZZcHA", "").unwrap();
    let cek = b64::decode("uwsjJXaBK407Qaf0_zpcpmr1Cs0CC50hIUEyGNEt3m0", "").unwrap();
    let expected = "d3qNhUWfqheyPp4H8sjOWsDYajoej4c5Je6rlUtFPWdgtURtmeDV1g";
    let kek = keyfile::derive(password.as_bytes(), &p2s, 8192);
    assert_eq!(b64::encode(&keyfile::wrap(&kek, &cek)), expected);
    let unwrapped = keyfile::unwrap(&kek, &b64::decode(expected, "").unwrap()).unwrap();
    assert_eq!(unwrapped.as_slice(), cek.as_slice());
    let wrong = keyfile::derive(b"entrap_o-peter_long-credit_tun", &p2s, 8192);
    let refused = keyfile::unwrap(&wrong, &b64::decode(expected, "").unwrap());
    assert_eq!(refused.unwrap_err(), SealError::WrongPassphrase);
}

/// RFC 7516 Appendix A.1's A256GCM step (its key management is RSA-OAEP with SHA-1, which
/// Formwerk refuses; the content encryption is the same).
#[test]
fn rfc7516_a1_content_encryption() {
    let cek: [u8; 32] = [
        177, 161, 244, 128, 84, 143, 225, 115, 63, 180, 3, 255, 107, 154, 212, 246, 138, 7, 110,
        91, 112, 46, 34, 105, 47, 130, 203, 46, 122, 234, 64, 252,
    ];
    let header_b64 = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ";
    let iv = b64::decode("48V1_ALb6US04U3b", "").unwrap();
    let plaintext = b"The true sign of intelligence is not knowledge but imagination.";
    let (ct, tag) = jwe::gcm_seal(&cek, &iv, header_b64.as_bytes(), plaintext);
    assert_eq!(
        b64::encode(&ct),
        "5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A"
    );
    assert_eq!(b64::encode(&tag), "XFBoMYUZodetZdvTiFvSkQ");
    let compact = Compact {
        header_b64,
        header: Default::default(),
        encrypted_key: vec![],
        iv,
        ciphertext: ct,
        tag,
    };
    assert_eq!(jwe::gcm_open(&cek, &compact).unwrap().as_slice(), plaintext);
}

#[test]
fn public_key_file_has_the_contract_members_and_no_private_ones() {
    let public = key().public();
    let text = public.to_json();
    let at: Vec<usize> = ["kty", "n", "e", "alg", "use", "kid"]
        .iter()
        .map(|m| text.find(&format!("\"{m}\":")).unwrap())
        .collect();
    assert!(at.is_sorted(), "members in the contract's order: {text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json.as_object().unwrap().len(), 6);
    assert_eq!(json["e"], "AQAB");
    assert_eq!(json["alg"], "RSA-OAEP-256");
    assert_eq!(json["kid"], public.thumbprint().as_str());
    assert_eq!(
        b64::decode(json["n"].as_str().unwrap(), "").unwrap().len(),
        512
    );
    assert_eq!(PublicJwk::parse(&public.to_json()).unwrap(), public);
    let private = PublicJwk::parse(&key().to_json()).unwrap_err();
    assert!(private.to_string().contains("private members"), "{private}");
}

#[test]
fn submission_round_trip_with_the_contract_header() {
    let text = "{\"answers\":{\"name\":\"Jürgen\"}}\n";
    let jwe = jwe::encrypt(&key().public(), text.as_bytes()).unwrap();
    let header = b64::decode(jwe.split('.').next().unwrap(), "").unwrap();
    let expected = format!(
        r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{}","cty":"application/json"}}"#,
        key().kid()
    );
    assert_eq!(String::from_utf8(header).unwrap(), expected);
    assert_eq!(
        jwe::decrypt(key(), jwe.as_bytes()).unwrap().as_slice(),
        text.as_bytes()
    );
    let again = jwe::encrypt(&key().public(), text.as_bytes()).unwrap();
    assert_ne!(
        jwe.split('.').nth(1),
        again.split('.').nth(1),
        "a fresh CEK per file"
    );
    assert_ne!(
        jwe.split('.').nth(2),
        again.split('.').nth(2),
        "a fresh IV per file"
    );
}

#[test]
fn changed_parts_fail_the_gcm_check() {
    let jwe = jwe::encrypt(&key().public(), b"{\"answers\":{}}").unwrap();
    let mut parts: Vec<String> = jwe.split('.').map(String::from).collect();
    let mut ct = b64::decode(&parts[3], "").unwrap();
    ct[3] ^= 1;
    parts[3] = b64::encode(&ct);
    let reason = jwe::decrypt(key(), parts.join(".").as_bytes()).unwrap_err();
    assert_eq!(reason, SealError::Tampered);
    let mut parts: Vec<String> = jwe.split('.').map(String::from).collect();
    let mut tag = b64::decode(&parts[4], "").unwrap();
    tag[15] ^= 0x80;
    parts[4] = b64::encode(&tag);
    let reason = jwe::decrypt(key(), parts.join(".").as_bytes()).unwrap_err();
    assert_eq!(reason, SealError::Tampered);
}

#[test]
fn another_key_is_named() {
    let jwe = jwe::encrypt(&other_key().public(), b"{}").unwrap();
    let reason = jwe::decrypt(key(), jwe.as_bytes()).unwrap_err();
    assert_eq!(reason, SealError::WrongKey(other_key().kid().to_string()));
    let no_kid = with_header(&jwe, r#"{"alg":"RSA-OAEP-256","enc":"A256GCM"}"#);
    let reason = jwe::decrypt(key(), no_kid.as_bytes()).unwrap_err();
    assert_eq!(reason, SealError::KeyUnwrap);
}

#[test]
fn foreign_headers_are_refused_by_name() {
    let jwe = jwe::encrypt(&key().public(), b"{}").unwrap();
    let kid = key().kid();
    for alg in ["none", "dir", "RSA1_5", "RSA-OAEP", "PBES2-HS512+A256KW"] {
        let header = format!(r#"{{"alg":"{alg}","enc":"A256GCM","kid":"{kid}"}}"#);
        let reason = jwe::decrypt(key(), with_header(&jwe, &header).as_bytes()).unwrap_err();
        let expected = SealError::ForeignAlg {
            found: alg.to_string(),
            expected: "RSA-OAEP-256",
        };
        assert_eq!(reason, expected);
    }
    let cases = [
        (
            r#"{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256"}"#,
            "A128CBC-HS256 refused",
        ),
        (
            r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}"#,
            "(zip)",
        ),
        (
            r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":["exp"],"exp":1}"#,
            "(crit)",
        ),
        (r#"{"enc":"A256GCM"}"#, "no alg"),
    ];
    for (header, reason) in cases {
        let refused = jwe::decrypt(key(), with_header(&jwe, header).as_bytes()).unwrap_err();
        assert!(refused.to_string().contains(reason), "{header}: {refused}");
    }
    let refused = jwe::decrypt(key(), b"a.b.c").unwrap_err();
    assert!(refused.to_string().contains("five parts"), "{refused}");
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let big = vec![b'!'; crate::MAX_SUBMISSION_BYTES as usize + 1];
    let reason = jwe::decrypt(key(), &big).unwrap_err();
    assert!(matches!(reason, SealError::TooLarge { .. }), "{reason}");
    let big_key = vec![b'!'; crate::MAX_KEY_BYTES as usize + 1];
    assert!(matches!(
        keyfile::open(&big_key, "x"),
        Err(SealError::TooLarge { .. })
    ));
}

#[test]
fn key_file_round_trip_and_wrong_passphrase() {
    let file = keyfile::seal_with(key(), "richtig und lang genug", 1_000).unwrap();
    let header = b64::decode(file.split('.').next().unwrap(), "").unwrap();
    let header: serde_json::Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(header["alg"], "PBES2-HS512+A256KW");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["cty"], "jwk+json");
    assert_eq!(header["kid"], key().kid());
    assert_eq!(
        b64::decode(header["p2s"].as_str().unwrap(), "")
            .unwrap()
            .len(),
        16
    );
    let opened = keyfile::open(file.as_bytes(), "richtig und lang genug").unwrap();
    assert_eq!(opened.public(), key().public());
    let reason = keyfile::open(file.as_bytes(), "falsch und lang genug").unwrap_err();
    assert_eq!(reason, SealError::WrongPassphrase);
}

#[test]
fn key_file_iteration_counts_outside_the_range_are_refused() {
    let file = keyfile::seal_with(key(), "richtig und lang genug", 1_000).unwrap();
    for p2c in [999u64, 10_000_001, 2_147_483_647] {
        let header = format!(
            r#"{{"alg":"PBES2-HS512+A256KW","enc":"A256GCM","p2s":"8Q1SzinasR3xchYz6ZZcHA","p2c":{p2c}}}"#
        );
        let reason = keyfile::open(with_header(&file, &header).as_bytes(), "x").unwrap_err();
        assert_eq!(reason, SealError::Iterations(p2c));
    }
}

#[test]
fn private_keys_are_recognised_and_public_ones_not() {
    let public = key().public().to_json();
    let private = key().to_json();
    let file = keyfile::seal_with(key(), "richtig und lang genug", 1_000).unwrap();
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n";
    let set = format!(r#"{{"keys":[{public},{}]}}"#, private.as_str());
    let kind = |name: &str, text: &str| detect::private_key_kind(name.as_ref(), text.as_bytes());
    assert_eq!(kind("schluessel.json", &public), None);
    assert_eq!(kind("schluessel.json", &private), Some("a private JWK"));
    assert_eq!(kind("keys.json", &set), Some("a private JWK"));
    assert!(kind("backup.txt", &file).unwrap().contains("PBES2"));
    assert_eq!(kind("x.key.jwe", ""), Some("a key file (.key.jwe)"));
    assert_eq!(kind("id_rsa", pem), Some("a PEM private key"));
    assert_eq!(
        kind("seite.md", "# Schlüssel\n\nDer Schlüssel hat ein `d`."),
        None
    );
    let submission = jwe::encrypt(&key().public(), b"{}").unwrap();
    assert_eq!(kind("antrag.jwe", &submission), None);
}
