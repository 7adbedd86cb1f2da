//! The editors' guide must stay true: its complete example form builds as written.

mod common;

use common::{Site, repo, sel, texts};

#[test]
fn complete_example_in_the_form_guide_builds() {
    let guide = std::fs::read_to_string(repo().join("docs/formulare.md")).unwrap();
    let example = guide
        .split("## Vollständiges Beispiel")
        .nth(1)
        .and_then(|rest| rest.split("```toml\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("docs/formulare.md has a complete example");
    let site = Site::fixture("valid");
    site.write("content/beispiel.form.toml", example);
    site.build_ok();
    let doc = site.html("beispiel/index.html");
    assert_eq!(texts(&doc, "h1"), ["Meldung zur Teilnahme 2031"]);
    let kinds: Vec<String> = doc
        .select(&sel(".field"))
        .map(|f| f.value().attr("class").unwrap().replace("field field-", ""))
        .collect();
    assert_eq!(
        kinds,
        [
            "text",
            "choice",
            "number",
            "yes_no",
            "date",
            "multi_choice",
            "entry_list",
            "textarea"
        ]
    );
    assert_eq!(doc.select(&sel(".form-info")).count(), 1);
}

/// The web team copies the policy from docs/deployment.md: it must be the one the build writes.
#[test]
fn the_deployment_guide_gives_the_policy_the_pages_carry() {
    let guide = std::fs::read_to_string(repo().join("docs/deployment.md")).unwrap();
    let header = formwerk_render::csp::header();
    assert!(
        guide.contains(&format!(
            "Header always set Content-Security-Policy \"{header}\""
        )),
        "the Apache example lacks {header}"
    );
    assert!(
        guide.contains(&format!("default           \"{header}\";")),
        "the nginx example lacks {header}"
    );
    let site = Site::fixture("valid");
    site.build_ok();
    let page = site.read("site/index.html");
    assert!(page.contains(&format!("content=\"{}\"", formwerk_render::csp::POLICY)));
}
