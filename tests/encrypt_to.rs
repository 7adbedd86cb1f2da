//! `[submission] encrypt_to` through the real binary: the public key reaches the page, its
//! offline copy and its inbox (thumbprint shown, public members in the model, seal.js along),
//! a form without it gets none of that, a new key file renders the page again though the
//! form file is unchanged, and the policy stays strict. The browser's side is
//! tests/browser/encryption.test.js.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use sha2::{Digest, Sha256};

const FORM: &str = "content/antraege/alle-felder.form.toml";
const PAGE: &str = "antraege/alle-felder/index.html";
const OFFLINE: &str = "antraege/alle-felder/alle_felder-offline.html";
const INBOX: &str = "antraege/alle-felder/alle_felder-posteingang.html";

/// A public key as `formwerk keys new` writes one, with a 4096-bit modulus made of `fill`
/// (not a usable key: the build only checks its shape); returns (JSON, thumbprint).
fn public_key(kid: &str, fill: u8) -> (String, String) {
    let mut n = vec![fill; 512];
    n[0] = 0xc3;
    let n = URL_SAFE_NO_PAD.encode(&n);
    let json = format!(
        "{{\"kty\":\"RSA\",\"n\":\"{n}\",\"e\":\"AQAB\",\"alg\":\"RSA-OAEP-256\",\"use\":\"enc\",\"kid\":\"{kid}\"}}\n"
    );
    // RFC 7638: the required members in order, without white space.
    let members = format!("{{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"{n}\"}}");
    (
        json,
        URL_SAFE_NO_PAD.encode(Sha256::digest(members.as_bytes())),
    )
}

fn encrypted_site(key: &str) -> Site {
    let site = Site::fixture("valid");
    site.write("schluessel/ministerium.jwk", key);
    let form = site.read(FORM);
    assert!(form.contains("signature = true\n"));
    site.write(
        FORM,
        &form.replace(
            "signature = true\n",
            "signature = true\nencrypt_to = \"schluessel/ministerium.jwk\"\n",
        ),
    );
    site
}

fn model(doc: &scraper::Html) -> serde_json::Value {
    let text = texts(doc, "#formwerk-model").concat();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_key_reaches_the_page_its_offline_copy_and_its_inbox() {
    let (key, thumbprint) = public_key("ms-2026", 0x5a);
    let site = encrypted_site(&key);
    site.build_ok();
    for rel in [PAGE, OFFLINE] {
        let doc = site.html(rel);
        assert_eq!(
            texts(&doc, ".submission .sealed-thumbprint"),
            [thumbprint.clone(), thumbprint.clone()],
            "{rel}: in the box at the top and at the end"
        );
        let m = model(&doc);
        assert_eq!(m["encrypt"]["kid"], "ms-2026");
        assert_eq!(m["encrypt"]["thumbprint"], thumbprint.as_str());
        let jwk = m["encrypt"]["jwk"].as_object().unwrap();
        let mut members: Vec<&str> = jwk.keys().map(String::as_str).collect();
        members.sort();
        assert_eq!(members, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(
            texts(&doc, "#abschluss button[data-sealed]"),
            ["Verschlüsselt für die Einreichung speichern"]
        );
        assert!(texts(&doc, ".attach-note").concat().contains("(.jwe)"));
    }
    let page = std::fs::read_to_string(site.out().join(PAGE)).unwrap();
    let seal = hashed(&site.out(), "seal.js");
    assert!(page.contains(&seal), "the page loads {seal}");
    let offline = std::fs::read_to_string(site.out().join(OFFLINE)).unwrap();
    assert!(
        offline.contains("global.FormwerkSeal = {"),
        "seal.js inlined"
    );
    assert!(
        offline.contains("window.FormwerkForm"),
        "formwerk.js exposes the answers file"
    );
    for html in [&page, &offline] {
        let policy = html
            .split("Content-Security-Policy\" content=\"")
            .nth(1)
            .unwrap();
        let policy = policy.split('"').next().unwrap();
        assert!(
            !policy.contains("unsafe") && !policy.contains("connect-src"),
            "{policy}"
        );
    }
    let inbox = site.html(INBOX);
    assert_eq!(
        texts(&inbox, "label[for=inbox-key-file]"),
        ["Schlüsseldatei (.key.jwe)"]
    );
    assert_eq!(
        texts(&inbox, "label[for=inbox-key-passphrase]"),
        ["Passwort des Schlüssels"]
    );
    assert_eq!(model(&inbox)["encrypt"]["kid"], "ms-2026");
}

#[test]
fn a_form_without_encrypt_to_has_nothing_of_it() {
    let site = Site::fixture("valid");
    site.build_ok();
    for rel in [PAGE, OFFLINE, INBOX] {
        let doc = site.html(rel);
        assert!(model(&doc)["encrypt"].is_null(), "{rel}");
        assert_eq!(
            doc.select(&sel("[data-sealed], #inbox-key-file")).count(),
            0,
            "{rel}"
        );
        let html = std::fs::read_to_string(site.out().join(rel)).unwrap();
        assert!(!html.contains("FormwerkSeal"), "{rel}");
    }
}

#[test]
fn a_new_key_renders_the_page_again_though_the_form_file_is_unchanged() {
    let (old, _) = public_key("ms-2026", 0x5a);
    let site = encrypted_site(&old);
    // Files some seconds old are trusted by their size and time (a build with nothing
    // changed then reads no source): only the key file will change below.
    site.age(60);
    site.build_ok();
    let (new, thumbprint) = public_key("ms-2027", 0x6b);
    site.write("schluessel/ministerium.jwk", &new);
    std::fs::File::options()
        .write(true)
        .open(site.path("schluessel/ministerium.jwk"))
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(30))
        .unwrap();
    site.build_ok();
    for rel in [PAGE, OFFLINE, INBOX] {
        let m = model(&site.html(rel));
        assert_eq!(m["encrypt"]["kid"], "ms-2027", "{rel}");
        assert_eq!(m["encrypt"]["thumbprint"], thumbprint.as_str(), "{rel}");
    }
    // And a build after that, with nothing changed, takes the fast path again: the key file
    // is stamped with the sources.
    let again = site.run(&["build", "--timings"]);
    let phases = String::from_utf8_lossy(&again.stderr);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains(": 0 written, 0 removed"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert!(
        phases.contains("unchanged?") && !phases.contains("render"),
        "a rebuild without changes did not take the fast path:\n{phases}"
    );
}
