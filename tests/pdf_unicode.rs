//! Names in every script an applicant may type come out of every PDF as typed: the filled
//! and the flattened PDF of `formwerk answers --pdf` (read back with pdftotext and pypdf),
//! and the blank fillable form filled in a reader (pypdf with the default appearance font).
//! A character no font has is drawn as a marked placeholder, named in the PDF and on the
//! terminal.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Site, normalize_space, page_images, pdf_tool};
use serde_json::{Value, json};

/// Names as they are typed in forms, and the field each goes into.
const NAMES: [(&str, &str); 4] = [
    ("name", "Ayşe Yılmaz"),
    ("ansprechperson", "Đorđe Petrović"),
    (
        "anschrift",
        "Łukasz Wójcik\nΟλυμπία\nОлена Шевченко\nرضا احمدی\nNguyễn Thị Minh Khai\nŘehoř Šťastný\nȘtefan Țurcanu",
    ),
    (
        "planungen_bestandsaufnahme",
        "Antrag von رضا احمدی vom 12.03.2026, Aktenzeichen 4711; Puzzle 🧩",
    ),
];

/// Every name that must come out of the PDFs exactly (the Arabic one apart, see below).
const EXPECTED: [&str; 9] = [
    "Ayşe Yılmaz",
    "Đorđe Petrović",
    "Łukasz Wójcik",
    "Ολυμπία",
    "Олена Шевченко",
    "Nguyễn Thị Minh Khai",
    "Řehoř Šťastný",
    "Ștefan Țurcanu",
    "12.03.2026",
];

const PERSIAN: &str = "رضا احمدی";

/// Writes an answers file (format 1: no checksum) with [`NAMES`] and fills the bundled
/// form's PDF from it; returns the PDF and what the command printed on standard error.
fn filled(site: &Site, flatten: bool) -> (std::path::PathBuf, String) {
    let answers: serde_json::Map<String, Value> = NAMES
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let file = json!({
        "form": "projektbeschreibung",
        "version": "2026-1",
        "saved_at": "2026-01-01T00:00:00.000Z",
        "answers": answers,
    });
    site.write("namen.json", &file.to_string());
    let answers_file = site.path("namen.json");
    let dir = site.path(if flatten { "flat" } else { "filled" });
    let mut args = vec![
        "answers",
        "projektbeschreibung",
        answers_file.to_str().unwrap(),
        "--pdf",
        dir.to_str().unwrap(),
    ];
    if flatten {
        args.push("--flatten");
    }
    let out = site.run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    (dir.join("namen.pdf"), stderr)
}

/// pdftotext's text, without the embedding marks (U+202A–U+202E) it puts around
/// right-to-left runs.
fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    normalize_space(&text.replace(|c| ('\u{202A}'..='\u{202E}').contains(&c), ""))
}

/// Reads the names back: pdftotext draws field appearances and page text alike; pypdf's
/// text is the pages' own (a flattened PDF), its field values those of a filled one.
fn reads_back(pdf: &Path, flatten: bool) {
    let poppler = pdftotext(pdf);
    for name in EXPECTED {
        assert!(poppler.contains(name), "pdftotext lacks {name}:\n{poppler}");
    }
    // Persian: poppler reorders the right-to-left run into the typed (logical) order.
    assert!(poppler.contains(PERSIAN), "{poppler}");
    if flatten {
        let pages: Vec<String> =
            serde_json::from_value(pdf_tool(&["text", pdf.to_str().unwrap()])).unwrap();
        let pypdf = pages.join("\n");
        for name in EXPECTED {
            assert!(pypdf.contains(name), "pypdf lacks {name}:\n{pypdf}");
        }
        // pypdf gives each word's letters in the typed order, but the words as they stand
        // on the page, right to left.
        assert!(pypdf.contains("احمدی رضا"), "{pypdf}");
    } else {
        let values = pdf_tool(&["values", pdf.to_str().unwrap()]);
        for (field, typed) in NAMES {
            assert_eq!(values[field], typed, "{field}");
        }
    }
    // The placeholder reads as U+FFFD, and the closing note names the character.
    assert!(poppler.contains("Puzzle \u{FFFD}"), "{poppler}");
    assert!(
        poppler.contains("Zeichen ohne Schrift in diesem PDF: U+1F9E9"),
        "{poppler}"
    );
}

