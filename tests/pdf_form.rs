//! The fillable PDF of every form: fields one to one with the form model, filled by another
//! library (pypdf) and read back into answers, every label and every sentence of the outline
//! in its text, tagging and fonts checked with pikepdf, `qpdf --check` clean, the same bytes on
//! every build, and page images under target/pdf-pages/ for a person to look at.
//!
//! Needs Python with pikepdf and pypdf, qpdf and poppler-utils (test.sh installs them).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, normalize_space, outline_lines_missing, page_images, repo};
use formwerk_form::{Field, FieldKind, Form};
use serde_json::{Map, Value, json};

const BUNDLED_PDF: &str = "projektbeschreibung/projektbeschreibung.pdf";
const FIXTURE_PDF: &str = "antraege/alle-felder/alle_felder.pdf";

/// A built site, the path of its form's PDF and the form model.
struct Built {
    site: Site,
    pdf: PathBuf,
    form: Form,
}

fn built(site: Site, rel: &str) -> Built {
    site.build_ok();
    let (loaded, _, errors) = formwerk_site::pipeline::prepare(site.root()).unwrap();
    assert!(errors.is_empty());
    let form = loaded
        .pages
        .iter()
        .filter_map(|p| p.form.as_deref().cloned())
        .find(|f| rel.starts_with(&format!("{}/", f.id)) || rel.contains(&format!("/{}.pdf", f.id)))
        .expect("the site has the form");
    Built {
        pdf: site.out().join(rel),
        site,
        form,
    }
}

fn bundled() -> Built {
    built(Site::bundled(), BUNDLED_PDF)
}

fn fixture() -> Built {
    built(Site::fixture("valid"), FIXTURE_PDF)
}

/// The guide's Kosten- und Finanzierungsplan: tables, a group and computed values.
fn plan() -> Built {
    let example = common::guide_toml(common::PLAN);
    let site = Site::fixture("valid");
    site.write("content/finanzplan.form.toml", &example);
    built(site, "finanzplan/finanzplan.pdf")
}

