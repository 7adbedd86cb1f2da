//! End-to-end encryption, the ministry's side (issue 27), through the real binary: `keys new`
//! makes a key pair, `answers --key` opens encrypted applications and names every refusal in
//! German, `--attachments` writes checked attachments under safe names, and `check` and
//! `build` refuse a private key in the site. Interoperability with jwcrypto:
//! tests/seal_interop.rs.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::Engine;
use common::*;
use formwerk_seal::{PublicJwk, jwe};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const PASSPHRASE: &str = "Amtsschimmel wiehert 2026";

/// One key pair for the whole file, made by `formwerk keys new` (RSA 4096 takes seconds).
struct Keys {
    dir: PathBuf,
    kid: String,
    public: String,
}

impl Keys {
    fn key_file(&self) -> PathBuf {
        self.dir.join(format!("{}.key.jwe", self.kid))
    }
    fn passphrase_file(&self) -> PathBuf {
        self.dir.join("passphrase.txt")
    }
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        std::fs::write(dir.join("passphrase.txt"), format!("{PASSPHRASE}\n")).unwrap();
        let out = formwerk()
            .args(["keys", "new", "--out"])
            .arg(dir.join("keys"))
            .arg("--passphrase-file")
            .arg(dir.join("passphrase.txt"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let public_path = std::fs::read_dir(dir.join("keys"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".public.jwk.json"))
            .unwrap();
        let public = std::fs::read_to_string(&public_path).unwrap();
        let kid = PublicJwk::parse(&public).unwrap().thumbprint();
        assert!(stdout.contains(&kid), "the thumbprint is printed: {stdout}");
        std::fs::copy(dir.join("passphrase.txt"), dir.join("keys/passphrase.txt")).unwrap();
        Keys {
            dir: dir.join("keys"),
            kid,
            public,
        }
    })
}

/// A site with one form `antrag` that identifies applications by `name`.
fn site() -> Site {
    let site = Site::empty();
    site.write("formwerk.toml", "title = \"Test\"\nlanguage = \"de\"\n");
    site.write("content/_index.md", "+++\ntitle = \"Start\"\n+++\nHallo.\n");
    site.write(
        "content/antrag.form.toml",
        "title = \"Antrag\"\nversion = \"1\"\nidentify = \"name\"\n\n[[sections]]\nid = \"a\"\ntitle = \"Angaben\"\n\n[[sections.fields]]\nid = \"name\"\nkind = \"text\"\nlabel = \"Name\"\nrequired = true\n",
    );
    site
}

