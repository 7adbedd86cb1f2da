//! The calculations in the PDF, read with pikepdf (tests/pdf/pdf_tool.py `scripts`): every
//! computed field has a calculate action in JavaScript, the AcroForm's /CO lists exactly
//! the computed fields, each after the computed fields it uses, the shared helpers are in
//! the document's /Names /JavaScript once, the number cells a calculation reads keep their
//! text, nothing runs on opening, and the bytes are the same on every build. Whether the
//! scripts compute what `formwerk answers` computes is tests/pdfjs (pdf.js's own sandbox).
//!
//! Needs Python with pikepdf (test.sh installs it).

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{Site, repo};
use formwerk_form::{FieldKind, Form};
use serde_json::Value;

/// The guide's Kosten- und Finanzierungsplan and tests/pdfjs/rechenprobe.form.toml in the
/// valid fixture site, built.
fn site() -> Site {
    let plan = common::guide_toml(common::PLAN);
    let site = Site::fixture("valid");
    site.write("content/finanzplan.form.toml", &plan);
    site.write(
        "content/rechenprobe.form.toml",
        &std::fs::read_to_string(repo().join("tests/pdfjs/rechenprobe.form.toml")).unwrap(),
    );
    site.build_ok();
    site
}

fn forms(site: &Site) -> Vec<Form> {
    let (loaded, _, errors) = formwerk_site::pipeline::prepare(site.root()).unwrap();
    assert!(errors.is_empty());
    loaded
        .pages
        .iter()
        .filter_map(|p| p.form.as_deref().cloned())
        .collect()
}

fn scripts(pdf: &std::path::Path) -> Value {
    common::pdf_tool(&["scripts", pdf.to_str().unwrap()])
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn every_computed_field_calculates_in_dependency_order() {
    let site = site();
    let mut checked = 0;
    for form in forms(&site) {
        let pdf = walkdir::WalkDir::new(site.out())
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_str() == Some(&format!("{}.pdf", form.id)))
            .expect("every form has its PDF")
            .into_path();
        let s = scripts(&pdf);
        let computed: Vec<&formwerk_form::Field> = form
            .fields()
            .filter(|f| f.kind == FieldKind::Computed)
            .collect();
        let mut order: Vec<&str> = s["calculation_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            s["open_action"], false,
            "{}: nothing runs on opening",
            form.id
        );
        // The check area of the [[checks]] is calculated last, after every total it reads.
        if !form.checks.is_empty() {
            assert_eq!(order.pop(), Some(CHECKS_FIELD), "{}", form.id);
        }
        field_actions_are_ours(&s, &form, &computed);
        if computed.is_empty() {
            assert!(order.is_empty(), "{}: {order:?}", form.id);
            continue;
        }
        checked += 1;
        // Exactly the computed fields, each once.
        assert_eq!(
            order.iter().copied().collect::<BTreeSet<_>>(),
            computed
                .iter()
                .map(|f| f.id.as_str())
                .collect::<BTreeSet<_>>(),
            "{}",
            form.id
        );
        assert_eq!(order.len(), computed.len(), "{}: {order:?}", form.id);
        for f in &computed {
            let at = order.iter().position(|o| *o == f.id).unwrap();
            for (used, column, _) in f.expr.as_ref().unwrap().references() {
                if column.is_none() && computed.iter().any(|c| c.id == used) {
                    let before = order.iter().position(|o| *o == used).unwrap();
                    assert!(before < at, "{}: {used} comes after {}", form.id, f.id);
                }
            }
            let calc = &s["actions"][&f.id]["C"];
            assert_eq!(calc["type"], "/JavaScript", "{}: {}", form.id, f.id);
            let js = calc["js"].as_str().unwrap();
            assert!(js.starts_with("event.value = "), "{js}");
        }
    }
    assert_eq!(
        checked, 2,
        "the plan and the Rechenprobe have computed fields"
    );
}

/// The field for the messages of failed `[[checks]]` (crates/pdf/src/rules.rs).
const CHECKS_FIELD: &str = "formwerk-pruefung";

