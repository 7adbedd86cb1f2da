//! `formwerk init DIR`: a new site with one page and one small form, which builds as it is
//! with the built-in theme; with the JSON Schemas of its TOML files in schemas/ and a
//! `.taplo.toml` pointing editors at them. No copy of the theme: the site's look is changed
//! file by file (`formwerk theme eject`), and the runtime stays the binary's.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};

use crate::toml_schema;

const CONFIG: &str = r#"# Einstellungen der Website
title = "Neue Formwerk-Website"
language = "de"
theme = "default"

# Variablen stehen in Markdown, Formularen und Vorlagen als {{ name }} zur Verfügung.
[variables]
jahr = 2026
"#;

const START_PAGE: &str = r#"+++
title = "Startseite"
description = "Hinweise und Formulare"
+++

Willkommen! Diese Website wurde mit Formwerk erstellt.

- [Beispielformular ausfüllen](beispiel.form.toml)
"#;

const FORM: &str = r#"# Ein Formular: Abschnitte ([[sections]]) mit Feldern ([[sections.fields]]).
title = "Beispielformular"
version = "1"
intro = "Bitte füllen Sie das Formular für das Jahr {{ jahr }} aus."

[[sections]]
id = "angaben"
title = "Angaben"

[[sections.fields]]
id = "name"
kind = "text"
label = "Name"
required = true

[[sections.fields]]
id = "teilnahme"
kind = "yes_no"
label = "Nehmen Sie {{ jahr }} teil?"

[[sections.fields]]
id = "bemerkungen"
kind = "textarea"
label = "Bemerkungen"
hint = "Das Feld vergrößert sich beim Schreiben."
show_if = { field = "teilnahme", equals = true }
"#;

pub fn init(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; choose a new folder",
            dir.display()
        );
    }
    let mut files: Vec<(String, Vec<u8>)> = [
        ("formwerk.toml", CONFIG),
        ("content/_index.md", START_PAGE),
        ("content/beispiel.form.toml", FORM),
        (".gitignore", "/site/\n/.site.formwerk-*\n"),
    ]
    .into_iter()
    .map(|(rel, text)| (rel.to_string(), text.as_bytes().to_vec()))
    .collect();
    // What editors need for completion: the schemas and Taplo's association of them.
    files.push((
        ".taplo.toml".into(),
        toml_schema::taplo_config().into_bytes(),
    ));
    files.extend(toml_schema::SCHEMAS.iter().map(|s| {
        let rel = format!("{}/{}", toml_schema::SCHEMA_DIR, s.file_name);
        (rel, s.text().into_bytes())
    }));
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
