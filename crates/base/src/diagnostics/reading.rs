//! What goes wrong while reading an editor's file, as diagnostics: a file that cannot be read
//! or is not UTF-8 text, TOML syntax, and what serde finds wrong with the parsed values
//! (unknown keys and values with a "did you mean", missing keys, wrong types with how to
//! write the right one).

use std::path::Path;
use std::sync::Arc;

use super::suggest::{closest, quoted_list};
use super::{Diagnostic, code, line_col};

/// A file's bytes, like `std::fs::read` but in one `read` call where the file is as long as
/// its size says: `std::fs::read` asks once more to see the end, a call per source file
/// that a 10,000-page build made 16,000 times. A file that turns out longer (or says it has
/// no size, like those in /proc) is read on to its end.
fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    let size = file
        .metadata()
        .map_or(0, |m| usize::try_from(m.len()).unwrap_or(0));
    read_on(&mut file, Vec::new(), size)
}

/// Reads `file` to its end onto `bytes`, which hold its first bytes already; `size` is the
/// file's whole size as its metadata says. One `read` where the file is as long as that.
pub fn read_on(
    file: &mut std::fs::File,
    mut bytes: Vec<u8>,
    size: usize,
) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut filled = bytes.len();
    // One byte more than the size: a read that leaves it unfilled has met the end.
    bytes.resize(size.max(filled) + 1, 0);
    loop {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        } else if filled >= size {
            break;
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Reads a text file, reporting a missing or non-UTF-8 file as a diagnostic.
pub fn read_text(path: &Path, shown: &Path) -> Result<Arc<str>, Diagnostic> {
    let bytes = read_whole(path).map_err(|e| unreadable(shown, &e))?;
    text_of(bytes, shown)
}

/// A file that cannot be read.
pub fn unreadable(shown: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::file(shown, format!("cannot read this file: {e}")).with_code(code::UNREADABLE_FILE)
}

/// A file's bytes as text, or where they are not UTF-8.
pub fn text_of(bytes: Vec<u8>, shown: &Path) -> Result<Arc<str>, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.into()),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix: Arc<str> = String::from_utf8_lossy(&bytes[..valid]).into();
            let (line, col) = line_col(&prefix, valid);
            let mut d = Diagnostic::file(
                shown,
                format!(
                    "this file is not UTF-8 text (invalid byte 0x{:02X} at line {line}, column {col})",
                    bytes[valid]
                ),
            ).with_code(code::NOT_UTF8);
            // Point at the place in the valid part, so the report shows the line.
            let mut text = prefix.to_string();
            text.push('\u{FFFD}');
            d.source = Some(text.into());
            d.range = Some(valid..valid + '\u{FFFD}'.len_utf8());
            Err(d.with_help(
                "save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)",
            ))
        }
    }
}

/// Turns a TOML or deserialisation error into a diagnostic with a "did you mean" hint.
pub fn from_toml_error(
    file: &Path,
    source: &Arc<str>,
    offset: usize,
    err: &toml::de::Error,
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let range = err
        .span()
        .map(|r| r.start + offset..r.end + offset)
        .unwrap_or(offset..offset);
    let help = suggestion_for_serde_message(&message)
        .or_else(|| type_hint(&message))
        .unwrap_or_else(|| toml_hint(&message));
    Diagnostic::at(file, source, range, message)
        .with_code(code_of_toml_error(err))
        .with_help(help)
}

/// How to fix what TOML reports besides unknown names and wrong types: a missing key,
/// broken syntax.
fn toml_hint(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("`{key}` is required here: add a line `{key} = …`");
    }
    if message.contains("basic string") || message.contains("literal string") {
        return "close the text with its quote on the same line, or write text of several lines between \"\"\" and \"\"\"".into();
    }
    "check the TOML syntax here: one `key = value` per line, text in quotes, tables in [brackets]"
        .into()
}

/// The code of a TOML error: the parser's syntax errors, or what serde found wrong with the
/// parsed value.
fn code_of_toml_error(err: &toml::de::Error) -> code::Code {
    let message = err.message().trim();
    let starts = |p: &str| message.starts_with(p);
    if starts("unknown field") {
        code::UNKNOWN_KEY
    } else if starts("unknown variant") {
        code::UNKNOWN_VALUE
    } else if starts("missing field") {
        code::MISSING_KEY
    } else if starts("invalid type") || starts("invalid value") || starts("invalid length") {
        code::WRONG_TYPE
    } else {
        code::TOML_SYNTAX
    }
}

/// How to write a value of the type serde expected: "invalid type: string \"ja\", expected a
/// boolean".
fn type_hint(message: &str) -> Option<String> {
    let expected = message
        .strip_prefix("invalid type: ")?
        .rsplit(", expected ")
        .next()?;
    let hint = match expected {
        "a boolean" => "write `true` or `false`, without quotes",
        "a string" => "put the text in quotes, for example \"…\"",
        e if e.starts_with('u') || e.starts_with('i') || e.contains("integer") => {
            "write a whole number without quotes, for example 3"
        }
        e if e.starts_with('f') || e.contains("number") => {
            "write a number without quotes, for example 2.5"
        }
        e if e.contains("sequence") => "write a list in brackets, for example [\"…\", \"…\"]",
        _ => return None,
    };
    Some(hint.to_string())
}

/// serde reports unknown keys and enum values as
/// "unknown field `titel`, expected one of `title`, `weight`"; turn that into a suggestion.
fn suggestion_for_serde_message(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))?;
    let mut ticks = rest.split('`').skip(1).step_by(2);
    let wrong = ticks.next()?;
    let expected: Vec<&str> = ticks.collect();
    if expected.is_empty() {
        return Some(format!("`{wrong}` is not allowed here; remove it"));
    }
    Some(match closest(wrong, expected.iter().copied()) {
        Some(best) => format!(
            "did you mean `{best}`? Allowed here: {}",
            quoted_list(&expected)
        ),
        None => format!("allowed here: {}", quoted_list(&expected)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_of_every_size() {
        let tmp = tempfile::tempdir().unwrap();
        for len in [0, 1, 4095, 4096, 4097, 100_000] {
            let path = tmp.path().join(format!("f{len}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_whole(&path).unwrap(), bytes, "{len} bytes");
        }
        // A file that says it has no size still reads to its end.
        let status = read_whole(Path::new("/proc/self/status")).unwrap();
        assert!(String::from_utf8(status).unwrap().contains("\nPid:"));
        assert!(read_whole(&tmp.path().join("missing")).is_err());
    }

    #[test]
    fn suggests_closest_key() {
        let help = suggestion_for_serde_message(
            "unknown field `titel`, expected one of `title`, `weight`",
        );
        assert_eq!(
            help.as_deref(),
            Some("did you mean `title`? Allowed here: `title`, `weight`")
        );
    }
}
