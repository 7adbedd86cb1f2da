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

pub use crate::names::shard_file;

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
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // Most words: no umlauts, no accents, nothing to drop.
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    if word.is_ascii() {
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

/// A name of another language written with ü, ö or ä beside its own letters (Turkish
/// "Ayşegül", "Gökçe"), folded with them as plain vowels: the spelling a searcher types who
/// does not write German. The index holds both; German words ("Bevölkerung") keep one term.
fn without_umlauts(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let lower = word.to_lowercase();
    let foreign = lower
        .chars()
        .any(|c| !c.is_ascii() && !matches!(c, 'ä' | 'ö' | 'ü' | 'ß') && c.is_alphabetic());
    if !foreign || !lower.contains(['ä', 'ö', 'ü']) {
        return None;
    }
    let plain = lower.replace('ä', "a").replace('ö', "o").replace('ü', "u");
    Some(fold(&plain))
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
    // Only compared with numbers up to 6: counting further is wasted.
    let n = folded.chars().take(7).count();
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

/// What the search keeps of a page, gathered in one pass over its rendered text: tags
/// skipped and the entities for <, >, &, and quotes decoded on the way, the first words kept as
/// the snippet, every word folded and stemmed. Nothing is allocated per word: the indexer
/// is kept from page to page ([`Indexer::with`]), and a word is folded and stemmed only the
/// first time the thread meets it (a site's words recur from page to page); after that it
/// is one look-up.
#[derive(Default)]
pub struct Indexer {
    snippet: String,
    snippet_chars: usize,
    snippet_done: bool,
    /// Inside a run of non-whitespace (a word of the snippet).
    in_token: bool,
    /// Words as written (case and all) that this thread has met, with the number of their
    /// stem in `stems`. Fx, not SipHash: the words are the site's own content, not input
    /// from strangers that could be chosen to collide.
    known: rustc_hash::FxHashMap<Box<str>, u32>,
    /// The stems by number; empty for a word too short to search for.
    stems: Vec<Box<str>>,
    /// The numbers of the stems of the page's words, in order, repeated.
    page: Vec<u32>,
    /// Where a new word is folded.
    folded: String,
}

/// Beyond this many known words (a site with a very large vocabulary), the indexer forgets
/// them before the next page, which bounds its memory.
const KNOWN_WORDS: usize = 100_000;

thread_local! {
    static INDEXER: std::cell::RefCell<Indexer> = std::cell::RefCell::default();
}

/// The HTML entities the renderer writes, and what they stand for.
const ENTITIES: [(&str, char); 5] = [
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
    ("&amp;", '&'),
];

/// Snippets end after the word that makes them longer than this many characters.
const SNIPPET_CHARS: usize = 180;

impl Indexer {
    /// Runs `f` with this thread's indexer, emptied.
    pub fn with<R>(f: impl FnOnce(&mut Indexer) -> R) -> R {
        INDEXER.with(|cell| {
            let mut indexer = cell.borrow_mut();
            indexer.clear();
            f(&mut indexer)
        })
    }

    fn clear(&mut self) {
        self.snippet.clear();
        self.snippet_chars = 0;
        self.snippet_done = false;
        self.in_token = false;
        self.page.clear();
        if self.known.len() > KNOWN_WORDS {
            self.known.clear();
            self.stems.clear();
        }
    }

    /// Adds the text of rendered HTML.
    pub fn html(&mut self, html: &str) {
        let bytes = html.as_bytes();
        let mut word = None;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'<' => {
                    self.end_word(html, &mut word, i);
                    // A tag counts as a space; one that never closes hides the rest.
                    match html[i..].find('>') {
                        Some(end) => {
                            self.snippet_char(' ');
                            i += end + 1;
                        }
                        None => i = bytes.len(),
                    }
                }
                b'&' => {
                    self.end_word(html, &mut word, i);
                    let rest = &html[i..];
                    match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                        Some(&(e, decoded)) => {
                            self.snippet_char(decoded);
                            i += e.len();
                        }
                        None => {
                            self.snippet_char('&');
                            i += 1;
                        }
                    }
                }
                _ => i += self.run_at(html, &mut word, i),
            }
        }
        self.end_word(html, &mut word, html.len());
    }

    /// Adds plain text.
    pub fn text(&mut self, text: &str) {
        let mut word = None;
        let mut i = 0;
        while i < text.len() {
            i += self.run_at(text, &mut word, i);
        }
        self.end_word(text, &mut word, text.len());
    }

    /// Takes the run of ASCII letters and digits at `i` at once (most of a text), else the
    /// character there; returns the length taken.
    #[inline]
    fn run_at(&mut self, text: &str, word: &mut Option<usize>, i: usize) -> usize {
        let bytes = text.as_bytes();
        if !bytes[i].is_ascii_alphanumeric() {
            return self.char_at(text, word, i);
        }
        let end = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| i + n);
        word.get_or_insert(i);
        if !self.snippet_done {
            // The first character may start a snippet word (or end the snippet); the others
            // only continue it, as `snippet_char` would.
            self.snippet_char(bytes[i] as char);
            if !self.snippet_done {
                self.snippet.push_str(&text[i + 1..end]);
                self.snippet_chars += end - i - 1;
            }
        }
        end - i
    }

    /// Takes the character at `i` (a word's or a separator); returns its length.
    #[inline]
    fn char_at(&mut self, text: &str, word: &mut Option<usize>, i: usize) -> usize {
        let b = text.as_bytes()[i];
        let (c, len) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            (c, c.len_utf8())
        };
        if c.is_alphanumeric() {
            word.get_or_insert(i);
        } else {
            self.end_word(text, word, i);
        }
        self.snippet_char(c);
        len
    }

    #[inline]
    fn snippet_char(&mut self, c: char) {
        if self.snippet_done {
            return;
        }
        if c.is_whitespace() {
            self.in_token = false;
            return;
        }
        if !self.in_token {
            self.in_token = true;
            if self.snippet_chars > SNIPPET_CHARS {
                self.snippet.push_str(" …");
                self.snippet_done = true;
                return;
            }
            if self.snippet_chars > 0 {
                self.snippet.push(' ');
                self.snippet_chars += 1;
            }
        }
        self.snippet.push(c);
        self.snippet_chars += 1;
    }

    fn end_word(&mut self, text: &str, word: &mut Option<usize>, end: usize) {
        if let Some(start) = word.take() {
            self.word(&text[start..end]);
        }
    }

    /// Notes the word's stem: looked up if the thread has met the word before, else folded
    /// and stemmed (once).
    fn word(&mut self, word: &str) {
        let id = match self.known.get(word) {
            Some(&id) => id,
            None => {
                self.folded.clear();
                fold_into(word, &mut self.folded);
                let stemmed = stem_str(&self.folded);
                let mut stem = if stemmed.chars().nth(1).is_some() {
                    stemmed.to_string()
                } else {
                    String::new()
                };
                // "Aysegul" finds "Ayşegül" as "Bevoelkerung" finds "Bevölkerung".
                if let Some(plain) = without_umlauts(word) {
                    let plain = stem_str(&plain);
                    if !stem.is_empty() && plain != stem {
                        stem.push(' ');
                        stem.push_str(plain);
                    }
                }
                let id = u32::try_from(self.stems.len()).expect("at most KNOWN_WORDS stems");
                self.stems.push(stem.into());
                self.known.insert(word.into(), id);
                id
            }
        };
        if !self.stems[id as usize].is_empty() {
            self.page.push(id);
        }
    }

    /// The page's entry: the snippet of the text added, the distinct stems of it and of the
    /// title, sorted.
    pub fn finish(&mut self, title: &str) -> SearchDoc {
        let mut word = None;
        for (i, c) in title.char_indices() {
            if c.is_alphanumeric() {
                word.get_or_insert(i);
            } else {
                self.end_word(title, &mut word, i);
            }
        }
        self.end_word(title, &mut word, title.len());
        // Numbers first (cheap to sort), then the distinct stems by their text: two words
        // may share a stem ("Maßnahme", "Maßnahmen").
        self.page.sort_unstable();
        self.page.dedup();
        // A name's stem may carry its second spelling after a space (`without_umlauts`).
        let mut sorted: Vec<&str> = self
            .page
            .iter()
            .flat_map(|&id| self.stems[id as usize].split(' '))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        SearchDoc {
            snippet: self.snippet.clone(),
            terms: sorted.join(" "),
        }
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

    fn document(title: &str, html: &str) -> SearchDoc {
        Indexer::with(|i| {
            i.html(html);
            i.finish(title)
        })
    }

    #[test]
    fn documents_have_a_snippet_and_distinct_terms() {
        let doc = document(
            "Bestandsaufnahme",
            "<p>Die Bestandsaufnahme ist &amp; bleibt.</p>",
        );
        assert_eq!(doc.snippet, "Die Bestandsaufnahme ist & bleibt.");
        assert_eq!(doc.terms, "bestandsaufnahm bleibt die ist");
    }

    /// The two passes this indexer replaced: tags stripped and entities decoded into a new
    /// string, then split into words.
    fn two_passes(title: &str, html: &str) -> SearchDoc {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let mut decoded = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find('&') {
            decoded.push_str(&rest[..i]);
            rest = &rest[i..];
            match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, c)) => {
                    decoded.push(*c);
                    rest = &rest[e.len()..];
                }
                None => {
                    decoded.push('&');
                    rest = &rest[1..];
                }
            }
        }
        decoded.push_str(rest);
        let mut snippet = String::new();
        for w in decoded.split_whitespace() {
            if snippet.chars().count() > SNIPPET_CHARS {
                snippet.push_str(" …");
                break;
            }
            if !snippet.is_empty() {
                snippet.push(' ');
            }
            snippet.push_str(w);
        }
        let mut terms = std::collections::BTreeSet::new();
        for w in title
            .split(|c: char| !c.is_alphanumeric())
            .chain(decoded.split(|c: char| !c.is_alphanumeric()))
        {
            let s = stem(&fold(w));
            if s.chars().count() > 1 {
                if let Some(plain) = without_umlauts(w).map(|p| stem(&p)).filter(|p| *p != s) {
                    terms.insert(plain);
                }
                terms.insert(s);
            }
        }
        SearchDoc {
            snippet,
            terms: terms.into_iter().collect::<Vec<_>>().join(" "),
        }
    }

    #[test]
    fn names_of_every_latin_alphabet_are_found_as_typed_without_their_marks() {
        let doc = Indexer::with(|index| {
            index.html("<p>Ayşegül Yılmaz, Łukasz Wójcik, Đorđe Petrović, Bevölkerung</p>");
            index.finish("Koordinierung")
        });
        let terms: Vec<&str> = doc.terms.split(' ').collect();
        for typed in [
            "Aysegul",
            "Ayşegül",
            "Yilmaz",
            "Lukasz",
            "Wojcik",
            "Dorde",
            "Petrovic",
            "Bevoelkerung",
        ] {
            let wanted = stem(&fold(typed));
            assert!(
                terms.contains(&wanted.as_str()),
                "{typed} ({wanted}) in {terms:?}"
            );
        }
        // German words keep one spelling, spelled out.
        assert!(!terms.contains(&"bevolkerung"), "{terms:?}");
    }

    #[test]
    fn one_pass_reads_html_as_two_did() {
        let long = "Wort ".repeat(60);
        for (title, html) in [
            (
                "Über Maßnahmen",
                "<h2 id=\"x\">Größe &amp;&lt;Zahl&gt;</h2>\n<p>a&b &quot;Bevölkerung&#39;s&quot; x>y</p>",
            ),
            ("T", "<p>Ende &am<b>p;</b> &amp;amp; un<i>ge</i>teilt</p>"),
            ("", long.as_str()),
            ("Titel", "Text ohne Tags, und ein offenes <tag ohne Ende"),
            ("İstanbul", "<p>ÀÉÎ ÕÜ straße  \t neue\u{a0}Zeile</p>"),
        ] {
            assert_eq!(document(title, html), two_passes(title, html), "{html}");
        }
    }
}
