//! The site's configuration: formwerk.toml at the site root.

mod look;

pub use look::Look;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use formwerk_base::diagnostics::{Diagnostic, from_toml_error, read_text};
use formwerk_text::vars::{Variables, is_valid_name};

pub const CONFIG_FILE: &str = "formwerk.toml";

/// The site's source folders beside [`CONFIG_FILE`] (a theme has `templates/` and `static/`
/// of its own too): what a build reads, the build cache stamps, watch watches and the output
/// folder must stay out of.
pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub(crate) const THEMES_DIR: &str = "themes";
pub const STATIC_DIR: &str = "static";
pub const SOURCE_DIRS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, THEMES_DIR, STATIC_DIR];

// The doc comments of these types are the editors' descriptions of the keys (German), in the
// JSON Schema and the key reference (docs/einstellungen.md).

/// Die Einstellungen der Website (`formwerk.toml` im Ordner der Website).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Name der Website: im Kopf jeder Seite und im Browser-Tab.
    title: String,
    /// Kurzbeschreibung der Website, in der Fußzeile.
    #[serde(default)]
    description: Option<String>,
    /// Die öffentliche Adresse der Website: die Adresse des Ordners, in den `site/` kopiert
    /// wird, mit `https://` (oder `http://`), z. B.
    /// `base_url = "https://www.ms.niedersachsen.de/foerderung/"`; ein fehlender `/` am Ende
    /// wird ergänzt. Nur mit ihr schreibt der Bau für Suchmaschinen `sitemap.xml` (die Adressen
    /// aller Seiten), `robots.txt` (nennt die Sitemap; eine eigene in `static/` hat Vorrang)
    /// und in jede Seite ihre vollständige Adresse (`<link rel="canonical">`). Ohne sie
    /// (Standard) gibt es diese drei nicht. Die Links zwischen den Seiten bleiben so oder so
    /// relativ: Die Website funktioniert in jedem Ordner und von der Festplatte.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = BASE_URL_PATTERN))]
    base_url: Option<toml::Spanned<String>>,
    /// Sprache der Website und ihrer Bedienelemente, z. B. `"de"` oder `"en"`; wählt die Texte
    /// des Erscheinungsbilds in dieser Sprache (eingebaut: `de`, `en`; eigene oder geänderte
    /// in `themes/<theme>/i18n/<language>.toml`) (Standard `"de"`).
    #[serde(default = "default_language")]
    #[schemars(with = "String")]
    language: toml::Spanned<String>,
    /// Das Erscheinungsbild: `"default"` ist das in Formwerk eingebaute (Standard); ein anderer
    /// Name ist ein Ordner unter `themes/`, der das eingebaute erweitert und nur die Dateien
    /// enthält, die er ändert.
    #[serde(default = "default_theme")]
    #[schemars(with = "String")]
    theme: toml::Spanned<String>,
    /// Höchstens so viele Einträge zeigt die Navigation auf jeder Seite; die Startseite listet
    /// alle Abschnitte (Standard 12).
    #[serde(default = "default_nav_limit")]
    nav_limit: usize,
    /// Websites mit bis zu so vielen Seiten erhalten das Gesamtdokument zum Drucken
    /// (`gesamtdokument.html`; Standard 500).
    #[serde(default = "default_print_all_limit")]
    print_all_limit: usize,
    /// Variablen, in Markdown, Titelei und Formularen als `{{ name }}` und in Vorlagen als
    /// `{{ variables.name }}` nutzbar, z. B. `jahr = 2026`. Namen aus Buchstaben, Ziffern und
    /// `_`, beginnend mit einem Buchstaben; Werte sind Text, Zahl, Datum oder `true`/`false`.
    #[serde(default)]
    #[schemars(schema_with = "variables_schema")]
    variables: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>,
    /// Einstellungen für Markdown-Texte.
    #[serde(default)]
    markdown: MarkdownSettings,
    /// Die Pflichtseiten einer deutschen Behörden-Website, als Pfade ihrer Quelldateien unter
    /// content/; jede wird im Fuß jeder Seite verlinkt.
    #[serde(default)]
    legal: LegalFile,
    /// Das Erscheinungsbild ohne eigene Vorlagen: Behörde, Logo, Farbe, Fußzeilen.
    #[serde(default)]
    look: look::LookFile,
}

