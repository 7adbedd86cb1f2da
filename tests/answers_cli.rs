//! `formwerk answers` on realistic answers files (tests/answers/generate.mjs, sealed with the
//! theme's answers-file.js): every problem named, exit 1 for refused files, the XLSX read back
//! with calamine, the CSV parsed. Rust's checksum and JavaScript's are held together by
//! tests/vectors/answers-files.json (tests/vectors.rs).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command as Process;

use calamine::{Reader, Xlsx, open_workbook};
use common::answers::*;
use common::*;
use serde_json::Value;

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node: ./test.sh installs it"
)]
fn fifty_municipalities_merge_into_xlsx_and_csv_with_every_problem_named() {
    let (site, dir, manifest) = bundled_with_answers(50);
    let xlsx = dir.path().join("out.xlsx");
    let csv = dir.path().join("out.csv");
    let out = run_answers(
        &site,
        &[
            "projektbeschreibung",
            dir.path().to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "refused files: exit 1\n{stdout}"
    );
    let status = |s: &str| manifest.iter().filter(|m| m["status"] == s).count();
    let valid = manifest.len() - status("invalid");
    assert_eq!(status("wrong"), 1);
    assert!(
        stdout.contains(&format!(
            "{} Dateien: {} vollständig, {} unvollständig, {} fehlerhaft, {} ungültig, 2 doppelt.",
            manifest.len(),
            status("complete"),
            status("incomplete"),
            status("wrong"),
            status("invalid")
        )),
        "{stdout}"
    );
    for (file, reason) in [
        ("beschaedigt.json", "keine gültige Antwortdatei"),
        (
            "anderes-formular.json",
            "gehört zu einem anderen Formular („verwendungsnachweis“)",
        ),
        ("veraendert.json", "Prüfsumme stimmt nicht"),
        ("zukunft.json", "Antwortdatei im Format 3"),
        (
            "<img src=x onerror=alert(4)>.json",
            "gibt es in diesem Formular nicht",
        ),
    ] {
        let at = stdout
            .find(file)
            .unwrap_or_else(|| panic!("{file} not listed:\n{stdout}"));
        assert!(
            stdout[at..].lines().nth(1).unwrap().contains(reason),
            "{file}: {stdout}"
        );
    }

    // XLSX: labels and keys as header rows, one row per readable file, all text.
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Antworten", "Prüfung"]);
    let sheet = book.worksheet_range("Antworten").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(rows.len(), 2 + valid);
    let (labels, ids) = (&rows[0], &rows[1]);
    assert_eq!(
        &ids[..6],
        [
            "file", "identify", "version", "saved_at", "checksum", "status"
        ]
    );
    assert_eq!(labels[1], "Name der Gebietskörperschaft (Landkreis, Stadt)");
    let soz = ids
        .iter()
        .position(|i| i == "datenbereiche=soziales")
        .unwrap();
    assert!(labels[soz].starts_with("2. ") && labels[soz].ends_with(": Soziales"));
    let other = ids.iter().position(|i| i == "datenbereiche.other").unwrap();
    assert_eq!(ids[other - 1], "datenbereiche=other");
    let extra = ids
        .iter()
        .position(|i| i == "zusammenarbeit_netzwerk")
        .unwrap();
    assert_eq!(
        labels[extra],
        "Nicht in Version 2026-1: zusammenarbeit_netzwerk"
    );
    let version = ids.iter().position(|i| i == "version").unwrap();
    let old: Vec<&Vec<String>> = rows[2..]
        .iter()
        .filter(|r| r[version] == "2025-1")
        .collect();
    assert!(!old.is_empty());
    assert!(old.iter().all(|r| r[extra].starts_with("Netzwerktreffen")));
    assert!(
        old.iter().all(|r| !r[1].is_empty()),
        "older versions keep the unchanged columns"
    );
    let flat: Vec<&String> = rows.iter().flatten().collect();
    assert!(
        flat.iter()
            .any(|c| *c == "=HYPERLINK(\"http://example.invalid/x\",\"Klick\")")
    );
    assert!(flat.iter().any(|c| c.chars().count() == 2000));
    assert!(flat.iter().any(|c| c.contains("Lüneburg")));
    let lists = ids
        .iter()
        .position(|i| i == "handlungsfelder_relevant")
        .unwrap();
    assert!(
        rows[2..]
            .iter()
            .any(|r| r[lists].contains("\nHandlungsfeld 2:"))
    );

    let checks = book.worksheet_range("Prüfung").unwrap();
    let checks: Vec<Vec<String>> = checks
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(checks.len(), 1 + manifest.len(), "every file listed");
    let damaged = checks
        .iter()
        .find(|r| r[0].ends_with("veraendert.json"))
        .unwrap();
    assert_eq!(damaged[3], "ungültig");
    assert!(damaged[4].contains("Prüfsumme stimmt nicht"));
    let incomplete = checks.iter().find(|r| r[3] == "unvollständig").unwrap();
    assert!(incomplete[4].starts_with("Bitte füllen Sie „"));

    // CSV: the same table for German Excel.
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    let table = parse_csv(&text[3..]);
    assert_eq!(table.len(), rows.len());
    assert_eq!(&table[0], labels);
    assert_eq!(&table[1], ids);
    for (csv_row, xlsx_row) in table.iter().zip(&rows).skip(2) {
        for (c, x) in csv_row.iter().zip(xlsx_row) {
            if x.starts_with(['=', '+', '-', '@']) {
                assert_eq!(c, &format!("'{x}"), "formula neutralised");
            } else {
                assert_eq!(c, x);
            }
        }
    }
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node: ./test.sh installs it"
)]
fn valid_files_only_exit_0_and_a_form_can_be_named_by_its_file() {
    let (site, dir, manifest) = bundled_with_answers(8);
    let good: Vec<PathBuf> = manifest
        .iter()
        .filter(|m| m["status"] == "complete" || m["status"] == "incomplete")
        .map(|m| dir.path().join(m["file"].as_str().unwrap()))
        .collect();
    let mut args = vec!["content/projektbeschreibung.form.toml".to_string()];
    args.extend(good.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_answers(&site, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let unknown = run_answers(
        &site,
        &["verwendungsnachweis", dir.path().to_str().unwrap()],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no form `verwendungsnachweis` in this site; its forms: projektbeschreibung")
    );
}

/// The CSV written by `formwerk answers … --csv`, parsed, with the rows keyed by file stem.
fn table_by_stem(csv: &std::path::Path) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut rows = parse_csv(text.trim_start_matches('\u{feff}')).into_iter();
    let _labels = rows.next().unwrap();
    let ids = rows.next().unwrap();
    let by_stem = rows
        .map(|row| {
            let stem = std::path::Path::new(&row[0])
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (stem, row)
        })
        .collect();
    (ids, by_stem)
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node: ./test.sh installs it"
)]
fn answers_become_filled_pdfs_that_read_back_into_the_same_table() {
    let (site, dir, manifest) = bundled_with_answers(12);
    let current = |m: &&Value| {
        (m["status"] == "complete" || m["status"] == "incomplete")
            && m["version"] == manifest[0]["version"]
    };
    let good: Vec<PathBuf> = manifest
        .iter()
        .filter(current)
        .map(|m| dir.path().join(m["file"].as_str().unwrap()))
        .collect();
    assert!(good.len() >= 5, "the generator gives enough current files");
    let pdfs = dir.path().join("pdf");
    let from_json = dir.path().join("from-json.csv");
    let mut args: Vec<String> = vec!["projektbeschreibung".into()];
    args.extend(good.iter().map(|p| p.display().to_string()));
    args.extend([
        "--csv".into(),
        from_json.display().to_string(),
        "--pdf".into(),
        pdfs.display().to_string(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_answers(&site, &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{} ausgefüllte PDF-Formulare in {} geschrieben",
            good.len(),
            pdfs.display()
        )),
        "{stdout}"
    );

    // The clerk gets the same table from the PDFs as from the answers files.
    let from_pdf = dir.path().join("from-pdf.csv");
    let out = run_answers(
        &site,
        &[
            "projektbeschreibung",
            pdfs.to_str().unwrap(),
            "--csv",
            from_pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let (ids, json_rows) = table_by_stem(&from_json);
    let (pdf_ids, pdf_rows) = table_by_stem(&from_pdf);
    assert_eq!(ids, pdf_ids);
    assert_eq!(json_rows.len(), good.len());
    assert_eq!(
        json_rows.keys().collect::<Vec<_>>(),
        pdf_rows.keys().collect::<Vec<_>>()
    );
    let col = |id: &str| ids.iter().position(|c| c == id).unwrap();
    for (stem, json_row) in &json_rows {
        let pdf_row = &pdf_rows[stem];
        assert!(pdf_row[0].ends_with(".pdf"));
        assert_eq!(pdf_row[col("checksum")], "PDF-Formular (ohne Prüfsumme)");
        assert_eq!(pdf_row[col("saved_at")], "", "a PDF records no saving time");
        for (i, id) in ids.iter().enumerate() {
            if ["file", "checksum", "saved_at"].contains(&id.as_str()) {
                continue;
            }
            assert_eq!(pdf_row[i], json_row[i], "{stem}: column {id}");
        }
    }

    // Flattened for the archive: the answers are on the page, and such a PDF is refused as
    // input with the reason (its fields are gone), never read as empty answers.
    let flat = dir.path().join("flat");
    let first = &good[0];
    let out = run_answers(
        &site,
        &[
            "projektbeschreibung",
            first.to_str().unwrap(),
            "--pdf",
            flat.to_str().unwrap(),
            "--flatten",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let stem = first.file_stem().unwrap().to_string_lossy().into_owned();
    let flat_pdf = flat.join(format!("{stem}.pdf"));
    let text = Process::new("pdftotext")
        .args([flat_pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let identify = &json_rows[&stem][col("identify")];
    assert!(!identify.is_empty());
    assert!(
        text.contains(identify.as_str()),
        "{identify} not in\n{text}"
    );
    let out = run_answers(&site, &["projektbeschreibung", flat_pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("PDF ohne Formularfelder"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node: ./test.sh installs it"
)]
fn hostile_pdfs_are_refused_and_nothing_read_is_overwritten() {
    let (site, dir, manifest) = bundled_with_answers(3);
    let good = dir.path().join(manifest[0]["file"].as_str().unwrap());
    let pdfs = dir.path().join("eingang");
    // Writing the PDFs into the folder they are read from never replaces a file read.
    let out = run_answers(
        &site,
        &[
            "projektbeschreibung",
            good.to_str().unwrap(),
            "--pdf",
            pdfs.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let stem = good.file_stem().unwrap().to_string_lossy().into_owned();
    let received = pdfs.join(format!("{stem}.pdf"));
    let before = std::fs::read(&received).unwrap();
    std::fs::write(
        pdfs.join("kaputt.pdf"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >>",
    )
    .unwrap();
    let bomb = Process::new("python3")
        .arg(repo().join("tests/pdf/bomb.py"))
        .output()
        .unwrap();
    assert!(bomb.status.success() && bomb.stdout.len() < 200_000);
    std::fs::write(pdfs.join("bombe.pdf"), &bomb.stdout).unwrap();
    let other = Site::fixture("valid");
    other.build_ok();
    std::fs::copy(
        other.out().join("antraege/alle-felder/alle_felder.pdf"),
        pdfs.join("fremd.pdf"),
    )
    .unwrap();
    let out = run_answers(
        &site,
        &[
            "projektbeschreibung",
            pdfs.to_str().unwrap(),
            "--pdf",
            pdfs.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("kaputt.pdf: ungültig"), "{stdout}");
    assert!(stdout.contains("bombe.pdf: ungültig"), "{stdout}");
    assert!(stdout.contains("kein lesbares PDF"), "{stdout}");
    assert!(
        stdout.contains("gehört zu einem anderen Formular („alle_felder“)"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&received).unwrap(),
        before,
        "the PDF read stays as it was"
    );
    assert!(
        pdfs.join(format!("{stem}-2.pdf")).is_file(),
        "numbered beside it"
    );
    assert!(
        !pdfs.join("kaputt-2.pdf").exists(),
        "no PDF for a refused file"
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node: ./test.sh installs it"
)]
fn a_panic_while_reading_one_file_refuses_that_file_and_reads_the_others() {
    let (site, dir, manifest) = bundled_with_answers(3);
    let files: Vec<PathBuf> = manifest
        .iter()
        .filter(|m| m["status"] == "complete")
        .map(|m| dir.path().join(m["file"].as_str().unwrap()))
        .take(2)
        .collect();
    assert_eq!(files.len(), 2, "{manifest:?}");
    let bad = &files[0];
    let out = formwerk()
        .env("FORMWERK_FAULT", format!("panic:{}", bad.display()))
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("projektbeschreibung")
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused file: exit 1\n{stdout}"
    );
    let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    let at = stdout.find(&name(bad)).expect("the file is listed");
    let reason = stdout[at..].lines().take(2).collect::<Vec<_>>().join("\n");
    assert!(reason.contains("ungültig"), "{reason}");
    assert!(
        reason.contains("internal error: simulated by FORMWERK_FAULT"),
        "{reason}"
    );
    // The other file is read as usual.
    assert!(stdout.contains("2 Dateien: 1 vollständig"), "{stdout}");
}

#[test]
fn a_product_at_the_end_of_the_number_range_is_read_without_a_panic() {
    // (2^63 - 1) * 2(2^63 + 1) millionths: one below the largest number the reader holds.
    let site = Site::bundled();
    let rel = "content/projektbeschreibung.form.toml";
    let form = site.read(rel);
    site.write(
        rel,
        &format!(
            "{form}\n[[sections.fields]]\nid = \"riesig\"\nkind = \"computed\"\nlabel = \"Riesig\"\n\
             expr = \"9223372036854.775807 * 18446744073709.551618\"\n"
        ),
    );
    let version = form
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("the form has a version");
    let file = site.path("antwort.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"form":"projektbeschreibung","version":"{version}","saved_at":"2026-01-01T00:00:00Z","answers":{{}}}}"#
        ),
    )
    .unwrap();
    let out = run_answers(&site, &["projektbeschreibung", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("antwort.json: unvollständig"), "{stdout}");
    assert!(!stdout.contains("internal error"), "{stdout}");
}

/// An honest long answer (textareas have no length limit) beyond Excel's 32,767 characters
/// a cell holds: the XLSX is still written for the whole batch, the cell cut with a note that
/// says so; the CSV keeps the answer whole.
#[test]
fn an_answer_longer_than_excel_holds_is_cut_with_a_note_and_costs_no_one_the_xlsx() {
    let site = Site::bundled();
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let long: String = "Ausführliche Begründung mit Umlauten äöü. ".repeat(1000);
    assert!(long.chars().count() > 40_000);
    let file = dir.path().join("lang.json");
    let answers = serde_json::json!({
        "form": "projektbeschreibung",
        "version": "2026-1",
        "saved_at": "2026-12-01T10:00:00.000Z",
        "answers": { "anschrift": long },
    });
    std::fs::write(&file, answers.to_string()).unwrap();
    let (xlsx, csv) = (dir.path().join("a.xlsx"), dir.path().join("a.csv"));
    let out = run_answers(
        &site,
        &[
            "projektbeschreibung",
            file.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("cannot write"), "{stderr}");
    assert!(xlsx.is_file(), "{stderr}");
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).unwrap();
    let cell = sheet
        .rows()
        .flat_map(|r| r.iter().map(cell_text))
        .find(|t| t.starts_with("Ausführliche Begründung"))
        .expect("the long answer's cell");
    assert!(cell.chars().count() <= 32_767, "{}", cell.chars().count());
    assert!(
        cell.ends_with(&format!(
            "[gekürzt: {} von {} Zeichen; vollständig in der CSV-Datei und in der Antwortdatei]",
            cell.chars().count() - cell.rsplit_once(" … [").unwrap().1.chars().count() - 4,
            long.chars().count()
        )),
        "{}",
        &cell[cell.len() - 120..]
    );
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(
        csv.contains(long.trim_end()),
        "the CSV keeps the answer whole"
    );
}

/// Keys, values and file names from strangers reach the terminal escaped: a key that would
/// clear the screen and print a fake green summary is shown as `\x1b[2J…`.
#[test]
fn terminal_escapes_in_a_hostile_file_are_shown_not_obeyed() {
    let site = Site::bundled();
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gemeinde\u{1b}[31m.json");
    let answers = serde_json::json!({
        "form": "projektbeschreibung",
        "version": "2026-1",
        "saved_at": "2026-12-01T10:00:00.000Z",
        "answers": { "\u{1b}[2J\u{1b}[32m51 Dateien: 51 vollständig": "x\u{9b}2J" },
    });
    std::fs::write(&file, answers.to_string()).unwrap();
    let out = run_answers(&site, &["projektbeschreibung", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{9b}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("gemeinde\\x1b[31m.json"), "{stdout}");
    assert!(
        stdout.contains("\\x1b[2J\\x1b[32m51 Dateien: 51 vollständig"),
        "{stdout}"
    );
}

/// Two applications of one municipality are "doppelt" even when one name carries an
/// invisible character (a zero-width space, a soft hyphen) or is written decomposed.
#[test]
fn duplicates_are_found_through_invisible_characters() {
    let site = Site::bundled();
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (file, name) in [
        ("a.json", "Landkreis Göttingen"),
        ("b.json", "Landkreis\u{200b} Go\u{308}ttingen"),
        ("c.json", "Landkreis Goslar"),
    ] {
        let path = dir.path().join(file);
        let answers = serde_json::json!({
            "form": "projektbeschreibung",
            "version": "2026-1",
            "saved_at": "2026-12-01T10:00:00.000Z",
            "answers": { "name": name },
        });
        std::fs::write(&path, answers.to_string()).unwrap();
        paths.push(path.display().to_string());
    }
    let csv = dir.path().join("t.csv");
    let mut args = vec!["projektbeschreibung"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--csv", csv.to_str().unwrap()]);
    run_answers(&site, &args);
    let text = std::fs::read_to_string(&csv).unwrap();
    let status = |file: &str| {
        text.lines()
            .find(|l| l.starts_with(file) || l.contains(&format!("{file};")))
            .unwrap_or_else(|| panic!("{file} in {text}"))
            .contains("doppelt")
    };
    assert!(status("a.json") && status("b.json"), "{text}");
    assert!(!status("c.json"), "{text}");
}

/// An answers file of an earlier version turned into a PDF keeps its own version and every
/// answer: those the current version no longer asks stand in an appendix, named.
#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn an_older_version_s_answers_reach_the_pdf_with_their_version_and_nothing_dropped() {
    let site = Site::bundled();
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alt.json");
    let answers = serde_json::json!({
        "form": "projektbeschreibung",
        "version": "2025-1",
        "saved_at": "2025-11-01T10:00:00.000Z",
        "answers": { "name": "Landkreis Göttingen", "foerdersumme": 12345.5 },
    });
    std::fs::write(&file, answers.to_string()).unwrap();
    let pdfs = dir.path().join("pdf");
    run_answers(
        &site,
        &[
            "projektbeschreibung",
            file.to_str().unwrap(),
            "--pdf",
            pdfs.to_str().unwrap(),
            "--flatten",
        ],
    );
    let pdf = pdfs.join("alt.pdf");
    let text = Process::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Diese Antworten wurden mit Version 2025-1 des Formulars gespeichert."),
        "{text}"
    );
    assert!(
        text.contains("Angaben aus Version 2025-1 ohne Entsprechung"),
        "{text}"
    );
    assert!(text.contains("foerdersumme: 12345,5"), "{text}");
    assert!(text.contains("Landkreis Göttingen"), "{text}");
}
