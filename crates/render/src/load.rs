//! Loading a theme, the parts of [`Theme::load`](crate::Theme::load) besides the templates'
//! sources: the templates compiled, the static files of every layer (with `[look]`'s colour
//! and logo), what offline copies inline, and where the PDF fonts come from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ErrorKind, Kwargs, State, Tera};

use crate::assets::{self, Source, StaticFiles};
use crate::templates::{template_error, template_errors};
use crate::{FAVICON, OFFLINE_ASSETS, TemplateSource, WORKER_ASSETS, builtin};
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, read_text};
use formwerk_config::{Config, STATIC_DIR};

/// Where a theme's PDF fonts come from.
pub(crate) enum FontFiles {
    BuiltIn,
    /// The site theme's `fonts/`, when it has every one of [`formwerk_pdf::FONT_FILES`].
    Dir(PathBuf),
}

impl FontFiles {
    pub(crate) fn of(theme_dir: &Path) -> FontFiles {
        let dir = theme_dir.join("fonts");
        if formwerk_pdf::FONT_FILES
            .iter()
            .all(|name| dir.join(name).is_file())
        {
            FontFiles::Dir(dir)
        } else {
            FontFiles::BuiltIn
        }
    }
}

/// The built-in fonts, subset once per process.
pub(crate) fn builtin_fonts() -> anyhow::Result<Arc<formwerk_pdf::Fonts>> {
    static FONTS: std::sync::OnceLock<Arc<formwerk_pdf::Fonts>> = std::sync::OnceLock::new();
    if let Some(fonts) = FONTS.get() {
        return Ok(fonts.clone());
    }
    let file = |name: &str| {
        builtin::file(&format!("fonts/{name}"))
            .ok_or_else(|| anyhow::anyhow!("the built-in font {name} is missing"))
    };
    let [regular, bold, italic] = formwerk_pdf::FONT_FILES;
    let fallbacks = formwerk_pdf::FALLBACK_FONT_FILES
        .iter()
        .map(|name| file(name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let fonts = Arc::new(formwerk_pdf::Fonts::from_faces(
        [file(regular)?, file(bold)?, file(italic)?],
        &fallbacks,
    )?);
    Ok(FONTS.get_or_init(|| fonts).clone())
}

/// The error for a theme whose folder is missing, at the `theme` setting.
pub(crate) fn theme_not_installed(config: &Config) -> Diagnostic {
    config
        .error_at(
            config.theme_span.clone(),
            format!("the theme `{}` is not installed", config.theme),
        )
        .with_code(formwerk_base::diagnostics::code::UNKNOWN_THEME)
        .with_help(format!(
            "expected the folder themes/{}/ beside formwerk.toml; or write theme = \"default\" for the built-in theme",
            config.theme
        ))
}

/// Tera with Formwerk's settings and filter, holding the templates `sources`. Syntax errors
/// are added to `errors`, every broken template's; other errors only where `errors` holds
/// nothing yet (they may follow from what is already reported).
pub(crate) fn compile_templates(
    sources: &BTreeMap<String, TemplateSource>,
    errors: &mut Diagnostics,
) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
    tera.register_filter("css_string", css_string);
    let all = sources
        .iter()
        .map(|(name, s)| (name.as_str(), s.text.as_ref()));
    if let Err(e) = tera.add_raw_templates(all) {
        // Tera stops at the first broken template; check each alone to report them all.
        for (name, source) in sources {
            if let Err(single) = Tera::new().add_raw_template(name, &source.text)
                && matches!(single.kind(), ErrorKind::SyntaxError(_))
            {
                errors.push(template_error(sources, &single, None));
            }
        }
        if errors.is_empty() {
            errors.0.extend(template_errors(sources, &e));
        }
    }
    tera
}

/// The theme's and the site's static files (the site's win); files that cannot be read are
/// added to `errors`.
pub(crate) fn static_files(
    config: &Config,
    theme_dir: &Path,
    errors: &mut Diagnostics,
) -> StaticFiles {
    let static_dirs: Vec<PathBuf> = [theme_dir.join(STATIC_DIR), config.root.join(STATIC_DIR)]
        .into_iter()
        .filter(|d| d.is_dir())
        .collect();
    let (mut statics, unreadable) = assets::collect(&static_dirs);
    for (path, e) in unreadable {
        let shown = path.strip_prefix(&config.root).unwrap_or(&path);
        errors.push(
            Diagnostic::file(shown, format!("cannot read this file: {e}"))
                .with_code(formwerk_base::diagnostics::code::UNREADABLE_FILE),
        );
    }
    apply_look(config, &mut statics, errors);
    statics
}

/// `[look]`'s colour as the style sheet's custom properties (one style sheet, so that the
/// offline copy, which inlines it, has it too), and its logo, which must be a static file.
fn apply_look(config: &Config, statics: &mut StaticFiles, errors: &mut Diagnostics) {
    let look = &config.look;
    if let (Some(accent), Some(dark)) = (&look.accent, &look.accent_dark) {
        let extra = format!(
            "\n/* [look] in formwerk.toml */\n:root {{ --accent: {accent}; --accent-dark: {dark}; }}\n"
        );
        if let Err(e) = statics.append("formwerk.css", &extra) {
            errors.push(
                Diagnostic::file("static/formwerk.css", format!("cannot read this file: {e}"))
                    .with_code(formwerk_base::diagnostics::code::UNREADABLE_FILE),
            );
        }
    }
    if let Some(logo) = &look.logo
        && !statics.names.contains_key(logo)
    {
        errors.push(
            Diagnostic::file(
                formwerk_config::CONFIG_FILE,
                format!("the logo `{logo}` is not in static/"),
            )
            .with_code(formwerk_base::diagnostics::code::INVALID_LOOK)
            .with_help(format!(
                "put the file into static/{logo}, or correct logo under [look]"
            )),
        );
    }
}

/// The [`OFFLINE_ASSETS`] and [`WORKER_ASSETS`] as text and the [`FAVICON`] as a `data:`
/// URI, by their names in the context (`.` and `-` become `_`), for offline copies and the
/// inbox's worker. An offline script or style sheet that would end its inline element early
/// is an error; in a worker script `</` is written `<\/`.
pub(crate) fn inline_assets(
    config: &Config,
    statics: &StaticFiles,
    errors: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut inline = BTreeMap::new();
    let source = |name: &str| statics.names.get(name).map(|out| &statics.files[out]);
    for name in OFFLINE_ASSETS
        .into_iter()
        .chain(WORKER_ASSETS)
        .chain([FAVICON])
    {
        let Some(source) = source(name) else {
            continue;
        };
        let (text, shown) = match source {
            Source::File(path) => {
                let shown = path
                    .strip_prefix(&config.root)
                    .unwrap_or(path)
                    .to_path_buf();
                (read_text(path, &shown), shown)
            }
            Source::BuiltIn(_) | Source::Made(_) => {
                let bytes = source.in_memory().unwrap_or_default();
                let shown = PathBuf::from(format!("{}/static/{name}", builtin::SHOWN_PREFIX));
                let text = std::str::from_utf8(bytes)
                    .map(Arc::from)
                    .map_err(|_| Diagnostic::file(&shown, "the built-in file is not UTF-8"));
                (text, shown)
            }
        };
        let shown = shown.as_path();
        match text {
            Ok(text) if WORKER_ASSETS.contains(&name) => {
                inline.insert(name.replace(['.', '-'], "_"), text.replace("</", "<\\/"));
            }
            Ok(text) if text.contains("</") && name != FAVICON => errors.push(
                Diagnostic::file(shown, "contains `</`, which would end the inline <style> or <script> of offline copies")
                    .with_code(formwerk_base::diagnostics::code::UNSAFE_INLINE_ASSET)
                    .with_help("write `<\\/` in strings instead"),
            ),
            Ok(text) if name == FAVICON => {
                inline.insert("favicon".to_string(), svg_data_uri(&text));
            }
            Ok(text) => {
                inline.insert(name.replace(['.', '-'], "_"), text.to_string());
            }
            Err(d) => errors.push(d),
        }
    }
    inline
}

/// A text as the body of a double-quoted CSS string, for `content:` in `@page` rules.
fn css_string(val: std::borrow::Cow<'_, str>, _: Kwargs, _: &State) -> tera::Value {
    let mut out = String::with_capacity(val.len());
    for c in val.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push_str("\\a "),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            '&' => out.push_str("\\26 "),
            c => out.push(c),
        }
    }
    tera::Value::safe_string(&out)
}

/// An SVG image as a `data:` URI (percent-encoding what a URL or an attribute may not hold).
fn svg_data_uri(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for c in svg.trim().chars() {
        match c {
            '%' | '#' | '"' | '<' | '>' | '&' | '\'' | ' ' | '\n' | '\r' | '\t' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}
