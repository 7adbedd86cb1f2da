//! Helpers for the tests of `formwerk answers`: realistic answers files from the bundled
//! form, the command itself, and its CSV and XLSX as text.

use std::ffi::OsStr;
use std::process::{Command as Process, Output};

use calamine::Data;
use serde_json::Value;

use super::{Site, formwerk, repo};

/// The bundled site, built, and `count` municipalities' answers files generated from its
/// form (tests/answers/generate.mjs, with the generator's refused ones) in a temporary folder,
/// with the generator's manifest.
pub fn bundled_with_answers(count: usize) -> (Site, tempfile::TempDir, Vec<Value>) {
    let site = Site::bundled();
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let out = Process::new("node")
        .arg(repo().join("tests/answers/generate.mjs"))
        .arg(site.out().join("projektbeschreibung/index.html"))
        .arg(dir.path())
        .args(["--count", &count.to_string()])
        .output()
        .expect("node runs the generator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("manifest.json.txt")).unwrap(),
    )
    .unwrap();
    (site, dir, manifest)
}

/// `formwerk answers --root SITE ARGS…`.
pub fn run_answers<S: AsRef<OsStr>>(site: &Site, args: &[S]) -> Output {
    formwerk()
        .arg("answers")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .output()
        .unwrap()
}

/// An XLSX cell's text: every cell is written as text.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("every cell is written as text, found {other:?}"),
    }
}

/// CSV as written for German Excel: a byte order mark, `;` between cells, CRLF between rows,
/// "" inside quotes.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF outside quotes: rows end with CRLF"),
            (false, c) => cell.push(c),
        }
    }
    assert!(row.is_empty() && cell.is_empty(), "the file ends with CRLF");
    rows
}
