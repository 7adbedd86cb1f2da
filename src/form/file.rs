//! The form file as written: serde types that reject unknown keys and keep every value's
//! span, so that the checker can point at it.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::model::FieldKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FormFile {
    #[serde(default)]
    pub(super) id: Option<Spanned<String>>,
    pub(super) title: Spanned<String>,
    #[serde(default)]
    pub(super) pretitle: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) subtitle: Option<Spanned<String>>,
    pub(super) version: Spanned<String>,
    #[serde(default)]
    pub(super) description: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) intro: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) weight: i64,
    #[serde(default)]
    pub(super) draft: bool,
    #[serde(default)]
    pub(super) template: Option<Spanned<String>>,
    /// Ob neben der Formularseite ein ausfüllbares PDF-Formular (`<id>.pdf`) erzeugt und
    /// verlinkt wird. Voreinstellung: `true`; `pdf = false` schaltet es für dieses Formular ab.
    #[serde(default)]
    pub(super) pdf: Option<bool>,
    pub(super) sections: Spanned<Vec<SectionFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionFile {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    #[serde(default)]
    pub(super) intro: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) fields: Vec<FieldFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FieldFile {
    #[serde(default)]
    pub(super) id: Option<Spanned<String>>,
    pub(super) kind: Spanned<FieldKind>,
    #[serde(default)]
    pub(super) label: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) hint: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) required: Option<Spanned<bool>>,
    #[serde(default)]
    pub(super) text: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) options: Option<Spanned<Vec<Spanned<OptionFile>>>>,
    #[serde(default)]
    pub(super) other: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) lines: Option<Spanned<u32>>,
    #[serde(default)]
    pub(super) placeholder: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) rows: Option<Spanned<u32>>,
    #[serde(default)]
    pub(super) max_length: Option<Spanned<u32>>,
    #[serde(default)]
    pub(super) min: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) max: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) unit: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) show_if: Option<Spanned<ShowIfFile>>,
}

/// An option: either its label as text, or a table `{ value = "…", label = "…" }`.
#[derive(Debug)]
pub(super) struct OptionFile {
    pub(super) value: Option<String>,
    pub(super) label: String,
}

impl<'de> Deserialize<'de> for OptionFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            #[serde(default)]
            value: Option<String>,
            label: String,
        }
        pub(super) struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OptionFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an option's text, or a table with `label` and optionally `value`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OptionFile, E> {
                Ok(OptionFile {
                    value: None,
                    label: v.to_string(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<OptionFile, A::Error> {
                let t = Table::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(OptionFile {
                    value: t.value,
                    label: t.label,
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ShowIfFile {
    pub(super) field: Spanned<String>,
    pub(super) equals: Spanned<toml::Value>,
}

/// Where a TOML string's value begins: after its opening quotes and, for a multi-line string,
/// the newline that directly follows them.
pub(super) fn value_start(text: &str, span: Range<usize>) -> usize {
    let raw = text.get(span.clone()).unwrap_or("");
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let after = &raw[quote.min(raw.len())..];
    let newline = if quote == 3 && after.starts_with("\r\n") {
        2
    } else if quote == 3 && after.starts_with('\n') {
        1
    } else {
        0
    };
    span.start + quote + newline
}
