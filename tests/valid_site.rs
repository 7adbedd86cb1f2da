//! The valid fixture site, built by the real binary and checked through its parsed HTML.

mod common;

use common::{Site, broken_links, sel, texts};

fn built() -> Site {
    let site = Site::fixture("valid");
    site.build_ok();
    site
}

#[test]
fn every_page_and_file_is_written_where_expected() {
    let site = built();
    // Style sheets and scripts carry a hash of their content: `formwerk.#.css` here.
    let mut files: Vec<String> = common::snapshot(&site.out())
        .into_iter()
        .map(|(p, _)| without_hash(&p))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "answers-file.#.js",
            "antraege/alle-felder/alle_felder-offline.html",
            "antraege/alle-felder/alle_felder-offline.js",
            "antraege/alle-felder/alle_felder-posteingang.html",
            "antraege/alle-felder/alle_felder.pdf",
            "antraege/alle-felder/alle_felder.print.css",
            "antraege/alle-felder/alle_felder.schema.json",
            "antraege/alle-felder/index.html",
            "draft-merge.#.js",
            "extra.#.css",
            "favicon.svg",
            "form-rules.#.js",
            "formwerk.#.css",
            "formwerk.#.js",
            "gesamtdokument.html",
            "hilfe/Plan A.pdf",
            "hilfe/index.html",
            "hilfe/organigramm.png",
            "hilfe/tabellen/index.html",
            "hilfe/unterbereich/index.html",
            "hilfe/unterbereich/tief/index.html",
            "hilfe/zweite/index.html",
            "inbox-keys.#.js",
            "inbox-reader.#.js",
            "inbox-worker.#.js",
            "inbox.#.js",
            "index.html",
            "noscript.#.css",
            "pdf-answers.#.js",
            "pdf-file.#.js",
            "seal.#.js",
            "sealed-submission.#.js",
            "search-index-0.js",
            "search.#.js",
            "sitemap.html",
        ]
    );
}

/// `dir/name.3f9a2c1d.css` → `dir/name.#.css`.
fn without_hash(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [head @ .., hash, ext]
            if !head.is_empty()
                && hash.len() == 8
                && hash.chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            format!("{}.#.{ext}", head.join("."))
        }
        _ => path.to_string(),
    }
}

#[test]
fn drafts_are_not_published() {
    let site = built();
    assert!(!site.out().join("hilfe/entwurf").exists());
}

#[test]
fn every_link_resolves_to_a_file_and_anchor() {
    let site = built();
    assert_eq!(broken_links(&site.out()), Vec::<String>::new());
}

#[test]
fn source_links_are_rewritten_to_relative_output_links() {
    let site = built();
    let start = site.html("index.html");
    let hrefs: Vec<&str> = start
        .select(&sel("article a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "hilfe/index.html",
            "antraege/alle-felder/index.html",
            "hilfe/tabellen/index.html#groesse-masse",
            "https://example.org/",
            "hilfe/Plan%20A.pdf",
        ]
    );
    let deep = site.html("hilfe/unterbereich/tief/index.html");
    let link = deep.select(&sel("article a")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("../../../antraege/alle-felder/index.html#auswahl")
    );
    let css = deep.select(&sel("link[rel=stylesheet]")).next().unwrap();
    let formwerk_css = format!("../../../{}", common::hashed(&site.out(), "formwerk.css"));
    assert_eq!(css.value().attr("href"), Some(formwerk_css.as_str()));
}

#[test]
fn headings_get_stable_german_ids_and_a_table_of_contents() {
    let site = built();
    let doc = site.html("hilfe/tabellen/index.html");
    let ids: Vec<&str> = doc
        .select(&sel("article h2[id], article h3[id]"))
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "toc-title",
            "groesse-masse",
            "uebersicht",
            "uebersicht-1",
            "eigene-id"
        ]
    );
    assert_eq!(
        texts(&doc, ".toc li"),
        ["Größe & Maße", "Übersicht", "Übersicht"]
    );
}

#[test]
fn markdown_tables_footnotes_and_definition_lists() {
    let site = built();
    let doc = site.html("hilfe/tabellen/index.html");
    assert_eq!(texts(&doc, "table td"), ["Ärger", "Öl"]);
    assert_eq!(doc.select(&sel(".footnote-definition")).count(), 1);
    assert_eq!(texts(&doc, "dl dt"), ["Term"]);
    assert_eq!(texts(&doc, "dl dd"), ["Definition des Terms."]);
}

