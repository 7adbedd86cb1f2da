//! What a web team relies on when it copies site/ to its server: style sheets and scripts
//! with content-hashed names (cacheable for a year), every page with its Content Security
//! Policy and nothing that needs `'unsafe-inline'`, an icon and a description on every page,
//! link texts that say where they lead.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{Site, sel};
use scraper::Html;

/// Every HTML file of the output, as (path from the output root, parsed document). The
/// parser reads `<noscript>` as text, as a browser with scripts does: [`noscript`] gives it.
fn pages(out: &Path) -> Vec<(String, Html)> {
    common::snapshot(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p, Html::parse_document(&String::from_utf8(bytes).unwrap())))
        .collect()
}

/// The contents of a page's `<noscript>` elements in `<head>`, parsed as a browser without
/// scripts reads them.
fn noscript(doc: &Html) -> Html {
    let text: String = doc
        .select(&sel("head > noscript"))
        .map(|n| n.text().collect::<String>())
        .collect();
    Html::parse_fragment(&text)
}

/// `name.3f9a2c1d.ext`: a name with a hash of the content.
fn is_hashed(file: &str) -> bool {
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit())
    }
}

/// The `href` and `src` values of a page's `<link>` and `<script>` elements.
fn asset_refs(doc: &Html) -> Vec<String> {
    doc.select(&sel("link[href], script[src]"))
        .map(|e| {
            let v = e.value();
            v.attr("href").or(v.attr("src")).unwrap().to_string()
        })
        .collect()
}

#[test]
fn no_page_refers_to_an_unhashed_style_sheet_or_script() {
    let site = Site::fixture("valid");
    site.build_ok();
    let out = site.out();
    // Search-index shards are loaded by search.js and named by number, not by content.
    for (file, _) in common::snapshot(&out) {
        if (file.ends_with(".css") || file.ends_with(".js"))
            && !file.starts_with("search-index-")
            && !file.ends_with(".print.css")
            && !file.ends_with("-offline.js")
        {
            assert!(is_hashed(&file), "{file} has no hashed name");
        }
    }
    for (path, doc) in pages(&out) {
        let mut refs = asset_refs(&doc);
        refs.extend(asset_refs(&noscript(&doc)));
        if path.ends_with("-offline.html") {
            assert!(
                refs.iter().all(|r| r.starts_with("data:")),
                "{path}: {refs:?}"
            );
            continue;
        }
        for needed in ["formwerk.css", "noscript.css", "search.js"] {
            let (stem, ext) = needed.split_once('.').unwrap();
            assert!(
                refs.iter().any(|r| {
                    let file = r.rsplit('/').next().unwrap();
                    file.starts_with(&format!("{stem}.")) && file.ends_with(ext) && is_hashed(file)
                }),
                "{path} does not load {needed} by its hashed name: {refs:?}"
            );
        }
        for r in refs
            .iter()
            .filter(|r| r.ends_with(".css") || r.ends_with(".js"))
        {
            let file = r.rsplit('/').next().unwrap();
            assert!(
                is_hashed(file) || file.ends_with(".print.css"),
                "{path} refers to {r}"
            );
        }
        for script in doc.select(&sel("script[src]")) {
            assert!(
                script.value().attr("defer").is_some(),
                "{path}: {:?}",
                script.value()
            );
        }
    }
    assert!(common::broken_links(&out).is_empty());
}

#[test]
fn hashed_names_change_with_the_file_and_pages_follow() {
    let site = Site::fixture("valid");
    site.build_ok();
    let out = site.out();
    let js = common::hashed(&out, "formwerk.js");
    let css = common::hashed(&out, "extra.css");
    let search = common::hashed(&out, "search.js");
    let theme_js = site.theme_file("static/formwerk.js");
    let text = std::fs::read_to_string(&theme_js).unwrap();
    std::fs::write(&theme_js, format!("{text}/* geändert */\n")).unwrap();
    site.write("static/extra.css", "/* neu */\n");
    site.build_ok();
    let new_js = common::hashed(&out, "formwerk.js");
    let new_css = common::hashed(&out, "extra.css");
    assert_ne!(js, new_js);
    assert_ne!(css, new_css);
    // An unchanged file keeps its name, so browsers keep their copy.
    assert_eq!(search, common::hashed(&out, "search.js"));
    assert!(!out.join(&js).exists() && !out.join(&css).exists());
    assert!(
        std::fs::read_to_string(out.join(&new_js))
            .unwrap()
            .ends_with("/* geändert */\n")
    );
    let form = site.read("site/antraege/alle-felder/index.html");
    assert!(
        form.contains(&format!("../../{new_js}")),
        "the form page loads the new script"
    );
    // The offline copy inlines the script as it is now.
    assert!(
        site.read("site/antraege/alle-felder/alle_felder-offline.html")
            .contains("/* geändert */")
    );
}

