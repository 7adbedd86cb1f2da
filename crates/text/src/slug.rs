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
/// paths) and in the search: umlauts and ß spelled out, other accents dropped. Lowercase
/// letters only; text is lowercased first. The first part of the one folding table
/// ([`fold_char`]), which goes on with the rest of the Latin alphabets.
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

/// Letters that carry no mark Unicode could take off (they do not decompose), written the
/// way they are spelled without it: Polish ł, Croatian and Serbian đ, Turkish dotless ı,
/// Danish and Norwegian æ, ø, Icelandic þ and ð, Maltese ħ, and the like.
pub const LETTERS_WITHOUT_MARKS: &[(char, &str)] = &[
    ('æ', "ae"),
    ('ð', "d"),
    ('þ', "th"),
    ('đ', "d"),
    ('ħ', "h"),
    ('ı', "i"),
    ('ĸ', "k"),
    ('ŀ', "l"),
    ('ł', "l"),
    ('ŋ', "n"),
    ('œ', "oe"),
    ('ŧ', "t"),
    ('ſ', "s"),
    ('ƀ', "b"),
    ('ƒ', "f"),
    ('ɨ', "i"),
    ('ʉ', "u"),
];

/// The Latin letters the folding table covers: Latin-1, Latin Extended-A and -B (Turkish,
/// Polish, Czech, Croatian, Romanian, …) and Latin Extended Additional (Vietnamese).
const LATIN: [std::ops::RangeInclusive<u32>; 2] = [0xC0..=0x24F, 0x1E00..=0x1EFF];

/// The one folding table of Latin letters beyond ASCII, lowercase, for slugs, the search
/// index, search.js and the inbox's filter (they get it as JSON, [`folding_json`]): first
/// [`GERMAN_FOLDING`] (umlauts spelled out), then [`LETTERS_WITHOUT_MARKS`], then every other
/// letter of [`LATIN`] without its marks (ş → s, ğ → g, ř → r, ệ → e).
fn folding() -> &'static [Option<Box<str>>] {
    static TABLE: std::sync::OnceLock<Vec<Option<Box<str>>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let len: usize = LATIN
            .iter()
            .map(|r| (r.end() - r.start() + 1) as usize)
            .sum();
        let mut table = vec![None; len];
        for c in LATIN
            .iter()
            .flat_map(|r| r.clone())
            .filter_map(char::from_u32)
        {
            let explicit = GERMAN_FOLDING
                .iter()
                .chain(LETTERS_WITHOUT_MARKS)
                .find(|(from, _)| *from == c)
                .map(|(_, to)| (*to).to_string());
            let without_marks = || {
                let base: String = std::iter::once(c).nfd().filter(|m| !is_mark(*m)).collect();
                Some(base)
                    .filter(|b| b != &c.to_string() && b.chars().all(|b| b.is_ascii_lowercase()))
            };
            if !c.is_lowercase() {
                continue;
            }
            if let Some(slot) = index_of(c) {
                table[slot] = explicit.or_else(without_marks).map(String::into_boxed_str);
            }
        }
        table
    })
}

/// Where `c` stands in [`folding`], if it is a letter of [`LATIN`].
#[inline]
fn index_of(c: char) -> Option<usize> {
    let mut offset = 0;
    for range in &LATIN {
        let n = c as u32;
        if range.contains(&n) {
            return Some(offset + (n - range.start()) as usize);
        }
        offset += (range.end() - range.start() + 1) as usize;
    }
    None
}

/// A combining mark (U+0300–U+036F): what NFC leaves of a letter it cannot compose, such as
/// the dot that lowercasing Turkish İ puts after i. Folding drops it without a trace.
#[inline]
pub(crate) fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// How the one folding table writes the lowercase letter `c`, if it is one of its letters.
#[inline]
pub(crate) fn fold_char(c: char) -> Option<&'static str> {
    folding()[index_of(c)?].as_deref()
}

/// The folding table as a JSON object, for scripts (search.js, the inbox's filter).
pub fn folding_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = LATIN
        .iter()
        .flat_map(|r| r.clone())
        .filter_map(char::from_u32)
        .filter_map(|c| fold_char(c).map(|to| (c.to_string(), serde_json::Value::from(to))))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Characters that show nothing but make two texts differ: soft hyphen, zero-width space,
/// joiners and marks, direction controls, word joiner and byte order mark. Two applications
/// whose identifying answers differ only by them are the same municipality.
pub const INVISIBLE: &str = "\u{ad}\u{200b}\u{200c}\u{200d}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2060}\u{2061}\u{2062}\u{2063}\u{2064}\u{2066}\u{2067}\u{2068}\u{2069}\u{feff}";

/// An identifying answer as duplicates are compared: NFC, without [`INVISIBLE`] characters,
/// white space runs as one space, trimmed, lowercase. The inbox compares the same way (it
/// gets [`INVISIBLE`] in its model).
pub fn identity_key(text: &str) -> String {
    let visible: String = nfc(text)
        .chars()
        .filter(|c| !INVISIBLE.contains(*c))
        .collect();
    visible
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Lowercase ASCII slug: letters folded the German way ([`GERMAN_FOLDING`]), everything that
/// is not an ASCII letter or digit folded into single hyphens.
pub fn slugify(text: &str) -> String {
    let text = nfc(text);
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_mark(c) {
            continue;
        }
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
    fn identifying_answers_compare_without_invisible_characters() {
        assert_eq!(
            identity_key("Landkreis\u{200b} Göttingen"),
            identity_key("landkreis göttingen")
        );
        assert_eq!(
            identity_key("  Landkreis   Go\u{308}ttingen "),
            "landkreis göttingen"
        );
        assert_eq!(
            identity_key("\u{feff}Stadt\u{ad}verwaltung"),
            "stadtverwaltung"
        );
        assert_ne!(
            identity_key("Landkreis Goslar"),
            identity_key("Landkreis Göttingen")
        );
    }

    #[test]
    fn every_latin_alphabet_folds_through_the_one_table() {
        for (name, slug) in [
            ("Ayşe Yılmaz", "ayse-yilmaz"),
            ("İstanbul", "istanbul"),
            ("Đorđe Petrović", "dorde-petrovic"),
            ("Łukasz Wójcik, Łódź", "lukasz-wojcik-lodz"),
            ("Dvořák", "dvorak"),
            ("Ștefan Țepeș", "stefan-tepes"),
            ("Nguyễn Thị Minh Khai", "nguyen-thi-minh-khai"),
            ("Æbleskiver og Smørrebrød", "aebleskiver-og-smorrebrod"),
            // German stays German.
            ("Bevölkerung", "bevoelkerung"),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
        assert_eq!(crate::search::fold("Ayşegül"), "ayseguel");
        assert_eq!(crate::search::fold("Олена"), "олена");
        let json: serde_json::Value = serde_json::from_str(&folding_json()).unwrap();
        assert_eq!(json["ş"], "s");
        assert_eq!(json["ı"], "i");
        assert_eq!(json["ä"], "ae");
        assert_eq!(json["ệ"], "e");
        assert!(json.get("Ş").is_none(), "lowercase letters only");
    }

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
