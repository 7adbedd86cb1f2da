//! Markdown pages: `+++` TOML front matter, then the Markdown body.

use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use super::source::{Holding, Start, read_start, split_front_matter};
use super::{Page, PageKind, SourceFile};
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, from_toml_error, text_of, unreadable};
use formwerk_config::Config;
use formwerk_text::vars::expand_located;

// The keys are a subset of Zola's, so content builds there too. The doc comments are the
// editors' descriptions of the keys (German), in the JSON Schema and the key reference.

/// Die Titelei einer Markdown-Seite: TOML zwischen zwei Zeilen `+++` am Anfang der Datei.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    /// Titel der Seite: Überschrift, Eintrag in der Navigation und im Browser-Tab.
    /// `{{ variablen }}` sind erlaubt.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    title: toml::Spanned<String>,
    /// Kurzbeschreibung für Suchmaschinen und Übersichtslisten.
    #[serde(default)]
    #[schemars(with = "String")]
    description: Option<toml::Spanned<String>>,
    /// Reihenfolge im Abschnitt: kleinere Zahlen stehen weiter oben (Standard 0, dann nach
    /// Titel).
    #[serde(default)]
    weight: i64,
    /// `true`: Entwurf, wird nicht veröffentlicht.
    #[serde(default)]
    draft: bool,
    /// Andere Vorlage als die übliche (`page.html`, für `_index.md` `section.html`, für die
    /// Startseite `index.html`).
    #[serde(default)]
    #[schemars(with = "String")]
    template: Option<toml::Spanned<String>>,
    /// Freie Werte für eigene Vorlagen, dort als `{{ page.extra.name }}`.
    #[serde(default)]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    extra: toml::Table,
}

/// The JSON Schema of a page's front matter, from the type that loads it.
pub fn file_schema(generator: schemars::SchemaGenerator) -> schemars::Schema {
    generator.into_root_schema_for::<FrontMatter>()
}

/// Loads a Markdown page; `None` for a draft, which is not built. As `holding` allows, the
/// page waits as an open file read up to its body, or its text is held for rendering
/// ([`super::source`]).
pub(crate) fn load_markdown(
    config: &Config,
    file: &SourceFile,
    section: bool,
    holding: &Holding,
) -> Result<Option<Page>, Diagnostics> {
    let start = read_start(&file.path, &file.shown, holding)
        .map_err(|e| one(unreadable(&file.shown, &e)))?;
    match start {
        Start::Whole { bytes, held } => {
            let text = text_of(bytes, &file.shown).map_err(one)?;
            let mut page = parse_markdown(config, file, text, section)?;
            if let Some(page) = page.as_mut().filter(|_| !held) {
                page.text = None;
            }
            Ok(page)
        }
        Start::Head(head, pending) => {
            let mut page = parse_markdown(config, file, head.into(), section)?;
            if let Some(page) = &mut page {
                page.text = None;
                page.pending = Some(pending);
            }
            Ok(page)
        }
    }
}

/// Checks the text of a Markdown page (`file` names it and its output); `None` for a draft.
/// Errors point into `text`.
pub(crate) fn parse_markdown(
    config: &Config,
    file: &SourceFile,
    text: Arc<str>,
    section: bool,
) -> Result<Option<Page>, Diagnostics> {
    let shown = &file.shown;
    let Some((fm, fm_offset, body_offset)) = split_front_matter(&text) else {
        return Err(one(no_front_matter(shown, &text)));
    };
    let front: FrontMatter =
        toml::from_str(fm).map_err(|e| one(from_toml_error(shown, &text, fm_offset, &e)))?;
    if front.draft {
        return Ok(None);
    }
    let (title, description) = title_and_description(config, shown, &text, fm, fm_offset, &front)?;
    let shift = |r: std::ops::Range<usize>| r.start + fm_offset..r.end + fm_offset;
    Ok(Some(Page {
        kind: if section {
            PageKind::Section
        } else {
            PageKind::Page
        },
        source: shown.clone(),
        content_path: file.content_path.clone(),
        output: file.output.clone(),
        title,
        description,
        weight: front.weight,
        template_span: front.template.as_ref().map(|t| shift(t.span())),
        template: front.template.map_or_else(
            || default_template(file, section).to_string(),
            |t| t.into_inner(),
        ),
        extra: front.extra,
        body_offset,
        form: None,
        parent: None,
        children: Vec::new(),
        hash: formwerk_base::diagnostics::hash_text(&text),
        head: text[..body_offset].into(),
        text: Some(text),
        pending: None,
    }))
}

