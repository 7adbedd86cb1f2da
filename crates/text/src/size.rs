//! File sizes, the one rule for reading and writing them: 1 KB = 1024 bytes, 1 MB = 1024 KB
//! (as file managers show them), written the German way ("1,2 MB").

/// Bytes in a kilobyte.
pub const KB: u64 = 1024;
/// Bytes in a megabyte.
pub const MB: u64 = 1024 * KB;

/// A file size the German way: "980 Byte", "12 KB", "1,2 MB".
pub fn human_size(bytes: u64) -> String {
    let b = bytes as f64;
    let kb = KB as f64;
    if bytes < KB {
        format!("{bytes} Byte")
    } else if bytes < MB {
        format!("{} KB", (b / kb).round().max(1.0))
    } else {
        format!("{:.1} MB", b / kb / kb).replace('.', ",")
    }
}

/// A size limit as an editor would write it: "10 MB", "500 KB", "2,5 MB"; whole units
/// without decimals.
pub fn limit_label(bytes: u64) -> String {
    if bytes >= MB && bytes.saturating_mul(10).is_multiple_of(MB) {
        let tenths = bytes.saturating_mul(10) / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{},{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KB && bytes.is_multiple_of(KB) {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} Byte")
    }
}

/// Reads a size written as a number and a unit: "10 MB", "500 KB", "2,5 MB", "2.5mb",
/// "800 Byte". `None` for anything else (no unit, a negative or empty number, an unknown
/// unit).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "b" | "byte" | "bytes" => 1,
        "kb" | "kib" => KB,
        "mb" | "mib" => MB,
        _ => return None,
    };
    let number = number.replace(',', ".");
    if number.is_empty() || number.starts_with('.') || number.matches('.').count() > 1 {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let bytes = (value * unit as f64).round();
    (bytes.is_finite() && bytes < u64::MAX as f64).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_editors_write_them() {
        assert_eq!(parse_size("10 MB"), Some(10 * MB));
        assert_eq!(parse_size("500 KB"), Some(500 * KB));
        assert_eq!(parse_size("2,5 MB"), Some(5 * MB / 2));
        assert_eq!(parse_size("2.5mb"), Some(5 * MB / 2));
        assert_eq!(parse_size("800 Byte"), Some(800));
        for nonsense in [
            "", "MB", "10", "zehn MB", "10 GB", "-1 MB", "1,2,3 MB", ",5 MB",
        ] {
            assert_eq!(parse_size(nonsense), None, "{nonsense:?}");
        }
    }

    #[test]
    fn sizes_are_written_the_german_way() {
        assert_eq!(human_size(500), "500 Byte");
        assert_eq!(human_size(12 * KB), "12 KB");
        assert_eq!(human_size(1_258_291), "1,2 MB");
        assert_eq!(limit_label(10 * MB), "10 MB");
        assert_eq!(limit_label(5 * MB / 2), "2,5 MB");
        assert_eq!(limit_label(1536 * KB), "1,5 MB");
        assert_eq!(limit_label(1700 * KB), "1700 KB");
        assert_eq!(limit_label(500 * KB), "500 KB");
        assert_eq!(limit_label(1000), "1000 Byte");
    }
}
