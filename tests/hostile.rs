//! The hostile-file corpus (tests/hostile/make.py, issue 26) through `formwerk answers`: each
//! class of hostile answers file or PDF beside 50 good files of the fixture form
//! (tests/hostile/site/). The good files always come out in the CSV and the XLSX, the hostile
//! one is named among the refused files with the message its class states (a budget's, from
//! crates/form/src/budget.rs, where it breaks one) or read as its class states, nothing
//! panics, the exit code is the documented one (0: all read, 1: a file refused or wrong, never
//! 2), no terminal escape reaches the terminal, and `--pdf` writes nothing outside its folder.
//! Also: a batch's outputs are written even when one of them cannot be (src/answers_command.rs).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::answers::*;
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

/// A CSV cell as its text was: a formula-like text is written with a leading `'`.
fn csv_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn sheet_rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
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
    let out = run_answers(site, &args);
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
    if let Some(message) = case["message"].as_str()
        && !String::from_utf8_lossy(&out.stdout).contains(message)
    {
        wrong.push(format!("refused without {message:?} on the terminal"));
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
    if let Some(message) = case["message"].as_str()
        && !line[4].contains(message)
    {
        wrong.push(format!("refused with {:?}, expected {message:?}", line[4]));
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

/// The good files and `extra` more, and a site; for the batch tests.
fn batch(extra: &[&str]) -> (Corpus, Site, Vec<PathBuf>) {
    let corpus = corpus();
    let site = Site::from_dir(&repo().join("tests/hostile/site"));
    let mut files = vec![corpus.dir.path().join("good")];
    for class in extra {
        let case = corpus
            .manifest
            .iter()
            .find(|c| c["class"] == *class)
            .unwrap();
        files.push(corpus.dir.path().join(case["file"].as_str().unwrap()));
    }
    (corpus, site, files)
}

#[test]
#[cfg_attr(not(feature = "external-tools"), ignore = "needs python3")]
fn columns_beyond_excel_go_to_a_further_sheet_and_long_cells_are_cut() {
    // 16,500 unknown answers: within the keys budget, beyond Excel's 16,384 columns.
    let (_corpus, site, files) = batch(&["json-16500-unknown-answers", "json-huge-string"]);
    let work = tempfile::tempdir().unwrap();
    let (csv, xlsx) = (work.path().join("a.csv"), work.path().join("a.xlsx"));
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "antrag".as_ref(),
        "--csv".as_ref(),
        csv.as_os_str(),
        "--xlsx".as_ref(),
        xlsx.as_os_str(),
    ];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let out = run_answers(&site, &args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let table = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    let ids = &table[1];
    assert!(ids.len() > 16_500, "{}", ids.len());
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let first = sheet_rows(&mut book, "Antworten");
    let second = sheet_rows(&mut book, "Antworten (Fortsetzung 2)");
    assert_eq!(first[1].len(), 16_384, "a full first sheet");
    assert_eq!(first.len(), table.len());
    assert_eq!(
        second.len(),
        table.len(),
        "every row on the further sheet too"
    );
    // The further sheet begins with the file and the identifying answer, then the rest.
    assert_eq!(second[1][..2], ids[..2]);
    let keys: Vec<&String> = first[1].iter().chain(&second[1][2..]).collect();
    assert_eq!(
        keys,
        ids.iter().collect::<Vec<_>>(),
        "every column once, in order"
    );
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a[..2], b[..2], "rows line up");
    }
    // The 5-million-character answer: cut in the XLSX with its note, whole in the CSV.
    let col = ids.iter().position(|i| i == "beschreibung").unwrap();
    let long_row = first.iter().find(|r| r[col].starts_with("ÄÄÄ")).unwrap();
    assert!(long_row[col].chars().count() <= 32_767);
    assert!(long_row[col].ends_with(
        "[gekürzt: 32672 von 5000000 Zeichen; vollständig in der CSV-Datei und in der Antwortdatei]"
    ), "{}", long_row[col].chars().skip(32_500).collect::<String>());
    let whole = table.iter().find(|r| r[col].starts_with("ÄÄÄ")).unwrap();
    assert_eq!(whole[col].chars().count(), 5_000_000);
}

/// Runs the batch with one output made impossible; returns the command's output.
fn with_outputs(site: &Site, files: &[PathBuf], csv: &Path, xlsx: &Path, pdf: &Path) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "antrag".as_ref(),
        "--csv".as_ref(),
        csv.as_os_str(),
        "--xlsx".as_ref(),
        xlsx.as_os_str(),
        "--pdf".as_ref(),
        pdf.as_os_str(),
    ];
    args.extend(files.iter().map(|f| f.as_os_str()));
    run_answers(site, &args)
}

