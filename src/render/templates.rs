//! Reading templates and theme strings, and turning Tera's errors into diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::ErrorKind;
use walkdir::WalkDir;

use super::TemplateSource;
use crate::config::Config;
use crate::content::{Page, is_skipped};
use crate::diagnostics::{Diagnostic, Diagnostics, closest, from_toml_error, read_text};

pub(super) fn collect_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, TemplateSource>,
    errors: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_skipped(e));
    for entry in walker.flatten().filter(|e| e.file_type().is_file()) {
        let name = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match read_text(entry.path(), &shown) {
            Ok(text) => {
                sources.insert(name, TemplateSource { shown, text });
            }
            Err(d) => errors.push(d),
        }
    }
}

/// The theme's user-interface strings in the site's language, as `t` in templates.
pub(super) fn load_strings(config: &Config, theme_dir: &Path) -> Result<toml::Table, Diagnostic> {
    let dir = theme_dir.join("i18n");
    let path = dir.join(format!("{}.toml", config.language));
    if !path.is_file() {
        let mut available: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .strip_suffix(".toml")
                    .map(String::from)
            })
            .collect();
        available.sort();
        return Err(config
            .error_at(
                config.language_span.clone(),
                format!(
                    "the theme `{}` has no strings for the language `{}`",
                    config.theme, config.language
                ),
            )
            .with_code(crate::diagnostics::code::UNKNOWN_LANGUAGE)
            .with_help(format!("available: {}", available.join(", "))));
    }
    let shown = path
        .strip_prefix(&config.root)
        .unwrap_or(&path)
        .to_path_buf();
    let text = read_text(&path, &shown)?;
    toml::from_str(&text).map_err(|e| from_toml_error(&shown, &text, 0, &e))
}

/// Turns a Tera error into a diagnostic pointing into the template file.
pub(super) fn template_error(
    sources: &BTreeMap<String, TemplateSource>,
    err: &tera::Error,
    page: Option<&Page>,
) -> Diagnostic {
    let while_rendering = page.map(|p| format!("while rendering {}", p.source.display()));
    let d = match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            match sources.get(report.filename()) {
                Some(src) => Diagnostic::at(
                    &src.shown,
                    &src.text,
                    report.span().range.clone(),
                    report.message(),
                )
                .with_code(crate::diagnostics::code::TEMPLATE_ERROR),
                None => Diagnostic::file(report.filename(), report.message())
                    .with_code(crate::diagnostics::code::TEMPLATE_ERROR),
            }
        }
        ErrorKind::MissingParent { current, parent } => {
            let shown = sources
                .get(current)
                .map_or_else(|| PathBuf::from(current), |s| s.shown.clone());
            let d = Diagnostic::file(shown, format!("extends `{parent}`, which does not exist"))
                .with_code(crate::diagnostics::code::MISSING_TEMPLATE);
            match closest(parent, sources.keys().map(String::as_str)) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d,
            }
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::file(
            page.map_or_else(|| PathBuf::from("templates"), |p| p.source.clone()),
            format!("the template `{name}` does not exist"),
        )
        .with_code(crate::diagnostics::code::MISSING_TEMPLATE),
        _ => Diagnostic::file(
            page.map_or_else(|| PathBuf::from("templates"), |p| p.source.clone()),
            err.to_string(),
        )
        .with_code(crate::diagnostics::code::TEMPLATE_ERROR),
    };
    match while_rendering {
        Some(w) => d.with_help(w),
        None => d,
    }
}

/// The templates a template names in `{% extends %}`, `{% include %}` and `{% import %}`
/// tags.
pub(super) fn references(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        let tag_start = &rest[start + 2..];
        let Some(end) = tag_start.find("%}") else {
            break;
        };
        let tag = tag_start[..end].trim_start_matches('-').trim();
        if ["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k))
        {
            let mut quoted = tag.split(['"', '\'']).skip(1).step_by(2);
            out.extend(quoted.by_ref().map(String::from));
        }
        rest = &tag_start[end + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_extended_and_included_templates() {
        let refs = super::references(
            "{% extends \"base.html\" %}{% block x %}{%- include 'partials/a.html' -%}{{ \"not.html\" }}{% endblock %}",
        );
        assert_eq!(refs, ["base.html", "partials/a.html"]);
    }
}
