//! Site variables (`[variables]` in formwerk.toml) and their `{{ name }}` placeholders in
//! Markdown, front matter and form text. Values are inserted as plain text, never as markup.

use std::collections::BTreeMap;
use std::ops::Range;

use formwerk_base::diagnostics::closest;

/// The variables of a site, as text for placeholders and as typed values for templates.
#[derive(Debug, Clone, Default)]
pub struct Variables {
    text: BTreeMap<String, String>,
    pub values: BTreeMap<String, toml::Value>,
}

/// A placeholder that could not be filled in: where it is in the text and why.
#[derive(Debug, Clone, PartialEq)]
pub struct VarError {
    pub range: Range<usize>,
    pub code: formwerk_base::diagnostics::code::Code,
    pub message: String,
    pub help: String,
}

impl Variables {
    pub fn new(values: BTreeMap<String, toml::Value>) -> Self {
        let text = values
            .iter()
            .map(|(k, v)| {
                let shown = match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), shown)
            })
            .collect();
        Variables { text, values }
    }

    /// Replaces every `{{ name }}` in `text`; all unknown or malformed placeholders are errors.
    pub fn expand(&self, text: &str) -> Result<String, Vec<VarError>> {
        if !text.contains("{{") {
            return Ok(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut errors = Vec::new();
        let mut rest_start = 0;
        for (range, inner) in placeholders(text) {
            out.push_str(&text[rest_start..range.start]);
            rest_start = range.end;
            let name = inner.trim();
            if let Some(value) = self.text.get(name) {
                out.push_str(value);
            } else if is_identifier(name) {
                let known: Vec<&str> = self.text.keys().map(String::as_str).collect();
                let help = match closest(name, known.iter().copied()) {
                    Some(best) => format!("did you mean `{{{{ {best} }}}}`?"),
                    None if known.is_empty() => {
                        "define it under [variables] in formwerk.toml".to_string()
                    }
                    None => format!(
                        "define it under [variables] in formwerk.toml; defined are: {}",
                        formwerk_base::diagnostics::quoted_list(&known)
                    ),
                };
                errors.push(VarError {
                    range,
                    code: formwerk_base::diagnostics::code::UNKNOWN_VARIABLE,
                    message: format!("unknown variable `{name}`"),
                    help,
                });
            } else {
                errors.push(VarError {
                    range,
                    code: formwerk_base::diagnostics::code::INVALID_PLACEHOLDER,
                    message: format!("`{{{{{inner}}}}}` is not a variable placeholder"),
                    help: "write a variable name between double braces, for example `{{ jahr }}`"
                        .to_string(),
                });
            }
        }
        out.push_str(&text[rest_start..]);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// The `{{ … }}` spans of a text with what stands between the braces.
fn placeholders(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let start = pos + text[pos..].find("{{")?;
        let inner_start = start + 2;
        let inner_len = text[inner_start..].find("}}")?;
        // A placeholder stays on one line; an unclosed "{{" is plain text.
        if text[inner_start..inner_start + inner_len].contains('\n') {
            pos = inner_start;
            return Some((start..start, ""));
        }
        let end = inner_start + inner_len + 2;
        pos = end;
        Some((start..end, &text[inner_start..inner_start + inner_len]))
    })
    .filter(|(r, _)| !r.is_empty())
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn is_valid_name(name: &str) -> bool {
    is_identifier(name)
}

/// Expands placeholders in a text taken from a file, turning failures into diagnostics that
/// point at the placeholder inside `source[span]`, where the text was written.
pub fn expand_located(
    vars: &Variables,
    file: &std::path::Path,
    source: &std::sync::Arc<str>,
    span: Range<usize>,
    text: &str,
    errors: &mut Vec<formwerk_base::diagnostics::Diagnostic>,
) -> String {
    match vars.expand(text) {
        Ok(s) => s,
        Err(errs) => {
            let written = source.get(span.clone()).unwrap_or("");
            for e in errs {
                let token = &text[e.range.clone()];
                let range = written.find(token).map_or(span.clone(), |i| {
                    span.start + i..span.start + i + token.len()
                });
                errors.push(
                    formwerk_base::diagnostics::Diagnostic::at(file, source, range, e.message)
                        .with_code(e.code)
                        .with_help(e.help),
                );
            }
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Variables {
        let mut m = BTreeMap::new();
        m.insert("jahr".to_string(), toml::Value::Integer(2026));
        m.insert(
            "land".to_string(),
            toml::Value::String("Niedersachsen".into()),
        );
        Variables::new(m)
    }

    #[test]
    fn expands_known_variables() {
        assert_eq!(
            vars().expand("in {{ jahr }} in {{land}}").unwrap(),
            "in 2026 in Niedersachsen"
        );
        assert_eq!(vars().expand("no braces").unwrap(), "no braces");
    }

    #[test]
    fn unknown_variable_is_located_and_suggested() {
        let errs = vars().expand("Jahr {{ jaht }}.").unwrap_err();
        assert_eq!(errs[0].range, 5..15);
        assert_eq!(errs[0].message, "unknown variable `jaht`");
        assert!(errs[0].help.contains("`{{ jahr }}`"), "{}", errs[0].help);
    }

    #[test]
    fn malformed_placeholder_is_an_error() {
        let errs = vars().expand("{{ jahr + 1 }}").unwrap_err();
        assert!(errs[0].message.contains("not a variable placeholder"));
    }

    #[test]
    fn unclosed_braces_are_text() {
        assert_eq!(vars().expand("a {{ b\n}}").unwrap(), "a {{ b\n}}");
    }
}