/// The error for a page without front matter: one that is opened but never closed, or none
/// at all.
fn no_front_matter(shown: &Path, text: &Arc<str>) -> Diagnostic {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text
        .get(start..first_line_end)
        .is_some_and(|l| l.trim_end() == "+++")
    {
        return Diagnostic::at(shown, text, start..first_line_end, "the front matter that begins here is never closed")
            .with_code(formwerk_base::diagnostics::code::UNCLOSED_FRONT_MATTER)
            .with_help("end it with a line of its own that holds only `+++`, after the last setting (title = …) and before the text");
    }
    Diagnostic::at(shown, text, 0..first_line_end, "expected front matter: the page must start with a line `+++`").with_code(formwerk_base::diagnostics::code::MISSING_FRONT_MATTER)
        .with_help("begin the file with\n+++\ntitle = \"Titel der Seite\"\n+++\nand close the front matter with a second `+++` line")
}

/// The page's title and description with their `{{ variables }}` filled in. Errors: control
/// characters in the front matter (`fm`, at byte `fm_offset` of `text`), placeholders that
/// fail, an empty title.
fn title_and_description(
    config: &Config,
    shown: &Path,
    text: &Arc<str>,
    fm: &str,
    fm_offset: usize,
    front: &FrontMatter,
) -> Result<(String, Option<String>), Diagnostics> {
    let shift = |r: std::ops::Range<usize>| r.start + fm_offset..r.end + fm_offset;
    let mut errors = formwerk_base::control::control_escapes(shown, text, fm, fm_offset);
    let vars = &config.variables;
    let title = expand_located(
        vars,
        shown,
        text,
        shift(front.title.span()),
        front.title.get_ref(),
        &mut errors,
    );
    if title.trim().is_empty() {
        errors.push(
            Diagnostic::at(shown, text, shift(front.title.span()), "the title is empty")
                .with_code(formwerk_base::diagnostics::code::EMPTY_TITLE)
                .with_help(
                    "every page needs a title; it is shown in the navigation and the browser tab",
                ),
        );
    }
    let description = front
        .description
        .as_ref()
        .map(|d| expand_located(vars, shown, text, shift(d.span()), d.get_ref(), &mut errors));
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok((title, description))
}

