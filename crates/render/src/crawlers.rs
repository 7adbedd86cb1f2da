//! What the build writes for search engines when the site has a `base_url`
//! ([`formwerk_config::Config::base_url`]): the sitemap in the sitemaps.org format, robots.txt
//! naming it, and each page's canonical address (`canonical` in its template context). Without
//! a `base_url` there is none of them, and a site holds no absolute address of its own.
//!
//! A page's address is the one the site's own links use, `…/hilfe/index.html`: what a crawler
//! follows from any page is what the sitemap and the canonical link say, and it works on every
//! server, with or without a directory index. The sitemap lists every page once, in the site's
//! stable order, and has no `<lastmod>`: Formwerk cannot know honestly when a page last changed
//! (a file's time changes with every checkout and copy; a page changes with its templates and
//! the pages it shows, too), and a wrong date is worse than none. `<changefreq>` and
//! `<priority>` are left out too: they would be guesses, which search engines ignore.

use formwerk_content::Site;
use formwerk_text::html::escape;
use formwerk_text::names::{SITEMAP_XML, URLS_PER_SITEMAP, sitemap_xml_part};
use formwerk_text::url::absolute;

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAPS_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The absolute address of the output file `rel`, if the site has a `base_url`.
pub fn canonical(site: &Site, rel: &str) -> Option<String> {
    site.config
        .base_url
        .as_deref()
        .map(|base| absolute(base, rel))
}

/// The files of the sitemap for search engines, if the site has a `base_url`:
/// `sitemap.xml`, and for a site of more than [`URLS_PER_SITEMAP`] pages its parts
/// `sitemap-1.xml`, … (then `sitemap.xml` is their index). Part `n` is
/// [`sitemap_xml`]`(site, n)`, `sitemap.xml` part 0.
pub fn sitemap_xml_files(site: &Site) -> Vec<String> {
    if site.config.base_url.is_none() {
        return Vec::new();
    }
    let parts = parts(site.pages.len(), URLS_PER_SITEMAP);
    std::iter::once(SITEMAP_XML.to_string())
        .chain((1..=parts).map(sitemap_xml_part))
        .collect()
}

/// File `n` of the sitemap for search engines ([`sitemap_xml_files`]); `None` without a
/// `base_url`.
pub fn sitemap_xml(site: &Site, n: usize) -> Option<String> {
    let base = site.config.base_url.as_deref()?;
    let outputs: Vec<&str> = site.pages.iter().map(|p| p.output.as_str()).collect();
    Some(sitemap_file(base, &outputs, n, URLS_PER_SITEMAP))
}

/// robots.txt: every crawler may read everything, and the sitemap is named by its address;
/// `None` without a `base_url`. Crawlers read it only at the root of a host: for a site under
/// a path the web team adds its `Sitemap:` line to the host's own (docs/deployment.md).
pub fn robots_txt(site: &Site) -> Option<String> {
    let base = site.config.base_url.as_deref()?;
    Some(format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(base, SITEMAP_XML)
    ))
}

/// How many parts a sitemap of `pages` addresses has: none when one file holds them all.
fn parts(pages: usize, limit: usize) -> usize {
    match pages <= limit {
        true => 0,
        false => pages.div_ceil(limit),
    }
}

/// File `n` of the sitemap of the pages `outputs` on a site at `base`, `limit` addresses a
/// file.
fn sitemap_file(base: &str, outputs: &[&str], n: usize, limit: usize) -> String {
    let parts = parts(outputs.len(), limit);
    let mut xml = String::from(XML_DECLARATION);
    let entry = |xml: &mut String, tag: &str, rel: &str| {
        xml.push_str(&format!(
            "<{tag}><loc>{}</loc></{tag}>\n",
            escape(&absolute(base, rel))
        ));
    };
    if n == 0 && parts > 0 {
        xml.push_str(&format!("<sitemapindex xmlns=\"{SITEMAPS_NAMESPACE}\">\n"));
        for part in 1..=parts {
            entry(&mut xml, "sitemap", &sitemap_xml_part(part));
        }
        xml.push_str("</sitemapindex>\n");
        return xml;
    }
    let these = match n {
        0 => outputs,
        n => {
            let start = ((n - 1) * limit).min(outputs.len());
            &outputs[start..(n * limit).min(outputs.len())]
        }
    };
    xml.push_str(&format!("<urlset xmlns=\"{SITEMAPS_NAMESPACE}\">\n"));
    for rel in these {
        entry(&mut xml, "url", rel);
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://amt.de/a&b/";

    #[test]
    fn one_file_lists_every_page_escaped() {
        let xml = sitemap_file(BASE, &["index.html", "hilfe/index.html"], 0, 3);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <url><loc>https://amt.de/a&amp;b/index.html</loc></url>\n\
             <url><loc>https://amt.de/a&amp;b/hilfe/index.html</loc></url>\n\
             </urlset>\n"
        );
    }

    #[test]
    fn more_pages_than_a_file_holds_make_parts_and_an_index() {
        let pages = ["a/index.html", "b/index.html", "c/index.html"];
        assert_eq!(parts(3, 3), 0);
        assert_eq!(parts(4, 3), 2);
        assert_eq!(parts(3, 2), 2);
        let index = sitemap_file(BASE, &pages, 0, 2);
        assert!(index.contains("<sitemapindex "), "{index}");
        assert!(index.contains("<sitemap><loc>https://amt.de/a&amp;b/sitemap-1.xml</loc></sitemap>\n<sitemap><loc>https://amt.de/a&amp;b/sitemap-2.xml</loc></sitemap>\n</sitemapindex>\n"), "{index}");
        let first = sitemap_file(BASE, &pages, 1, 2);
        let second = sitemap_file(BASE, &pages, 2, 2);
        assert_eq!(first.matches("<url>").count(), 2);
        assert!(first.contains("/a/index.html") && first.contains("/b/index.html"));
        assert_eq!(second.matches("<url>").count(), 1);
        assert!(second.contains("/c/index.html"));
    }
}
