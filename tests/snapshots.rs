//! Snapshot tests (insta) of what editors and applicants get: the HTML of rendered Markdown
//! (every feature editors use, on one page) and one page per page template of the default
//! theme (index, section, page, form, inbox, print-all, sitemap), built from the small site
//! in tests/fixtures/snapshot. The snapshots are committed under tests/snapshots/; a change
//! in a template, the Markdown renderer or the theme's strings fails here with a diff. Review
//! it and, when it is intended, accept it: `INSTA_UPDATE=always cargo test --test snapshots`
//! (or `cargo insta review`), then commit the .snap files with the change.
//!
//! Normalised before comparing: the content hash in an asset's file name
//! (`formwerk.902d4483.js` → `formwerk.HASH.js`), so that changing a script or style sheet
//! does not touch every page's snapshot; the scripts and styles themselves have tests of
//! their own. The offline copy of a form (the form page with every asset inlined) is left
//! out for the same reason, and so is the text of the inbox's worker (its scripts inlined).

mod common;

use common::Site;

fn site() -> Site {
    let site = Site::fixture("snapshot");
    site.build_ok();
    site
}

/// `name.0123abcd.js` → `name.HASH.js` (also `.css`).
fn without_asset_hashes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('.') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let hex = after.len() >= 8 && after.as_bytes()[..8].iter().all(u8::is_ascii_hexdigit);
        if hex && (after[8..].starts_with(".js") || after[8..].starts_with(".css")) {
            out.push_str(".HASH");
            rest = &after[8..];
        } else {
            out.push('.');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The inbox's worker block (the theme's scripts inlined) without its text.
fn without_worker_text(html: &str) -> String {
    const OPEN: &str = "<script type=\"text/plain\" id=\"formwerk-inbox-worker\">";
    let Some(start) = html.find(OPEN).map(|at| at + OPEN.len()) else {
        return html.to_string();
    };
    let end = start
        + html[start..]
            .find("</script>")
            .expect("the worker block is closed");
    format!("{}…{}", &html[..start], &html[end..])
}

fn page(site: &Site, rel: &str) -> String {
    let html =
        std::fs::read_to_string(site.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    without_asset_hashes(&without_worker_text(&html))
}

#[test]
fn normalising_replaces_only_asset_hashes() {
    assert_eq!(
        without_asset_hashes(
            "<script src=\"../formwerk.902d4483.js\"> a.b 1.000,50 x.deadbeef.png y.abcdef12.css"
        ),
        "<script src=\"../formwerk.HASH.js\"> a.b 1.000,50 x.deadbeef.png y.HASH.css"
    );
}

#[test]
fn rendered_markdown() {
    let html = page(&site(), "hinweise/markdown/index.html");
    let start = html.find("<article").expect("the page has an article");
    let end = html[start..].find("</article>").expect("closed") + start;
    insta::assert_snapshot!(&html[start..end + "</article>".len()]);
}

#[test]
fn start_page_index_html() {
    insta::assert_snapshot!(page(&site(), "index.html"));
}

#[test]
fn section_section_html() {
    insta::assert_snapshot!(page(&site(), "hinweise/index.html"));
}

#[test]
fn page_page_html() {
    insta::assert_snapshot!(page(&site(), "hinweise/ziel/index.html"));
}

#[test]
fn form_form_html() {
    insta::assert_snapshot!(page(&site(), "antrag/index.html"));
}

#[test]
fn inbox_inbox_html() {
    insta::assert_snapshot!(page(&site(), "antrag/antrag-posteingang.html"));
}

#[test]
fn print_all_print_all_html() {
    insta::assert_snapshot!(page(&site(), "gesamtdokument.html"));
}

#[test]
fn sitemap_sitemap_html() {
    insta::assert_snapshot!(page(&site(), "sitemap.html"));
}

#[test]
fn every_page_template_has_a_snapshot() {
    // A new page template of the default theme needs a test above.
    let covered = [
        "index.html",
        "section.html",
        "page.html",
        "form.html",
        "inbox.html",
        "print-all.html",
        "sitemap.html",
    ];
    let dir = common::repo().join("crates/render/theme/templates");
    let mut templates: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") && n != "base.html")
        .collect();
    templates.sort();
    let mut covered = covered.map(String::from).to_vec();
    covered.sort();
    assert_eq!(templates, covered, "base.html is in every snapshot");
}
