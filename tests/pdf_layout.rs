//! The PDF as a paper form: blank tables with all their rows (up to 30) and groups with three
//! instances, the separate sheet named beyond; tables tagged as tables in every copy; labels on
//! the page of their boxes; long answers of a flattened copy printed whole, continued under
//! "Fortsetzung von …", and no glyph outside the page's margins. Page images for a person
//! to look at go to target/pdf-pages/layout-*.png.
//!
//! Needs Python with pikepdf and pypdf and poppler-utils (test.sh installs them).

mod common;
#[path = "pdf/papers.rs"]
mod papers;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{normalize_space, page_images, pdf_tool};
use papers::{papers, pdf_ua};
use serde_json::Value;

/// The page's frame in points (crates/pdf/src/layout.rs): A4, 25 mm left, 20 mm elsewhere,
/// 76 pt above the body and 66 pt below it for the header and footer lines.
const PAGE: (f64, f64) = (595.276, 841.89);
const LEFT: f64 = 70.87;
const RIGHT: f64 = 56.69;
const TOP: f64 = 76.0;
const BOTTOM: f64 = 66.0;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args([arg(pdf), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every word with its page (from 0) and box (x0, y0 from the top, x1, y1).
fn words(pdf: &Path) -> Vec<(usize, String, [f64; 4])> {
    let out = Command::new("pdftotext")
        .args(["-bbox", arg(pdf), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines() {
        if line.contains("<page ") {
            page += 1;
        }
        let Some(rest) = line.trim().strip_prefix("<word ") else {
            continue;
        };
        let num = |key: &str| -> f64 {
            let at = rest.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
            rest[at..].split('"').next().unwrap().parse().unwrap()
        };
        let text = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
        words.push((
            page - 1,
            text.replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\""),
            [num("xMin"), num("yMin"), num("xMax"), num("yMax")],
        ));
    }
    words
}

/// The rows of each table (group) in the PDF's fields: `<id>.<n>.<column>`.
fn rows(pdf: &Path) -> BTreeMap<String, Vec<usize>> {
    let mut rows: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for f in pdf_tool(&["fields", arg(pdf)]).as_array().unwrap() {
        let parts: Vec<&str> = f["name"].as_str().unwrap().split('.').collect();
        if let [id, n, _] = parts[..]
            && let Ok(n) = n.parse::<usize>()
        {
            let seen = rows.entry(id.to_string()).or_default();
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
    }
    rows
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf and pypdf and poppler-utils: ./test.sh installs them"
)]
fn blank_tables_have_every_row_and_groups_three_instances() {
    let p = papers();
    let rows = rows(&p.blank);
    // max_rows = 50: 30 rows on paper, the rest on a separate sheet.
    assert_eq!(rows["kosten"], (1..=30).collect::<Vec<_>>());
    // max_rows = 10: all ten.
    assert_eq!(rows["finanzierung"], (1..=10).collect::<Vec<_>>());
    // min 1, max 10: three Maßnahmen.
    assert_eq!(rows["massnahmen"], vec![1, 2, 3]);
    let text = normalize_space(&pdftotext(&p.blank));
    assert_eq!(
        text.matches("Weitere Zeilen bitte auf einem Beiblatt.")
            .count(),
        1,
        "only under the table that may have more rows than printed"
    );
    assert!(text.contains("Weitere Angaben zu „Maßnahme“ bitte auf einem Beiblatt."));
    for n in 1..=3 {
        assert!(text.contains(&format!("Maßnahme {n}")));
    }
    // The 30 rows break to a new page: it names the table and repeats its header row.
    assert!(text.contains("Fortsetzung von 3.1 Kostenplan"), "{text}");
    assert_eq!(text.matches("Kostenart").count(), 2, "{text}");
    page_images(&p.blank, "layout-blank", 80, None);
    // A filled copy has the rows given.
    let filled = papers::papers().filled.clone();
    let rows = self::rows(&filled);
    assert_eq!(rows["kosten"], vec![1, 2]);
    assert_eq!(rows["massnahmen"], vec![1, 2]);
    assert!(!normalize_space(&pdftotext(&filled)).contains("Beiblatt"));
}

/// The Table elements of a PDF, checked: a header row of TH (scope column, an id), then rows
/// of TD that name their column's TH, a Form in each TD when `fillable`.
fn tables_tagged(pdf: &Path, fillable: bool) -> Vec<usize> {
    let tables = pdf_ua(&["tables", arg(pdf)]);
    let mut counts = Vec::new();
    for table in tables.as_array().unwrap() {
        let rows = table["rows"].as_array().unwrap();
        let head = rows[0]["cells"].as_array().unwrap();
        assert!(!head.is_empty());
        let ids: Vec<&str> = head
            .iter()
            .map(|th| {
                assert_eq!(th["role"], "TH", "{th}");
                assert_eq!(th["scope"], "/Column", "{th}");
                th["id"].as_str().unwrap()
            })
            .collect();
        for row in &rows[1..] {
            assert_eq!(row["role"], "TR");
            let cells = row["cells"].as_array().unwrap();
            assert_eq!(cells.len(), ids.len());
            for (td, id) in cells.iter().zip(&ids) {
                assert_eq!(td["role"], "TD", "{td}");
                assert_eq!(td["headers"], Value::from(vec![*id]), "{td}");
                if fillable {
                    assert_eq!(td["forms"], 1, "a widget in a Form element in each cell");
                    assert_eq!(td["kids"], Value::from(vec!["Form"]));
                } else {
                    assert_eq!(td["forms"], 0);
                }
            }
        }
        counts.push(rows.len() - 1);
    }
    counts
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf: ./test.sh installs it"
)]
fn tables_are_tagged_as_tables_in_every_copy() {
    let p = papers();
    assert_eq!(tables_tagged(&p.blank, true), vec![30, 10]);
    assert_eq!(tables_tagged(&p.filled, true), vec![2, 1]);
    assert_eq!(tables_tagged(&p.flat, false), vec![2, 1]);
    // The printed cells are text in their cells.
    let tables = pdf_ua(&["tables", arg(&p.flat)]);
    assert_eq!(
        tables[0]["rows"][1]["cells"][0]["kids"],
        Value::from(vec!["P"])
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf: ./test.sh installs it"
)]
fn every_label_is_on_the_page_of_its_box() {
    let p = papers();
    for (name, pdf) in [
        ("blank", &p.blank),
        ("filled", &p.filled),
        ("bundled", &p.bundled),
    ] {
        let pairs = pdf_ua(&["pairs", arg(pdf)]);
        let pairs = pairs.as_array().unwrap();
        assert!(pairs.len() >= 5, "{name}: {pairs:?}");
        for pair in pairs {
            assert_eq!(pair["label_page"], pair["box_page"], "{name}: {pair}");
        }
    }
    // The blank plan's "Ziel" of each Maßnahme: the label's text on the page of its field's
    // widget, right above it.
    let words = words(&p.blank);
    let labels: Vec<&(usize, String, [f64; 4])> =
        words.iter().filter(|(_, w, _)| w == "Ziel").collect();
    let widgets = pdf_ua(&["widgets", arg(&p.blank)]);
    for (n, (page, _, [_, _, _, label_bottom])) in labels.iter().enumerate() {
        let widget = &widgets[format!("massnahmen.{}.ziel", n + 1)];
        assert_eq!(widget["page"], *page, "Ziel {}", n + 1);
        let top = PAGE.1 - widget["rect"][3].as_f64().unwrap();
        assert!(
            top >= *label_bottom && top - label_bottom < 10.0,
            "Ziel {}",
            n + 1
        );
    }
    assert_eq!(labels.len(), 3);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs poppler-utils: ./test.sh installs it"
)]
fn long_answers_are_printed_whole_and_continued_on_the_next_page() {
    let p = papers();
    let text = pdftotext(&p.flat);
    // Without the header and footer lines and the continuation lines, the text holds every
    // answer whole.
    let body: Vec<&str> = text
        .lines()
        // A new page begins with a form feed.
        .map(|l| l.trim_start_matches('\u{c}'))
        .filter(|l| !l.starts_with("Kosten- und Finanzierungsplan · "))
        .filter(|l| !(l.starts_with("Seite ") && l.contains(" von ")))
        .filter(|l| !l.starts_with("Fortsetzung von "))
        .collect();
    let body = normalize_space(&body.join(" "));
    assert_eq!(p.long.chars().count(), 5000);
    assert!(
        body.contains(&normalize_space(&p.long)),
        "the 5,000 characters"
    );
    assert!(
        body.contains(&normalize_space(&p.long_line)),
        "the long one-line answer"
    );
    assert!(body.contains(&normalize_space(
        &"Miete für die Räume im Gemeindehaus ".repeat(8)
    )));
    // The answer goes on under the question's number and label.
    let text = normalize_space(&text);
    assert!(
        text.contains("Fortsetzung von 2.1 Maßnahme 1: Ziel"),
        "{text}"
    );
    // It starts on the page of its label "Ziel".
    let words = words(&p.flat);
    let start = words
        .iter()
        .position(|(_, w, _)| w == "Ausführliche")
        .unwrap();
    let label = words[..start]
        .iter()
        .rposition(|(_, w, _)| w == "Ziel")
        .unwrap();
    assert_eq!(words[label].0, words[start].0);
    assert!(words.last().unwrap().0 > words[start].0, "it goes on");
    page_images(&p.flat, "layout-flat", 80, None);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs poppler-utils: ./test.sh installs it"
)]
fn no_glyph_leaves_the_page_margins() {
    let p = papers();
    // A fillable field keeps its size: the filled copy's long one-line answer scrolls in its
    // box (its appearance clips it); the flattened copy is the one to print.
    for (name, pdf) in p.all().into_iter().filter(|(name, _)| *name != "filled") {
        let words = words(pdf);
        assert!(words.len() > 100, "{name}");
        for (page, w, [x0, y0, x1, y1]) in &words {
            let at = format!(
                "{name} p. {}: {w} at {x0:.1},{y0:.1}–{x1:.1},{y1:.1}",
                page + 1
            );
            assert!(
                *x0 >= LEFT - 0.5 && *x1 <= PAGE.0 - RIGHT + 0.5,
                "beside the margin: {at}"
            );
            // The body between the header and the footer line; those in their own strips.
            let body = *y0 >= TOP - 0.5 && *y1 <= PAGE.1 - BOTTOM + 0.5;
            let header = *y1 <= TOP - 20.0;
            let footer = *y0 >= PAGE.1 - BOTTOM + 20.0 && *y1 <= PAGE.1;
            assert!(body || header || footer, "in the margin: {at}");
        }
    }
}
