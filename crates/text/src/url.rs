//! Absolute addresses, which only a site with a `base_url` gets (its sitemap for search
//! engines, robots.txt, each page's canonical link); every other link the build writes is
//! relative. One encoder for the paths in them, strict as RFC 3986 asks, so that the same
//! address is written alike wherever it appears.

/// `path` with every character that may not stand in a URL path percent-encoded (as UTF-8
/// bytes): letters and digits of ASCII, `/` and `-._~!$&'()*+,;=:@` stay, and so does a `%`
/// that begins an escape (`%C3%B6`); everything else, spaces and non-ASCII letters among it,
/// becomes `%XX`.
pub fn encode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_starts = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) || escape_starts {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The absolute address of the output file `rel` (`/`-separated, from the output root) on a
/// site whose files lie at `base` (a checked `base_url`, ending in `/`).
pub fn absolute(base: &str, rel: &str) -> String {
    format!("{base}{}", encode_path(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_escaped_as_rfc_3986_asks() {
        assert_eq!(
            encode_path("hilfe/zweite/index.html"),
            "hilfe/zweite/index.html"
        );
        assert_eq!(encode_path("hilfe/Plan A.pdf"), "hilfe/Plan%20A.pdf");
        assert_eq!(encode_path("förderung/"), "f%C3%B6rderung/");
        assert_eq!(
            encode_path("f%C3%B6rderung/"),
            "f%C3%B6rderung/",
            "kept as escaped"
        );
        assert_eq!(encode_path("100%/a#b?c\"<>"), "100%25/a%23b%3Fc%22%3C%3E");
        assert_eq!(encode_path("a&b;c=d"), "a&b;c=d");
    }

    #[test]
    fn an_output_file_under_the_base() {
        assert_eq!(
            absolute(
                "https://www.ms.niedersachsen.de/foerderung/",
                "hilfe/index.html"
            ),
            "https://www.ms.niedersachsen.de/foerderung/hilfe/index.html"
        );
        assert_eq!(
            absolute("https://a.de/", "index.html"),
            "https://a.de/index.html"
        );
    }
}