fn pdf_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf") && e.path().is_file())
        .count()
}

#[test]
#[cfg_attr(not(feature = "external-tools"), ignore = "needs python3")]
fn an_output_that_cannot_be_written_is_named_and_the_others_are_written() {
    let (_corpus, site, files) = batch(&[]);
    let work = tempfile::tempdir().unwrap();
    let w = |name: &str| work.path().join(name);
    // The CSV's path is a folder: the XLSX and all 50 PDFs are still written.
    std::fs::create_dir(w("a.csv")).unwrap();
    let out = with_outputs(&site, &files, &w("a.csv"), &w("a.xlsx"), &w("pdf"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot write {}", w("a.csv").display())),
        "{stderr}"
    );
    assert!(w("a.xlsx").is_file());
    assert_eq!(pdf_count(&w("pdf")), 50);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("50 Dateien: 50 vollständig"), "{stdout}");

    // The XLSX's folder does not exist: the CSV and the PDFs are still written.
    let out = with_outputs(&site, &files, &w("b.csv"), &w("nil/b.xlsx"), &w("pdf2"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot write {}", w("nil/b.xlsx").display())),
        "{stderr}"
    );
    assert_eq!(
        parse_csv(&std::fs::read_to_string(w("b.csv")).unwrap()).len(),
        52
    );
    assert_eq!(pdf_count(&w("pdf2")), 50);

    // One PDF's name is taken by a folder: that PDF is named by its answers file, the other
    // 49 are written, and so are the CSV and the XLSX.
    std::fs::create_dir_all(w("pdf3/g07.pdf/x")).unwrap();
    let out = with_outputs(&site, &files, &w("c.csv"), &w("c.xlsx"), &w("pdf3"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let g07 = files[0].join("g07.json");
    assert!(
        stderr.contains(&format!("the PDF of {}", g07.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 output(s) could not be written"),
        "{stderr}"
    );
    assert_eq!(pdf_count(&w("pdf3")), 49);
    assert!(w("c.csv").is_file() && w("c.xlsx").is_file());
}

/// A textarea without `max_length` takes 10,000 characters (the form page's `maxlength`, the
/// PDF field's /MaxLen, `formwerk answers`); a form may raise it up to the ceiling.
#[test]
fn textareas_take_ten_thousand_characters_unless_the_form_says_more() {
    let site = Site::from_dir(&repo().join("tests/hostile/site"));
    site.build_ok();
    let page = site.html("antrag/index.html");
    let area = page.select(&sel("textarea#beschreibung")).next().unwrap();
    assert_eq!(area.value().attr("maxlength"), Some("10000"));
    let pdf = std::fs::read(site.out().join("antrag/antrag.pdf")).unwrap();
    let count = |needle: &[u8]| pdf.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(count(b"/MaxLen 10000"), 1, "the textarea's PDF field");

    // An answer of 10,000 characters fits, one more is wrong (and kept in the table).
    let dir = tempfile::tempdir().unwrap();
    let file = |n: usize| {
        let path = dir.path().join(format!("lang{n}.json"));
        let answers = serde_json::json!({
            "form": "antrag", "version": "1", "saved_at": "2026-12-01T10:00:00.000Z",
            "answers": { "name": format!("Gemeinde {n}"), "beschreibung": "ä".repeat(n) },
        });
        std::fs::write(&path, answers.to_string()).unwrap();
        path
    };
    let (fits, over) = (file(10_000), file(10_001));
    let out = run_answers(
        &site,
        &["antrag".as_ref(), fits.as_os_str(), over.as_os_str()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("lang10001.json: fehlerhaft"), "{stdout}");
    assert!(stdout.contains("darf höchstens 10000 Zeichen"), "{stdout}");
    assert!(!stdout.contains("lang10000.json"), "{stdout}");

    // The form raises it: the page and the PDF follow; beyond the ceiling is an error.
    let form = site.path("content/antrag.form.toml");
    let text = std::fs::read_to_string(&form).unwrap();
    let raised = text.replace(
        "label = \"Beschreibung\"",
        "label = \"Beschreibung\"\nmax_length = 30000",
    );
    std::fs::write(&form, &raised).unwrap();
    site.build_ok();
    let page = site.html("antrag/index.html");
    let area = page.select(&sel("textarea#beschreibung")).next().unwrap();
    assert_eq!(area.value().attr("maxlength"), Some("30000"));
    std::fs::write(&form, raised.replace("30000", "100001")).unwrap();
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("size-out-of-range"));
}