/// Every field action is one of our helpers in calculate.js, never a reader's AF* function,
/// and nothing but `app.alert` (a refused value's message) reaches out of the form.
fn field_actions_are_ours(
    s: &Value,
    form: &formwerk_form::Form,
    computed: &[&formwerk_form::Field],
) {
    let ours = [
        "FW.keep(event);",
        "FW.numK(event, ",
        "FW.numF(event, ",
        "FW.range(event, ",
        "FW.dateK(event, ",
        "FW.mailK(event, ",
        "FW.telK(event, ",
        "event.value = ",
    ];
    let forbidden = [
        "app.",
        "AF",
        "launchURL",
        "submitForm",
        "getURL",
        "this.print",
    ];
    for (name, actions) in s["actions"].as_object().unwrap() {
        for (key, action) in actions.as_object().unwrap() {
            assert_eq!(action["type"], "/JavaScript", "{}: {name} {key}", form.id);
            let js = action["js"].as_str().unwrap();
            assert!(ours.iter().any(|o| js.starts_with(o)), "{name} {key}: {js}");
            for word in forbidden {
                assert!(!js.contains(word), "{name} {key}: {js}");
            }
            let calculated = computed.iter().any(|f| f.id == *name) || name == CHECKS_FIELD;
            assert_eq!(key == "C", calculated, "{}: {name} {key}", form.id);
        }
    }
    let documents = s["document"].as_object().unwrap();
    if s["actions"].as_object().unwrap().is_empty() {
        assert!(
            documents.is_empty(),
            "{}: helpers without a script",
            form.id
        );
        return;
    }
    assert_eq!(documents.keys().collect::<Vec<_>>(), ["formwerk"]);
    let helpers = documents["formwerk"].as_str().unwrap();
    assert!(helpers.contains("var FW = {"));
    let calls: BTreeSet<&str> = helpers
        .split("app.")
        .skip(1)
        .map(|rest| rest.split('(').next().unwrap())
        .collect();
    assert!(calls.iter().all(|c| *c == "alert"), "{calls:?}");
    assert!(
        !helpers.contains("AFNumber") && !helpers.contains("AFDate"),
        "no Acrobat built-in is relied on"
    );
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn totals_keep_their_appearance_and_the_pdf_its_bytes() {
    let site = site();
    let pdf = site.out().join("finanzplan/finanzplan.pdf");
    let first = std::fs::read(&pdf).unwrap();
    std::fs::remove_dir_all(site.out()).unwrap();
    site.build_ok();
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        first,
        "the same bytes on every build"
    );
    // Read-only, with an appearance stream, for readers that do not calculate.
    let fields = Command::new("python3")
        .arg("-c")
        .arg(
            "import pikepdf,sys,json\n\
             p=pikepdf.open(sys.argv[1])\n\
             print(json.dumps({str(f.T): [int(f.get('/Ff',0)), '/AP' in f] for f in p.Root.AcroForm.CO}))",
        )
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(fields.status.success());
    let fields: Value = serde_json::from_slice(&fields.stdout).unwrap();
    for id in ["kosten_gesamt", "finanzierung_gesamt", "eigenanteil"] {
        assert_eq!(fields[id][0].as_i64().unwrap() & 1, 1, "{id} is read-only");
        assert_eq!(fields[id][1], true, "{id} has an appearance stream");
    }
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn rows_after_a_skipped_row_are_read_and_a_stored_total_is_not() {
    let site = site();
    let form = forms(&site)
        .into_iter()
        .find(|f| f.id == "finanzplan")
        .unwrap();
    let pdf = site.out().join("finanzplan/finanzplan.pdf");
    let values = site.root().join("values.json");
    // Row 2 left empty; totals forged.
    std::fs::write(
        &values,
        serde_json::json!({
            "kosten.1.betrag": "1.500",
            "kosten.3.position": "Miete",
            "kosten.3.betrag": "0,5",
            "kosten_gesamt": "999.999,99",
            "eigenanteil": "100,0",
        })
        .to_string(),
    )
    .unwrap();
    let filled = site.root().join("filled.pdf");
    common::pdf_tool(&[
        "fill",
        pdf.to_str().unwrap(),
        filled.to_str().unwrap(),
        values.to_str().unwrap(),
    ]);
    let read = formwerk_pdf::read_answers(&std::fs::read(&filled).unwrap(), &form).unwrap();
    assert_eq!(
        read.answers["kosten"],
        serde_json::json!([{"betrag": 1500}, {"position": "Miete", "betrag": 0.5}])
    );
    assert_eq!(read.answers["kosten_gesamt"], serde_json::json!(1500.5));
    assert_eq!(read.answers["finanzierung_gesamt"], serde_json::json!(0));
    assert_eq!(read.answers["eigenanteil"], serde_json::json!(0));
}
