//! Outputs that would land on each other, found before anything is written: a static file or
//! content file over a page's output or a file the build writes itself (the sitemap, the
//! files for search engines), and a file where another output needs a folder of its name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use formwerk_base::diagnostics::{Diagnostic, Diagnostics};
use formwerk_content::Site;
use formwerk_render::outputs_of;
use formwerk_text::names::SITEMAP;

/// Static files that would overwrite a page's or a content file's output.
pub(crate) fn collisions(site: &Site, statics: &BTreeMap<String, PathBuf>) -> Diagnostics {
    let base_url = site.config.base_url.is_some();
    let mut taken = BTreeMap::new();
    taken.insert(SITEMAP.to_string(), PathBuf::from("the sitemap"));
    for rel in formwerk_render::crawlers::sitemap_xml_files(site) {
        taken.insert(rel, PathBuf::from("the sitemap for search engines"));
    }
    for page in &site.pages {
        for output in outputs_of(page) {
            taken.insert(output, page.source.clone());
        }
    }
    let mut errors = Diagnostics::default();
    for asset in &site.assets {
        if formwerk_text::names::is_reserved(&asset.output, base_url) {
            errors.push(
                Diagnostic::file(
                    asset
                        .path
                        .strip_prefix(&site.config.root)
                        .unwrap_or(&asset.path),
                    format!(
                        "this file would overwrite {}, which the build writes",
                        asset.output
                    ),
                )
                .with_code(formwerk_base::diagnostics::code::OUTPUT_CLASH)
                .with_help(reserved_help(&asset.output, "rename it")),
            );
        }
        taken.insert(asset.output.clone(), asset.path.clone());
    }
    for (rel, path) in statics {
        let other = taken.get(rel).cloned().or_else(|| {
            formwerk_text::names::is_reserved(rel, base_url)
                .then(|| PathBuf::from("the build's own"))
        });
        if let Some(other) = other {
            errors.push(
                Diagnostic::file(
                    path.strip_prefix(&site.config.root).unwrap_or(path),
                    format!(
                        "this static file and {} would both be written to {rel}",
                        other.display()
                    ),
                )
                .with_code(formwerk_base::diagnostics::code::OUTPUT_CLASH)
                .with_help(reserved_help(rel, "rename one of them")),
            );
        }
    }
    errors
        .0
        .extend(file_where_folder_needed(site, &taken, statics));
    errors
}

/// What to do about a site's file whose output `rel` another output takes: `rename`, unless
/// that is a file the build writes only because the site has a `base_url`.
fn reserved_help(rel: &str, rename: &str) -> String {
    use formwerk_text::names::is_reserved;
    match is_reserved(rel, true) && !is_reserved(rel, false) {
        false => rename.to_string(),
        true => format!(
            "the build writes {rel} for search engines because formwerk.toml has a base_url, listing every page; remove this file"
        ),
    }
}

/// Output files where another output needs a folder of the same name: a file
/// `content/projektbeschreibung` (no extension) beside the form that writes
/// `projektbeschreibung/index.html`.
fn file_where_folder_needed(
    site: &Site,
    taken: &BTreeMap<String, PathBuf>,
    statics: &BTreeMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    let all = || taken.iter().chain(statics.iter());
    let mut blocked = BTreeMap::new();
    for (rel, source) in all() {
        let mut dir = rel.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if taken.contains_key(parent) || statics.contains_key(parent) {
                blocked.entry(parent).or_insert((rel, source));
            }
            dir = parent;
        }
    }
    let shown = |p: &Path| p.strip_prefix(&site.config.root).unwrap_or(p).to_path_buf();
    blocked
        .into_iter()
        .filter_map(|(file, (inside, needing))| {
            let source = taken.get(file).or_else(|| statics.get(file))?;
            Some(
                Diagnostic::file(
                    shown(source),
                    format!(
                        "this file is written to `{file}`, but {} is written into a folder of that name (`{inside}`)",
                        shown(needing).display()
                    ),
                )
                .with_code(formwerk_base::diagnostics::code::OUTPUT_CLASH)
                .with_help(format!(
                    "give the file an extension (`{file}.pdf`, say) or another name"
                )),
            )
        })
        .collect()
}