#[test]
fn variables_fill_markdown_front_matter_forms_and_templates() {
    let site = built();
    let start = site.html("index.html");
    assert_eq!(texts(&start, "h1"), ["Start 2031"]);
    assert!(texts(&start, "article p")[0].contains("Willkommen im Jahr 2031"));
    // Inline code stays literal, so the syntax can be documented.
    assert_eq!(texts(&start, "article code"), ["{{ jahr }}"]);
    let form = site.html("antraege/alle-felder/index.html");
    assert_eq!(texts(&form, "h1"), ["Alle Felder 2031"]);
    assert!(
        texts(&form, ".form-info")
            .iter()
            .any(|t| t.contains("Jahr 2031"))
    );
    let second = site.html("hilfe/zweite/index.html");
    assert_eq!(texts(&second, ".vars"), ["2031 Amt <b>für</b> Tests"]);
    assert!(texts(&second, "article p")[0].contains("true"));
}

#[test]
fn nothing_can_inject_markup() {
    let site = built();
    for page in [
        "index.html",
        "hilfe/zweite/index.html",
        "antraege/alle-felder/index.html",
        "hilfe/tabellen/index.html",
    ] {
        let doc = site.html(page);
        assert_eq!(
            doc.select(&sel("main script, main b")).count(),
            0,
            "markup injected in {page}"
        );
        assert_eq!(doc.select(&sel("head script")).count(), 0);
    }
    let start = site.html("index.html");
    assert!(
        start
            .root_element()
            .text()
            .any(|t| t.contains("<script>alert(\"roh\")</script>"))
    );
    let form = site.html("antraege/alle-felder/index.html");
    assert_eq!(
        texts(&form, "label[for=name]"),
        ["Name <script>x</script> (Pflichtfeld)"]
    );
    let title = texts(&site.html("hilfe/tabellen/index.html"), "title");
    assert_eq!(title, ["Tabellen & Fußnoten – Testsite <Formwerk>"]);
    let raw = std::fs::read_to_string(site.out().join("hilfe/tabellen/index.html")).unwrap();
    assert!(
        raw.contains("content=\"Eine Seite mit &lt;em&gt;Tabellen&lt;/em&gt;\""),
        "description not escaped"
    );
}

#[test]
fn site_templates_override_the_theme_and_pick_by_front_matter() {
    let site = built();
    let start = site.html("index.html");
    assert_eq!(start.select(&sel("ul.fixture-children li")).count(), 2);
    let second = site.html("hilfe/zweite/index.html");
    let article = second
        .select(&sel("article.special"))
        .next()
        .expect("special.html used");
    assert_eq!(article.value().attr("data-farbe"), Some("blau"));
    assert_eq!(
        std::fs::read_to_string(site.out().join(common::hashed(&site.out(), "extra.css"))).unwrap(),
        "/* site override */\n"
    );
}

#[test]
fn navigation_marks_the_current_section_and_breadcrumbs_lead_home() {
    let site = built();
    let deep = site.html("hilfe/unterbereich/tief/index.html");
    assert_eq!(texts(&deep, ".site-nav a[aria-current=page]"), ["Hilfe"]);
    assert_eq!(
        texts(&deep, ".breadcrumbs li"),
        ["Start 2031", "Hilfe", "Unterbereich", "Tiefe Seite"]
    );
    let hilfe = site.html("hilfe/index.html");
    // Sections list their pages and subsections by weight (default 0), then title.
    assert_eq!(
        texts(&hilfe, ".fixture-children a"),
        ["Unterbereich", "Tabellen & Fußnoten", "Zweite Seite"]
    );
}

#[test]
fn lang_and_title_on_every_page() {
    let site = built();
    for (rel, _) in common::snapshot(&site.out())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let doc = site.html(&rel);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some("de"), "{rel}");
        assert_eq!(doc.select(&sel("title")).count(), 1, "{rel}");
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{rel}");
    }
}

#[test]
fn callouts_images_and_downloads() {
    let site = built();
    let doc = site.html("hilfe/tabellen/index.html");
    assert_eq!(texts(&doc, ".callout-note .callout-title"), ["Hinweis"]);
    assert_eq!(
        texts(&doc, ".callout-important .callout-title"),
        ["Wichtig"]
    );
    assert_eq!(texts(&doc, ".callout-important strong"), ["Wichtiges"]);
    let img = doc.select(&sel("article img")).next().unwrap();
    assert_eq!(
        img.value().attr("alt"),
        Some("Organigramm der Koordinierungsstelle")
    );
    assert_eq!(img.value().attr("src"), Some("../../hilfe/organigramm.png"));
    assert!(site.out().join("hilfe/organigramm.png").is_file());
    // Documents offered for download say what they are and how big.
    assert_eq!(
        texts(&doc, ".file-info"),
        ["(PDF, 19 Byte)", "(PDF, 19 Byte)"]
    );
}