fn attachment(name: &str, bytes: &[u8]) -> Value {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({
        "name": name,
        "type": "application/pdf",
        "size": bytes.len(),
        "sha256": hex,
        "content": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

/// An answers file of `antrag` as the form page saves it (with its checksum).
fn answers_file(name: &str, attachments: Vec<Value>) -> String {
    let mut object = json!({
        "format": "formwerk-answers",
        "format_version": 2,
        "form": "antrag",
        "version": "1",
        "saved_at": "2026-03-03T09:15:00.000Z",
        "answers": {"name": name, "anlagen": attachments},
    });
    let checksum = formwerk_answers::checksum(object.as_object().unwrap());
    object["checksum"] = Value::from(checksum);
    serde_json::to_string_pretty(&object).unwrap()
}

fn sealed(text: &str) -> String {
    jwe::encrypt(&PublicJwk::parse(&keys().public).unwrap(), text.as_bytes()).unwrap()
}

fn answers(site: &Site, args: &[&str], paths: &[&Path]) -> (bool, String) {
    let out = formwerk()
        .arg("answers")
        .arg("--root")
        .arg(site.root())
        .arg("antrag")
        .args(paths)
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn with_key<'a>(extra: &[&'a str], key: &'a str, pass: &'a str) -> Vec<&'a str> {
    let mut args = vec!["--key", key, "--passphrase-file", pass];
    args.extend_from_slice(extra);
    args
}

#[test]
fn encrypted_applications_are_read_and_refusals_named_in_german() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    let put = |name: &str, text: &str| {
        let path = inbox.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let good = sealed(&answers_file("Gemeinde Anfang", vec![]));
    put("a-gut.jwe", &good);
    put("b-klar.json", &answers_file("Gemeinde Klartext", vec![]));
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    let flipped = if &parts[3][10..11] == "A" { "B" } else { "A" };
    parts[3].replace_range(10..11, flipped);
    put("c-veraendert.jwe", &parts.join("."));
    let other = formwerk_seal::PrivateJwk::generate(3072).unwrap();
    put(
        "d-fremd.jwe",
        &jwe::encrypt(&other.public(), b"{}").unwrap(),
    );
    let header = r#"{"alg":"RSA1_5","enc":"A256GCM"}"#;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(header);
    put(
        "e-rsa1_5.jwe",
        &format!("{b64}.{}", good.split_once('.').unwrap().1),
    );
    let csv = inbox.path().join("tabelle.csv");
    let (key, pass) = (keys().key_file(), keys().passphrase_file());
    let (ok, out) = answers(
        &site,
        &with_key(
            &["--csv", csv.to_str().unwrap()],
            key.to_str().unwrap(),
            pass.to_str().unwrap(),
        ),
        &[inbox.path()],
    );
    assert!(!ok, "refused files make exit 1:\n{out}");
    assert!(
        out.contains("Datei wurde verändert (GCM-Prüfung fehlgeschlagen)"),
        "{out}"
    );
    let wrong_kid = format!(
        "Datei ist für einen anderen Schlüssel verschlüsselt (kid {})",
        other.kid()
    );
    assert!(out.contains(&wrong_kid), "{out}");
    assert!(
        out.contains(
            "Verschlüsselungsverfahren „RSA1_5“ wird nicht angenommen (erwartet: RSA-OAEP-256)"
        ),
        "{out}"
    );
    let table = std::fs::read_to_string(&csv).unwrap();
    assert!(
        table.contains("Gemeinde Anfang"),
        "the encrypted one is read: {table}"
    );
    assert!(
        table.contains("Gemeinde Klartext"),
        "plain files as before: {table}"
    );

    let (ok, out) = answers(&site, &[], &[&inbox.path().join("a-gut.jwe")]);
    assert!(!ok);
    assert!(
        out.contains("verschlüsselte Datei (.jwe): Zum Öffnen den privaten Schlüssel"),
        "{out}"
    );
}

#[test]
fn a_wrong_passphrase_stops_before_any_file() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.jwe");
    std::fs::write(&file, sealed(&answers_file("X", vec![]))).unwrap();
    let wrong = dir.path().join("falsch.txt");
    std::fs::write(&wrong, "Amtsschimmel wiehert 2025\n").unwrap();
    let key = keys().key_file();
    let (ok, out) = answers(
        &site,
        &with_key(&[], key.to_str().unwrap(), wrong.to_str().unwrap()),
        &[&file],
    );
    assert!(!ok);
    assert!(out.contains("Passphrase ist falsch"), "{out}");
}

/// The largest file the page takes (10 MB as it counts them: 10,485,760 bytes) is written
/// out; a byte more is refused with the limit named as the page names it.
#[test]
fn an_attachment_as_large_as_the_page_takes_is_written() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    let max = formwerk_form::attachment::MAX_FILE_BYTES as usize;
    assert_eq!(max, 10 * 1024 * 1024);
    let files = [("gross", max), ("zu-gross", max + 1)].map(|(name, size)| {
        let list = vec![attachment(&format!("{name}.pdf"), &vec![b'%'; size])];
        let path = inbox.path().join(format!("{name}.json"));
        std::fs::write(&path, answers_file(name, list)).unwrap();
        path
    });
    let out_dir = inbox.path().join("anlagen");
    let (ok, out) = answers(
        &site,
        &["--attachments", out_dir.to_str().unwrap()],
        &[&files[0], &files[1]],
    );
    assert!(!ok, "the refused attachment makes exit 1:\n{out}");
    let written = std::fs::read(out_dir.join("gross/gross.pdf")).unwrap();
    assert_eq!(written.len(), max, "{out}");
    assert!(
        out.contains("Anlage „zu-gross.pdf“ nicht geschrieben: größer als 10 MB"),
        "{out}"
    );
    assert!(!out_dir.join("zu-gross/zu-gross.pdf").exists());
}

