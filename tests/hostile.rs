//! The hostile-file corpus (tests/hostile/make.py, issue 26) through `formwerk answers`: each
//! class of hostile answers file or PDF beside 50 good files of the fixture form
//! (tests/hostile/site/). The good files always come out in the CSV and the XLSX, the hostile
//! one is named among the refused files or read as its class states, nothing panics, the exit
//! code is the documented one (0: all read, 1: a file refused or wrong, never 2), no terminal
//! escape reaches the terminal, and `--pdf` writes nothing outside its folder. Also: a batch's
//! outputs are written even when one of them cannot be (src/answers_command.rs).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use serde_json::Value;

/// The corpus, made once per test process into a temporary folder.
struct Corpus {
    dir: tempfile::TempDir,
    manifest: Vec<Value>,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/hostile/make.py"))
        .arg(dir.path())
        .output()
        .expect("python3 runs tests/hostile/make.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    Corpus { dir, manifest }
}

/// The theme's German strings, as the command prints them.
fn strings() -> toml::Table {
    toml::from_str(
        &std::fs::read_to_string(repo().join("crates/render/theme/i18n/de.toml")).unwrap(),
    )
    .unwrap()
}

fn text(strings: &toml::Table, key: &str) -> String {
    strings[key].as_str().unwrap().to_string()
}

fn answers(site: &Site, args: &[&std::ffi::OsStr]) -> Output {
    formwerk()
        .arg("answers")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .output()
        .unwrap()
}

/// CSV as written for German Excel: `;` between cells, CRLF between rows, "" inside quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
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
            (false, c) => cell.push(c),
        }
    }
    rows
}

/// A CSV cell as its text was: a formula-like text is written with a leading `'`.
fn csv_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn sheet_rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Runs one class; returns what is wrong with the outcome (empty when all is as stated).
fn check_class(site: &Site, corpus: &Corpus, case: &Value, s: &toml::Table) -> Vec<String> {
    let class = case["class"].as_str().unwrap();
    let expect = case["expect"].as_str().unwrap();
    let hostile = corpus.dir.path().join(case["file"].as_str().unwrap());
    let good = corpus.dir.path().join("good");
    let work = tempfile::tempdir().unwrap();
    let (csv, xlsx, pdfs) = (
        work.path().join("a.csv"),
        work.path().join("a.xlsx"),
        work.path().join("pdf"),
    );
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "antrag".as_ref(),
        "--csv".as_ref(),
        csv.as_os_str(),
        "--xlsx".as_ref(),
        xlsx.as_os_str(),
    ];
    let with_pdf = case["pdf"].as_bool().unwrap_or(false);
    if with_pdf {
        args.extend(["--pdf".as_ref(), pdfs.as_os_str()]);
    }
    args.extend([good.as_os_str(), "--".as_ref(), hostile.as_os_str()]);
    let out = answers(site, &args);
    let mut wrong = Vec::new();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let status = case["status"].as_str().unwrap_or("");
    let code = out.status.code();
    let codes: &[i32] = match (expect, status) {
        ("refused", _) | ("read", "wrong") => &[1],
        ("read", "complete" | "incomplete") => &[0],
        _ => &[0, 1],
    };
    if !code.is_some_and(|c| codes.contains(&c)) {
        wrong.push(format!("exit code {code:?}, expected {codes:?}; {stderr}"));
    }
    if stderr.contains("panicked") || out.stdout.contains(&0x1b) {
        wrong.push(format!("a panic or a raw escape on the terminal: {stderr}"));
    }
    let shown = hostile.display().to_string();
    let table = parse_csv(&std::fs::read_to_string(&csv).unwrap_or_default());
    let rows = table.get(2..).unwrap_or_default();
    let files: BTreeSet<&str> = rows.iter().map(|r| csv_text(&r[0])).collect();
    for n in 1..=50 {
        let ext = if n <= 47 { "json" } else { "pdf" };
        let g = good.join(format!("g{n:02}.{ext}"));
        if !files.contains(g.display().to_string().as_str()) {
            wrong.push(format!("good file {} is not in the CSV", g.display()));
        }
    }
    let in_table = files.contains(shown.as_str());
    match expect {
        "refused" if in_table => wrong.push("refused file is a row of the CSV".into()),
        "read" if !in_table => wrong.push("the file read is not a row of the CSV".into()),
        _ => {}
    }
    let ids = table.get(1).cloned().unwrap_or_default();
    let row = rows.iter().find(|r| csv_text(&r[0]) == shown);
    for (id, value) in case["cells"].as_object().into_iter().flatten() {
        let col = ids.iter().position(|i| i == id).unwrap();
        let got = row.map(|r| csv_text(&r[col]));
        if got != value.as_str() {
            wrong.push(format!("cell {id}: {got:?}, expected {value}"));
        }
    }
    wrong.extend(check_xlsx(&xlsx, &shown, rows.len(), case, s));
    if with_pdf {
        wrong.extend(check_pdfs(&pdfs, rows.len()));
    }
    wrong.into_iter().map(|w| format!("{class}: {w}")).collect()
}

