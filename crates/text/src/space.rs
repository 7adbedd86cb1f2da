//! White space as JavaScript's `String.prototype.trim` and `\s` count it (ECMAScript's
//! WhiteSpace and LineTerminator): Rust's `char::is_whitespace` less U+0085 (NEXT LINE), plus
//! U+FEFF (the byte order mark). The Rust readers use this where the same text is also read by
//! the pages' scripts (typed numbers, numbers in PDF fields), so that both read it alike
//! (tests/vectors/german-numbers.json).

/// Whether JavaScript counts `c` as white space.
pub fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// `text` without white space at either end, as JavaScript's `trim()` leaves it.
pub fn trim(text: &str) -> &str {
    text.trim_matches(is_js_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_order_mark_is_space_and_next_line_is_not() {
        assert_eq!(trim("\u{feff} 12\u{a0}\u{3000}"), "12");
        assert_eq!(trim("\u{85}12"), "\u{85}12");
        assert!(is_js_space('\u{2028}') && !is_js_space('\u{200b}'));
    }
}
