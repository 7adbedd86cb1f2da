//! The names of the files a build writes besides each page's own `index.html`: one place
//! for the Rust code, handed to every template as `names` (`{{ root }}{{ names.sitemap }}`)
//! and from there to search.js (`data-shard-prefix`). A static or content file may not take
//! one of the site-wide names ([`is_reserved`]).
//!
//! A site with a `base_url` also gets the files for search engines: [`SITEMAP_XML`] (with its
//! parts above [`URLS_PER_SITEMAP`] pages) and [`ROBOTS`].

use serde::Serialize;

/// The page listing every page.
pub const SITEMAP: &str = "sitemap.html";
/// The print-all document: every page in reading order.
pub const PRINT_ALL: &str = "gesamtdokument.html";
/// The search index's shards: `search-index-0.js`, `search-index-1.js`, …
pub(crate) const SEARCH_SHARD_PREFIX: &str = "search-index-";
pub(crate) const SEARCH_SHARD_SUFFIX: &str = ".js";

/// The sitemap for search engines (sitemaps.org), written when the site has a `base_url`:
/// every page's absolute address; for a site of more than [`URLS_PER_SITEMAP`] pages an index
/// of its parts, `sitemap-1.xml`, `sitemap-2.xml`, …
pub const SITEMAP_XML: &str = "sitemap.xml";
const SITEMAP_XML_PART_PREFIX: &str = "sitemap-";
const SITEMAP_XML_PART_SUFFIX: &str = ".xml";
/// At most so many addresses in one sitemap file (the sitemaps.org protocol's limit).
pub const URLS_PER_SITEMAP: usize = 50_000;
/// The rules for crawlers, naming the sitemap, written when the site has a `base_url` and no
/// `robots.txt` of its own (one in `static/` or `content/` is published as it is instead).
pub const ROBOTS: &str = "robots.txt";

/// A form's files beside its page, each named by the form's id and one of these.
pub const FORM_OFFLINE: &str = "-offline.html";
pub const FORM_SCHEMA: &str = ".schema.json";
pub const FORM_PRINT_CSS: &str = ".print.css";
pub const FORM_OFFLINE_SCRIPT: &str = "-offline.js";
pub const FORM_INBOX: &str = "-posteingang.html";
pub const FORM_PDF: &str = ".pdf";

/// The site-wide names, as templates see them.
#[derive(Serialize)]
pub struct Names {
    pub sitemap: &'static str,
    pub print_all: &'static str,
    pub search_shard_prefix: &'static str,
    pub search_shard_suffix: &'static str,
}

pub static NAMES: Names = Names {
    sitemap: SITEMAP,
    print_all: PRINT_ALL,
    search_shard_prefix: SEARCH_SHARD_PREFIX,
    search_shard_suffix: SEARCH_SHARD_SUFFIX,
};

/// The file name of search-index shard `n`.
pub fn shard_file(n: usize) -> String {
    format!("{SEARCH_SHARD_PREFIX}{n}{SEARCH_SHARD_SUFFIX}")
}

/// Whether `rel` is the name of a search-index shard.
pub(crate) fn is_shard_file(rel: &str) -> bool {
    rel.strip_prefix(SEARCH_SHARD_PREFIX)
        .and_then(|r| r.strip_suffix(SEARCH_SHARD_SUFFIX))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The file name of part `n` (from 1) of a sitemap too long for one file.
pub fn sitemap_xml_part(n: usize) -> String {
    format!("{SITEMAP_XML_PART_PREFIX}{n}{SITEMAP_XML_PART_SUFFIX}")
}

/// Whether `rel` is the name of a part of the sitemap for search engines.
fn is_sitemap_xml_part(rel: &str) -> bool {
    rel.strip_prefix(SITEMAP_XML_PART_PREFIX)
        .and_then(|r| r.strip_suffix(SITEMAP_XML_PART_SUFFIX))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `rel` is one of the files the build writes for the whole site. `base_url`: the
/// site has one, and the build writes the sitemap for search engines too ([`SITEMAP_XML`]
/// and its parts); without it those names are free, as they were before `base_url` existed.
/// [`ROBOTS`] is never reserved: a site's own `robots.txt` takes the place of the build's.
pub fn is_reserved(rel: &str, base_url: bool) -> bool {
    rel == SITEMAP
        || rel == PRINT_ALL
        || is_shard_file(rel)
        || (base_url && (rel == SITEMAP_XML || is_sitemap_xml_part(rel)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_named_and_recognised() {
        assert_eq!(shard_file(12), "search-index-12.js");
        assert!(is_shard_file("search-index-12.js"));
        assert!(!is_shard_file("search-index-.js") && !is_shard_file("search.js"));
        for base_url in [false, true] {
            assert!(is_reserved("sitemap.html", base_url));
            assert!(is_reserved("gesamtdokument.html", base_url));
            assert!(!is_reserved("hilfe/sitemap.html", base_url));
            assert!(
                !is_reserved("robots.txt", base_url),
                "a site's own one wins"
            );
        }
    }

    #[test]
    fn the_sitemap_for_search_engines_is_reserved_only_with_a_base_url() {
        assert_eq!(sitemap_xml_part(3), "sitemap-3.xml");
        for name in ["sitemap.xml", "sitemap-1.xml", "sitemap-12.xml"] {
            assert!(
                is_reserved(name, true) && !is_reserved(name, false),
                "{name}"
            );
        }
        for name in [
            "sitemap-.xml",
            "sitemap-a.xml",
            "hilfe/sitemap.xml",
            "sitemap-1.html",
        ] {
            assert!(!is_reserved(name, true), "{name}");
        }
    }
}
