//! The budgets per file (crates/form/src/budget.rs) through `formwerk answers`: the same
//! hostile files as the inbox's test (tests/browser/inbox.test.js) beside fifty realistic
//! answers files. Each hostile file is refused with the budget it broke (or as no readable
//! PDF), the others are read as if it were not there, and the object-stream bomb that took
//! ~7 GB keeps the process under 1 GB.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::answers::*;
use common::*;

/// A PDF of a class of tests/pdf/hostile.py.
fn hostile_pdf(class: &str, to: &Path) -> PathBuf {
    let out = Process::new("python3")
        .arg(repo().join("tests/pdf/hostile.py"))
        .arg(class)
        .output()
        .expect("python3 runs tests/pdf/hostile.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(to, out.stdout).unwrap();
    to.to_path_buf()
}

/// The answers files generated here: nested 10,000 deep, and a million keys.
fn hostile_answers(dir: &Path) -> (PathBuf, PathBuf) {
    let head =
        r#"{"format":"formwerk-answers","form":"projektbeschreibung","version":"x","answers":"#;
    let deep = dir.join("tief.json");
    let nested = "[".repeat(10_000) + &"]".repeat(10_000);
    std::fs::write(&deep, format!("{head}{{\"name\":{nested}}}}}")).unwrap();
    let many = dir.join("schluessel.json");
    let keys: Vec<String> = (0..1_000_000).map(|i| format!("\"k{i}\":1")).collect();
    std::fs::write(&many, format!("{head}{{{}}}}}", keys.join(","))).unwrap();
    (deep, many)
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node and python3: ./test.sh installs them"
)]
fn hostile_files_are_refused_by_budget_and_the_fifty_are_read() {
    let (site, dir, manifest) = bundled_with_answers(50);
    let hostile_dir = tempfile::tempdir().unwrap();
    let hostile = hostile_dir.path().to_path_buf();
    let (deep, many) = hostile_answers(&hostile);
    let large = hostile.join("gross.pdf");
    std::fs::write(&large, vec![b'0'; 49 << 20]).unwrap();
    for (name, class) in [
        ("objektstrom.pdf", "objstm-bomb"),
        ("felder.pdf", "many-fields"),
        ("quadratisch.pdf", "quadratic"),
        ("nach-eof.pdf", "after-eof"),
        ("schleife.pdf", "self-kids"),
    ] {
        hostile_pdf(class, &hostile.join(name));
    }
    let csv = dir.path().join("antworten.csv");
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("projektbeschreibung")
        .arg(dir.path())
        .arg(&hostile)
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "refused files: exit 1\n{stdout}"
    );
    let report = |file: &Path| {
        let at = stdout
            .find(&format!("{}: ", file.display()))
            .unwrap_or_else(|| panic!("{} is named\n{stdout}", file.display()));
        stdout[at..].lines().take(2).collect::<Vec<_>>().join("\n")
    };
    for (file, refusal) in [
        (&deep, "Antwortdatei ist tiefer als 64 Ebenen verschachtelt"),
        (&many, "Antwortdatei hat mehr als 20.000 Schlüssel"),
        (
            &hostile.join("objektstrom.pdf"),
            "PDF hat mehr als 100.000 Objekte",
        ),
        (
            &hostile.join("felder.pdf"),
            "PDF hat mehr als 10.000 Felder",
        ),
        (&hostile.join("quadratisch.pdf"), "kein lesbares PDF"),
        (&large, "Datei größer als 48 MB"),
    ] {
        let shown = report(file);
        assert!(
            shown.contains("ungültig") && shown.contains(refusal),
            "{shown}"
        );
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text
        .split("\r\n")
        .skip(2)
        .filter(|l| !l.is_empty())
        .collect();
    let valid = manifest.iter().filter(|m| m["status"] != "invalid").count();
    assert_eq!(
        rows.len(),
        valid + 2,
        "the fifty's valid files and the two readable PDFs"
    );
    assert!(text.contains("Gemeinde Echt") && !text.contains("Gefaelscht"));
    assert!(text.contains("Gemeinde Schleife"));
}

/// The peak resident memory of `formwerk answers` on one file, in kilobytes, from
/// `/usr/bin/time -v`.
fn peak_kb(site: &Site, file: &Path) -> u64 {
    let out = Process::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_formwerk"))
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("projektbeschreibung")
        .arg(file)
        .output()
        .expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ungültig"),
        "{stderr}"
    );
    stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {stderr}"))
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 and GNU time (/usr/bin/time)"
)]
fn the_object_stream_bomb_stays_under_one_gigabyte() {
    let site = Site::bundled();
    let dir = tempfile::tempdir().unwrap();
    let bomb = hostile_pdf("objstm-bomb", &dir.path().join("bombe.pdf"));
    let kb = peak_kb(&site, &bomb);
    assert!(kb < 1024 * 1024, "peak {kb} kB");
}
