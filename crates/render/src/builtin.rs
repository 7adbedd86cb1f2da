//! The built-in theme: the default look and the form runtime (scripts, the form controls'
//! templates whose markup the scripts rely on, styles, strings, PDF fonts), embedded in the
//! binary from crates/render/theme/ (build.rs). Every site uses it; a site changes single
//! files by its own templates/ and static/ or by a theme of its own under themes/, which
//! extends this one and holds only what it changes.

use sha2::{Digest, Sha256};

include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// The name under which a site asks for the built-in theme (`theme = "default"`, also when
/// formwerk.toml names no theme).
pub const NAME: &str = "default";

/// Where built-in files are said to come from in messages: `<built-in>/templates/base.html`.
pub const SHOWN_PREFIX: &str = "<built-in>";

/// The built-in file `rel` (`templates/base.html`, `static/formwerk.js`, `fonts/…`).
pub fn file(rel: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(name, _)| (*name).cmp(rel))
        .ok()
        .map(|i| FILES[i].1)
}

/// The built-in files below `dir` (`templates`, `static`, `i18n`, `fonts`), as (name below
/// it, bytes).
pub fn under(dir: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    FILES.iter().filter_map(move |(rel, bytes)| {
        rel.strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .map(|r| (r, *bytes))
    })
}

/// The SHA-256 of `bytes` in hex, as the ejected files' notes and `formwerk upgrade` give it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_and_the_fonts_are_built_in_and_found_by_name() {
        assert!(
            FILES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted for lookups"
        );
        for rel in [
            "templates/base.html",
            "templates/form/field.html",
            "static/formwerk.js",
            "static/form-rules.js",
            "i18n/de.toml",
            "fonts/DejaVuSans.ttf",
        ] {
            assert!(file(rel).is_some_and(|b| !b.is_empty()), "{rel}");
        }
        assert!(under("static").any(|(name, _)| name == "formwerk.css"));
        assert_eq!(file("templates/nothing.html"), None);
    }
}