#[test]
fn raw_html_is_text_unless_the_site_allows_it() {
    let site = Site::fixture("valid");
    let config = site.read("formwerk.toml");
    site.write(
        "formwerk.toml",
        &format!("{config}\n[markdown]\nraw_html = true\n"),
    );
    site.write(
        "content/roh.md",
        "+++\ntitle = \"Roh\"\n+++\n\n<span class=\"eigen\">Eigenes HTML</span>\n",
    );
    site.build_ok();
    assert_eq!(
        texts(&site.html("roh/index.html"), "span.eigen"),
        ["Eigenes HTML"]
    );
    // Without the switch, the same text is shown, not interpreted.
    let plain = built();
    assert_eq!(
        plain.html("index.html").select(&sel("main script")).count(),
        0
    );
}

#[test]
fn sitemap_lists_every_page_once_and_pages_link_their_neighbours() {
    let site = built();
    let map = site.html("sitemap.html");
    let links: Vec<&str> = map
        .select(&sel("article a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        links,
        [
            "index.html",
            "antraege/alle-felder/index.html",
            // The form's inbox, for the receiving office: linked from the sitemap only.
            "antraege/alle-felder/alle_felder-posteingang.html",
            "hilfe/index.html",
            "hilfe/unterbereich/index.html",
            "hilfe/unterbereich/tief/index.html",
            "hilfe/tabellen/index.html",
            "hilfe/zweite/index.html",
        ]
    );
    // Nested as the sections are: only the deep page sits four lists down.
    assert_eq!(texts(&map, "article ul ul ul ul a"), ["Tiefe Seite"]);
    let footer = site.html("hilfe/tabellen/index.html");
    let sitemap_link = footer.select(&sel("footer a")).next().unwrap();
    assert_eq!(
        sitemap_link.value().attr("href"),
        Some("../../sitemap.html")
    );
    assert_eq!(texts(&footer, ".pager-prev"), ["Zurück: Unterbereich"]);
    assert_eq!(texts(&footer, ".pager-next"), ["Weiter: Zweite Seite"]);
}

#[test]
fn print_all_holds_every_page_once_with_unique_ids_and_chapter_links() {
    let site = built();
    let doc = site.html("gesamtdokument.html");
    assert_eq!(
        texts(&doc, ".chapter-title"),
        [
            "1 Start 2031",
            "2 Formular: Alle Felder 2031",
            "3 Hilfe",
            "4 Unterbereich",
            "5 Tiefe Seite",
            "6 Tabellen & Fußnoten",
            "7 Zweite Seite",
        ]
    );
    let all = doc.root_element().text().collect::<String>();
    assert_eq!(all.matches("Tief verschachtelt.").count(), 1);
    assert_eq!(all.matches("Zweite Seite mit eigener Vorlage").count(), 1);
    // The form is there, blank, with every control.
    assert_eq!(
        doc.select(&sel(".chapter input[type=radio][value=true]"))
            .count(),
        1
    );
    let ids: Vec<&str> = doc
        .select(&sel("[id]"))
        .map(|e| e.value().attr("id").unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        ids.len(),
        unique.len(),
        "duplicate ids in the print-all document"
    );
    // A link from one page to another's section now points to that chapter.
    // A link to a form leads to the form page, where it can be filled in.
    let to_form = doc.select(&sel("#c5 a")).next().unwrap();
    assert_eq!(
        to_form.value().attr("href"),
        Some("antraege/alle-felder/index.html#auswahl")
    );
    // The form is paper: no control can be used.
    assert_eq!(
        doc.select(&sel(".chapter input:not([disabled]), .chapter textarea:not([disabled]), .chapter select:not([disabled])"))
            .count(),
        0
    );
}

#[test]
fn theme_strings_exist_in_every_language() {
    let keys = |lang: &str| -> std::collections::BTreeSet<String> {
        let text = std::fs::read_to_string(
            common::repo().join(format!("crates/render/theme/i18n/{lang}.toml")),
        )
        .unwrap();
        toml::from_str::<toml::Table>(&text)
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(keys("de"), keys("en"));
    // And the English strings really are used when the site says so.
    let site = Site::fixture("valid");
    let config = site
        .read("formwerk.toml")
        .replace("language = \"de\"", "language = \"en\"");
    site.write("formwerk.toml", &config);
    site.build_ok();
    assert_eq!(
        texts(&site.html("index.html"), ".skip-link"),
        ["Skip to content"]
    );
}
