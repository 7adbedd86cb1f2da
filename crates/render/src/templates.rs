//! Reading templates and theme strings, and turning Tera's errors into diagnostics.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::ErrorKind;
use walkdir::WalkDir;

use super::TemplateSource;
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, closest, from_toml_error, read_text};
use formwerk_config::Config;
use formwerk_content::{Page, is_skipped};

/// The built-in templates, under the names the site's own override (`base.html`,
/// `form/field.html`).
pub(super) fn builtin_templates() -> BTreeMap<String, TemplateSource> {
    crate::builtin::under(TEMPLATES)
        .map(|(name, bytes)| {
            let shown = PathBuf::from(format!(
                "{}/{TEMPLATES}/{name}",
                crate::builtin::SHOWN_PREFIX
            ));
            let text: Arc<str> = String::from_utf8_lossy(bytes).into();
            (name.to_string(), TemplateSource { shown, text })
        })
        .collect()
}

const TEMPLATES: &str = "templates";

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

/// The theme's user-interface strings in the site's language, as `t` in templates: the
/// built-in ones, each replaced where the site's theme has `i18n/<language>.toml` with the
/// same key (a theme may also bring a language the built-in theme lacks).
pub(super) fn load_strings(config: &Config, theme_dir: &Path) -> Result<toml::Table, Diagnostic> {
    let file = format!("{}.toml", config.language);
    let builtin = crate::builtin::file(&format!("i18n/{file}"))
        .map(|bytes| toml::from_slice::<toml::Table>(bytes).unwrap_or_default());
    let dir = theme_dir.join("i18n");
    let path = dir.join(&file);
    if !path.is_file() {
        return builtin.ok_or_else(|| unknown_language(config, &dir));
    }
    let shown = path
        .strip_prefix(&config.root)
        .unwrap_or(&path)
        .to_path_buf();
    let text = read_text(&path, &shown)?;
    let own: toml::Table =
        toml::from_str(&text).map_err(|e| from_toml_error(&shown, &text, 0, &e))?;
    let mut strings = builtin.unwrap_or_default();
    strings.extend(own);
    Ok(strings)
}

/// The error for a language that neither the built-in theme nor the site's has strings for.
fn unknown_language(config: &Config, dir: &Path) -> Diagnostic {
    let own = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned());
    let builtin = crate::builtin::under("i18n").map(|(name, _)| name.to_string());
    let available: BTreeSet<String> = own
        .chain(builtin)
        .filter_map(|name| name.strip_suffix(".toml").map(String::from))
        .collect();
    let available: Vec<String> = available.into_iter().collect();
    config
        .error_at(
            config.language_span.clone(),
            format!(
                "the theme `{}` has no strings for the language `{}`",
                config.theme, config.language
            ),
        )
        .with_code(formwerk_base::diagnostics::code::UNKNOWN_LANGUAGE)
        .with_help(format!("available: {}", available.join(", ")))
}

/// Turns a Tera error into a diagnostic pointing into the template file.
pub(super) fn template_error(
    sources: &BTreeMap<String, TemplateSource>,
    err: &tera::Error,
    page: Option<&Page>,
) -> Diagnostic {
    let while_rendering = page.map(|p| format!("while rendering {}", p.source.display()));
    let d = match err.kind() {
        ErrorKind::RenderingError(report) => at_report(sources, report),
        ErrorKind::SyntaxError(report) => {
            let d = at_report(sources, report);
            d.with_help(if report.message().starts_with("Unknown tag") {
                "check the tag's spelling: Tera's tags are if, for, block, extends, include, import, set, filter, macro, raw and their end… tags"
            } else {
                "check the template's syntax here: every {% if %}, {% for %} and {% block %} needs its {% end… %}, every {{ and {% its closing }} and %}"
            })
        }
        ErrorKind::MissingParent { current, parent } => {
            let message = format!("extends `{parent}`, which does not exist");
            let d = match sources.get(current) {
                Some(src) => {
                    let at = src.text.find(&format!("\"{parent}\"")).unwrap_or(0);
                    Diagnostic::at(&src.shown, &src.text, at..at + parent.len() + 2, message)
                }
                None => Diagnostic::file(current, message),
            }
            .with_code(formwerk_base::diagnostics::code::MISSING_TEMPLATE);
            match closest(parent, sources.keys().map(String::as_str)) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d.with_help("name a template of the theme or of templates/"),
            }
        }
        ErrorKind::Msg(text) if text.starts_with("error: ") => {
            let mut all = reports(sources, text);
            if all.is_empty() {
                Diagnostic::file("templates", text.clone())
            } else {
                all.swap_remove(0)
            }
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::file(
            page.map_or_else(|| PathBuf::from("templates"), |p| p.source.clone()),
            format!("the template `{name}` does not exist"),
        )
        .with_code(formwerk_base::diagnostics::code::MISSING_TEMPLATE),
        _ => Diagnostic::file(
            page.map_or_else(|| PathBuf::from("templates"), |p| p.source.clone()),
            err.to_string(),
        )
        .with_code(formwerk_base::diagnostics::code::TEMPLATE_ERROR),
    };
    match while_rendering {
        Some(w) => d.with_help(w),
        None => d,
    }
}

