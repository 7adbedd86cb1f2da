//! What one file that a stranger sent may cost the office: the budgets per file, the same for
//! `formwerk answers` and the inbox (issue 26). They are defined here once; the build hands
//! them with their German messages to the inbox (`model.budgets`), `formwerk answers` and the
//! PDF reader check them in Rust, and `docs/posteingang.md` lists the numbers. A file over a
//! budget is refused with the message of the budget it broke; the other files of a batch are
//! read as if it were not there.

/// One budget per file. A message is the theme string `budget_<key>` with `{limit}` filled in
/// by [`Budget::shown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Bytes of the file as it lies on disk: an answers file with the largest attachments the
    /// contract allows (20 MB, as base64 about 27 MB) fits.
    Size,
    /// Nesting of arrays and objects in an answers file (an answer's table rows are 3 deep).
    Depth,
    /// Keys of all objects in an answers file, together.
    Keys,
    /// Items of one array in an answers file (table rows, ticked options, lines).
    Rows,
    /// Fields (and their widgets) in a filled PDF's field tree.
    PdfFields,
    /// Objects a PDF's cross-reference sections list, and members of its object streams.
    PdfObjects,
    /// Bytes the PDF's object and cross-reference streams inflate to, counting each member of
    /// an object stream from its start to the next member's (so members that all point at one
    /// long string count it once each).
    Inflated,
    /// Time to read one file in the inbox: the worker reading it is stopped and a new one
    /// reads the rest. The other budgets keep `formwerk answers` well inside it.
    Time,
}

const MB: u64 = 1 << 20;

impl Budget {
    pub const ALL: [Budget; 8] = [
        Budget::Size,
        Budget::Depth,
        Budget::Keys,
        Budget::Rows,
        Budget::PdfFields,
        Budget::PdfObjects,
        Budget::Inflated,
        Budget::Time,
    ];

    /// The limit: bytes, a count, or milliseconds for [`Budget::Time`].
    pub const fn limit(self) -> u64 {
        match self {
            Budget::Size => 48 * MB,
            Budget::Depth => 64,
            Budget::Keys => 20_000,
            Budget::Rows => 5_000,
            Budget::PdfFields => 10_000,
            Budget::PdfObjects => 100_000,
            Budget::Inflated => 50 * MB,
            Budget::Time => 2_000,
        }
    }

    /// The name in `model.budgets` and in the theme string `budget_<key>`.
    pub const fn key(self) -> &'static str {
        match self {
            Budget::Size => "size",
            Budget::Depth => "depth",
            Budget::Keys => "keys",
            Budget::Rows => "rows",
            Budget::PdfFields => "pdf_fields",
            Budget::PdfObjects => "pdf_objects",
            Budget::Inflated => "inflated",
            Budget::Time => "time",
        }
    }

    /// The limit as a message shows it, German: megabytes, seconds, or a count with `.`
    /// between thousands ("10.000").
    pub fn shown(self) -> String {
        let n = match self {
            Budget::Size | Budget::Inflated => self.limit() / MB,
            Budget::Time => self.limit() / 1000,
            Budget::Depth
            | Budget::Keys
            | Budget::Rows
            | Budget::PdfFields
            | Budget::PdfObjects => self.limit(),
        };
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        out
    }

    /// The message of this budget from the theme's strings.
    pub fn message(self, strings: &toml::Table) -> String {
        let key = format!("budget_{}", self.key());
        strings
            .get(&key)
            .and_then(|v| v.as_str())
            .unwrap_or(&key)
            .replace("{limit}", &self.shown())
    }

    /// Every budget for the inbox: `{"size": {"limit": …, "message": "…"}, …}`.
    pub fn all_json(strings: &toml::Table) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for b in Budget::ALL {
            out.insert(
                b.key().into(),
                serde_json::json!({ "limit": b.limit(), "message": b.message(strings) }),
            );
        }
        out.into()
    }
}

/// What an answers file's text costs, counted in one pass over its bytes before it is parsed
/// (inbox.js' worker counts the same way): the first budget it breaks, if any. Strings are
/// skipped with their escapes; brackets outside strings nest, `:` outside strings is a key,
/// `,` directly inside an array an item. The size is checked by whoever holds the file.
pub fn answers_text_over(bytes: &[u8]) -> Option<Budget> {
    let (depth_limit, keys_limit, rows_limit) = (
        Budget::Depth.limit() as usize,
        Budget::Keys.limit(),
        Budget::Rows.limit(),
    );
    // Per open bracket: whether it is an array, and its items so far (an array with anything
    // in it has one more item than commas).
    let mut open: Vec<(bool, u64)> = Vec::new();
    let mut keys = 0u64;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if open.len() >= depth_limit {
                    return Some(Budget::Depth);
                }
                open.push((b == b'[', 1));
            }
            b']' | b'}' => {
                open.pop();
            }
            b':' => {
                keys += 1;
                if keys > keys_limit {
                    return Some(Budget::Keys);
                }
            }
            b',' => {
                if let Some((true, items)) = open.last_mut() {
                    *items += 1;
                    if *items > rows_limit {
                        return Some(Budget::Rows);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_shown_the_german_way() {
        assert_eq!(Budget::PdfFields.shown(), "10.000");
        assert_eq!(Budget::PdfObjects.shown(), "100.000");
        assert_eq!(Budget::Inflated.shown(), "50");
        assert_eq!(Budget::Time.shown(), "2");
        assert_eq!(Budget::Depth.shown(), "64");
    }

    #[test]
    fn the_text_scan_counts_depth_keys_and_items() {
        let deep = "[".repeat(64) + &"]".repeat(64);
        assert_eq!(answers_text_over(deep.as_bytes()), None);
        let deeper = "[".repeat(65) + &"]".repeat(65);
        assert_eq!(answers_text_over(deeper.as_bytes()), Some(Budget::Depth));
        // Brackets, colons and commas inside strings (also after an escaped quote) are text.
        let quoted = format!("{{\"a\": \"{}\\\" : ,\"}}", "[".repeat(100));
        assert_eq!(answers_text_over(quoted.as_bytes()), None);
        let keys: Vec<String> = (0..=20_000).map(|i| format!("\"k{i}\": 1")).collect();
        let many = format!("{{{}}}", keys.join(","));
        assert_eq!(answers_text_over(many.as_bytes()), Some(Budget::Keys));
        let items = format!("[{}]", vec!["1"; 5_001].join(","));
        assert_eq!(answers_text_over(items.as_bytes()), Some(Budget::Rows));
        let fits = format!("[{}]", vec!["1"; 5_000].join(","));
        assert_eq!(answers_text_over(fits.as_bytes()), None);
    }
}