#[test]
fn attachments_are_checked_and_written_under_safe_names() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    let pdf = b"%PDF-1.7 Haushaltsplan".to_vec();
    let mut forged = attachment("gefaelscht.pdf", b"echter Inhalt");
    forged["content"] =
        Value::from(base64::engine::general_purpose::STANDARD.encode("anderer Inhalt!"));
    let mut wrong_hash = attachment("pruefsumme.pdf", b"Inhalt");
    wrong_hash["sha256"] = Value::from("0".repeat(64));
    let list = vec![
        attachment("Haushaltsplan.pdf", &pdf),
        attachment("Haushaltsplan.pdf", b"zweite Datei gleichen Namens"),
        attachment("../../../etc/passwd", b"root"),
        attachment("CON.txt", b"con"),
        attachment(".versteckt", b"punkt"),
        forged,
        wrong_hash,
    ];
    let text = answers_file("Stadt Musterstadt/Nord", list);
    std::fs::write(inbox.path().join("antrag.jwe"), sealed(&text)).unwrap();
    let out_dir = inbox.path().join("anlagen");
    std::fs::create_dir_all(out_dir.join("Stadt Musterstadt_Nord")).unwrap();
    std::fs::write(out_dir.join("Stadt Musterstadt_Nord/CON.txt"), "").unwrap();
    std::fs::write(out_dir.join("Stadt Musterstadt_Nord/_CON.txt"), "vorher da").unwrap();
    let (key, pass) = (keys().key_file(), keys().passphrase_file());
    let (ok, out) = answers(
        &site,
        &with_key(
            &["--attachments", out_dir.to_str().unwrap()],
            key.to_str().unwrap(),
            pass.to_str().unwrap(),
        ),
        &[&inbox.path().join("antrag.jwe")],
    );
    assert!(!ok, "refused attachments make exit 1:\n{out}");
    assert!(out.contains("5 Anlagen in"), "{out}");
    assert!(
        out.contains("Anlage „gefaelscht.pdf“ nicht geschrieben: Größe stimmt nicht"),
        "{out}"
    );
    assert!(
        out.contains("Anlage „pruefsumme.pdf“ nicht geschrieben: SHA-256-Prüfsumme stimmt nicht"),
        "{out}"
    );
    let folder = out_dir.join("Stadt Musterstadt_Nord");
    let read = |name: &str| std::fs::read(folder.join(name)).unwrap();
    assert_eq!(read("Haushaltsplan.pdf"), pdf);
    assert_eq!(
        read("Haushaltsplan (2).pdf"),
        b"zweite Datei gleichen Namens"
    );
    assert_eq!(read("_.._.._etc_passwd"), b"root");
    assert_eq!(read("_CON.txt"), b"vorher da", "never overwritten");
    assert_eq!(read("_CON (2).txt"), b"con");
    assert_eq!(read("versteckt"), b"punkt");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "nothing else written: {names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.contains("gefaelscht") || n.contains("pruefsumme"))
    );
}

#[test]
fn the_table_lists_attachments_without_their_content() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"Anlage".repeat(100);
    let file = dir.path().join("a.json");
    std::fs::write(
        &file,
        answers_file("Kreis", vec![attachment("plan.pdf", &bytes)]),
    )
    .unwrap();
    let csv = dir.path().join("t.csv");
    answers(&site, &["--csv", csv.to_str().unwrap()], &[&file]);
    let table = std::fs::read_to_string(&csv).unwrap();
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        table.contains(&format!("plan.pdf (600 Byte, SHA-256 {hex})")),
        "{table}"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    assert!(!table.contains(&b64[..40]), "no base64 in the table");
}