/// The XLSX: as many answer rows as the CSV, the hostile file in sheet "Prüfung" with the
/// status its class states.
fn check_xlsx(xlsx: &Path, shown: &str, rows: usize, case: &Value, s: &toml::Table) -> Vec<String> {
    let mut wrong = Vec::new();
    let Ok(mut book) = open_workbook::<Xlsx<_>, _>(xlsx) else {
        return vec!["no XLSX written".into()];
    };
    let answers = sheet_rows(&mut book, "Antworten");
    if answers.len() != rows + 2 {
        wrong.push(format!("XLSX has {} rows, CSV {}", answers.len() - 2, rows));
    }
    let checks = sheet_rows(&mut book, "Prüfung");
    let Some(line) = checks.iter().find(|r| r[0] == shown) else {
        return vec![format!("{shown:?} not in sheet Prüfung")];
    };
    let wanted = match (case["expect"].as_str(), case["status"].as_str()) {
        (Some("refused"), _) => Some("status_invalid"),
        (_, Some(st @ ("complete" | "incomplete" | "wrong"))) => Some(match st {
            "complete" => "status_complete",
            "incomplete" => "status_incomplete",
            _ => "status_wrong",
        }),
        _ => None,
    };
    if let Some(key) = wanted
        && !line[3].starts_with(&text(s, key))
    {
        wrong.push(format!("status {:?}, expected {}", line[3], text(s, key)));
    }
    if case["expect"] == "refused" && line[4].trim().is_empty() {
        wrong.push("refused without a reason".into());
    }
    if case["duplicate"] == true && !line[3].contains(&text(s, "status_duplicate")) {
        wrong.push(format!("not flagged a duplicate: {:?}", line[3]));
    }
    wrong
}

/// `--pdf`: one PDF per row, every one inside the folder.
fn check_pdfs(dir: &Path, rows: usize) -> Vec<String> {
    let written: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let mut wrong = Vec::new();
    if written.len() != rows {
        wrong.push(format!("{} PDFs for {rows} rows", written.len()));
    }
    for w in &written {
        if w.parent() != Some(dir) {
            wrong.push(format!("a PDF outside the folder: {}", w.display()));
        }
    }
    wrong
}

#[test]
#[cfg_attr(not(feature = "external-tools"), ignore = "needs python3")]
fn every_hostile_class_beside_fifty_good_files() {
    let corpus = corpus();
    assert!(corpus.manifest.len() >= 60, "{}", corpus.manifest.len());
    let site = Site::from_dir(&repo().join("tests/hostile/site"));
    let s = strings();
    let wrong: Vec<String> = corpus
        .manifest
        .iter()
        .flat_map(|case| check_class(&site, &corpus, case, &s))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
