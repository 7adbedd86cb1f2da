//! The checksum of answers files (format 2): SHA-256 over the canonical JSON of the file's
//! object without `"checksum"`, exactly as answers-file.js computes it (keys sorted, no
//! whitespace, strings and numbers as JavaScript's JSON.stringify writes them).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Whether a file's checksum could be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// The checksum matches.
    Valid,
    /// A file saved before checksums existed (format 1): read, marked "ohne Prüfsumme".
    Missing,
    /// Altered or damaged after saving: refused.
    Mismatch,
}

/// The canonical JSON text of `value`.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => {
            out.push_str(&serde_json::to_string(value).expect("JSON values serialise"))
        }
        Value::Number(n) => out.push_str(&js_number(n)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map.iter(), out),
    }
}

/// An object's members, sorted as JavaScript sorts keys: by UTF-16 code units (a key beyond
/// U+FFFF, "😀", sorts before "｡" U+FF61, unlike by UTF-8 bytes).
fn write_object<'a>(members: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut String) {
    let mut members: Vec<(&String, &Value)> = members.collect();
    members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    out.push('{');
    for (i, (key, item)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("strings serialise"));
        out.push(':');
        write(item, out);
    }
    out.push('}');
}

/// A number as JavaScript writes it: integers without a fraction (also when the file wrote
/// `5.0`), the shortest decimal that reads back the same, exponents as `1e+21` / `1e-7`.
/// JavaScript reads every number as a double: an integer beyond 2^53 is written as the double
/// it becomes (`9007199254740993` as `9007199254740992`).
fn js_number(n: &serde_json::Number) -> String {
    const EXACT: u64 = 1 << 53;
    if n.as_u64().is_some_and(|u| u <= EXACT)
        || n.as_i64().is_some_and(|i| i.unsigned_abs() <= EXACT)
    {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return "0".into();
    }
    let abs = f.abs();
    if (1e-6..1e21).contains(&abs) {
        // Rust's Display is the shortest decimal that reads back, never with an exponent, and
        // pads whole numbers with zeros as JavaScript does (2^60 is "1152921504606847000").
        return format!("{f}");
    }
    let e = format!("{f:e}");
    match e.split_once('e') {
        Some((m, exp)) if !exp.starts_with('-') => format!("{m}e+{exp}"),
        _ => e,
    }
}

/// `"sha256:<hex>"` of the object without its `"checksum"` key (written without copying it).
pub fn checksum(object: &Map<String, Value>) -> String {
    let mut text = String::new();
    write_object(object.iter().filter(|(k, _)| *k != "checksum"), &mut text);
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Checks an answers file's checksum: missing (format 1), valid or mismatch.
pub fn verify(object: &Map<String, Value>) -> Integrity {
    match object.get("checksum") {
        None => Integrity::Missing,
        // Exactly as written, lowercase hex: answers-file.js compares the same way.
        Some(Value::String(claimed)) if *claimed == checksum(object) => Integrity::Valid,
        Some(_) => Integrity::Mismatch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_javascript_does() {
        for (json, js) in [
            ("5", "5"),
            ("5.0", "5"),
            ("-0.5", "-0.5"),
            ("0.1", "0.1"),
            ("1e21", "1e+21"),
            ("1.5e-7", "1.5e-7"),
            ("123456.789", "123456.789"),
            ("9007199254740993", "9007199254740992"),
            ("-9007199254740993", "-9007199254740992"),
            ("1152921504606846976", "1152921504606847000"),
            ("0.000001", "0.000001"),
        ] {
            let v: Value = serde_json::from_str(json).unwrap();
            assert_eq!(canonical(&v), js, "{json}");
        }
    }

    #[test]
    fn keys_sorted_no_whitespace_and_strings_escaped_like_json_stringify() {
        let v: Value =
            serde_json::from_str(r#"{"b": ["ä", "\u0001\n</"], "a": {"y": true, "x": null}}"#)
                .unwrap();
        assert_eq!(
            canonical(&v),
            r#"{"a":{"x":null,"y":true},"b":["ä","\u0001\n</"]}"#
        );
    }
}
