//! The offline search: every page's words, normalised the German way, written into
//! `search-index.js` (a script, because pages opened from disk may not fetch JSON) and
//! searched in the browser by `search.js`, which normalises queries exactly like this.

use serde::{Deserialize, Serialize};

/// The index is written in shards, `search-index-0.js` … : a watch rebuild rewrites only the
/// shard of a changed page, and a page loads them only when someone starts to search.
pub fn shard_count(pages: usize) -> usize {
    pages.div_ceil(1000).clamp(1, 64)
}

/// The shard a page's entry goes to, by a hash of its output path that is the same in every
/// run (FNV-1a).
pub fn shard_of(output: &str, shards: usize) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in output.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
    }
    (h % shards as u64) as usize
}

pub use crate::names::{is_shard_file, shard_file};

/// What the search knows of one page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchDoc {
    /// The start of the page's text, shown under a hit.
    pub snippet: String,
    /// The page's distinct word stems, space-separated.
    pub terms: String,
}

/// Lowercase, letters folded the German way ([`crate::slug::GERMAN_FOLDING`]: "Bevölkerung"
/// and "Bevoelkerung" become the same).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        // Most words: no umlauts, no accents.
        out.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase() as char),
        );
        return;
    }
    for upper in crate::slug::nfc(word).chars() {
        for c in upper.to_lowercase() {
            match crate::slug::fold_char(c) {
                Some(folded) => out.push_str(folded),
                None if c.is_alphanumeric() => out.push(c),
                None => {}
            }
        }
    }
}

/// A light German stemmer: common inflection endings go, so that "Maßnahmen" finds
/// "Maßnahme" and "Handlungsfeldern" finds "Handlungsfelder". search.js does the same with
/// [`ENDINGS`] (tests/search_parity.rs).
pub fn stem(folded: &str) -> String {
    stem_str(folded).to_string()
}

/// The endings [`stem`] removes, the first that fits (handed to search.js with the index).
pub const ENDINGS: [&str; 7] = ["ern", "em", "en", "er", "es", "e", "s"];

fn stem_str(folded: &str) -> &str {
    let n = folded.chars().count();
    for ending in ENDINGS {
        if n > ending.len() + 3 && folded.ends_with(ending) {
            return &folded[..folded.len() - ending.len()];
        }
    }
    if n > 4 && folded.ends_with('n') {
        return &folded[..folded.len() - 1];
    }
    folded
}

/// Adds the folded, stemmed words of `text` to `into`, allocating only for new words.
fn add_terms(text: &str, into: &mut std::collections::HashSet<String>) {
    let mut folded = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        folded.clear();
        fold_into(word, &mut folded);
        let stemmed = stem_str(&folded);
        if stemmed.chars().nth(1).is_some() && !into.contains(stemmed) {
            into.insert(stemmed.to_string());
        }
    }
}

/// The text of rendered HTML, tags removed and entities for <, >, & and quotes decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    if !out.contains('&') {
        return out;
    }
    let mut decoded = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find('&') {
        decoded.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = [
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&amp;", '&'),
        ]
        .into_iter()
        .find(|(e, _)| rest.starts_with(e));
        match entity {
            Some((e, c)) => {
                decoded.push(c);
                rest = &rest[e.len()..];
            }
            None => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// What the search keeps of a page: its title and the text of its content.
pub fn document(title: &str, text: &str) -> SearchDoc {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut snippet = String::new();
    for w in &words {
        if snippet.chars().count() > 180 {
            snippet.push_str(" …");
            break;
        }
        if !snippet.is_empty() {
            snippet.push(' ');
        }
        snippet.push_str(w);
    }
    let mut all = std::collections::HashSet::new();
    add_terms(title, &mut all);
    add_terms(text, &mut all);
    let mut all: Vec<String> = all.into_iter().collect();
    all.sort_unstable();
    SearchDoc {
        snippet,
        terms: all.join(" "),
    }
}

/// One shard of the index: `[title, path from the output root, snippet, terms]` per page,
/// added to `window.FORMWERK_SEARCH` when the script runs.
pub fn index_script(docs: &[(&str, &str, &SearchDoc)]) -> String {
    let rows: Vec<(&str, &str, &str, &str)> = docs
        .iter()
        .map(|(title, path, doc)| (*title, *path, doc.snippet.as_str(), doc.terms.as_str()))
        .collect();
    let json = serde_json::to_string(&rows)
        .expect("strings serialise")
        .replace('<', "\\u003c");
    format!(
        "(window.FORMWERK_SEARCH = window.FORMWERK_SEARCH || []).push.apply(window.FORMWERK_SEARCH, {json});\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_spellings_meet() {
        assert_eq!(stem(&fold("Bevölkerung")), stem(&fold("Bevoelkerung")));
        assert_eq!(stem(&fold("Maßnahmen")), stem(&fold("Massnahme")));
        assert_eq!(
            stem(&fold("Handlungsfeldern")),
            stem(&fold("Handlungsfelder"))
        );
        assert_eq!(stem(&fold("Projekte")), stem(&fold("Projekt")));
    }

    #[test]
    fn shards_are_stable_and_named() {
        assert_eq!(shard_count(6), 1);
        assert_eq!(shard_count(10_101), 11);
        assert_eq!(shard_of("a/index.html", 7), shard_of("a/index.html", 7));
    }

    #[test]
    fn documents_have_a_snippet_and_distinct_terms() {
        let doc = document(
            "Bestandsaufnahme",
            &html_text("<p>Die Bestandsaufnahme ist &amp; bleibt.</p>"),
        );
        assert_eq!(doc.snippet, "Die Bestandsaufnahme ist & bleibt.");
        assert_eq!(doc.terms, "bestandsaufnahm bleibt die ist");
    }
}
