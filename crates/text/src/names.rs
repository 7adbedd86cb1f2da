//! The names of the files a build writes besides each page's own `index.html`: one place
//! for the Rust code, handed to every template as `names` (`{{ root }}{{ names.sitemap }}`)
//! and from there to search.js (`data-shard-prefix`). A static or content file may not take
//! one of the site-wide names ([`is_reserved`]).

use serde::Serialize;

/// The page listing every page.
pub const SITEMAP: &str = "sitemap.html";
/// The print-all document: every page in reading order.
pub const PRINT_ALL: &str = "gesamtdokument.html";
/// The search index's shards: `search-index-0.js`, `search-index-1.js`, …
pub(crate) const SEARCH_SHARD_PREFIX: &str = "search-index-";
pub(crate) const SEARCH_SHARD_SUFFIX: &str = ".js";

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

/// Whether `rel` is one of the files the build writes for the whole site.
pub fn is_reserved(rel: &str) -> bool {
    rel == SITEMAP || rel == PRINT_ALL || is_shard_file(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_named_and_recognised() {
        assert_eq!(shard_file(12), "search-index-12.js");
        assert!(is_shard_file("search-index-12.js"));
        assert!(!is_shard_file("search-index-.js") && !is_shard_file("search.js"));
        assert!(is_reserved("sitemap.html") && is_reserved("gesamtdokument.html"));
        assert!(!is_reserved("hilfe/sitemap.html"));
    }
}