/// What the editors' schema accepts as `base_url`: `http://` or `https://`, a host, no query
/// or fragment (looser than [`checked_base_url`], never stricter).
const BASE_URL_PATTERN: &str = r"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@\s]+(/[^?#\s]*)?$";

/// `[legal]`: Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LegalFile {
    /// Quelldatei des Impressums, z. B. `impressum = "impressum.md"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    impressum: Option<toml::Spanned<String>>,
    /// Quelldatei der Datenschutzerklärung, z. B. `datenschutz = "datenschutz.md"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    datenschutz: Option<toml::Spanned<String>>,
    /// Quelldatei der Erklärung zur Barrierefreiheit, z. B.
    /// `barrierefreiheit = "barrierefreiheit.md"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    barrierefreiheit: Option<toml::Spanned<String>>,
}

/// The legally required pages, in the order the footer links them: the key in `[legal]`, which
/// is also the theme string of the link's text (`legal_impressum` …).
pub const LEGAL_PAGES: [&str; 3] = ["impressum", "datenschutz", "barrierefreiheit"];

/// A page named in `[legal]`: its key, its source path under content/, where it was written.
#[derive(Debug, Clone)]
pub struct LegalPage {
    pub key: &'static str,
    pub path: String,
    pub span: std::ops::Range<usize>,
}

/// Einstellungen für Markdown-Texte (`[markdown]`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MarkdownSettings {
    /// `true`: HTML in Markdown-Texten wird übernommen; sonst (Standard) wird es als Text
    /// angezeigt. Nur einschalten, wenn allen Schreibenden vertraut wird.
    #[serde(default)]
    raw_html: bool,
}

fn variables_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
        "additionalProperties": { "type": ["string", "number", "boolean"] }
    })
}

/// The JSON Schema of formwerk.toml, from the types that load it.
pub fn file_schema(generator: schemars::SchemaGenerator) -> schemars::Schema {
    generator.into_root_schema_for::<ConfigFile>()
}

fn default_language() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "de".to_string())
}

/// How many entries the navigation on every page shows at most (the start page counts).
/// More would grow every page with the site: the start page lists all sections.
fn default_nav_limit() -> usize {
    12
}

/// Up to how many pages the site gets a print-all document (gesamtdokument.html).
fn default_print_all_limit() -> usize {
    500
}

fn default_theme() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "default".to_string())
}

/// A loaded, checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: Option<String>,
    /// The checked `base_url`: an absolute http(s) address ending in `/`, its path
    /// percent-encoded. Only with it does the build write absolute addresses (sitemap.xml,
    /// robots.txt, canonical links).
    pub base_url: Option<String>,
    pub language: String,
    pub theme: String,
    pub nav_limit: usize,
    pub print_all_limit: usize,
    /// `[markdown] raw_html = true`: HTML in Markdown is passed through, not shown as text.
    pub raw_html: bool,
    pub variables: Variables,
    /// The pages of `[legal]` that are configured, in [`LEGAL_PAGES`] order.
    pub legal: Vec<LegalPage>,
    /// `[look]`, checked.
    pub look: Look,
    /// Where `language` and `theme` stand in formwerk.toml, for errors about them.
    pub source: Arc<str>,
    pub language_span: std::ops::Range<usize>,
    pub theme_span: std::ops::Range<usize>,
}

