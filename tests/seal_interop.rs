//! Formwerk's JOSE checked against another implementation, Python's jwcrypto (pinned in
//! tests/seal/requirements.txt; ./test.sh installs it): files Formwerk encrypts open with
//! jwcrypto, files jwcrypto encrypts open with `formwerk answers --key`, and the key file
//! `formwerk keys new` writes opens with jwcrypto and its passphrase. jwcrypto's files with
//! a foreign algorithm, for another key or changed afterwards are refused with the German
//! reason. The published vectors (RFC 7638, RFC 7520 §5.3, RFC 7516 A.1) are checked in
//! crates/seal/src/tests.rs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::OnceLock;

use common::*;
use serde_json::{Value, json};

const PASSPHRASE: &str = "Zwölf Zeichen und mehr: Förderaufruf 2026";

/// One key pair made by `formwerk keys new`, and the folder it lies in.
struct Keys {
    dir: PathBuf,
    public: PathBuf,
    key: PathBuf,
    pass: PathBuf,
    kid: String,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let pass = dir.join("passphrase.txt");
        std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
        let out = formwerk()
            .args(["keys", "new", "--out"])
            .arg(dir.join("k"))
            .arg("--passphrase-file")
            .arg(&pass)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = |end: &str| {
            std::fs::read_dir(dir.join("k"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.to_string_lossy().ends_with(end))
                .unwrap()
        };
        let (public, key) = (file(".public.jwk.json"), file(".key.jwe"));
        let name = key.file_name().unwrap().to_string_lossy().into_owned();
        let kid = name.trim_end_matches(".key.jwe").to_string();
        Keys {
            dir,
            public,
            key,
            pass,
            kid,
        }
    })
}

fn jose(args: &[&Path]) -> String {
    let out = Process::new("python3")
        .arg(repo().join("tests/seal/jose_tool.py"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "jose_tool.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn put(name: &str, text: &str) -> PathBuf {
    let path = keys().dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A site with one form `antrag` identified by `name`, and an answers file of it.
fn site_and_answers(name: &str) -> (Site, String) {
    let site = Site::empty();
    site.write("formwerk.toml", "title = \"Test\"\nlanguage = \"de\"\n");
    site.write("content/_index.md", "+++\ntitle = \"Start\"\n+++\nHallo.\n");
    site.write(
        "content/antrag.form.toml",
        "title = \"Antrag\"\nversion = \"1\"\nidentify = \"name\"\n\n[[sections]]\nid = \"a\"\ntitle = \"A\"\n\n[[sections.fields]]\nid = \"name\"\nkind = \"text\"\nlabel = \"Name\"\n",
    );
    let mut object = json!({
        "format": "formwerk-answers", "format_version": 2, "form": "antrag", "version": "1",
        "saved_at": "2026-03-03T09:15:00.000Z", "answers": {"name": name},
    });
    object["checksum"] = Value::from(formwerk_answers::checksum(object.as_object().unwrap()));
    (site, serde_json::to_string(&object).unwrap())
}

/// `formwerk answers --key` over `files`: its success and everything it printed.
fn answers_with_key(site: &Site, files: &[&Path], csv: &Path) -> (bool, String) {
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("antrag")
        .args(files)
        .arg("--key")
        .arg(&keys().key)
        .arg("--passphrase-file")
        .arg(&keys().pass)
        .arg("--csv")
        .arg(csv)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with jwcrypto: ./test.sh installs it"
)]
fn the_key_file_opens_with_jwcrypto_and_the_passphrase() {
    let k = keys();
    let opened: Value =
        serde_json::from_str(&jose(&[Path::new("open-key"), &k.key, &k.pass])).unwrap();
    assert_eq!(opened["private"], true);
    assert_eq!(opened["kid"], k.kid.as_str());
    assert_eq!(
        opened["thumbprint"],
        k.kid.as_str(),
        "RFC 7638 as jwcrypto computes it"
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with jwcrypto: ./test.sh installs it"
)]
fn a_file_formwerk_encrypts_decrypts_with_jwcrypto() {
    let k = keys();
    let (_, text) = site_and_answers("Landkreis Übermaß – „Nord“");
    let public =
        formwerk_seal::PublicJwk::parse(&std::fs::read_to_string(&k.public).unwrap()).unwrap();
    let file = put(
        "formwerk.jwe",
        &formwerk_seal::jwe::encrypt(&public, text.as_bytes()).unwrap(),
    );
    let out: Value =
        serde_json::from_str(&jose(&[Path::new("decrypt"), &k.key, &k.pass, &file])).unwrap();
    assert_eq!(out["plaintext"], text.as_str());
    let header =
        json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": k.kid, "cty": "application/json"});
    assert_eq!(out["header"], header);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with jwcrypto: ./test.sh installs it"
)]
fn files_jwcrypto_encrypts_are_read_or_refused_by_name() {
    let k = keys();
    let (site, text) = site_and_answers("Gemeinde Jwcrypto");
    let plain = put("plain.json", &text);
    let enc = |args: &[&str]| {
        let mut all: Vec<&Path> = vec![Path::new("encrypt")];
        all.extend(args.iter().map(Path::new));
        jose(&all).trim().to_string()
    };
    let (public, plain_s) = (k.public.to_str().unwrap(), plain.to_str().unwrap());
    let good = enc(&[public, plain_s]);
    let good_file = put("a-jwcrypto.jwe", &good);
    let sha1 = put(
        "b-oaep-sha1.jwe",
        &enc(&[public, plain_s, "RSA-OAEP", "A256GCM"]),
    );
    let a128 = put(
        "c-a128gcm.jwe",
        &enc(&[public, plain_s, "RSA-OAEP-256", "A128GCM"]),
    );
    let other_key = put("other.jwk.json", &jose(&[Path::new("new-key")]));
    let other: Value = serde_json::from_str(&std::fs::read_to_string(&other_key).unwrap()).unwrap();
    let other_file = put(
        "d-other-key.jwe",
        &enc(&[other_key.to_str().unwrap(), plain_s]),
    );
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    let flipped = if parts[4].starts_with('A') { "B" } else { "A" };
    parts[4].replace_range(0..1, flipped);
    let changed = put("e-changed.jwe", &parts.join("."));
    let csv = k.dir.join("t.csv");
    let files = [&*good_file, &sha1, &a128, &other_file, &changed];
    let (ok, out) = answers_with_key(&site, &files, &csv);
    assert!(!ok, "{out}");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("Gemeinde Jwcrypto")
    );
    let expected = [
        (
            "b-oaep-sha1.jwe",
            "Verschlüsselungsverfahren „RSA-OAEP“ wird nicht angenommen (erwartet: RSA-OAEP-256)"
                .to_string(),
        ),
        (
            "c-a128gcm.jwe",
            "Inhaltsverschlüsselung „A128GCM“ wird nicht angenommen (erwartet: A256GCM)"
                .to_string(),
        ),
        (
            "d-other-key.jwe",
            format!(
                "Datei ist für einen anderen Schlüssel verschlüsselt (kid {})",
                other["kid"].as_str().unwrap()
            ),
        ),
        (
            "e-changed.jwe",
            "Datei wurde verändert (GCM-Prüfung fehlgeschlagen)".to_string(),
        ),
    ];
    for (file, reason) in expected {
        let line = out
            .lines()
            .position(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} named:\n{out}"));
        let report = out
            .lines()
            .skip(line)
            .take(3)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(report.contains(&reason), "{file}: {reason}\n{out}");
    }
    assert!(
        !out.lines()
            .any(|l| l.contains("a-jwcrypto.jwe") && l.contains("ungültig")),
        "{out}"
    );
}
