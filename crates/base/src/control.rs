//! Control characters: escapes in TOML strings (`"\u0007"`, `"\b"`) that put them into texts
//! that end up in a web page (TOML refuses such characters written as they are, but accepts
//! them escaped; an HTML page cannot show them, so they are refused with their place), and
//! [`for_terminal`], which shows them escaped where strangers' text reaches a terminal.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// Whether a character may not stand in a page's text: C0 and C1 controls and DEL, except
/// tab, line feed and carriage return.
pub(crate) fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// `text` safe to print to a terminal: controls (C0, C1, DEL; a line break too, so that one
/// item stays one line) and the characters that turn the direction of text around are shown
/// as escapes (`\x1b`, `\u{202e}`), never sent as they are. A file's name or an answer's
/// key from a hostile file cannot clear the screen or print a fake green summary.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && unsafe_char(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One diagnostic for each escape in a basic string of the TOML text `toml` (found at byte
/// `offset` of `source`) that makes a forbidden character.
pub fn control_escapes(
    file: &Path,
    source: &Arc<str>,
    toml: &str,
    offset: usize,
) -> Vec<Diagnostic> {
    let bytes = toml.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = toml[i..].find('\n').map_or(bytes.len(), |n| i + n),
            b'\'' => {
                let close = if toml[i..].starts_with("'''") {
                    "'''"
                } else {
                    "'"
                };
                let from = i + close.len();
                i = toml[from..]
                    .find(close)
                    .map_or(bytes.len(), |n| from + n + close.len());
            }
            b'"' => {
                let multi = toml[i..].starts_with("\"\"\"");
                i += if multi { 3 } else { 1 };
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => {
                            let (len, c) = escape(&toml[i..]);
                            if let Some(c) = c.filter(|c| is_forbidden(*c)) {
                                let at = offset + i..offset + i + len;
                                out.push(
                                    Diagnostic::at(
                                        file,
                                        source,
                                        at,
                                        format!(
                                            "the escape `{}` puts the control character U+{:04X} into this text",
                                            &toml[i..i + len],
                                            c as u32
                                        ),
                                    )
                                    .with_code(crate::diagnostics::code::CONTROL_CHARACTER)
                                    .with_help("a web page cannot show control characters; remove the escape (for line breaks, write the text as a \"\"\"…\"\"\" string)"),
                                );
                            }
                            i += len.max(1);
                        }
                        b'"' if !multi => {
                            i += 1;
                            break;
                        }
                        b'"' if toml[i..].starts_with("\"\"\"") => {
                            // A closing `"""` may be followed by up to two more quotes.
                            i += 3;
                            while bytes.get(i) == Some(&b'"') {
                                i += 1;
                            }
                            break;
                        }
                        _ => i += 1,
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The length of the escape at the start of `s` (which begins with a backslash) and the
/// character it stands for, if it stands for one.
fn escape(s: &str) -> (usize, Option<char>) {
    let hex = |n: usize| {
        let digits = s.get(2..2 + n)?;
        u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
    };
    match s.as_bytes().get(1) {
        Some(b'b') => (2, Some('\u{8}')),
        Some(b'f') => (2, Some('\u{c}')),
        Some(b'e') => (2, Some('\u{1b}')),
        Some(b'x') => (4, hex(2)),
        Some(b'u') => (6, hex(4)),
        Some(b'U') => (10, hex(8)),
        Some(_) => (2, None),
        None => (1, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_see_controls_escaped() {
        assert_eq!(for_terminal("Landkreis Göttingen"), "Landkreis Göttingen");
        assert_eq!(
            for_terminal("\u{1b}[2J\u{1b}[32m51 Dateien\n\u{202e}gnip"),
            "\\x1b[2J\\x1b[32m51 Dateien\\n\\u{202e}gnip"
        );
        assert_eq!(for_terminal("\u{9b}31m"), "\\x9b31m");
    }

    fn found(toml: &str) -> Vec<String> {
        let source: Arc<str> = toml.into();
        control_escapes(Path::new("a.toml"), &source, toml, 0)
            .into_iter()
            .map(|d| toml[d.range.unwrap()].to_string())
            .collect()
    }

    #[test]
    fn finds_escapes_of_control_characters_in_basic_strings_only() {
        assert_eq!(
            found(
                r#"a = "x\u0007y\n\t" # "\b"
b = 'lit\b'
c = """
ok \" \\b \f"""
d = "\U0000001B\u00e4\x7f""#
            ),
            ["\\u0007", "\\f", "\\U0000001B", "\\x7f"]
        );
        assert!(found("title = \"Übersicht\\r\\n\"").is_empty());
    }
}
