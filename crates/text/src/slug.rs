//! German-aware slugs for heading ids and output paths: "Übersicht" → "uebersicht".

use std::borrow::Cow;
use std::path::Path;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Text in Unicode's composed form (NFC): "Ü" written as "U" and a combining diaeresis (as
/// macOS writes file names, and text copied from some PDFs) becomes the one character "Ü",
/// so that both spellings give the same id, output path and link target.
pub fn nfc(text: &str) -> Cow<'_, str> {
    // Every character below U+0300 (where the combining marks begin) is already composed.
    if text.chars().all(|c| c < '\u{300}') || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// A path with every name in NFC (see [`nfc`]).
pub fn nfc_path(path: &Path) -> Cow<'_, Path> {
    match path.to_str().map(nfc) {
        Some(Cow::Owned(s)) => Cow::Owned(s.into()),
        _ => Cow::Borrowed(path),
    }
}

/// The German way of writing letters without their marks, in slugs (heading ids, output
/// paths) and in the search (the index, and through it search.js, which gets this table with
/// the index): umlauts and ß spelled out, other accents dropped. Lowercase letters only; text
/// is lowercased first.
pub const GERMAN_FOLDING: &[(char, &str)] = &[
    ('ä', "ae"),
    ('ö', "oe"),
    ('ü', "ue"),
    ('ß', "ss"),
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('å', "a"),
    ('ç', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ø', "o"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
];

/// The first letter [`GERMAN_FOLDING`] may hold ('ß', U+00DF) and how many follow it.
const FOLDING_FIRST: u32 = 0xDF;
const FOLDING_SPAN: usize = 0x21;

/// [`GERMAN_FOLDING`] by letter, from 'ß' to 'ÿ': 1 + its place in the table, or 0. A letter
/// of the table outside that range stops the build (a compile-time error).
const FOLDING_INDEX: [u8; FOLDING_SPAN] = {
    let mut index = [0u8; FOLDING_SPAN];
    let mut i = 0;
    while i < GERMAN_FOLDING.len() {
        let at = GERMAN_FOLDING[i].0 as u32;
        assert!(at >= FOLDING_FIRST && ((at - FOLDING_FIRST) as usize) < FOLDING_SPAN);
        index[(at - FOLDING_FIRST) as usize] = (i + 1) as u8;
        i += 1;
    }
    index
};

/// How [`GERMAN_FOLDING`] writes the lowercase letter `c`, if it is one of its letters.
#[inline]
pub(crate) fn fold_char(c: char) -> Option<&'static str> {
    let at = (c as u32).checked_sub(FOLDING_FIRST)? as usize;
    match FOLDING_INDEX.get(at) {
        Some(&n) if n > 0 => Some(GERMAN_FOLDING[n as usize - 1].1),
        _ => None,
    }
}

/// [`GERMAN_FOLDING`] as a JSON object, for scripts.
pub fn folding_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = GERMAN_FOLDING
        .iter()
        .map(|(from, to)| (from.to_string(), serde_json::Value::from(*to)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Lowercase ASCII slug: letters folded the German way ([`GERMAN_FOLDING`]), everything that
/// is not an ASCII letter or digit folded into single hyphens.
pub fn slugify(text: &str) -> String {
    let text = nfc(text);
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match fold_char(c) {
            Some(mapped) => mapped,
            None if c.is_ascii_alphanumeric() => {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(c);
                continue;
            }
            None => {
                pending_hyphen = true;
                continue;
            }
        };
        if pending_hyphen && !out.is_empty() {
            out.push('-');
        }
        pending_hyphen = false;
        out.push_str(mapped);
    }
    out
}

/// Hands out unique ids within one page: the second "Ziele" becomes "ziele-1".
#[derive(Default)]
pub struct UniqueIds {
    taken: std::collections::HashSet<String>,
    /// For each wanted id, the suffix to try next, so the n-th "Ziele" does not try the
    /// n − 1 taken ones again.
    next: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() {
            "abschnitt"
        } else {
            wanted
        };
        let mut n = self.next.get(base).copied().unwrap_or(0);
        loop {
            formwerk_base::work::add(1);
            let candidate = if n == 0 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if self.taken.insert(candidate.clone()) {
                // Only an id wanted more than once needs to remember where to go on.
                if n > 1 {
                    self.next.insert(base.to_string(), n);
                }
                return candidate;
            }
        }
    }

    /// Reserves an id that was chosen explicitly; false if it was taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_transliteration() {
        assert_eq!(slugify("Übersicht"), "uebersicht");
        assert_eq!(slugify("Größe & Maße"), "groesse-masse");
        assert_eq!(
            slugify("  Partizipation durch Sprache, Bildung und Beruf "),
            "partizipation-durch-sprache-bildung-und-beruf"
        );
        assert_eq!(slugify("Café – 2026!"), "cafe-2026");
        // Decomposed, as macOS writes file names: U + combining diaeresis.
        assert_eq!(
            slugify("U\u{308}bersicht Gro\u{308}ße"),
            "uebersicht-groesse"
        );
        assert_eq!(nfc("A\u{308}rger"), "Ärger");
    }

    #[test]
    fn unique_ids_count_up() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("ziele"), "ziele");
        assert_eq!(ids.claim("ziele"), "ziele-1");
        assert_eq!(ids.claim("ziele"), "ziele-2");
        assert_eq!(ids.claim(""), "abschnitt");
        ids.reserve("teil-1");
        assert_eq!(ids.claim("teil"), "teil");
        assert_eq!(ids.claim("teil"), "teil-2");
    }

    /// 20,000 headings "Ziele": each claim tries a bounded number of candidates (trying
    /// "ziele", "ziele-1", … anew each time made the n-th claim cost n).
    #[test]
    fn claiming_the_same_id_again_and_again_is_linear() {
        let mut ids = UniqueIds::default();
        formwerk_base::work::take();
        for _ in 0..20_000 {
            ids.claim("ziele");
        }
        assert_eq!(ids.claim("ziele"), "ziele-20000");
        assert!(formwerk_base::work::take() <= 2 * 20_001);
    }
}
