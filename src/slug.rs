//! German-aware slugs for heading ids and output paths: "Übersicht" → "uebersicht".

/// Lowercase ASCII slug: umlauts and ß transliterated the German way, other accents dropped,
/// everything that is not a letter or digit folded into single hyphens.
pub fn slugify(text: &str) -> String {
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
pub struct UniqueIds(std::collections::HashSet<String>);

impl UniqueIds {
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() {
            "abschnitt"
        } else {
            wanted
        };
        let mut candidate = base.to_string();
        let mut n = 1;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }

    /// Reserves an id that was chosen explicitly; false if it was taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.0.insert(id.to_string())
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
    }

    #[test]
    fn unique_ids_count_up() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("ziele"), "ziele");
        assert_eq!(ids.claim("ziele"), "ziele-1");
        assert_eq!(ids.claim("ziele"), "ziele-2");
        assert_eq!(ids.claim(""), "abschnitt");
    }
}