/// A diagnostic at the place a Tera report points to.
fn at_report(sources: &BTreeMap<String, TemplateSource>, report: &tera::ReportError) -> Diagnostic {
    match sources.get(report.filename()) {
        Some(src) => Diagnostic::at(
            &src.shown,
            &src.text,
            report.span().range.clone(),
            report.message(),
        ),
        None => Diagnostic::file(report.filename(), report.message()),
    }
    .with_code(formwerk_base::diagnostics::code::TEMPLATE_ERROR)
}

/// Every error of a Tera error, one diagnostic each: Tera reports all unknown filters,
/// tests and functions of the templates in one message of ready-made reports.
pub(super) fn template_errors(
    sources: &BTreeMap<String, TemplateSource>,
    err: &tera::Error,
) -> Vec<Diagnostic> {
    match err.kind() {
        ErrorKind::Msg(text) if text.starts_with("error: ") => {
            let all = reports(sources, text);
            if all.is_empty() {
                vec![template_error(sources, err, None)]
            } else {
                all
            }
        }
        _ => vec![template_error(sources, err, None)],
    }
}

/// Reads Tera's text reports ("error: Unknown filter `gross`" / " --> page.html:3:21") back
/// into diagnostics that point into the template files.
fn reports(sources: &BTreeMap<String, TemplateSource>, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .next()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(col), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(line), Ok(col)) = (line.parse::<usize>(), col.parse::<usize>()) else {
            continue;
        };
        let Some(src) = sources.get(name) else {
            continue;
        };
        let start = formwerk_base::diagnostics::offset_of(&src.text, line, col.saturating_sub(1));
        let len = src.text[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(0);
        let help = match message.split_whitespace().nth(1) {
            Some("filter") => {
                "check the filter's name: Tera's filters and `css_string` can be used"
            }
            Some("test") => "check the test's name: Tera's tests can be used after `is`",
            Some("function") => "check the function's name: Tera's functions can be used",
            _ => "check the name's spelling",
        };
        out.push(
            Diagnostic::at(&src.shown, &src.text, start..start + len.max(1), message)
                .with_code(formwerk_base::diagnostics::code::TEMPLATE_ERROR)
                .with_help(help),
        );
    }
    out
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

/// For every template, a hash of its text and of every template it extends, includes or
/// imports, directly or through others: what a page rendered with it depends on. When a
/// template defines components (which any template may use), every template's hash covers
/// all of them.
pub(super) fn chain_hashes(sources: &BTreeMap<String, TemplateSource>) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    let all = |h: &mut std::hash::DefaultHasher| {
        for (name, s) in sources {
            (name, &*s.text).hash(h);
        }
    };
    let components = sources
        .values()
        .any(|s| s.text.contains("{% component") || s.text.contains("{%- component"));
    let uses: BTreeMap<&str, Vec<String>> = sources
        .iter()
        .map(|(name, s)| (name.as_str(), references(&s.text)))
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut h = std::hash::DefaultHasher::new();
            if components {
                all(&mut h);
            } else {
                let mut seen = BTreeSet::new();
                let mut stack = vec![name.as_str()];
                while let Some(n) = stack.pop() {
                    if !seen.insert(n) {
                        continue;
                    }
                    // A missing one counts too: it is an error now, and may come back.
                    (n, sources.get(n).map(|s| &*s.text)).hash(&mut h);
                    stack.extend(uses.get(n).into_iter().flatten().map(String::as_str));
                }
            }
            (name.clone(), h.finish())
        })
        .collect()
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
