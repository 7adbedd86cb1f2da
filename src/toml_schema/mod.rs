//! JSON Schemas (draft 2020-12) of the TOML files editors write — forms, formwerk.toml and
//! page front matter — generated with schemars from the very types that load them, so a new
//! key or field kind reaches editors' completion and the key reference (`reference`) without
//! a second list. `formwerk schema` writes them; `formwerk init` puts them into a new site
//! with a `.taplo.toml` that points the TOML language server at them.

pub mod reference;

use std::path::{Path, PathBuf};

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::{Transform, transform_subschemas};
use schemars::{Schema, json_schema};
use serde_json::{Map, Value};

/// One TOML file kind editors write, with the schema of its loader's types.
pub struct SchemaFile {
    /// File name in `schemas/`.
    pub file_name: &'static str,
    /// Which files it applies to, as a glob relative to the site's root (for `.taplo.toml`);
    /// `None` for front matter, which sits inside Markdown files.
    pub applies_to: Option<&'static str>,
    /// The schema's title, German, shown by editors.
    pub title: &'static str,
    /// The heading of its chapter in the key reference.
    pub reference_heading: &'static str,
    make: fn(SchemaGenerator) -> Schema,
}

/// Every schema `formwerk schema` writes, in the order of the key reference.
pub const SCHEMAS: &[SchemaFile] = &[
    SchemaFile {
        file_name: "form.schema.json",
        applies_to: Some("content/**/*.form.toml"),
        title: "Formwerk-Formular (*.form.toml)",
        reference_heading: "Alle Einstellungen eines Formulars (`*.form.toml`)",
        make: formwerk_form::file_schema,
    },
    SchemaFile {
        file_name: "formwerk.schema.json",
        applies_to: Some("formwerk.toml"),
        title: "Formwerk-Website (formwerk.toml)",
        reference_heading: "Alle Einstellungen der Website (`formwerk.toml`)",
        make: formwerk_config::file_schema,
    },
    SchemaFile {
        file_name: "front-matter.schema.json",
        applies_to: None,
        title: "Titelei einer Formwerk-Seite (zwischen +++ und +++)",
        reference_heading: "Alle Einstellungen einer Seite (Titelei zwischen `+++`)",
        make: formwerk_content::front_matter_schema,
    },
];

/// The folder of a site (and of this repository) that holds the schemas.
pub const SCHEMA_DIR: &str = "schemas";

impl SchemaFile {
    /// The schema as JSON.
    pub fn schema(&self) -> Value {
        let settings = SchemaSettings::draft2020_12().with(|s| {
            // One self-contained object per key: editors' hover shows the key's own
            // description, and tools that read `$ref` siblings as draft 7 lose nothing.
            s.inline_subschemas = true;
        });
        let mut schema = (self.make)(
            settings
                .with_transform(ForToml)
                .with_transform(EnumOfConsts)
                .into_generator(),
        );
        schema.insert("title".into(), self.title.into());
        schema.to_value()
    }

    /// The schema as the file `formwerk schema` writes: pretty JSON with a final newline.
    pub fn text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema()).expect("JSON values serialise");
        text.push('\n');
        text
    }
}

/// Writes every schema into `dir`, creating it; returns the files written.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    SCHEMAS
        .iter()
        .map(|s| {
            let path = dir.join(s.file_name);
            std::fs::write(&path, s.text())?;
            Ok(path)
        })
        .collect()
}

/// The `.taplo.toml` of a site: associates the schemas in `schemas/` with the files they
/// describe, by relative paths, so completion works offline in every editor using Taplo.
pub fn taplo_config() -> String {
    let mut out = String::from(
        "# Schemas für den TOML-Sprachserver Taplo (VS Code: Erweiterung „Even Better TOML“):\n\
         # Der Editor ergänzt damit Schlüssel, erklärt sie und unterstreicht Fehler.\n\
         # Nach einem Update von Formwerk schreibt `formwerk schema` die Schemas neu.\n",
    );
    for s in SCHEMAS {
        if let Some(glob) = s.applies_to {
            out.push_str(&format!(
                "\n[[rule]]\ninclude = [\"{glob}\"]\n\n[rule.schema]\npath = \"{SCHEMA_DIR}/{}\"\n",
                s.file_name
            ));
        }
    }
    out
}

/// Fits schemars' output to TOML written by people: TOML has no null (an optional key is
/// left out), Rust's integer and float formats mean nothing to editors, doc comments' line
/// breaks are no paragraph breaks, and a new table starts with its required keys.
#[derive(Clone)]
struct ForToml;

impl Transform for ForToml {
    fn transform(&mut self, schema: &mut Schema) {
        if schema.get("default").is_some_and(Value::is_null) {
            schema.remove("default");
        }
        if schema
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|f| {
                ["int", "uint", "double", "float"]
                    .iter()
                    .any(|p| f.starts_with(p))
            })
        {
            schema.remove("format");
        }
        if let Some(Value::String(text)) = schema.get_mut("description") {
            *text = unwrap_lines(text);
        }
        // Taplo writes a new table's required keys for the editor.
        if let Some(required) = schema.get("required").cloned()
            && schema.get("type") == Some(&Value::from("object"))
        {
            schema.insert(
                "x-taplo".into(),
                json_schema!({ "initKeys": required }).to_value(),
            );
        }
        if let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                schema.insert("type".into(), only);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(list)) = schema.get_mut(key) {
                list.retain(|s| s.get("type").is_none_or(|t| t != "null"));
            }
        }
        transform_subschemas(self, schema);
    }
}

/// Joins the lines of each paragraph of a doc comment.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A Rust enum of unit variants comes out as `oneOf` of `const`s, each with its variant's
/// doc comment. Editors complete `enum` values best, so list them there and keep each value's
/// description where VS Code (`enumDescriptions`) and Taplo (`x-taplo.docs.enumValues`) show it.
#[derive(Clone)]
struct EnumOfConsts;

impl Transform for EnumOfConsts {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(Value::Array(variants)) = schema.get("oneOf") else {
            return;
        };
        let consts: Option<Vec<(Value, String)>> = variants
            .iter()
            .map(|v| {
                let value = v.get("const")?.clone();
                let doc = v.get("description").and_then(Value::as_str).unwrap_or("");
                Some((value, doc.to_string()))
            })
            .collect();
        let Some(consts) = consts.filter(|c| !c.is_empty()) else {
            return;
        };
        let (values, docs): (Vec<Value>, Vec<String>) = consts.into_iter().unzip();
        schema.remove("oneOf");
        let mut taplo = Map::new();
        taplo.insert(
            "docs".into(),
            json_schema!({ "enumValues": docs }).to_value(),
        );
        schema.insert("type".into(), "string".into());
        schema.insert("enum".into(), values.into());
        schema.insert("enumDescriptions".into(), docs.into());
        schema.insert("x-taplo".into(), taplo.into());
    }
}