/// The `[variables]` by name; a name that cannot be used or a value that is not a single
/// one is added to `errors` and left out.
fn variable_values(
    shown: &Path,
    source: &Arc<str>,
    variables: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, toml::Value> {
    let mut values = BTreeMap::new();
    for (name, value) in variables {
        let span = name.span();
        let name = name.into_inner();
        if !is_valid_name(&name) {
            errors.push(
                Diagnostic::at(shown, source, span, format!("`{name}` cannot be used as a variable name")).with_code(formwerk_base::diagnostics::code::INVALID_VARIABLE_NAME)
                    .with_help("use letters, digits and underscores, starting with a letter, for example `jahr`"),
            );
            continue;
        }
        let span = value.span();
        let value = value.into_inner();
        if matches!(value, toml::Value::Array(_) | toml::Value::Table(_)) {
            errors.push(
                Diagnostic::at(
                    shown,
                    source,
                    span,
                    format!("variable `{name}` must be a single value"),
                )
                .with_code(formwerk_base::diagnostics::code::INVALID_VARIABLE_VALUE)
                .with_help("use text, a number, a date or true/false, for example `jahr = 2026`"),
            );
            continue;
        }
        values.insert(name, value);
    }
    values
}

/// Adds an error to `errors` for a `theme` or `language` that is not a plain folder or file
/// name (see [`is_plain_name`]).
fn check_folder_names(
    shown: &Path,
    source: &Arc<str>,
    theme: &toml::Spanned<String>,
    language: &toml::Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) {
    for (key, value, example) in [
        ("theme", theme, "theme = \"default\""),
        ("language", language, "language = \"de\""),
    ] {
        if !is_plain_name(value.get_ref()) {
            errors.push(
                Diagnostic::at(shown, source, value.span(), format!("`{}` cannot be used as a {key} name", value.get_ref()))
                    .with_code(formwerk_base::diagnostics::code::INVALID_NAME)
                    .with_help(format!("a {key} is named by letters, digits, `-` and `_` only (no folders, no `..`), for example {example}")),
            );
        }
    }
}

/// The example every `base_url` error shows.
const BASE_URL_EXAMPLE: &str = "base_url = \"https://www.ms.niedersachsen.de/foerderung/\"";

/// `base_url` as written, checked: an absolute http(s) address of the folder the site is
/// published in, returned with a lowercase scheme, its path percent-encoded and a `/` at its
/// end; or what is wrong with it (message, help).
fn checked_base_url(text: &str) -> Result<String, (String, String)> {
    let example = format!("for example {BASE_URL_EXAMPLE}");
    if text.chars().any(char::is_whitespace) {
        return Err((
            format!("the base_url `{text}` contains a space"),
            format!(
                "write the address without spaces (a space in a folder name as %20), {example}"
            ),
        ));
    }
    let not_absolute = || {
        (
            format!("`{text}` is not an absolute http(s) address, which base_url must be"),
            format!(
                "write the whole address the site is published at, beginning with https://, {example}"
            ),
        )
    };
    let (scheme, rest) = text.split_once("://").ok_or_else(not_absolute)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(not_absolute());
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    if host.is_empty() {
        return Err(not_absolute());
    }
    if host.contains('@') {
        return Err((
            format!("the base_url `{text}` holds a user name or password"),
            format!("a public address has none: leave out the part up to `@`, {example}"),
        ));
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'))
    {
        return Err((
            format!("`{host}` in base_url is not a host name in ASCII"),
            format!(
                "write the host as the browser's address bar gives it when copied (an umlaut domain as xn--…), {example}"
            ),
        ));
    }
    if path.contains(['?', '#']) {
        return Err((
            format!("the base_url `{text}` has a query (`?…`) or fragment (`#…`)"),
            format!(
                "give the address of the folder that site/ is copied to, ending in /, {example}"
            ),
        ));
    }
    let mut path = formwerk_text::url::encode_path(path);
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok(format!("{scheme}://{host}{path}"))
}

/// The checked `base_url`, or an error in `errors` at where it is written.
fn base_url(
    shown: &Path,
    source: &Arc<str>,
    value: Option<toml::Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = value?;
    match checked_base_url(value.get_ref()) {
        Ok(url) => Some(url),
        Err((message, help)) => {
            errors.push(
                Diagnostic::at(shown, source, value.span(), message)
                    .with_code(formwerk_base::diagnostics::code::INVALID_BASE_URL)
                    .with_help(help),
            );
            None
        }
    }
}

/// The pages of `[legal]` that are configured, in [`LEGAL_PAGES`] order.
fn legal_pages(legal: LegalFile) -> Vec<LegalPage> {
    [legal.impressum, legal.datenschutz, legal.barrierefreiheit]
        .into_iter()
        .zip(LEGAL_PAGES)
        .filter_map(|(path, key)| {
            path.map(|p| LegalPage {
                key,
                span: p.span(),
                path: p.into_inner(),
            })
        })
        .collect()
}

/// A theme or language name is one folder or file name: no path can reach outside themes/.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let shown = PathBuf::from(CONFIG_FILE);
        if !path.is_file() {
            return Err(vec![
                Diagnostic::file(&shown, format!("no {CONFIG_FILE} in {}", root.display())).with_code(formwerk_base::diagnostics::code::MISSING_CONFIG)
                    .with_help(
                        "run formwerk in the site's folder, pass --root DIR, or create a site with `formwerk init DIR`",
                    ),
            ]);
        }
        let source = read_text(&path, &shown).map_err(|d| vec![d])?;
        Config::parse(root, source)
    }

    /// Checks the text of formwerk.toml (of the site in `root`); errors point into `source`.
    pub fn parse(root: &Path, source: impl Into<Arc<str>>) -> Result<Config, Vec<Diagnostic>> {
        let source: Arc<str> = source.into();
        let shown = PathBuf::from(CONFIG_FILE);
        let file: ConfigFile =
            toml::from_str(&source).map_err(|e| vec![from_toml_error(&shown, &source, 0, &e)])?;

        let mut errors = formwerk_base::control::control_escapes(&shown, &source, &source, 0);
        let values = variable_values(&shown, &source, file.variables, &mut errors);
        check_folder_names(&shown, &source, &file.theme, &file.language, &mut errors);
        let look = file.look.check(&shown, &source, &mut errors);
        let base_url = base_url(&shown, &source, file.base_url, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            legal: legal_pages(file.legal),
            look,
            root: root.to_path_buf(),
            title: file.title,
            description: file.description,
            base_url,
            language_span: file.language.span(),
            language: file.language.into_inner(),
            theme_span: file.theme.span(),
            theme: file.theme.into_inner(),
            nav_limit: file.nav_limit.max(1),
            print_all_limit: file.print_all_limit,
            raw_html: file.markdown.raw_html,
            variables: Variables::new(values),
            source,
        })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join(CONTENT_DIR)
    }

    pub fn site_templates_dir(&self) -> PathBuf {
        self.root.join(TEMPLATES_DIR)
    }

    /// The site's own layer of its theme, `themes/<theme>/`, over the built-in one. For the
    /// built-in `default` it is there only in a site that keeps changes in it (or a full copy,
    /// as `formwerk init` made before 0.2.0); another theme must have it.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join(THEMES_DIR).join(&self.theme)
    }

    /// A diagnostic pointing at a value in formwerk.toml.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(CONFIG_FILE, &self.source, span, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("/site"), text)
    }

    /// The one error of `text`: its code, 1-based line and column, message.
    fn error(
        text: &str,
    ) -> (
        formwerk_base::diagnostics::code::Code,
        (usize, usize),
        String,
    ) {
        let errors = parse(text).expect_err("an error");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(e.file, Path::new(CONFIG_FILE));
        (e.code, e.line_col().expect("a place"), e.message.clone())
    }

    #[test]
    fn a_minimal_file_has_the_defaults() {
        let c = parse("title = \"Amt\"\n").unwrap();
        assert_eq!(c.root, Path::new("/site"));
        assert_eq!(
            (c.title.as_str(), c.language.as_str(), c.theme.as_str()),
            ("Amt", "de", "default")
        );
        assert_eq!((c.nav_limit, c.print_all_limit), (12, 500));
        assert!(!c.raw_html && c.legal.is_empty() && c.description.is_none());
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn every_key_is_read() {
        let c = parse(
            "title = \"Amt\"\ndescription = \"D\"\nlanguage = \"en\"\ntheme = \"behoerde\"\n\
             base_url = \"https://www.ms.niedersachsen.de/foerderung\"\n\
             nav_limit = 0\nprint_all_limit = 3\n[variables]\njahr = 2026\n\
             [markdown]\nraw_html = true\n[legal]\ndatenschutz = \"ds.md\"\nimpressum = \"i.md\"\n",
        )
        .unwrap();
        assert_eq!(c.description.as_deref(), Some("D"));
        assert_eq!(
            c.base_url.as_deref(),
            Some("https://www.ms.niedersachsen.de/foerderung/"),
            "a / added"
        );
        assert_eq!((c.language.as_str(), c.theme.as_str()), ("en", "behoerde"));
        assert_eq!(&c.source[c.theme_span.clone()], "\"behoerde\"");
        assert_eq!(c.nav_limit, 1, "at least one navigation entry");
        assert_eq!(c.print_all_limit, 3);
        assert!(c.raw_html);
        assert_eq!(c.variables.expand("{{ jahr }}").unwrap(), "2026");
        let legal: Vec<_> = c.legal.iter().map(|l| (l.key, l.path.as_str())).collect();
        assert_eq!(legal, [("impressum", "i.md"), ("datenschutz", "ds.md")]);
    }

    #[test]
    fn errors_point_at_line_and_column() {
        use formwerk_base::diagnostics::code;
        let (c, at, message) = error("title = \"Amt\"\nthema = \"x\"\n");
        assert_eq!((c, at), (code::UNKNOWN_KEY, (2, 1)), "{message}");
        assert!(message.contains("thema"), "{message}");
        let (c, at, _) = error("title = \"Amt\"\ntheme = \"../x\"\n");
        assert_eq!((c, at), (code::INVALID_NAME, (2, 9)));
        let (c, at, _) = error("title = \"Amt\"\n[variables]\n2jahr = 1\n");
        assert_eq!((c, at), (code::INVALID_VARIABLE_NAME, (3, 1)));
        let (c, at, _) = error("title = \"Amt\"\n[variables]\nliste = [1, 2]\n");
        assert_eq!((c, at), (code::INVALID_VARIABLE_VALUE, (3, 9)));
        let (_, at, message) = error("title = \"Amt\"\nnav_limit = \"viele\"\n");
        assert_eq!(at, (2, 13), "{message}");
        let (_, at, message) = error("description = \"D\"\n");
        assert!(message.contains("title"), "{message}");
        assert_eq!(at.0, 1);
    }

    #[test]
    fn a_base_url_is_an_absolute_http_address_of_a_folder() {
        for (written, checked) in [
            (
                "https://www.ms.niedersachsen.de/foerderung/",
                "https://www.ms.niedersachsen.de/foerderung/",
            ),
            (
                "https://www.ms.niedersachsen.de",
                "https://www.ms.niedersachsen.de/",
            ),
            ("HTTP://localhost:8080/a/b", "http://localhost:8080/a/b/"),
            ("https://a.de/förderung/", "https://a.de/f%C3%B6rderung/"),
            (
                "https://a.de/f%C3%B6rderung",
                "https://a.de/f%C3%B6rderung/",
            ),
            ("https://[::1]:8000/", "https://[::1]:8000/"),
        ] {
            assert_eq!(
                checked_base_url(written).as_deref(),
                Ok(checked),
                "{written}"
            );
        }
        for (written, says) in [
            (
                "www.ms.niedersachsen.de/foerderung/",
                "not an absolute http(s) address",
            ),
            ("/foerderung/", "not an absolute http(s) address"),
            ("", "not an absolute http(s) address"),
            ("ftp://a.de/", "not an absolute http(s) address"),
            ("https:///foerderung/", "not an absolute http(s) address"),
            ("https://a.de/foer derung/", "contains a space"),
            (" https://a.de/", "contains a space"),
            ("https://a.de/?seite=1", "query"),
            ("https://a.de/a#oben", "fragment"),
            ("https://a.de?x", "query"),
            ("https://ich:geheim@a.de/", "user name or password"),
            ("https://bürger.de/", "not a host name in ASCII"),
        ] {
            let (message, help) = checked_base_url(written).expect_err(written);
            assert!(message.contains(says), "{written}: {message}");
            assert!(help.contains(BASE_URL_EXAMPLE), "{written}: {help}");
        }
    }

    #[test]
    fn a_bad_base_url_is_reported_where_it_is_written() {
        use formwerk_base::diagnostics::code;
        let (c, at, message) = error("title = \"Amt\"\nbase_url = \"www.amt.de\"\n");
        assert_eq!((c, at), (code::INVALID_BASE_URL, (2, 12)), "{message}");
    }

    #[test]
    fn any_text_gives_a_config_or_errors_with_a_place() {
        // Cut the bundled file at every character: no panic, every error has a place.
        let full = "title = \"Ämter\"\nlanguage = \"de\"\n[variables]\njahr = 2026\n\
                    [legal]\nimpressum = \"i.md\"\n";
        for (cut, _) in full.char_indices() {
            if let Err(errors) = parse(&full[..cut]) {
                assert!(errors.iter().all(|e| e.line_col().is_some()), "{cut}");
            }
        }
    }
}
