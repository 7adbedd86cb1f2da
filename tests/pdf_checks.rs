//! What the fillable PDF checks and how it shows what is typed (issue 25), read with pikepdf
//! (tests/pdf/pdf_tool.py `widgets`) and pdftotext: required flags, the keystroke, validate
//! and format actions of numbers, dates, e-mail and telephone, right-aligned amounts, lines
//! that fit their text (size 0) and text areas that scroll, the hints "(Pflichtfeld)" and
//! "TT.MM.JJJJ", the check area of the `[[checks]]`, the signature field, and a filled PDF
//! whose appearances fit the boxes. What the scripts do in a reader is tested in
//! tests/pdfjs/checks.test.js (pdf.js's sandbox), on the same form.
//!
//! Needs Python with pikepdf, and poppler-utils (test.sh installs them).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, normalize_space, page_images, repo};
use serde_json::{Value, json};

const PDF: &str = "pruefprobe/pruefprobe.pdf";

/// Field flags (PDF 32000-1, tables 221, 226, 228).
const READ_ONLY: i64 = 1;
const REQUIRED: i64 = 1 << 1;
const MULTILINE: i64 = 1 << 12;
const DO_NOT_SCROLL: i64 = 1 << 23;

/// The valid fixture site with the Prüfprobe of tests/pdfjs, built.
fn site() -> Site {
    let site = Site::fixture("valid");
    let form = std::fs::read_to_string(repo().join("tests/pdfjs/pruefprobe.form.toml")).unwrap();
    site.write("content/pruefprobe.form.toml", &form);
    site.build_ok();
    site
}

fn widgets(pdf: &Path) -> Value {
    common::pdf_tool(&["widgets", pdf.to_str().unwrap()])
}

