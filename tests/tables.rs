//! Tables, repeatable groups, computed fields and checks beyond the browser: the guide's
//! Kosten- und Finanzierungsplan as HTML (table semantics, rows without a script),
//! `formwerk answers` (a table in one cell, computed values recalculated, checks) and the
//! PDF's grid of fields. That Rust and the page's script evaluate expressions alike is
//! checked against tests/vectors/expressions.json (tests/vectors.rs).

mod common;

use std::process::Command;

use common::{Site, formwerk, sel, texts};
use serde_json::{Value, json};

/// The guide's example, as an editor would copy it.
fn guide_example() -> String {
    common::guide_toml(common::PLAN)
}

fn plan_site() -> Site {
    let site = Site::fixture("valid");
    site.write("content/finanzplan.form.toml", &guide_example());
    site.build_ok();
    site
}

#[test]
fn the_guides_plan_builds_with_table_semantics_and_rows_without_a_script() {
    let site = plan_site();
    let doc = site.html("finanzplan/index.html");
    assert_eq!(texts(&doc, "#kosten caption"), ["Kostenplan (Pflichtfeld)"]);
    assert_eq!(
        texts(&doc, "#kosten thead th[scope=col]"),
        ["Zeile", "Kostenart", "Betrag (€)", "Zeile bearbeiten"]
    );
    // max(min_rows, 5) rows, each cell labelled by its column and row, named for submitting.
    assert_eq!(doc.select(&sel("#kosten tbody tr")).count(), 5);
    let cell = doc.select(&sel("#kosten-5-betrag")).next().unwrap().value();
    assert_eq!(
        cell.attr("aria-labelledby"),
        Some("kosten-col-betrag kosten-row-5")
    );
    assert_eq!(cell.attr("name"), Some("kosten.5.betrag"));
    assert_eq!(cell.attr("inputmode"), Some("decimal"));
    assert_eq!(texts(&doc, "#kosten-row-5"), ["Zeile 5"]);
    // The table scrolls in its own labelled region; the totals row shows the computed sum.
    let region = doc
        .select(&sel("#kosten-field .fw-table-scroll"))
        .next()
        .unwrap()
        .value();
    assert_eq!(region.attr("role"), Some("region"));
    assert_eq!(region.attr("tabindex"), Some("0"));
    assert_eq!(
        doc.select(&sel("#kosten tfoot output[data-total=kosten_gesamt]"))
            .count(),
        1
    );
    // One instance of the group (min = 1), numbered; computed values as outputs.
    assert_eq!(texts(&doc, "#massnahmen legend"), ["Maßnahme 1"]);
    assert_eq!(doc.select(&sel("output#kosten_gesamt")).count(), 1);
    // The model the page evaluates: the parsed tree, not the text.
    let model: Value = serde_json::from_str(
        &doc.select(&sel("#formwerk-model"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    let field = |id: &str| {
        model["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        field("kosten_gesamt")["expr"],
        json!({ "fn": "sum", "args": [{ "col": ["kosten", "betrag"] }] })
    );
    assert_eq!(
        model["checks"][0]["fields"],
        json!(["finanzierung", "kosten_gesamt"])
    );
    // The answers schema: rows as objects, no column required (older versions' rows load).
    let schema: Value =
        serde_json::from_str(&site.read("site/finanzplan/finanzplan.schema.json")).unwrap();
    let kosten = &schema["properties"]["answers"]["properties"]["kosten"];
    assert_eq!(kosten["type"], "array");
    assert_eq!(kosten["maxItems"], 30);
    assert_eq!(kosten["items"]["additionalProperties"], false);
    assert_eq!(kosten["items"]["properties"]["betrag"]["type"], "number");
}

fn write_answers(dir: &std::path::Path, name: &str, answers: Value) {
    let file = json!({
        "form": "finanzplan",
        "version": "1",
        "saved_at": "2026-05-01T10:00:00Z",
        "answers": answers,
    });
    std::fs::write(dir.join(name), serde_json::to_string_pretty(&file).unwrap()).unwrap();
}

fn plan_answers() -> Value {
    json!({
        "name": "Landkreis Testhausen",
        "massnahmen": [{ "titel": "Sprachcafé", "beginn": "2027-01-15" }, { "titel": "Beratung" }],
        "kosten": [{ "position": "Miete", "betrag": 1234.5 }, { "position": "Honorare", "betrag": 100 }, { "betrag": 0.5 }],
        "kosten_gesamt": 1335,
        "finanzierung": [{ "quelle": "Land", "betrag": 1335 }],
        "finanzierung_gesamt": 1335,
        "eigenanteil": 100
    })
}

#[test]
fn answers_tables_in_one_cell_computed_values_recalculated_checks_applied() {
    let site = plan_site();
    let dir = tempfile::tempdir().unwrap();
    write_answers(dir.path(), "gut.json", plan_answers());
    let mut edited = plan_answers();
    edited["kosten_gesamt"] = json!(999);
    write_answers(dir.path(), "bearbeitet.json", edited);
    let mut short = plan_answers();
    short["finanzierung"] = json!([{ "quelle": "Land", "betrag": 1000 }]);
    short["finanzierung_gesamt"] = json!(1000);
    short["eigenanteil"] = json!(74.9);
    write_answers(dir.path(), "unterdeckt.json", short);
    let mut missing = plan_answers();
    missing["massnahmen"] = json!([{ "titel": "Sprachcafé" }, { "beginn": "2027-02-01" }]);
    write_answers(dir.path(), "ohne-titel.json", missing);
    let csv = dir.path().join("out.csv");
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("finanzplan")
        .arg(dir.path())
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("„Gesamtkosten“: in der Datei steht 999,00 €, berechnet sind 1.335,00 €"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Die Finanzierung muss die Gesamtkosten genau decken."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Maßnahme 2: Bitte füllen Sie „Bezeichnung“ aus."),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(
            "\"Kostenart: Miete; Betrag: 1.234,50 €\nKostenart: Honorare; Betrag: 100,00 €\nBetrag: 0,50 €\""
        ),
        "{text}"
    );
    assert!(text.contains(";1.335,00 €;"), "{text}");
    assert!(
        text.contains("\"Bezeichnung: Sprachcafé; Beginn: 15.01.2027\nBezeichnung: Beratung\""),
        "{text}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs pdftotext (poppler-utils): ./test.sh installs it"
)]
fn the_pdf_has_a_grid_of_fields_that_reads_back_as_rows() {
    let site = plan_site();
    let dir = tempfile::tempdir().unwrap();
    write_answers(dir.path(), "gut.json", plan_answers());
    let pdfs = dir.path().join("pdf");
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("finanzplan")
        .arg(dir.path().join("gut.json"))
        .arg("--pdf")
        .arg(&pdfs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The blank PDF: five rows of the table, one instance of the group, the total read-only.
    let blank = std::fs::read(site.out().join("finanzplan/finanzplan.pdf")).unwrap();
    let raw = String::from_utf8_lossy(&blank);
    for name in [
        "(betrag)",
        "(position)",
        "(titel)",
        "(kosten_gesamt)",
        "(5)",
    ] {
        assert!(raw.contains(name), "{name} is no field name in the PDF");
    }
    let text = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(site.out().join("finanzplan/finanzplan.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for word in [
        "Kostenplan",
        "Kostenart",
        "Betrag (€)",
        "Maßnahme 1",
        "Gesamtkosten",
    ] {
        assert!(
            text.contains(word),
            "{word} missing from the PDF text:\n{text}"
        );
    }
    // The filled PDF read back by `formwerk answers`: the same rows, the totals recalculated.
    let filled = std::fs::read_dir(&pdfs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let csv = dir.path().join("aus-pdf.csv");
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("finanzplan")
        .arg(&filled)
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains("\"Kostenart: Miete; Betrag: 1.234,50 €\nKostenart: Honorare; Betrag: 100,00 €\nBetrag: 0,50 €\""),
        "{text}"
    );
    assert!(text.contains(";1.335,00 €;"), "{text}");
    // A cell whose text is no amount is named by its table, row and column, quoted once.
    let values = dir.path().join("falsch.json");
    std::fs::write(&values, r#"{"kosten.1.betrag": "viel"}"#).unwrap();
    let wrong = dir.path().join("falsch.pdf");
    common::pdf_tool(&[
        "fill",
        filled.to_str().unwrap(),
        wrong.to_str().unwrap(),
        values.to_str().unwrap(),
    ]);
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("finanzplan")
        .arg(&wrong)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("„Kostenplan, Zeile 1: Betrag (kosten.1.betrag)“: die Antwort passt nicht zu dieser Frage"),
        "{stdout}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn each_table_and_group_gets_a_sheet_of_its_own_with_numbers_as_numbers() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let site = Site::fixture("valid");
    let form =
        guide_example().replacen("version = \"1\"", "version = \"1\"\nidentify = \"name\"", 1);
    site.write("content/finanzplan.form.toml", &form);
    site.build_ok();
    let dir = tempfile::tempdir().unwrap();
    write_answers(dir.path(), "gut.json", plan_answers());
    let mut other = plan_answers();
    other["name"] = json!("Stadt Beispielstadt");
    other["kosten"] = json!([{ "position": "Personal", "betrag": 50000 }]);
    other["kosten_gesamt"] = json!(50000);
    other["finanzierung"] = json!([{ "quelle": "Land", "betrag": 50000 }]);
    other["finanzierung_gesamt"] = json!(50000);
    write_answers(dir.path(), "zweite.json", other);
    let xlsx = dir.path().join("out.xlsx");
    let out = formwerk()
        .args(["answers", "--root"])
        .arg(site.root())
        .arg("finanzplan")
        .arg(dir.path())
        .arg("--xlsx")
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("Antworten"));
    assert_eq!(names.last().map(String::as_str), Some("Prüfung"));
    let sheet = |book: &mut Xlsx<_>, part: &str| {
        let name = names
            .iter()
            .find(|n| n.ends_with(part))
            .unwrap_or_else(|| panic!("no sheet for {part} in {names:?}"))
            .clone();
        book.worksheet_range(&name).unwrap()
    };
    let kosten = sheet(&mut book, "Kostenplan");
    let rows: Vec<Vec<Data>> = kosten.rows().map(|r| r.to_vec()).collect();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    };
    let row = |i: usize| rows[i].iter().map(text).collect::<Vec<_>>();
    // Row 0: every column's label for people, row 1: its key.
    assert_eq!(
        row(0)[..5],
        [
            "Datei",
            "Name der Gebietskörperschaft",
            "Nr.",
            "Kostenart",
            "Betrag"
        ]
    );
    assert_eq!(
        row(1)[..5],
        ["file", "identify", "row", "position", "betrag"]
    );
    // Two applications: three rows and one, each with its file and municipality.
    assert_eq!(rows.len(), 2 + 4);
    let gut: Vec<Vec<String>> = (2..6)
        .map(row)
        .filter(|r| r[0].ends_with("gut.json"))
        .collect();
    assert_eq!(gut.len(), 3);
    assert_eq!(gut[0][1], "Landkreis Testhausen");
    assert_eq!(gut[0][2..5], ["1", "Miete", "1234.5"]);
    assert_eq!(gut[2][2..5], ["3", "", "0.5"]);
    // The amounts are numbers a clerk can add up, shown with two decimals and the unit.
    let betrag = rows[2..]
        .iter()
        .map(|r| match &r[4] {
            Data::Float(f) => *f,
            other => panic!("an amount is written as a number, found {other:?}"),
        })
        .sum::<f64>();
    assert!((betrag - 51335.0).abs() < 1e-9, "{betrag}");
    let styles = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('xl/styles.xml').decode())",
        ])
        .arg(&xlsx)
        .output()
        .unwrap();
    let styles = String::from_utf8_lossy(&styles.stdout);
    assert!(
        styles.contains("formatCode=\"#,##0.00 &quot;€&quot;\""),
        "the form's decimals and unit as the number format: {styles}"
    );
    let massnahmen = sheet(&mut book, "Maßnahme");
    let titles: Vec<String> = massnahmen.rows().skip(2).map(|r| text(&r[3])).collect();
    assert_eq!(titles.iter().filter(|t| *t == "Sprachcafé").count(), 2);
}
