//! The fixture form with every field kind: controls, labels, groups, hints and conditions as
//! the applicant's browser (and assistive technology) sees them.

mod common;

use std::collections::BTreeSet;

use common::{Site, sel, texts};
use scraper::Html;

fn form() -> Html {
    let site = Site::fixture("valid");
    site.build_ok();
    site.html("antraege/alle-felder/index.html")
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&sel(selector))
        .next()
        .and_then(|e| e.value().attr(name).map(String::from))
}

#[test]
fn form_header_sections_and_numbering() {
    let doc = form();
    assert_eq!(texts(&doc, "h1"), ["Alle Felder 2031"]);
    assert_eq!(texts(&doc, ".subtitle"), ["Ein Formular mit jeder Feldart"]);
    assert_eq!(texts(&doc, ".form-version"), ["Version 3"]);
    assert_eq!(texts(&doc, ".form-section h2"), ["1. Texte", "2. Auswahl"]);
    let f = doc.select(&sel("form#formular")).next().unwrap();
    assert_eq!(f.value().attr("data-form-id"), Some("alle_felder"));
    assert_eq!(f.value().attr("data-form-version"), Some("3"));
    assert!(f.value().attr("novalidate").is_some());
    // Markdown in intros is rendered; markup typed into it is shown as text.
    assert_eq!(texts(&doc, ".form-intro strong"), ["Markdown"]);
    assert_eq!(
        texts(&doc, ".section-intro"),
        ["Abschnitt mit <b>Text</b>feldern."]
    );
}

#[test]
fn each_field_kind_renders_its_control() {
    let doc = form();
    assert_eq!(attr(&doc, "input#name", "type").as_deref(), Some("text"));
    assert_eq!(attr(&doc, "input#name", "maxlength").as_deref(), Some("80"));
    assert_eq!(
        attr(&doc, "input#name", "placeholder").as_deref(),
        Some("Max Mustermann")
    );
    assert!(attr(&doc, "input#name", "required").is_some());
    assert_eq!(
        attr(&doc, "textarea#beschreibung", "rows").as_deref(),
        Some("4")
    );
    assert!(
        attr(&doc, "textarea#beschreibung", "class")
            .unwrap()
            .contains("grow")
    );
    assert_eq!(attr(&doc, "input#datum", "type").as_deref(), Some("date"));
    assert_eq!(
        attr(&doc, "input#betrag", "type").as_deref(),
        Some("number")
    );
    assert_eq!(
        attr(&doc, "input#betrag", "min")
            .as_deref()
            .map(str::parse::<f64>),
        Some(Ok(0.0))
    );
    assert_eq!(
        attr(&doc, "input#betrag", "max")
            .as_deref()
            .map(str::parse::<f64>),
        Some(Ok(1e6))
    );
    assert_eq!(texts(&doc, "#betrag-field .unit"), ["EUR"]);
    assert_eq!(texts(&doc, ".form-info strong"), ["Hinweis"]);

    let yes_no: Vec<(String, String)> = doc
        .select(&sel("fieldset#zustimmung input[type=radio]"))
        .map(|i| {
            (
                i.value().attr("name").unwrap().into(),
                i.value().attr("value").unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        yes_no,
        [
            ("zustimmung".into(), "true".into()),
            ("zustimmung".into(), "false".into())
        ]
    );
    assert_eq!(
        texts(&doc, "fieldset#zustimmung .option label"),
        ["ja", "nein"]
    );

    let choice: Vec<&str> = doc
        .select(&sel("fieldset#art input[type=radio]"))
        .map(|i| i.value().attr("value").unwrap())
        .collect();
    assert_eq!(choice, ["landkreis", "stadt", "region"]);
    assert_eq!(
        texts(&doc, "fieldset#art label"),
        ["Landkreis", "Stadt", "Region Hannover"]
    );

    let multi: Vec<&str> = doc
        .select(&sel("fieldset#bereiche input[type=checkbox]"))
        .map(|i| i.value().attr("value").unwrap())
        .collect();
    assert_eq!(multi, ["bevoelkerung", "soziales", "other"]);
    assert_eq!(
        texts(&doc, "fieldset#bereiche .option-other label"),
        ["Sonstiges – ggfs. eintragen -"]
    );
    assert_eq!(
        attr(&doc, "#bereiche-other-text", "aria-labelledby").as_deref(),
        Some("bereiche-other-label")
    );

    let lines: Vec<(&str, &str)> = doc
        .select(&sel("fieldset#eintraege input[type=text]"))
        .map(|i| {
            (
                i.value().attr("id").unwrap(),
                i.value().attr("placeholder").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("eintraege-1", "hier eintragen"),
            ("eintraege-2", "hier eintragen"),
            ("eintraege-3", "hier eintragen")
        ]
    );
}

#[test]
fn groups_are_fieldsets_with_legends() {
    let doc = form();
    let legends = texts(&doc, "fieldset > legend");
    assert_eq!(
        legends,
        [
            "Stimmen Sie zu? (Pflichtfeld)",
            "Art der Kommune",
            "Bereiche",
            "Weitere Einträge"
        ]
    );
    for input in doc.select(&sel("input[type=radio], input[type=checkbox]")) {
        let in_fieldset = input
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|a| a.value().name() == "fieldset");
        assert!(
            in_fieldset,
            "{:?} outside a fieldset",
            input.value().attr("id")
        );
    }
}

#[test]
fn every_control_has_a_label_and_every_reference_a_target() {
    let doc = form();
    let ids: Vec<&str> = doc
        .select(&sel("[id]"))
        .map(|e| e.value().attr("id").unwrap())
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    let controls = doc
        .select(&sel("input, textarea, select"))
        .collect::<Vec<_>>();
    assert!(controls.len() >= 15);
    for control in controls {
        let id = control.value().attr("id").expect("control without id");
        let labelled = doc
            .select(&sel(&format!("label[for=\"{id}\"]")))
            .next()
            .is_some()
            || control
                .value()
                .attr("aria-labelledby")
                .is_some_and(|l| l.split(' ').all(|t| unique.contains(t)));
        assert!(labelled, "no label for #{id}");
    }
    for el in doc.select(&sel("[aria-describedby], [aria-labelledby]")) {
        for a in ["aria-describedby", "aria-labelledby"] {
            for target in el.value().attr(a).unwrap_or("").split_whitespace() {
                assert!(unique.contains(target), "{a} points to missing #{target}");
            }
        }
    }
    assert_eq!(
        attr(&doc, "input#name", "aria-describedby").as_deref(),
        Some("name-hint")
    );
    assert_eq!(texts(&doc, "#name-hint"), ["Vor- und Nachname"]);
    assert_eq!(
        attr(&doc, "fieldset#bereiche", "aria-describedby").as_deref(),
        Some("bereiche-hint")
    );
}

#[test]
fn show_if_conditions_are_rendered_for_the_script() {
    let doc = form();
    assert_eq!(
        attr(&doc, "#begruendung-field", "data-show-if-field").as_deref(),
        Some("zustimmung")
    );
    assert_eq!(
        attr(&doc, "#begruendung-field", "data-show-if-equals").as_deref(),
        Some("true")
    );
    // A condition written with the option's label is stored with its value.
    assert_eq!(
        attr(&doc, "#stadtname-field", "data-show-if-equals").as_deref(),
        Some("stadt")
    );
    assert!(attr(&doc, "#name-field", "data-show-if-field").is_none());
}
