//! The form's [submission] block and identify, the [legal] pages in every footer, and the
//! warnings of `formwerk check` (printed, exit 0; errors with --deny-warnings).

mod common;

use common::*;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

const LEGAL: &str = "\n[legal]\nimpressum = \"rechtliches/impressum.md\"\ndatenschutz = \"rechtliches/datenschutz.md\"\nbarrierefreiheit = \"rechtliches/barrierefreiheit.md\"\n";

/// The valid fixture with the three legal pages (their texts here are test placeholders).
fn with_legal() -> Site {
    let site = Site::fixture("valid");
    let config = site.read("formwerk.toml");
    let (head, vars) = config.split_once("[variables]").unwrap();
    site.write(
        "formwerk.toml",
        &format!("{head}{LEGAL}\n[variables]{vars}"),
    );
    site.write(
        "content/rechtliches/_index.md",
        "+++\ntitle = \"Rechtliches\"\n+++\n",
    );
    for (file, title) in [
        ("impressum", "Impressum"),
        ("datenschutz", "Datenschutz"),
        ("barrierefreiheit", "Barrierefreiheit"),
    ] {
        site.write(
            &format!("content/rechtliches/{file}.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\nTestseite.\n"),
        );
    }
    site
}

#[test]
fn the_bundled_site_is_warned_about_what_only_the_ministry_can_supply() {
    let site = Site::bundled();
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "warning[no-legal-page]: no Impressum is configured",
        "warning[no-legal-page]: no Datenschutzerklärung (privacy statement) is configured",
        "warning[no-legal-page]: no Erklärung zur Barrierefreiheit (accessibility statement) is configured",
        "warning[no-submission]: the form `projektbeschreibung` does not say how to submit it",
        "content/projektbeschreibung.form.toml",
        "4 warnings",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    let denied = site.run(&["check", "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(stderr(&denied).contains("error[no-legal-page]: no Impressum is configured"));
    assert!(stderr(&denied).contains("4 errors found"));
    // build is not stopped by warnings; the bundled form shows no invented submission texts.
    site.build_ok();
    let page = site.read("site/projektbeschreibung/index.html");
    assert!(!page.contains("class=\"submission"));
    assert!(page.contains("id=\"abschluss\""));
}

#[test]
fn legal_pages_are_linked_in_every_footer_and_silence_the_warnings() {
    let site = with_legal();
    let out = site.run(&["check", "--deny-warnings"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No problems found"));
    site.build_ok();
    let pages: Vec<_> = walkdir::WalkDir::new(site.out())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| !e.path().to_string_lossy().ends_with("-offline.html"))
        .map(|e| e.into_path())
        .collect();
    assert!(pages.len() >= 8);
    for page in pages {
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let links: Vec<String> = doc
            .select(&sel("footer .legal-links a"))
            .map(|a| a.text().collect())
            .collect();
        assert_eq!(
            links,
            ["Impressum", "Datenschutz", "Barrierefreiheit"],
            "{}",
            page.display()
        );
        for a in doc.select(&sel("footer .legal-links a")) {
            let href = a.value().attr("href").unwrap();
            assert!(
                page.parent().unwrap().join(href).is_file(),
                "{href} from {}",
                page.display()
            );
        }
    }
    assert!(broken_links(&site.out()).is_empty());
}

#[test]
fn a_legal_path_that_names_no_page_is_an_error() {
    let site = with_legal();
    std::fs::remove_file(site.path("content/rechtliches/datenschutz.md")).unwrap();
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("`rechtliches/datenschutz.md` names no page under content/"),
        "{err}"
    );
    assert!(err.contains("formwerk.toml:"), "{err}");
}

#[test]
fn the_submission_block_is_shown_at_the_top_and_end_and_signature_lines_printed() {
    let site = Site::fixture("valid");
    site.build_ok();
    let doc = site.html("antraege/alle-felder/index.html");
    let boxes = texts(&doc, "section.submission h2");
    assert_eq!(boxes, ["So reichen Sie die Alle Felder 2031 ein"; 2]);
    let top = texts(&doc, "#submission-top dl");
    assert!(top[0].contains("31.01.2020"));
    assert!(
        top[0].contains("Amt für Tests, Referat <b>1</b>"),
        "Markdown, escaped: {top:?}"
    );
    let mailto: Vec<_> = doc
        .select(&sel("a.mailto"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        mailto,
        ["mailto:posteingang@example.org?subject=Alle%20Felder%202031"; 2]
    );
    assert_eq!(
        texts(&doc, "#submission-end .signature-line"),
        ["Ort, Datum", "Unterschrift"]
    );
    assert!(texts(&doc, "#submission-top .signature-line").is_empty());
    // The deadline notice is decided in the browser: the build does not know today's date.
    let notice = doc.select(&sel(".deadline-passed")).next().unwrap();
    assert!(notice.value().attr("hidden").is_some());
    assert_eq!(notice.value().attr("data-deadline"), Some("2020-01-31"));
    let steps = texts(&doc, "#abschluss .finish-steps > li");
    assert_eq!(steps.len(), 4);
    assert!(steps[3].contains("Reichen Sie das Formular ein"));
}

#[test]
fn submission_and_identify_mistakes_are_reported_with_their_place() {
    let site = Site::fixture("valid");
    let form = site.read("content/antraege/alle-felder.form.toml");
    let broken = form
        .replace("identify = \"name\"", "identify = \"nmae\"")
        .replace("deadline = 2020-01-31", "deadline = \"31.01.2020\"")
        .replace(
            "email = \"posteingang@example.org\"",
            "email = \"posteingang at example.org\"",
        )
        .replace("signature = true", "signature = true\nsignatur = true");
    site.write("content/antraege/alle-felder.form.toml", &broken);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown field `signatur`"), "{err}");
    assert!(err.contains("did you mean `signature`?"), "{err}");
    let fixed = broken.replace("signatur = true\n", "");
    site.write("content/antraege/alle-felder.form.toml", &fixed);
    let err = stderr(&site.run(&["check"]));
    for expected in [
        "identify names `nmae`, but this form has no field with that id",
        "did you mean `name`?",
        "the deadline must be a date",
        "`posteingang at example.org` is not an e-mail address",
        "content/antraege/alle-felder.form.toml:",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
}
