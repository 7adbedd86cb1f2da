//! What search engines get (issue 24): with a `base_url` in formwerk.toml the build writes
//! sitemap.xml (every page's absolute address, once), robots.txt naming it and a canonical link
//! in every page's head; without one none of them, and no absolute address of the site's own.
//! A site's own robots.txt takes the place of the build's; its own sitemap.xml is refused
//! while the build writes one. How they follow edits is in tests/rebuild.rs and
//! tests/watch_serve.rs.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Site, sel};
use quick_xml::events::Event;

/// As written into formwerk.toml: no `/` at the end, an umlaut and a `&` in the path.
const BASE_URL: &str = "https://www.ms.niedersachsen.de/förderung&co";
/// As the build writes it.
const BASE: &str = "https://www.ms.niedersachsen.de/f%C3%B6rderung&co/";

fn set_base_url(site: &Site, url: &str) {
    let config = site.read("formwerk.toml");
    site.write("formwerk.toml", &format!("base_url = \"{url}\"\n{config}"));
}

/// The valid fixture with [`BASE_URL`], built.
fn built_with_base_url() -> Site {
    let site = Site::fixture("valid");
    set_base_url(&site, BASE_URL);
    site.build_ok();
    site
}

/// Every page of the built site `out`: each writes an `index.html` (and nothing else does).
fn pages(out: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// Every HTML file of the built site `out`.
fn html_files(out: &Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// An element of an XML document, its text with entities resolved.
#[derive(Debug)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

/// Parses `xml` as XML (well-formed, or the test fails) into its root element.
fn parse_xml(xml: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let open = |e: &quick_xml::events::BytesStart| Element {
        name: e.name().as_ref().to_string(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        children: Vec::new(),
        text: String::new(),
    };
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML at {}: {e}\n{xml}", reader.error_position()));
        let closed = match event {
            Event::Decl(_) => {
                assert!(root.is_none() && stack.is_empty(), "a declaration inside");
                None
            }
            Event::Start(e) => {
                stack.push(open(&e));
                None
            }
            Event::Empty(e) => Some(open(&e)),
            Event::End(_) => stack.pop(),
            Event::Text(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&text),
                    None => assert!(text.trim().is_empty(), "text outside the root: {text:?}"),
                }
                None
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_else(|| panic!("unknown entity &{};", &*r))
                        .to_string(),
                };
                stack
                    .last_mut()
                    .expect("inside an element")
                    .text
                    .push_str(&resolved);
                None
            }
            Event::Eof => break,
            other => panic!("unexpected in a sitemap: {other:?}"),
        };
        if let Some(element) = closed {
            match stack.last_mut() {
                Some(parent) => parent.children.push(element),
                None => {
                    assert!(root.is_none(), "two root elements");
                    root = Some(element);
                }
            }
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    root.expect("a root element")
}

/// The addresses of a sitemap (`<urlset>`), each `<url>` holding one `<loc>` and nothing
/// else (no invented `<lastmod>`).
fn sitemap_locations(xml: &str) -> Vec<String> {
    let root = parse_xml(xml);
    assert_eq!(root.name, "urlset");
    assert_eq!(
        root.attributes,
        [(
            "xmlns".to_string(),
            "http://www.sitemaps.org/schemas/sitemap/0.9".to_string()
        )]
    );
    root.children
        .iter()
        .map(|url| {
            assert_eq!(url.name, "url");
            let names: Vec<&str> = url.children.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(
                names,
                ["loc"],
                "only the address, no guessed date or priority"
            );
            url.children[0].text.clone()
        })
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_once_by_its_absolute_address() {
    let site = built_with_base_url();
    let xml = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    assert!(
        xml.contains("/f%C3%B6rderung&amp;co/index.html</loc>"),
        "the & escaped, the umlaut percent-encoded:\n{xml}"
    );
    let locations = sitemap_locations(&xml);
    let listed: BTreeSet<String> = locations.iter().cloned().collect();
    assert_eq!(
        listed.len(),
        locations.len(),
        "a page twice: {locations:#?}"
    );
    let expected: BTreeSet<String> = pages(&site.out())
        .iter()
        .map(|rel| format!("{BASE}{rel}"))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(locations.len(), 7, "the fixture's pages, forms among them");
    assert!(locations.iter().all(|l| l.starts_with(BASE)));
}

#[test]
fn robots_txt_allows_all_and_names_the_sitemap() {
    let site = built_with_base_url();
    assert_eq!(
        std::fs::read_to_string(site.out().join("robots.txt")).unwrap(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn every_page_names_its_own_absolute_address_and_every_other_link_stays_relative() {
    let site = built_with_base_url();
    let canonical = sel("head > link[rel=canonical]");
    let mut seen = 0;
    for rel in html_files(&site.out()) {
        let doc = site.html(&rel);
        let links: Vec<&str> = doc
            .select(&canonical)
            .map(|l| l.value().attr("href").unwrap())
            .collect();
        let offline_or_inbox = rel.ends_with("-offline.html") || rel.ends_with("-posteingang.html");
        let expected = match offline_or_inbox {
            // Not the form page: a file for the applicant's disk, and the office's inbox.
            true => vec![],
            false => vec![format!("{BASE}{rel}")],
        };
        assert_eq!(links, expected, "{rel}");
        seen += usize::from(!offline_or_inbox);
        // Nothing else is absolute: the site still works from file:// and any folder.
        let html = std::fs::read_to_string(site.out().join(&rel)).unwrap();
        assert_eq!(
            html.matches("www.ms.niedersachsen.de").count(),
            links.len(),
            "{rel}"
        );
    }
    // 7 pages, sitemap.html, gesamtdokument.html
    assert_eq!(seen, 9);
}

#[test]
fn without_a_base_url_there_is_nothing_for_search_engines() {
    let site = Site::fixture("valid");
    site.build_ok();
    for name in ["sitemap.xml", "robots.txt"] {
        assert!(!site.out().join(name).exists(), "{name}");
    }
    for rel in html_files(&site.out()) {
        let html = std::fs::read_to_string(site.out().join(&rel)).unwrap();
        assert!(!html.contains("rel=\"canonical\""), "{rel}");
    }
}

#[test]
fn a_sites_own_robots_txt_takes_the_place_of_the_builds() {
    let site = Site::fixture("valid");
    set_base_url(&site, BASE_URL);
    let own = "User-agent: *\nDisallow: /intern/\n";
    site.write("static/robots.txt", own);
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.out().join("robots.txt")).unwrap(),
        own
    );
    assert!(site.out().join("sitemap.xml").is_file());
}

#[test]
fn a_sites_own_sitemap_xml_is_refused_only_while_the_build_writes_one() {
    let site = Site::fixture("valid");
    site.write("static/sitemap.xml", "<eigene/>\n");
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap(),
        "<eigene/>\n",
        "without base_url the name is free, as before"
    );

    set_base_url(&site, BASE_URL);
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for wanted in [
        "error[output-clash]",
        "static/sitemap.xml",
        "the sitemap for search engines would both be written to sitemap.xml",
        "because formwerk.toml has a base_url",
    ] {
        assert!(stderr.contains(wanted), "{wanted}:\n{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap(),
        "<eigene/>\n",
        "a failed build leaves the output as it was"
    );

    std::fs::remove_file(site.path("static/sitemap.xml")).unwrap();
    site.write("content/sitemap-2.xml", "<eigene/>\n");
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/sitemap-2.xml")
            && stderr.contains("would overwrite sitemap-2.xml"),
        "the parts' names are the build's too:\n{stderr}"
    );
}
