//! `[look]` in formwerk.toml: what a ministry's site sets of its appearance without touching a
//! template: its organisation's name and logo in the header, its colour, its footer lines.
//! The colour is checked for contrast (WCAG 2.1 AA: 4.5:1 against white, where links and the
//! header band use it), so no setting can make the site unreadable.

use std::path::Path;
use std::sync::Arc;

use formwerk_base::diagnostics::{Diagnostic, code};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Das Erscheinungsbild der Website ohne eigene Vorlagen (`[look]`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LookFile {
    /// Name der Behörde, über dem Titel im Kopf jeder Seite, z. B. `"Niedersächsisches
    /// Ministerium für Soziales, Arbeit, Gesundheit und Gleichstellung"`.
    #[serde(default)]
    organisation: Option<String>,
    /// Logo im Kopf jeder Seite: eine Datei in `static/` (SVG, PNG, JPEG oder WebP), z. B.
    /// `"logo.svg"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    logo: Option<toml::Spanned<String>>,
    /// Hauptfarbe (Kopfband, Links, Rahmen) als `"#rrggbb"`; sie muss auf Weiß ein
    /// Kontrastverhältnis von mindestens 4,5:1 haben (WCAG 2.1 AA). Standard `"#00508c"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    accent: Option<toml::Spanned<String>>,
    /// Zeilen im Fuß jeder Seite, z. B. Anschrift und Telefon.
    #[serde(default)]
    footer: Vec<String>,
}

/// The checked `[look]`, as templates get it (`site.look`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Look {
    pub organisation: Option<String>,
    /// The logo's name in static/.
    pub logo: Option<String>,
    /// `#rrggbb`, and the darker shade the header band uses.
    pub accent: Option<String>,
    pub accent_dark: Option<String>,
    pub footer: Vec<String>,
}

/// The smallest contrast against white the colour must have.
const MIN_CONTRAST: f64 = 4.5;

impl LookFile {
    pub(crate) fn check(
        self,
        shown: &Path,
        source: &Arc<str>,
        errors: &mut Vec<Diagnostic>,
    ) -> Look {
        let at = |span: std::ops::Range<usize>, message: String, help: &str| {
            Diagnostic::at(shown, source, span, message)
                .with_code(code::INVALID_LOOK)
                .with_help(help.to_string())
        };
        let accent = self.accent.and_then(|a| {
            let span = a.span();
            let text = a.into_inner();
            match rgb(&text) {
                None => {
                    errors.push(at(span, format!("`{text}` is not a colour"), "write it as #rrggbb, for example accent = \"#00508c\""));
                    None
                }
                Some(c) if contrast_with_white(c) < MIN_CONTRAST => {
                    errors.push(at(
                        span,
                        format!("`{text}` has a contrast of {:.1}:1 against white; links and the header need at least 4.5:1", contrast_with_white(c)),
                        "choose a darker colour, for example accent = \"#00508c\" (8.4:1)",
                    ));
                    None
                }
                Some(c) => Some((text.to_ascii_lowercase(), hex(darker(c)))),
            }
        });
        let logo = self.logo.and_then(|l| {
            let span = l.span();
            let name = l.into_inner();
            let image = [".svg", ".png", ".jpg", ".jpeg", ".webp"]
                .iter()
                .any(|e| name.to_ascii_lowercase().ends_with(e));
            let plain = !name.is_empty() && !name.contains("..") && !name.starts_with('/') && !name.contains('\\');
            if image && plain {
                Some(name)
            } else {
                errors.push(at(span, format!("`{name}` cannot be the logo"), "name an SVG, PNG, JPEG or WebP file in static/, for example logo = \"logo.svg\""));
                None
            }
        });
        let (accent, accent_dark) = accent.unzip();
        Look {
            organisation: self.organisation.filter(|o| !o.trim().is_empty()),
            logo,
            accent,
            accent_dark,
            footer: self
                .footer
                .into_iter()
                .filter(|l| !l.trim().is_empty())
                .collect(),
        }
    }
}

fn rgb(text: &str) -> Option<[u8; 3]> {
    let hex = text
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()))?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The relative luminance of WCAG 2.1.
fn luminance(c: [u8; 3]) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
}

fn contrast_with_white(c: [u8; 3]) -> f64 {
    1.05 / (luminance(c) + 0.05)
}

/// The header band's shade: the built-in pair is #00508c and #003a66, about 0.73 of it.
fn darker(c: [u8; 3]) -> [u8; 3] {
    c.map(|v| (f64::from(v) * 0.73).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_wcags() {
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 0.01);
        let built_in = contrast_with_white(rgb("#00508c").unwrap());
        assert!((8.3..8.5).contains(&built_in), "{built_in}");
        assert!(contrast_with_white(rgb("#ffbf47").unwrap()) < MIN_CONTRAST);
        assert_eq!(hex(darker(rgb("#00508c").unwrap())), "#003a66");
        assert_eq!(rgb("#00508"), None);
        assert_eq!(rgb("00508c"), None);
    }
}