/// The template of a page that names none: `index.html` for the start page, `section.html`
/// for a section's `_index.md`, else `page.html`.
fn default_template(file: &SourceFile, section: bool) -> &'static str {
    let is_root = section
        && file
            .content_path
            .parent()
            .is_none_or(|p| p.as_os_str().is_empty());
    match (section, is_root) {
        (true, true) => "index.html",
        (true, false) => "section.html",
        _ => "page.html",
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let text = "+++\ntitle = \"A\"\n+++\n# Body\n";
        let (fm, fm_off, body) = split_front_matter(text).unwrap();
        assert_eq!(fm, "title = \"A\"\n");
        assert_eq!(fm_off, 4);
        assert_eq!(&text[body..], "# Body\n");
        assert!(split_front_matter("# no front matter\n").is_none());
        assert!(split_front_matter("+++\ntitle = \"A\"\n").is_none());
    }

    use std::path::{Path, PathBuf};

    use crate::SourceKind;
    use formwerk_base::diagnostics::code;

    fn config() -> Config {
        Config::parse(
            Path::new("/site"),
            "title = \"Amt\"\n[variables]\njahr = 2026\n",
        )
        .unwrap()
    }

    fn file(content_path: &str) -> SourceFile {
        SourceFile {
            kind: SourceKind::Markdown { section: false },
            path: PathBuf::from("/nowhere").join(content_path),
            shown: Path::new("content").join(content_path),
            content_path: content_path.into(),
            output: "seite/index.html".into(),
        }
    }

    fn page(text: &str, content_path: &str, section: bool) -> Result<Option<Page>, Diagnostics> {
        parse_markdown(&config(), &file(content_path), text.into(), section)
    }

    /// The one error of a page: code, 1-based line and column, message.
    fn error(text: &str) -> (code::Code, (usize, usize), String) {
        let errors = page(text, "seite.md", false).expect_err("an error").0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(e.file, Path::new("content/seite.md"));
        (e.code, e.line_col().expect("a place"), e.message.clone())
    }

    #[test]
    fn a_page_from_text_alone() {
        let text = "+++\ntitle = \"Hinweise {{ jahr }}\"\ndescription = \"Für {{ jahr }}\"\n\
                    weight = 3\n[extra]\nfarbe = \"blau\"\n+++\n\n# Text\n";
        let p = page(text, "seite.md", false).unwrap().expect("not a draft");
        assert_eq!(p.title, "Hinweise 2026");
        assert_eq!(p.description.as_deref(), Some("Für 2026"));
        assert_eq!((p.weight, p.template.as_str()), (3, "page.html"));
        assert_eq!(p.extra["farbe"].as_str(), Some("blau"));
        assert_eq!(&text[p.body_offset..], "\n# Text\n");
        assert_eq!(p.source, Path::new("content/seite.md"));
        assert!(p.template_span.is_none());
    }

    #[test]
    fn templates_by_place_drafts_and_a_byte_order_mark() {
        let text = "\u{feff}+++\ntitle = \"A\"\n+++\n";
        let template = |path, section| page(text, path, section).unwrap().unwrap().template;
        assert_eq!(template("_index.md", true), "index.html");
        assert_eq!(template("hilfe/_index.md", true), "section.html");
        assert_eq!(template("hilfe/a.md", false), "page.html");
        let own = page(
            "+++\ntitle = \"A\"\ntemplate = \"breit.html\"\n+++\n",
            "a.md",
            false,
        );
        let own = own.unwrap().unwrap();
        assert_eq!(own.template, "breit.html");
        assert_eq!(own.template_span, Some(27..39));
        let draft = page("+++\ntitle = \"A\"\ndraft = true\n+++\n", "a.md", false);
        assert!(draft.unwrap().is_none());
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let (c, at, _) = error("# Nur Text\n");
        assert_eq!((c, at), (code::MISSING_FRONT_MATTER, (1, 1)));
        let (c, at, _) = error("+++\ntitle = \"A\"\n");
        assert_eq!((c, at), (code::UNCLOSED_FRONT_MATTER, (1, 1)));
        let (c, at, m) = error("+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n");
        assert_eq!((c, at), (code::UNKNOWN_KEY, (3, 1)), "{m}");
        let (c, at, m) = error("+++\ntitle = \"A\"\nweight = \"oben\"\n+++\n");
        assert_eq!((c, at), (code::WRONG_TYPE, (3, 10)), "{m}");
        let (c, at, _) = error("+++\ntitle = \" \"\n+++\n");
        assert_eq!((c, at), (code::EMPTY_TITLE, (2, 9)));
        let (c, at, m) = error("+++\ntitle = \"Jahr {{ jahrr }}\"\n+++\n");
        assert_eq!((c, at), (code::UNKNOWN_VARIABLE, (2, 15)), "{m}");
        assert!(m.contains("jahrr"), "{m}");
        let (c, at, _) = error("+++\ntitle = \"A\\u0007\"\n+++\n");
        assert_eq!((c, at), (code::CONTROL_CHARACTER, (2, 11)));
    }
}