#[test]
fn check_and_build_refuse_a_private_key_in_the_site() {
    let key_file = std::fs::read_to_string(keys().key_file()).unwrap();
    let private_jwk = formwerk_seal::PrivateJwk::generate(3072).unwrap().to_json();
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIJKQIBAAKCAgEA\n-----END RSA PRIVATE KEY-----\n";
    let cases = [
        ("static/schluessel.key.jwe", key_file.as_str()),
        ("content/daten/backup.txt", key_file.as_str()),
        ("static/jwk.json", private_jwk.as_str()),
        ("id_rsa", pem),
    ];
    for (rel, text) in cases {
        let site = site();
        site.write("static/public.jwk.json", &keys().public);
        assert!(
            site.run(&["check"]).status.success(),
            "the public key is fine"
        );
        site.write(rel, text);
        let out = site.run(&["check"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{rel}");
        assert!(err.contains("error[private-key-in-site]"), "{rel}: {err}");
        assert!(err.contains(rel), "the file is named: {err}");
        assert!(err.contains("move it out of the site folder"), "{err}");
        let out = site.build();
        assert!(!out.status.success(), "the build refuses {rel} too");
        assert!(!site.out().exists(), "nothing written for {rel}");
    }
}

#[test]
fn keys_new_refuses_a_short_passphrase_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kurz.txt"), "elf Zeichen\n").unwrap();
    let out = formwerk()
        .args(["keys", "new", "--out"])
        .arg(dir.path().join("k"))
        .arg("--passphrase-file")
        .arg(dir.path().join("kurz.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Die Passphrase hat 11 Zeichen; verlangt sind mindestens 12"),
        "{err}"
    );
    assert!(!dir.path().join("k").exists());
}

#[test]
fn the_key_files_are_the_contracts() {
    let keys = keys();
    let public: Value = serde_json::from_str(&keys.public).unwrap();
    assert_eq!(public["kty"], "RSA");
    assert_eq!(public["e"], "AQAB");
    assert_eq!(public["alg"], "RSA-OAEP-256");
    assert_eq!(public["use"], "enc");
    assert_eq!(public["kid"], keys.kid.as_str());
    assert_eq!(PublicJwk::parse(&keys.public).unwrap().bits(), 4096);
    let file = std::fs::read_to_string(keys.key_file()).unwrap();
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(file.split('.').next().unwrap())
        .unwrap();
    let header: Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(header["alg"], "PBES2-HS512+A256KW");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["p2c"], 600_000);
    assert_eq!(header["cty"], "jwk+json");
    assert_eq!(header["kid"], keys.kid.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.key_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key file is its owner's only");
    }
}

/// Every reason the seal can give has its words in both languages of the theme, with the
/// placeholders it fills.
#[test]
fn every_seal_reason_is_a_theme_string() {
    use formwerk_seal::SealError as E;
    let reasons = [
        E::TooLarge { size: 1, max: 2 },
        E::Malformed("x"),
        E::ForeignAlg {
            found: "none".into(),
            expected: "RSA-OAEP-256",
        },
        E::ForeignEnc("A128GCM".into()),
        E::Zip,
        E::Crit,
        E::WrongKey("k".into()),
        E::KeyUnwrap,
        E::Tampered,
        E::WrongPassphrase,
        E::Iterations(1),
        E::BadKey("x".into()),
        E::KeyTooSmall(2048),
        E::Random,
    ];
    for lang in ["de", "en"] {
        let path = repo().join(format!("crates/render/theme/i18n/{lang}.toml"));
        let strings: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for reason in &reasons {
            let (key, values) = reason.message();
            let text = strings.get(key).and_then(|v| v.as_str());
            let text = text.unwrap_or_else(|| panic!("{lang}.toml lacks {key}"));
            for (name, _) in values {
                assert!(
                    text.contains(&format!("{{{name}}}")),
                    "{lang} {key} lacks {{{name}}}"
                );
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn attachments_never_follow_links() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("aussen");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("plan.pdf"), "fremd").unwrap();
    let out_dir = dir.path().join("anlagen");
    std::fs::create_dir_all(out_dir.join("Kreis Links")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("plan.pdf"),
        out_dir.join("Kreis Links/plan.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, out_dir.join("Kreis Ordner")).unwrap();
    let write = |name: &str, who: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            answers_file(who, vec![attachment("plan.pdf", b"neu")]),
        )
        .unwrap();
        path
    };
    let (a, b) = (
        write("a.json", "Kreis Links"),
        write("b.json", "Kreis Ordner"),
    );
    let (ok, out) = answers(
        &site,
        &["--attachments", out_dir.to_str().unwrap()],
        &[&a, &b],
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("Anlage „plan.pdf“ nicht geschrieben: nicht schreibbar"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(outside.join("plan.pdf")).unwrap(),
        b"fremd",
        "the link's target is untouched"
    );
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        1,
        "nothing written through the folder link"
    );
    assert_eq!(
        std::fs::read(out_dir.join("Kreis Links/plan (2).pdf")).unwrap(),
        b"neu"
    );
}
