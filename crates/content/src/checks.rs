//! Site-wide checks beyond single files: the `[legal]` pages must exist, and what a public
//! site or a form lacks is warned about (printed by `check`, exit 0, unless
//! `--deny-warnings`). Warnings are diagnostics of [`Severity::Warning`], the same type as
//! errors.

use std::path::Path;

use crate::Site;
use formwerk_base::diagnostics::{Diagnostic, Diagnostics, Severity, code};
use formwerk_config::{CONFIG_FILE, LEGAL_PAGES};

/// The page of `content_path`: looked for page by page, as a watch rebuild finds the few
/// legal pages among all (a map of every page's path would cost more to make).
fn page_at(site: &Site, content_path: &str) -> Option<usize> {
    let wanted = Path::new(content_path);
    site.pages.iter().position(|p| p.content_path == wanted)
}

/// The page index of each configured `[legal]` page that exists, in footer order.
pub fn legal_pages(site: &Site) -> Vec<usize> {
    site.config
        .legal
        .iter()
        .filter_map(|l| page_at(site, &l.path))
        .collect()
}

/// `[legal]` entries that name no page of the site.
pub fn legal_errors(site: &Site) -> Diagnostics {
    let mut errors = Diagnostics::default();
    for l in &site.config.legal {
        if page_at(site, &l.path).is_none() {
            errors.push(
                site.config
                    .error_at(
                        l.span.clone(),
                        format!("`{}` names no page under content/", l.path),
                    )
                    .with_code(code::LEGAL_PAGE_NOT_FOUND)
                    .with_help(format!(
                        "give the path of the {} page's source file from content/, for example {} = \"{}.md\"",
                        l.key, l.key, l.key
                    )),
            );
        }
    }
    errors
}

/// What the site lacks that it should have: the legally required pages, and each form's
/// `[submission]` block. Texts for them are the ministry's to supply, never invented.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for key in LEGAL_PAGES {
        if !site.config.legal.iter().any(|l| l.key == key) {
            let what = match key {
                "impressum" => "Impressum",
                "datenschutz" => "Datenschutzerklärung (privacy statement)",
                _ => "Erklärung zur Barrierefreiheit (accessibility statement)",
            };
            out.push(
                Diagnostic::file(CONFIG_FILE, format!("no {what} is configured"))
                    .with_help(format!(
                        "German public-sector sites must have one: write the page (its text comes from the ministry) and name it in formwerk.toml under [legal], for example {key} = \"{key}.md\""
                    ))
                    .with_code(code::NO_LEGAL_PAGE)
                    .with_severity(Severity::Warning),
            );
        }
    }
    for page in &site.pages {
        if let Some(form) = &page.form
            && form.submission.is_none()
        {
            out.push(
                Diagnostic::file(&page.source, format!("the form `{}` does not say how to submit it", form.id))
                    .with_help("add a [submission] block with the ministry's deadline, recipient, email, how and signature (see `formwerk help formulare`)")
                    .with_code(code::NO_SUBMISSION)
                    .with_severity(Severity::Warning),
            );
        }
    }
    out
}
