//! Attachments (`attachment` fields, issue 27) through `formwerk answers`: listed in the CSV
//! and the XLSX (read back with calamine) by name, size and SHA-256, never with their bytes;
//! a file whose bytes do not match its hash, one of a type the field does not take and one
//! too many named as problems; filled and blank PDFs list the files or say to send them
//! separately (pdftotext). The fixture is a funding application
//! (tests/fixtures/attachments).

mod common;

use std::path::Path;

use base64::Engine;
use calamine::{Reader, Xlsx, open_workbook};
use common::answers::*;
use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One attached file as the page writes it into the answers file.
fn file(name: &str, mime: &str, bytes: &[u8]) -> Value {
    json!({
        "name": name,
        "type": mime,
        "size": bytes.len(),
        "sha256": sha256(bytes),
        "content": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

fn pdf_bytes(n: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n".to_vec();
    b.resize(n, b'%');
    b
}

/// Writes an answers file (format 1: no checksum, as older pages wrote) into `dir`.
fn answers_file(dir: &Path, name: &str, answers: Value) -> String {
    let path = dir.join(name);
    let data = json!({
        "form": "foerderantrag",
        "version": "2026-1",
        "saved_at": "2026-12-01T10:00:00.000Z",
        "answers": answers,
    });
    std::fs::write(&path, data.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

struct Case {
    site: Site,
    dir: tempfile::TempDir,
    plan: Vec<u8>,
    files: Vec<String>,
}

/// A good application, one with a damaged file, one with a Word file and three files where
/// two fit.
fn case() -> Case {
    let site = Site::fixture("attachments");
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let plan = pdf_bytes(50_000);
    let satzung = pdf_bytes(900);
    let good = answers_file(
        dir.path(),
        "gut.json",
        json!({
            "name": "Gemeinde Gut",
            "haushaltsplan": [file("Haushaltsplan.pdf", "application/pdf", &plan)],
            "weitere": [file("Satzung.pdf", "application/pdf", &satzung)],
        }),
    );
    let mut damaged = file("Haushaltsplan.pdf", "application/pdf", &plan);
    damaged["content"] = json!(base64::engine::general_purpose::STANDARD.encode(pdf_bytes(49_999)));
    let damaged = answers_file(
        dir.path(),
        "beschaedigt.json",
        json!({ "name": "Gemeinde Kaputt", "haushaltsplan": [damaged] }),
    );
    let word = answers_file(
        dir.path(),
        "word.json",
        json!({
            "name": "Gemeinde Word",
            "haushaltsplan": [file("Plan.docx", "application/msword", b"PK")],
        }),
    );
    let many = answers_file(
        dir.path(),
        "viele.json",
        json!({
            "name": "Gemeinde Viel",
            "haushaltsplan": [file("Haushaltsplan.pdf", "application/pdf", &plan)],
            "weitere": [
                file("A.pdf", "application/pdf", &pdf_bytes(100)),
                file("B.pdf", "application/pdf", &pdf_bytes(200)),
                file("C.pdf", "application/pdf", &pdf_bytes(300)),
            ],
        }),
    );
    Case {
        site,
        dir,
        plan,
        files: vec![good, damaged, word, many],
    }
}

#[test]
fn attachments_are_listed_in_csv_and_xlsx_and_bad_ones_named() {
    let c = case();
    let (xlsx, csv) = (c.dir.path().join("t.xlsx"), c.dir.path().join("t.csv"));
    let mut args: Vec<&str> = vec!["foerderantrag"];
    args.extend(c.files.iter().map(String::as_str));
    args.extend([
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let out = run_answers(&c.site, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "three files have problems: {stderr}"
    );

    let listed = format!("Haushaltsplan.pdf (49 KB, SHA-256 {})", sha256(&c.plan));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("Antworten").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let column = rows[1]
        .iter()
        .position(|k| k == "haushaltsplan")
        .expect("a column for the attachment");
    let row_of = |name: &str| {
        rows.iter()
            .find(|r| r.iter().any(|x| x == name))
            .unwrap_or_else(|| panic!("a row for {name}: {rows:?}"))
    };
    assert_eq!(row_of("Gemeinde Gut")[column], listed);
    assert!(
        rows[0][column].contains("Haushaltsplan"),
        "headed by its question: {:?}",
        rows[0]
    );
    let weitere = rows[1].iter().position(|k| k == "weitere").unwrap();
    assert!(
        row_of("Gemeinde Viel")[weitere].starts_with("A.pdf (100 Byte, SHA-256 "),
        "{:?}",
        row_of("Gemeinde Viel")
    );
    assert_eq!(row_of("Gemeinde Viel")[weitere].lines().count(), 3);
    // The bytes never reach the table.
    let encoded = base64::engine::general_purpose::STANDARD.encode(&c.plan);
    for row in &rows {
        for cell in row {
            assert!(
                !cell.contains(&encoded[..40]),
                "content in a cell: {cell:.80}"
            );
        }
    }

    let problems = book.worksheet_range("Prüfung").unwrap();
    let problems: Vec<String> = problems
        .rows()
        .map(|r| r.iter().map(cell_text).collect::<Vec<_>>().join(" | "))
        .collect();
    let problem_of = |file: &str| {
        problems
            .iter()
            .find(|r| r.split(" | ").next().is_some_and(|f| f.ends_with(file)))
            .unwrap_or_else(|| panic!("{file} in {problems:?}"))
            .clone()
    };
    assert!(
        problem_of("gut.json").contains("vollständig"),
        "{problems:?}"
    );
    assert!(
        problem_of("beschaedigt.json").contains(
            "„Haushaltsplan.pdf“ bei „Haushaltsplan“ ist beschädigt: Größe oder SHA-256-Prüfsumme stimmen nicht zum Inhalt."
        ),
        "{problems:?}"
    );
    assert!(
        problem_of("word.json").contains(
            "„Plan.docx“ kann bei „Haushaltsplan“ nicht beigefügt werden: erlaubt ist nur PDF."
        ),
        "{problems:?}"
    );
    assert!(
        problem_of("viele.json")
            .contains("Bei „Ratsbeschluss und Satzung“ sind höchstens 2 Dateien möglich."),
        "{problems:?}"
    );

    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.contains(&listed), "the CSV lists the file");
    assert!(!csv.contains(&encoded[..40]), "no content in the CSV");
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn pdfs_list_attachments_and_blank_ones_ask_for_them() {
    let c = case();
    let pdfs = c.dir.path().join("pdf");
    let out = run_answers(
        &c.site,
        &[
            "foerderantrag",
            &c.files[0],
            "--pdf",
            pdfs.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = |path: &Path| {
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(path)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let filled = std::fs::read_dir(&pdfs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a filled PDF");
    let filled_text = text(&filled);
    assert!(
        filled_text.contains("Beigefügte Dateien (in der Antwortdatei):"),
        "{filled_text}"
    );
    assert!(
        filled_text.contains("Haushaltsplan.pdf (49 KB, SHA-256"),
        "{filled_text}"
    );
    // The hash may be broken across lines; its characters are all there in order.
    let squeezed: String = filled_text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&sha256(&c.plan)), "{filled_text}");
    let blank_pdf = c.site.out().join("foerderantrag/foerderantrag.pdf");
    let (size, blank_size) = (
        std::fs::metadata(&filled).unwrap().len(),
        std::fs::metadata(&blank_pdf).unwrap().len(),
    );
    assert!(
        size < blank_size + c.plan.len() as u64 / 2,
        "the file is listed, not embedded ({size} bytes, blank {blank_size})"
    );

    let blank = text(&blank_pdf);
    assert!(
        blank.contains("Anlage: bitte gesondert einreichen (PDF, höchstens 10 MB)"),
        "{blank}"
    );
    assert!(
        blank.contains(
            "Anlage: bitte gesondert einreichen (PDF, bis zu 2 Dateien, je höchstens 1 MB)"
        ),
        "{blank}"
    );
}

/// The form's answers schema (`<id>.schema.json`) describes attachments: a file as the page
/// writes it is valid; one without its hash or with content that is not base64 is not.
#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with jsonschema: ./test.sh installs it"
)]
fn the_answers_schema_describes_attachments() {
    let c = case();
    let schema: Value =
        serde_json::from_str(&c.site.read("site/foerderantrag/foerderantrag.schema.json")).unwrap();
    let good: Value = serde_json::from_str(&std::fs::read_to_string(&c.files[0]).unwrap()).unwrap();
    let mut no_hash = good.clone();
    no_hash["answers"]["haushaltsplan"][0]
        .as_object_mut()
        .unwrap()
        .remove("sha256");
    let mut not_base64 = good.clone();
    not_base64["answers"]["haushaltsplan"][0]["content"] = json!("kein Base64!");
    let request = json!({
        "schemas": { "answers": schema },
        "instances": [
            { "schema": "answers", "file": "good", "data": good },
            { "schema": "answers", "file": "no_hash", "data": no_hash },
            { "schema": "answers", "file": "not_base64", "data": not_base64 },
        ],
    });
    let results = validate_schemas(&request);
    assert_eq!(results[0]["errors"], json!([]), "{results:?}");
    assert!(
        results[1]["errors"][0]
            .as_str()
            .unwrap()
            .contains("'sha256' is a required property"),
        "{results:?}"
    );
    assert!(
        results[2]["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("answers/haushaltsplan/0/content"),
        "{results:?}"
    );
}

/// The page: the picker with `accept` and `multiple`, the label naming type and size, the
/// list described by the control; the print-all document's blank form asks for the document
/// separately, its picker disabled.
#[test]
fn the_page_and_the_print_all_document_name_what_an_attachment_takes() {
    let site = Site::fixture("attachments");
    site.build_ok();
    let page = site.html("foerderantrag/index.html");
    assert_eq!(
        texts(&page, r#"label[for="haushaltsplan"]"#),
        ["Haushaltsplan (PDF, höchstens 10 MB) (Pflichtfeld)"]
    );
    let input = page.select(&sel("#weitere")).next().expect("the picker");
    let attr = |name: &str| input.value().attr(name).map(str::to_string);
    assert_eq!(attr("type").as_deref(), Some("file"));
    assert_eq!(attr("accept").as_deref(), Some(".pdf"));
    assert!(attr("multiple").is_some());
    assert_eq!(
        attr("aria-describedby").as_deref(),
        Some("weitere-hint weitere-files")
    );
    assert_eq!(
        texts(&page, "#weitere-note"),
        ["Bitte senden Sie das Dokument auf dem in der Einreichung genannten Weg."]
    );
    let all = site.html("gesamtdokument.html");
    assert_eq!(
        texts(&all, ".paper .attachment-blank"),
        [
            "Anlage: bitte gesondert einreichen (PDF, höchstens 10 MB)",
            "Anlage: bitte gesondert einreichen (PDF, bis zu 2 Dateien, je höchstens 1 MB)"
        ]
    );
    assert_eq!(
        all.select(&sel(".paper input[type=file][disabled]"))
            .count(),
        2
    );
}

/// All attachments of one answers file together at most 20 MB (what e-mail servers take):
/// three files of 7.5 MB, each within its field's 10 MB, are named as too much.
#[test]
fn more_than_twenty_megabytes_in_one_answers_file_is_named() {
    let site = Site::fixture("attachments");
    let mut form = std::fs::read_to_string(site.path("content/foerderantrag.form.toml")).unwrap();
    form.push_str(
        "\n[[sections.fields]]\nid = \"satzung\"\nkind = \"attachment\"\nlabel = \"Satzung\"\n\
         \n[[sections.fields]]\nid = \"beschluss\"\nkind = \"attachment\"\nlabel = \"Beschluss\"\n",
    );
    site.write("content/foerderantrag.form.toml", &form);
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let big = pdf_bytes(7_500_000);
    let path = answers_file(
        dir.path(),
        "gross.json",
        json!({
            "name": "Gemeinde Groß",
            "haushaltsplan": [file("Haushaltsplan.pdf", "application/pdf", &big)],
            "satzung": [file("Satzung.pdf", "application/pdf", &big)],
            "beschluss": [file("Beschluss.pdf", "application/pdf", &big)],
        }),
    );
    let out = run_answers(&site, &["foerderantrag", &path]);
    // The command names each file's problems in its report.
    let stderr = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "Alle Anlagen zusammen sind 21,5 MB groß; eine Antwortdatei kann höchstens 20 MB aufnehmen."
        ),
        "{stderr}"
    );
}
