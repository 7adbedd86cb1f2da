//! The one escaper for text placed into HTML or XML by hand (templates escape by themselves):
//! `<`, `>`, `&` and `"` become entities, so the text can stand in an element or a quoted
//! attribute.

/// `text` safe inside an element or a double-quoted attribute of HTML or XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(
            super::escape("<b a=\"1\">A & B</b>"),
            "&lt;b a=&quot;1&quot;&gt;A &amp; B&lt;/b&gt;"
        );
        assert_eq!(super::escape("Straße"), "Straße");
    }
}