/// Every font is an embedded subset with a tag, a composite font with a ToUnicode CMap.
fn fonts_are_tagged_subsets(pdf: &Path) -> Vec<String> {
    let fonts = pdf_tool(&["fonts", pdf.to_str().unwrap()]);
    let mut names = Vec::new();
    for (name, font) in fonts["fonts"].as_object().unwrap() {
        assert_eq!(font["embedded"], true, "{name}");
        if font["subtype"] == "TrueType" {
            continue; // the default appearance font, see the fillable test
        }
        let (tag, base) = name.split_once('+').expect("a subset tag");
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        assert_eq!(font["subtype"], "Type0", "{name}");
        assert_eq!(font["encoding"], "Identity-H", "{name}");
        assert_eq!(font["to_unicode"], true, "{name}");
        names.push(base.to_string());
    }
    names
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pypdf, pikepdf and fontTools, and poppler: ./test.sh installs them"
)]
fn names_in_every_script_come_out_of_filled_and_flattened_pdfs() {
    let site = Site::bundled();
    for flatten in [false, true] {
        let (pdf, stderr) = filled(&site, flatten);
        reads_back(&pdf, flatten);
        let faces = fonts_are_tagged_subsets(&pdf);
        assert!(faces.contains(&"DejaVuSans".to_string()), "{faces:?}");
        assert!(
            faces.contains(&"NotoSansArabic-Regular".to_string()),
            "{faces:?}"
        );
        assert!(
            stderr.contains(&format!(
                "{}: Zeichen ohne Schrift, im PDF als markierter Platzhalter gezeichnet: U+1F9E9 (🧩)",
                pdf.display()
            )),
            "{stderr}"
        );
        page_images(
            &pdf,
            if flatten { "unicode-flat" } else { "unicode" },
            100,
            Some(1),
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pypdf, pikepdf and fontTools, and poppler: ./test.sh installs them"
)]
fn the_same_glyphs_give_the_same_subset_name() {
    let site = Site::bundled();
    let (first, _) = filled(&site, true);
    let a = pdf_tool(&["fonts", first.to_str().unwrap()]);
    let (second, _) = filled(&site, true);
    let b = pdf_tool(&["fonts", second.to_str().unwrap()]);
    assert_eq!(a, b);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pypdf, pikepdf and fontTools, and poppler: ./test.sh installs them"
)]
fn a_reader_types_european_names_with_the_default_appearance_font() {
    let site = Site::bundled();
    site.build_ok();
    let blank = site.path("site/projektbeschreibung/projektbeschreibung.pdf");
    let typed = "Ayşe Đorđe Ολυμπία Олена";
    let da = &pdf_tool(&["fonts", blank.to_str().unwrap()])["default_appearance"];
    assert_eq!(
        da["subtype"], "TrueType",
        "a simple font, as readers need for /DA"
    );
    assert_eq!(da["encoding"], "WinAnsiEncoding");
    let chars = da["chars"].as_str().unwrap();
    for c in (typed.to_string() + "Nguyễn Thị Řehoř Šťastný Ștefan Țurcanu Łódź Шевченко").chars()
    {
        assert!(chars.contains(c), "the /DA font has no glyph for {c}");
    }
    // Filled as a reader saves it (NeedAppearances false, pypdf making the appearance
    // stream with the field font's own glyphs): the value and the drawn text are the name.
    let values = site.path("values.json");
    std::fs::write(&values, json!({ "name": typed }).to_string()).unwrap();
    let out = site.path("typed.pdf");
    pdf_tool(&[
        "fill",
        blank.to_str().unwrap(),
        out.to_str().unwrap(),
        values.to_str().unwrap(),
    ]);
    let csv = site.path("typed.csv");
    let read = site.run(&[
        "answers",
        "projektbeschreibung",
        out.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(read.status.success(), "{read:?}");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.contains(typed), "{csv}");
    assert!(pdftotext(&out).contains(typed));
    page_images(&out, "unicode-typed", 100, Some(1));
}