#[test]
fn every_page_has_its_policy_and_nothing_inline_without_a_hash() {
    let site = Site::fixture("valid");
    site.build_ok();
    for (path, doc) in pages(&site.out()) {
        let metas: Vec<String> = doc
            .select(&sel("meta[http-equiv=Content-Security-Policy]"))
            .map(|m| m.value().attr("content").unwrap().to_string())
            .collect();
        assert_eq!(metas.len(), 1, "{path}");
        let policy = &metas[0];
        for directive in ["script-src 'self'", "style-src 'self'", "object-src 'none'"] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert!(!policy.contains("unsafe"), "{path}: {policy}");
        // The policy comes before anything it governs.
        let head: Vec<&str> = doc
            .select(&sel("head > *"))
            .map(|e| e.value().name())
            .collect();
        assert_eq!(&head[..2], ["meta", "meta"], "{path}: {head:?}");
        for element in doc.select(&sel("*")) {
            for (name, _) in element.value().attrs() {
                assert!(
                    name != "style" && !name.starts_with("on"),
                    "{path}: <{} {name}=…>",
                    element.value().name()
                );
            }
        }
        let inline = doc
            .select(&sel("style, script:not([src]):not([type])"))
            .count()
            + noscript(&doc).select(&sel("style")).count();
        assert_eq!(
            policy.matches("'sha256-").count(),
            inline,
            "{path}: {policy}"
        );
        if path.ends_with("-offline.html") {
            assert_eq!(
                inline, 7,
                "{path}: CSS, print CSS, noscript CSS and the four scripts (answers-file.js, form-rules.js, draft-merge.js, formwerk.js) inline"
            );
        }
    }
}

#[test]
fn every_page_declares_the_icon_and_a_description() {
    let site = Site::fixture("valid");
    site.build_ok();
    for (path, doc) in pages(&site.out()) {
        let icon = doc.select(&sel("link[rel=icon]")).next();
        let href = icon
            .and_then(|i| i.value().attr("href"))
            .unwrap_or_default();
        if path.ends_with("-offline.html") {
            assert!(href.starts_with("data:image/svg+xml,"), "{path}: {href}");
        } else {
            assert!(href.ends_with("favicon.svg"), "{path}: {href}");
        }
        let description = doc
            .select(&sel("meta[name=description]"))
            .next()
            .and_then(|m| m.value().attr("content"))
            .unwrap_or_default();
        assert!(!description.trim().is_empty(), "{path} has no description");
    }
    // The site's own icon replaces the theme's.
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    site.build_ok();
    assert_eq!(
        site.read("site/favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"
    );
    assert!(
        site.read("site/antraege/alle-felder/alle_felder-offline.html")
            .contains("data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E")
    );
}

#[test]
fn link_texts_on_the_print_all_page_lead_to_one_place_each() {
    for site in [Site::bundled(), Site::fixture("valid")] {
        site.build_ok();
        let doc = site.html("gesamtdokument.html");
        let mut targets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for a in doc.select(&sel("a[href]")) {
            let text = common::normalize_space(&a.text().collect::<String>());
            targets
                .entry(text)
                .or_default()
                .insert(a.value().attr("href").unwrap().to_string());
        }
        let ambiguous: Vec<_> = targets.iter().filter(|(_, t)| t.len() > 1).collect();
        assert!(ambiguous.is_empty(), "{ambiguous:?}");
    }
}