fn widget<'v>(all: &'v Value, name: &str) -> &'v Value {
    all["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == name)
        .unwrap_or_else(|| panic!("no widget {name}"))
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    normalize_space(&String::from_utf8(out.stdout).unwrap())
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf: ./test.sh installs it"
)]
fn fields_carry_their_checks_alignment_and_size() {
    let site = site();
    let all = widgets(&site.out().join(PDF));
    let w = |name: &str| widget(&all, name);
    let flags = |name: &str| w(name)["flags"].as_i64().unwrap();
    // Required fields carry the flag; a line fits its text to the box (size 0).
    for name in ["bezeichnung", "beginn", "massnahmen.1.titel"] {
        assert_eq!(flags(name) & REQUIRED, REQUIRED, "{name}");
        assert_eq!(w(name)["da"], "/FwR 0 Tf 0 g", "{name}");
    }
    // Numbers: checked while typed and committed, bounds, shown right-aligned.
    for name in ["betrag", "personen"] {
        assert_eq!(w(name)["actions"], json!(["F", "K", "V"]), "{name}");
        assert_eq!(w(name)["q"], 2, "{name}");
    }
    assert_eq!(w("kosten.1.betrag")["actions"], json!(["F", "K"]));
    assert_eq!(w("kosten.1.betrag")["q"], 2);
    assert_eq!(w("kosten.1.art")["actions"], json!([]));
    assert_eq!(w("kosten.1.art")["q"], 0);
    assert_eq!(w("kosten_gesamt")["actions"], json!(["C"]));
    assert_eq!(w("kosten_gesamt")["q"], 2);
    assert_eq!(flags("kosten_gesamt") & READ_ONLY, READ_ONLY);
    // Dates, e-mail and telephone: checked when committed; a date's tooltip says how.
    for name in ["beginn", "massnahmen.1.start", "mail", "telefon"] {
        assert_eq!(w(name)["actions"], json!(["K"]), "{name}");
    }
    assert_eq!(w("beginn")["tooltip"], "Beginn (TT.MM.JJJJ)");
    assert_eq!(
        w("massnahmen.1.start")["tooltip"],
        "Maßnahme 1: Start (TT.MM.JJJJ)"
    );
    // A text area keeps the field size and scrolls; no field refuses to scroll.
    assert_eq!(flags("beschreibung") & MULTILINE, MULTILINE);
    assert_eq!(w("beschreibung")["da"], "/FwR 10 Tf 0 g");
    for widget in all["widgets"].as_array().unwrap() {
        let f = widget["flags"].as_i64().unwrap();
        assert_eq!(f & DO_NOT_SCROLL, 0, "{}", widget["name"]);
    }
    // The check area: read-only, multi-line, calculated.
    let area = w("formwerk-pruefung");
    assert_eq!(area["tooltip"], "Prüfung der Angaben");
    assert_eq!(area["actions"], json!(["C"]));
    assert_eq!(
        flags("formwerk-pruefung") & (READ_ONLY | MULTILINE),
        READ_ONLY | MULTILINE
    );
    // A real signature field, named for assistive technology.
    let sig = w("formwerk-unterschrift");
    assert_eq!(sig["type"], "/Sig");
    assert_eq!(sig["tooltip"], "Unterschrift");
    let r: Vec<f64> = sig["rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        r[2] - r[0] > 150.0 && r[3] - r[1] > 20.0,
        "room to sign: {r:?}"
    );
    // Before printing and saving the reader names what is missing.
    assert_eq!(all["document_actions"], json!(["WP", "WS"]));
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn hints_are_printed_as_on_the_page() {
    let site = site();
    let text = pdftotext(&site.out().join(PDF));
    for hint in [
        "Bezeichnung (Pflichtfeld)",
        "Beginn (Pflichtfeld)",
        "Datum: TT.MM.JJJJ",
        "Titel (Pflichtfeld)",
        "Start (TT.MM.JJJJ)",
        "Prüfung der Angaben",
        "Hier nennt der PDF-Reader beim Ausfüllen, welche Angaben nicht zusammenpassen.",
        "Unterschrift",
    ] {
        assert!(text.contains(hint), "{hint} not in:\n{text}");
    }
}

/// Writes an answers file of the Prüfprobe and returns its path.
fn answers_file(site: &Site, answers: Value) -> PathBuf {
    let file = json!({
        "form": "pruefprobe",
        "version": "1",
        "saved_at": "2026-03-01T10:00:00Z",
        "answers": answers,
    });
    let path = site.path("antwort.json");
    std::fs::write(&path, file.to_string()).unwrap();
    path
}

/// The filled PDFs `formwerk answers --pdf` writes for `file` (flattened or not).
fn filled(site: &Site, file: &Path, flatten: bool) -> PathBuf {
    let dir = site.path(if flatten { "flat" } else { "filled" });
    let mut args = vec![
        "answers",
        "--root",
        site.root().to_str().unwrap(),
        "pruefprobe",
    ];
    args.extend([file.to_str().unwrap(), "--pdf", dir.to_str().unwrap()]);
    if flatten {
        args.push("--flatten");
    }
    // The answers fail the check on purpose: the command says so (exit 1), and still
    // writes the PDF.
    let out = common::formwerk().args(&args).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains("Förderbetrag und Kosten stimmen nicht überein."),
        "{said}"
    );
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .expect("a filled PDF")
        .into_path()
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf and poppler-utils: ./test.sh installs them"
)]
fn a_filled_pdf_shows_all_of_each_answer_and_the_failed_check() {
    let site = site();
    let long = "Dorfgemeinschaftshaus mit barrierefreiem Zugang, Küche und Beratungsraum für \
                die Gemeinden des Amtes";
    let file = answers_file(
        &site,
        json!({
            "bezeichnung": long,
            "betrag": 1234.5,
            "beginn": "2026-03-01",
            "kosten": [{"art": "Bau", "betrag": 1000}, {"art": "Planung", "betrag": 200}],
            "kosten_gesamt": 1200,
        }),
    );
    let pdf = filled(&site, &file, false);
    page_images(&pdf, "pruefprobe-filled", 100, None);
    let all = widgets(&pdf);
    // A long line is drawn smaller, never cut: the size its width allows.
    let size = widget(&all, "bezeichnung")["font_sizes"][0]
        .as_f64()
        .unwrap();
    assert!((5.0..10.0).contains(&size), "{size}");
    assert_eq!(widget(&all, "betrag")["font_sizes"], json!([10.0]));
    let area = widget(&all, "formwerk-pruefung");
    assert_eq!(
        area["value"],
        "Förderbetrag und Kosten stimmen nicht überein."
    );
    let text = pdftotext(&pdf);
    for shown in [long, "1.234,50", "01.03.2026", "1.200,00"] {
        assert!(text.contains(shown), "{shown} not in:\n{text}");
    }
    // The archive copy prints the failed check as text.
    let flat = pdftotext(&filled(&site, &file, true));
    assert!(
        flat.contains("Prüfung der Angaben Förderbetrag und Kosten stimmen nicht überein."),
        "{flat}"
    );
}