fn tool(args: &[&str]) -> Value {
    common::pdf_tool(args)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn questions(form: &Form) -> impl Iterator<Item = &Field> {
    form.fields().filter(|f| f.kind != FieldKind::Info)
}

/// The fields the form model asks for, in reading order: (name, type, multiline, required,
/// on-states).
fn expected_fields(form: &Form) -> Vec<(String, &'static str, bool, bool, Vec<String>)> {
    let mut out = Vec::new();
    for f in questions(form) {
        let id = f.id.clone();
        let text = |name: String, multiline, required| (name, "text", multiline, required, vec![]);
        match f.kind {
            FieldKind::Text
            | FieldKind::Email
            | FieldKind::Tel
            | FieldKind::Date
            | FieldKind::Number => out.push(text(id, false, f.required)),
            FieldKind::Textarea => out.push(text(id, true, f.required)),
            FieldKind::YesNo => out.push((
                id,
                "radio",
                false,
                f.required,
                vec!["true".into(), "false".into()],
            )),
            FieldKind::Choice => {
                let mut states: Vec<String> = f.options.iter().map(|o| o.value.clone()).collect();
                if f.other.is_some() {
                    states.push("other".into());
                }
                out.push((id.clone(), "radio", false, f.required, states));
                if f.other.is_some() {
                    out.push(text(format!("{id}.other"), false, false));
                }
            }
            FieldKind::MultiChoice => {
                for o in &f.options {
                    out.push((
                        format!("{id}.{}", o.value),
                        "checkbox",
                        false,
                        false,
                        vec![o.value.clone()],
                    ));
                }
                if f.other.is_some() {
                    out.push(text(format!("{id}.other"), false, false));
                }
            }
            FieldKind::EntryList => {
                for l in &f.lines {
                    out.push(text(
                        format!("{id}.{}", l.number),
                        false,
                        f.required && l.number == 1,
                    ));
                }
            }
            // A grid of text fields `<id>.<row>.<column>`, as many rows as blank paper has.
            FieldKind::Table | FieldKind::Group => {
                for n in 1..=formwerk_pdf::paper_items(f) {
                    for c in &f.columns {
                        out.push(text(
                            format!("{id}.{n}.{}", c.id),
                            c.kind == FieldKind::Textarea,
                            f.kind == FieldKind::Group && c.required,
                        ));
                    }
                }
            }
            FieldKind::Computed => out.push(text(id, false, false)),
            // Listed on paper, never a form field: its files travel in the answers file.
            FieldKind::Info | FieldKind::Attachment => {}
        }
    }
    // After the questions: the check area of the [[checks]], then the signature field.
    if !form.checks.is_empty() {
        out.push((CHECKS_FIELD.into(), "text", true, false, vec![]));
    }
    if form.submission.as_ref().is_some_and(|s| s.signature) {
        out.push((SIGNATURE_FIELD.into(), "signature", false, false, vec![]));
    }
    out
}

/// The fields the PDF has besides the answers (crates/pdf/src/rules.rs), with their tooltips.
const CHECKS_FIELD: &str = "formwerk-pruefung";
const SIGNATURE_FIELD: &str = "formwerk-unterschrift";

fn fields_match_model(b: &Built) {
    let fields = tool(&["fields", arg(&b.pdf)]);
    let actual: Vec<(String, &'static str, bool, bool, Vec<String>)> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let kind = match f["type"].as_str().unwrap() {
                "text" => "text",
                "radio" => "radio",
                "checkbox" => "checkbox",
                "/Sig" => "signature",
                other => panic!("unexpected field type {other}"),
            };
            (
                f["name"].as_str().unwrap().to_string(),
                kind,
                f["multiline"].as_bool().unwrap(),
                f["required"].as_bool().unwrap(),
                f["states"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(actual, expected_fields(&b.form));
    let labels: BTreeMap<&str, &str> = questions(&b.form)
        .map(|f| (f.id.as_str(), f.label.as_str()))
        .chain([
            (CHECKS_FIELD, "Prüfung der Angaben"),
            (SIGNATURE_FIELD, "Unterschrift"),
        ])
        .collect();
    for f in fields.as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        assert_eq!(
            f["widgets_with_appearance"], f["widgets"],
            "{name}: a widget without appearance stream"
        );
        assert_eq!(
            f["widgets_with_tooltip"], f["widgets"],
            "{name}: a widget without tooltip"
        );
        let id = name.split('.').next().unwrap();
        assert!(
            f["tooltip"].as_str().unwrap().starts_with(labels[id]),
            "{name}: tooltip {} is not the question {}",
            f["tooltip"],
            labels[id]
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn bundled_form_fields_equal_the_model() {
    fields_match_model(&bundled());
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn every_kind_fields_equal_the_model() {
    fields_match_model(&fixture());
}

/// What to fill into each field (for pypdf) and the answers that must come back.
fn sample(form: &Form) -> (Map<String, Value>, Map<String, Value>) {
    let mut fill = Map::new();
    let mut answers = Map::new();
    for (n, f) in questions(form).enumerate() {
        let id = f.id.clone();
        match f.kind {
            FieldKind::Text | FieldKind::Email | FieldKind::Tel | FieldKind::Textarea => {
                // Text is filled and read back as it is typed.
                let v = match f.kind {
                    FieldKind::Text => format!("Größe „{n}“ – Äußerung über Öl"),
                    FieldKind::Email => format!("stelle-{n}@landkreis-göttingen.example"),
                    FieldKind::Tel => format!("+49 (0)551 {n}-0"),
                    _ => format!("Erste Zeile {n} mit ß\nZweite Zeile: „Übersicht“ – fertig."),
                };
                fill.insert(id.clone(), json!(v));
                answers.insert(id, json!(v));
            }
            FieldKind::Date => {
                fill.insert(id.clone(), json!("24.12.2026"));
                answers.insert(id, json!("2026-12-24"));
            }
            FieldKind::Number => {
                fill.insert(id.clone(), json!("1.234,5"));
                answers.insert(id, json!(1234.5));
            }
            FieldKind::YesNo => {
                fill.insert(id.clone(), json!("/true"));
                answers.insert(id, json!(true));
            }
            FieldKind::Choice => {
                // The option that hides nothing: the second one where there are several.
                let o = &f.options[1.min(f.options.len() - 1)];
                fill.insert(id.clone(), json!(format!("/{}", o.value)));
                answers.insert(id, json!(o.value));
            }
            FieldKind::MultiChoice => {
                let mut chosen = Vec::new();
                for o in f.options.iter().step_by(2) {
                    fill.insert(format!("{id}.{}", o.value), json!(format!("/{}", o.value)));
                    chosen.push(json!(o.value));
                }
                if f.other.is_some() {
                    fill.insert(format!("{id}.other"), json!("Weiteres: Bürgerdialog"));
                    chosen.push(json!("other"));
                    answers.insert(format!("{id}.other"), json!("Weiteres: Bürgerdialog"));
                }
                answers.insert(id, Value::Array(chosen));
            }
            FieldKind::EntryList => {
                let mut lines = Vec::new();
                for l in &f.lines {
                    let v = if l.number == 2 {
                        String::new()
                    } else {
                        format!("Eintrag {} für Ämter", l.number)
                    };
                    if !v.is_empty() {
                        fill.insert(format!("{id}.{}", l.number), json!(v));
                    }
                    lines.push(json!(v));
                }
                answers.insert(id, Value::Array(lines));
            }
            // Two rows (instances, where the paper has two) filled, the others left empty.
            FieldKind::Table | FieldKind::Group => {
                let mut rows = Vec::new();
                for n in 1..=formwerk_pdf::paper_items(f).min(2) {
                    let mut row = Map::new();
                    for c in &f.columns {
                        let (typed, value) = match c.kind {
                            FieldKind::Number => ("1.234,5".to_string(), json!(1234.5)),
                            FieldKind::Date => ("24.12.2026".to_string(), json!("2026-12-24")),
                            _ => (
                                format!("Zeile {n}: Größe"),
                                json!(format!("Zeile {n}: Größe")),
                            ),
                        };
                        fill.insert(format!("{id}.{n}.{}", c.id), json!(typed));
                        row.insert(c.id.clone(), value);
                    }
                    rows.push(Value::Object(row));
                }
                answers.insert(id, Value::Array(rows));
            }
            // Not typed: calculated again from the other answers once read.
            FieldKind::Computed => {}
            // Paper lists attachments; they are not read back from a PDF.
            FieldKind::Info | FieldKind::Attachment => {}
        }
    }
    for f in questions(form).filter(|f| f.kind == FieldKind::Computed) {
        if let Some(n) = form.computed_value(f, &answers) {
            answers.insert(f.id.clone(), formwerk_form::expr::to_json_number(n));
        }
    }
    // Fields whose condition does not hold are filled but are no answers.
    for f in questions(form) {
        if let Some(s) = &f.show_if {
            let holds = match answers.get(&s.field) {
                Some(Value::Bool(b)) => b.to_string() == s.equals,
                Some(Value::String(v)) => *v == s.equals,
                _ => false,
            };
            if !holds {
                answers.remove(&f.id);
            }
        }
    }
    (fill, answers)
}

/// The answers pdf-answers.js (the inbox's reader) finds in each PDF, in node.
fn read_in_javascript(b: &Built, pdfs: &[&Path]) -> Vec<Value> {
    let page = b.pdf.with_file_name("index.html");
    let out = Command::new("node")
        .arg(repo().join("tests/pdf/read_pdf.mjs"))
        .arg(&page)
        .args(pdfs)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "read_pdf.mjs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

fn fill_and_read_back(b: &Built) {
    let (fill, expected) = sample(&b.form);
    let values = b.site.root().join("values.json");
    std::fs::write(&values, serde_json::to_vec(&fill).unwrap()).unwrap();
    let filled = b.site.root().join("filled.pdf");
    tool(&["fill", arg(&b.pdf), arg(&filled), arg(&values)]);
    let bytes = std::fs::read(&filled).unwrap();
    let read = formwerk_pdf::read_answers(&bytes, &b.form).unwrap();
    assert_eq!(read.problems, vec![]);
    assert_eq!(read.form.as_deref(), Some(b.form.id.as_str()));
    assert_eq!(read.version.as_deref(), Some(b.form.version.as_str()));
    assert_eq!(Value::Object(read.answers), Value::Object(expected.clone()));
    qpdf_clean(&filled);
    // The values pypdf drew with the PDF's own field font show every German letter.
    let text = pdftotext(&filled);
    assert!(text.contains("Größe „0“ – Äußerung über Öl") || text.contains("Äußerung über Öl"));
    page_images(&filled, &format!("{}-filled", b.form.id), 80, None);

    // The inbox reads the same answers in the browser, also from the shapes PDF readers
    // save in: an incremental update appended to the original, and objects packed into
    // compressed object streams with a cross-reference stream (qpdf).
    let incremental = b.site.root().join("filled-incremental.pdf");
    tool(&[
        "fill-incremental",
        arg(&b.pdf),
        arg(&incremental),
        arg(&values),
    ]);
    assert!(
        std::fs::read(&incremental)
            .unwrap()
            .starts_with(&std::fs::read(&b.pdf).unwrap()),
        "an incremental update keeps the original bytes"
    );
    let packed = b.site.root().join("filled-packed.pdf");
    let status = Command::new("qpdf")
        .args(["--object-streams=generate", arg(&filled), arg(&packed)])
        .status()
        .expect("qpdf runs");
    assert!(status.success());
    assert!(String::from_utf8_lossy(&std::fs::read(&packed).unwrap()).contains("/ObjStm"));
    let js = read_in_javascript(b, &[&filled, &incremental, &packed]);
    for (pdf, result) in ["filled", "incremental", "packed"].iter().zip(&js) {
        assert_eq!(result["ok"], true, "{pdf}: {result}");
        assert_eq!(result["form"], b.form.id.as_str(), "{pdf}");
        assert_eq!(result["version"], b.form.version.as_str(), "{pdf}");
        assert_eq!(result["problems"], json!([]), "{pdf}");
        assert_eq!(result["answers"], Value::Object(expected.clone()), "{pdf}");
    }
    for pdf in [&incremental, &packed] {
        let rust = formwerk_pdf::read_answers(&std::fs::read(pdf).unwrap(), &b.form).unwrap();
        assert_eq!(Value::Object(rust.answers), Value::Object(expected.clone()));
    }
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn bundled_form_filled_by_pypdf_reads_back_as_answers() {
    fill_and_read_back(&bundled());
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn every_kind_filled_by_pypdf_reads_back_as_answers() {
    fill_and_read_back(&fixture());
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn plan_fields_equal_the_model_and_read_back_as_rows() {
    let b = plan();
    fields_match_model(&b);
    fill_and_read_back(&b);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs qpdf: ./test.sh installs it"
)]
fn answers_written_into_the_pdf_read_back_the_same() {
    let b = fixture();
    let fonts = formwerk_pdf::Fonts::load(&repo().join("crates/render/theme/fonts")).unwrap();
    let strings = formwerk_pdf::Strings::from_theme(&toml::Table::new());
    let (_, answers) = sample(&b.form);
    let bytes = formwerk_pdf::filled_pdf(&b.form, &fonts, &strings, "de", &answers, None, false);
    let read = formwerk_pdf::read_answers(&bytes, &b.form).unwrap();
    assert_eq!(Value::Object(read.answers), Value::Object(answers.clone()));
    let filled = b.site.root().join("filled-by-formwerk.pdf");
    std::fs::write(&filled, &bytes).unwrap();
    qpdf_clean(&filled);
    page_images(&filled, &format!("{}-answers", b.form.id), 80, None);

    // Flattened for the archive: the answers are text on the page, no field is left.
    let flat = b.site.root().join("flat.pdf");
    std::fs::write(
        &flat,
        formwerk_pdf::filled_pdf(&b.form, &fonts, &strings, "de", &answers, None, true),
    )
    .unwrap();
    qpdf_clean(&flat);
    assert_eq!(tool(&["fields", arg(&flat)]), json!([]));
    let s = tool(&["structure", arg(&flat)]);
    assert_eq!(s["struct_tree_root"], true);
    assert_eq!(s["widgets"], 0);
    let text = pdftotext(&flat);
    for value in answers.values().filter_map(|v| v.as_str()) {
        let value = normalize_space(value);
        let shown = match value.split_once('-') {
            // Dates are printed the German way.
            Some((y, rest)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
                let (m, d) = rest.split_once('-').unwrap();
                format!("{d}.{m}.{y}")
            }
            _ => value,
        };
        if b.form
            .fields()
            .any(|f| f.options.iter().any(|o| o.value == shown))
        {
            continue;
        }
        assert!(text.contains(&shown), "the flattened PDF lacks {shown}");
    }
    page_images(&flat, &format!("{}-flat", b.form.id), 80, None);
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args([arg(pdf), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    normalize_space(&String::from_utf8(out.stdout).unwrap())
}

fn qpdf_clean(pdf: &Path) {
    let out = Command::new("qpdf")
        .args(["--check", arg(pdf)])
        .output()
        .expect("qpdf runs");
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "qpdf --check: {report}");
    assert!(!report.contains("WARNING"), "qpdf --check: {report}");
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn pdf_text_has_every_label_and_every_line_of_the_outline() {
    let b = bundled();
    let text = pdftotext(&b.pdf);
    for f in b.form.fields() {
        for label in std::iter::once(&f.label)
            .chain(f.options.iter().map(|o| &o.label))
            .chain(f.other.iter().map(|o| &o.label))
            .chain(f.hint.iter().filter(|_| f.hint_print))
        {
            assert!(
                text.contains(label.as_str()),
                "missing from the PDF: {label}"
            );
        }
    }
    // Hints marked screen-only ("Die Zelle vergrößert sich automatisch.") are false on paper.
    let screen_only: Vec<&String> = b
        .form
        .fields()
        .filter(|f| !f.hint_print)
        .filter_map(|f| f.hint.as_ref())
        .collect();
    assert!(
        !screen_only.is_empty(),
        "the bundled form has screen-only hints"
    );
    for hint in &screen_only {
        assert!(!text.contains(hint.as_str()), "printed: {hint}");
    }
    // The outline's answer boxes are fields; their placeholder words are not printed.
    let missing: Vec<String> = outline_lines_missing(&text)
        .into_iter()
        .filter(|l| l != "hier eintragen")
        .filter(|l| {
            // An outline line that ends in a screen-only hint counts when the rest is printed.
            let rest = screen_only
                .iter()
                .fold(l.clone(), |acc, h| acc.replace(h.as_str(), ""));
            let rest = rest.trim();
            rest == l.as_str() || !normalize_space(&text).contains(rest)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "lines of the outline missing from the PDF:\n{}",
        missing.join("\n")
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn how_to_submit_and_signature_lines_end_the_paper_form() {
    let b = fixture();
    let text = normalize_space(&pdftotext(&b.pdf));
    let block = text
        .find("So reichen Sie die Alle Felder")
        .map(|at| &text[at..])
        .expect("the [submission] block is printed");
    for part in [
        "Frist: 31.01.2020",
        "Empfänger:",
        // The recipient is Markdown: raw HTML stays text, as on the page.
        "Amt für Tests, Referat <b>1</b>",
        "E-Mail: posteingang@example.org",
        "Form und Anlagen:",
        "Als PDF mit Unterschrift und die Antwortdatei.",
        "Ort, Datum",
        "Unterschrift",
    ] {
        assert!(
            block.contains(part),
            "{part} not in the submission block:\n{block}"
        );
    }
    // A form without a [submission] block prints none (the bundled one: the ministry's texts
    // are still to come).
    let bundled = normalize_space(&pdftotext(&bundled().pdf));
    assert!(!bundled.contains("So reichen Sie"));
    assert!(!bundled.contains("Ort, Datum"));
}

fn structure_is_tagged(b: &Built, language: &str) {
    let s = tool(&["structure", arg(&b.pdf)]);
    assert_eq!(s["struct_tree_root"], true);
    assert_eq!(s["marked"], true);
    assert_eq!(s["lang"], language);
    assert_eq!(s["display_doc_title"], true);
    assert_eq!(s["dc_title"], b.form.title.as_str());
    assert_eq!(s["info_title"], b.form.title.as_str());
    assert_eq!(s["pdfua_part"], "1");
    assert_eq!(s["need_appearances"], false);
    let roles = &s["roles"];
    assert_eq!(roles["H1"], 1);
    // One H2 per section, and one for the [submission] block when the form has one.
    assert_eq!(
        roles["H2"].as_u64().unwrap() as usize,
        b.form.sections.len() + usize::from(b.form.submission.is_some())
    );
    assert!(roles["P"].as_u64().unwrap() > 5);
    // Every widget is wrapped in a Form element by an object reference.
    assert_eq!(s["objr"], s["widgets"]);
    assert_eq!(roles["Form"], s["widgets"]);
    assert_eq!(s["widgets_with_struct_parent"], s["widgets"]);
    for (name, embedded) in s["fonts"].as_object().unwrap() {
        assert_eq!(embedded, &json!(true), "font {name} is not embedded");
    }
    assert!(!s["fonts"].as_object().unwrap().is_empty());
    for tabs in s["tabs"].as_array().unwrap() {
        assert_eq!(tabs, "/S");
    }
    qpdf_clean(&b.pdf);
    page_images(&b.pdf, &b.form.id, 80, None);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn bundled_form_is_tagged_and_clean() {
    let b = bundled();
    structure_is_tagged(&b, "de-DE");
    let s = tool(&["structure", arg(&b.pdf)]);
    // The outline's bullet lists are lists.
    assert!(s["roles"]["L"].as_u64().unwrap() >= 2);
    assert_eq!(s["roles"]["LI"], s["roles"]["LBody"]);
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn every_kind_form_is_tagged_and_clean() {
    structure_is_tagged(&fixture(), "de-DE");
}

#[test]
fn pdf_is_linked_from_the_form_page_and_the_same_on_every_build() {
    let b = bundled();
    let first = std::fs::read(&b.pdf).unwrap();
    let doc = b.site.html("projektbeschreibung/index.html");
    let link = doc
        .select(&common::sel("a[href='projektbeschreibung.pdf']"))
        .next()
        .expect("a link to the PDF");
    let p = normalize_space(&link.parent().unwrap().value().as_element().map_or(
        String::new(),
        |_| {
            scraper::ElementRef::wrap(link.parent().unwrap())
                .unwrap()
                .text()
                .collect()
        },
    ));
    let kb = (first.len() as f64 / 1024.0).round();
    assert_eq!(p, format!("Als PDF-Formular herunterladen (PDF, {kb} KB)"));
    // A second build from scratch writes the same bytes.
    std::fs::remove_dir_all(b.site.out()).unwrap();
    b.site.build_ok();
    assert_eq!(std::fs::read(&b.pdf).unwrap(), first);
}

#[test]
fn a_form_can_opt_out_of_the_pdf() {
    let site = Site::bundled();
    let rel = "content/projektbeschreibung.form.toml";
    let text = site
        .read(rel)
        .replacen("weight = 1", "weight = 1\npdf = false", 1);
    site.write(rel, &text);
    site.build_ok();
    assert!(!site.out().join(BUNDLED_PDF).exists());
    let doc = site.html("projektbeschreibung/index.html");
    assert!(doc.select(&common::sel("a[href$='.pdf']")).next().is_none());
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn raw_html_left_open_in_a_form_text_still_builds_the_pdf() {
    // With `raw_html`, an editor's unfinished comment reaches the PDF's text as is.
    let site = Site::bundled();
    let config = site.read("formwerk.toml");
    site.write(
        "formwerk.toml",
        &format!("{config}\n[markdown]\nraw_html = true\n"),
    );
    let rel = "content/projektbeschreibung.form.toml";
    let text = site.read(rel).replacen(
        "Erwerbstätigkeit und Arbeitsmarkt, Soziales“.\n\"\"\"",
        "Erwerbstätigkeit und Arbeitsmarkt, Soziales“.\n\n<!-- Bitte prüfen: Daten ä\"\"\"",
        1,
    );
    assert!(
        text.contains("<!-- Bitte"),
        "the intro is in the bundled form"
    );
    site.write(rel, &text);
    site.build_ok();
    let text = pdftotext(&site.out().join(BUNDLED_PDF));
    assert!(
        normalize_space(&text).contains("Arbeitsmarkt, Soziales“."),
        "{text}"
    );
}
