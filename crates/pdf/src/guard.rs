//! Loading a PDF that a stranger sent within the budgets of `formwerk_form::Budget`, before
//! lopdf builds anything it cannot take back. lopdf expands every object stream while it
//! loads a document, each member separately: 100,000 members that all begin at one long
//! string would become 100,000 copies of it (gigabytes from a 2 MB file). Its load filter
//! sees every object, the object streams before they are expanded, so the budgets are
//! checked there; a broken budget empties the rest of the load and refuses the file.
//!
//! The same rules as the inbox's reader (pdf-answers.js `checkObjectStreams`):
//! - the objects (cross-reference entries and object-stream members) count against
//!   [`Budget::PdfObjects`];
//! - each member of an object stream counts the bytes from its start to the stream's end
//!   against [`Budget::Inflated`] — the most a reader may parse for it;
//! - a PDF whose cross-reference data does not lead to its objects as written (lopdf would
//!   repair or rebuild it; the inbox follows it as written) is refused;
//! - an encrypted PDF is refused, also one with the empty password (lopdf would decrypt it,
//!   the inbox cannot): a PDF that names `/Encrypt` anywhere.

use std::cell::Cell;

use formwerk_form::Budget;
use lopdf::{Document, LoadOptions, Object};

use super::read::ReadError;

thread_local! {
    /// Objects seen and bytes counted in the load running on this thread, and the budget
    /// it broke. lopdf's filter is a plain function, so its state lives here.
    static OBJECTS: Cell<u64> = const { Cell::new(0) };
    static INFLATED: Cell<u64> = const { Cell::new(0) };
    static BROKEN: Cell<Option<Budget>> = const { Cell::new(None) };
}

/// The PDF as lopdf loads it, or the reason it is refused.
pub(crate) fn load(bytes: &[u8]) -> Result<Document, ReadError> {
    if names_encrypt(bytes) {
        return Err(ReadError::Encrypted);
    }
    OBJECTS.set(0);
    INFLATED.set(0);
    BROKEN.set(None);
    let options = LoadOptions {
        filter: Some(within_budget),
        max_decompressed_size: Some(Budget::Inflated.limit() as usize),
        ..LoadOptions::default()
    };
    let loaded = Document::load_mem_with_options(bytes, options);
    if let Some(budget) = BROKEN.take() {
        return Err(ReadError::Over(budget));
    }
    match loaded {
        // The inbox follows the cross-reference data as written and nothing else; a file
        // whose data lopdf had to repair or rebuild is refused by both.
        Ok(doc) if doc.xref_recovery.is_some() => Err(ReadError::Malformed(
            "its cross-reference data is damaged".into(),
        )),
        Ok(doc) => Ok(doc),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            Err(ReadError::Over(Budget::Inflated))
        }
        Err(e) => Err(ReadError::Malformed(e.to_string())),
    }
}

/// lopdf's load filter: keeps an object while the budgets hold.
fn within_budget(id: (u32, u16), object: &mut Object) -> Option<((u32, u16), Object)> {
    if BROKEN.get().is_some() {
        return None;
    }
    let objects = OBJECTS.get() + 1;
    OBJECTS.set(objects);
    if objects > Budget::PdfObjects.limit() {
        BROKEN.set(Some(Budget::PdfObjects));
        return None;
    }
    if let Object::Stream(stream) = object
        && stream.dict.has_type(b"ObjStm")
        && let Err(budget) = object_stream_fits(stream)
    {
        BROKEN.set(Some(budget));
        return None;
    }
    // lopdf keeps its own object for a top-level one and takes the returned one for an
    // object-stream member, so the object is handed back as a copy.
    Some((id, object.clone()))
}

/// Whether an object stream's members fit the budgets (see the module's rules). A stream
/// that does not decode is left to lopdf, which skips it.
fn object_stream_fits(stream: &lopdf::Stream) -> Result<(), Budget> {
    let left = Budget::Inflated.limit().saturating_sub(INFLATED.get());
    let content = match stream.get_plain_content_with_limit(left as usize) {
        Ok(c) => c,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(Budget::Inflated);
        }
        Err(_) => return Ok(()),
    };
    let first = stream
        .dict
        .get(b"First")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|f| usize::try_from(f).ok())
        .filter(|f| *f <= content.len())
        .unwrap_or(content.len());
    let cost = members_cost(&content[..first], (content.len() - first) as u64)
        .ok_or(Budget::PdfObjects)?;
    let inflated = INFLATED.get() + content.len() as u64 + cost;
    INFLATED.set(inflated);
    if inflated > Budget::Inflated.limit() {
        return Err(Budget::Inflated);
    }
    Ok(())
}

/// The members' cost: for each `number offset` pair of the header, the bytes from the
/// member's start to the end of the stream's objects (`body` bytes). None: more members
/// than the object budget allows.
pub(crate) fn members_cost(header: &[u8], body: u64) -> Option<u64> {
    let mut cost = 0u64;
    let mut members = 0u64;
    let numbers = header
        .split(|b| b" \t\r\n\x0c\0".contains(b))
        .filter(|w| !w.is_empty());
    for (i, word) in numbers.enumerate() {
        if i % 2 == 0 {
            members += 1;
            if OBJECTS.get() + members > Budget::PdfObjects.limit() {
                return None;
            }
            continue;
        }
        let offset = std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.parse::<u64>().ok())
            .unwrap_or(body);
        cost = cost.saturating_add(body.saturating_sub(offset));
    }
    Some(cost)
}

/// Whether a name in the file reads `/Encrypt` (also written with `#xx` escapes).
fn names_encrypt(bytes: &[u8]) -> bool {
    const WANTED: &[u8] = b"Encrypt";
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'/', &bytes[from..]) {
        let start = from + at + 1;
        let mut decoded = Vec::with_capacity(WANTED.len());
        let mut i = start;
        while i < bytes.len() && decoded.len() <= WANTED.len() {
            let b = bytes[i];
            if b" \t\r\n\x0c\0()<>[]{}/%".contains(&b) {
                break;
            }
            if b == b'#'
                && let Some(v) = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                decoded.push(v);
                i += 3;
                continue;
            }
            decoded.push(b);
            i += 1;
        }
        let ended = i >= bytes.len() || b" \t\r\n\x0c\0()<>[]{}/%".contains(&bytes[i]);
        if decoded == WANTED && ended {
            return true;
        }
        from = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypt_is_found_also_escaped() {
        assert!(names_encrypt(b"trailer << /Encrypt 5 0 R >>"));
        assert!(names_encrypt(b"<</Encr#79pt 5 0 R>>"));
        assert!(!names_encrypt(b"<</EncryptMetadata false>>"));
        assert!(!names_encrypt(b"<</Type /Catalog>>"));
    }

    #[test]
    fn members_that_share_a_long_string_each_count_it() {
        OBJECTS.set(0);
        // Three members at offset 0 of a 1,000-byte body: 3,000 bytes.
        assert_eq!(members_cost(b"1 0 2 0 3 0", 1000), Some(3000));
        assert_eq!(
            members_cost(b"1 0 2 400 3 900", 1000),
            Some(1000 + 600 + 100)
        );
    }
}
