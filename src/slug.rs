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

/// Lowercase ASCII slug: umlauts and ß transliterated the German way, other accents dropped,
/// everything that is not a letter or digit folded into single hyphens.
pub fn slugify(text: &str) -> String {
    let text = nfc(text);
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' | 'ã' | 'å' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
            'ù' | 'ú' | 'û' => "u",
            'ý' | 'ÿ' => "y",
            c if c.is_ascii_alphanumeric() => {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(c);
                continue;
            }
            _ => {
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
            crate::work::add(1);
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
        crate::work::take();
        for _ in 0..20_000 {
            ids.claim("ziele");
        }
        assert_eq!(ids.claim("ziele"), "ziele-20000");
        assert!(crate::work::take() <= 2 * 20_001);
    }
}
