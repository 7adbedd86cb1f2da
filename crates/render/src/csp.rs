//! The Content Security Policy every page satisfies, defined once. Pages load their scripts
//! and style sheets from the site itself and carry no `style=` or `on…=` attributes; the few
//! inline parts a page has (the offline copy's CSS and script, a form's print header) are
//! allowed by their SHA-256 hashes. The build writes the policy into each page as a
//! `<meta http-equiv="Content-Security-Policy">` with that page's hashes, so it holds from
//! `file://` and in the single-file offline copy too; docs/deployment.md gives the same
//! policy as a header for Apache and nginx ([`header`]).

use memchr::memmem::Finder;
use sha2::{Digest, Sha256};

/// The directives of every page, without hashes. `worker-src blob:`: the inbox reads files
/// in a Web Worker made from its own inline text as a `blob:` address (works from `file://`
/// and any path); no page loads a worker from anywhere else.
pub const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; worker-src blob:; object-src 'none'; base-uri 'none'; form-action 'self'";

/// The policy as an HTTP header: directives a `<meta>` element cannot carry added.
pub fn header() -> String {
    format!("{POLICY}; frame-ancestors 'self'")
}

/// The policy of one page: [`POLICY`] with the hashes of the page's inline scripts and
/// style sheets.
pub(crate) fn for_page(html: &str) -> String {
    let scripts = inline_bodies(html, "script");
    let styles = inline_bodies(html, "style");
    let sources = |bodies: &[&str]| {
        let mut hashes: Vec<String> = bodies
            .iter()
            .map(|b| format!(" 'sha256-{}'", base64(&Sha256::digest(b.as_bytes()))))
            .collect();
        hashes.sort();
        hashes.dedup();
        hashes.concat()
    };
    POLICY
        .replace(
            "script-src 'self'",
            &format!("script-src 'self'{}", sources(&scripts)),
        )
        .replace(
            "style-src 'self'",
            &format!("style-src 'self'{}", sources(&styles)),
        )
}

/// The page with its policy as the first element of `<head>` after the character set, so
/// that it covers every inline part. A document without `<head>` is returned unchanged.
pub(crate) fn with_meta(html: &str) -> String {
    let at = match html.find("<meta charset=\"utf-8\">") {
        Some(i) => i + "<meta charset=\"utf-8\">".len(),
        None => match html.find("<head>") {
            Some(i) => i + "<head>".len(),
            None => return html.to_string(),
        },
    };
    let meta = format!(
        "\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        for_page(html)
    );
    let mut out = String::with_capacity(html.len() + meta.len());
    out.push_str(&html[..at]);
    out.push_str(&meta);
    out.push_str(&html[at..]);
    out
}

/// The text of every `<tag>` element without a `src` attribute, as the browser hashes it.
fn inline_bodies<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    // memchr's substring search, not `str::find`: it runs over every page, and its SIMD
    // prefilter makes the whole CSP pass a fraction of the time std's search takes.
    let (open_at, close_at) = (Finder::new(&open), Finder::new(&close));
    let mut bodies = Vec::new();
    let mut rest = html;
    while let Some(start) = open_at.find(rest.as_bytes()) {
        let after = &rest[start + open.len()..];
        // `<scripts>` or `<style-x>` are other elements.
        if !after.starts_with(['>', ' ', '\n', '\t']) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body_and_rest = &after[tag_end + 1..];
        let Some(body_end) = close_at.find(body_and_rest.as_bytes()) else {
            break;
        };
        if !attributes.contains("src=") && runs(attributes) {
            bodies.push(&body_and_rest[..body_end]);
        }
        rest = &body_and_rest[body_end..];
    }
    bodies
}

/// Whether a `<script>` (or `<style>`) with these attributes is run: data blocks such as
/// `<script type="application/json">` are not, and need no hash.
fn runs(attributes: &str) -> bool {
    let Some(at) = attributes.find("type=\"") else {
        return true;
    };
    let value = &attributes[at + 6..];
    let value = &value[..value.find('"').unwrap_or(value.len())];
    matches!(
        value,
        "" | "text/javascript" | "module" | "application/javascript" | "text/css"
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn hashes_inline_parts_only() {
        let html = "<html><head><meta charset=\"utf-8\"><style>a{}</style><script src=\"x.js\"></script>\
                    <script>alert(1)</script><script type=\"application/json\">{}</script></head><body><scripts></scripts></body></html>";
        let policy = for_page(html);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert!(
            policy.contains(
                "script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
            ),
            "{policy}"
        );
        assert!(policy.contains("style-src 'self' 'sha256-"), "{policy}");
        assert_eq!(policy.matches("sha256").count(), 2, "{policy}");
        assert!(!policy.contains("unsafe"));
        let page = with_meta(html);
        assert!(page.starts_with(
            "<html><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\""
        ));
    }

    #[test]
    fn a_page_without_inline_parts_gets_the_plain_policy() {
        assert_eq!(for_page("<p>x</p>"), POLICY);
        assert!(header().starts_with(POLICY));
    }
}
