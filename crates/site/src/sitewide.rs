//! The outputs made from the whole site rather than one page — the sitemap, the print-all
//! document, the search index's shards and, for a site with a `base_url`, the files for
//! search engines (sitemap.xml, robots.txt) — and the files copied unchanged, written by one
//! function for `build` ([`crate::pipeline`]) and `watch` ([`crate::incremental`]). The
//! sitemap, the print-all document and the files for search engines are made only when their
//! fingerprint ([`crate::inputs`]) differs from the one of the output they would replace.
//!
//! A site's own `robots.txt` (in `static/`, its theme's `static/` or `content/`) is copied as
//! it is, and the build writes none: what crawlers may read is the site's decision, which the
//! build cannot know (docs/deployment.md says to name the sitemap in it).

use std::collections::BTreeSet;
use std::path::Path;

use crate::inputs::Whole;
use crate::output::Writer;
use formwerk_base::diagnostics::{Diagnostic, Diagnostics};
use formwerk_content::Site;
use formwerk_render::{SiteWide, Source, Theme, crawlers};
use formwerk_text::names::{PRINT_ALL, ROBOTS, SITEMAP};

/// What a file copied unchanged is made from.
#[derive(Debug, Clone, Copy)]
pub enum CopyOf<'a> {
    /// A file of the site's (content/, static/, its theme's).
    File(&'a Path),
    /// A file of the built-in theme, or one the build made.
    Bytes(&'a [u8]),
}

impl<'a> CopyOf<'a> {
    pub fn of(source: &'a Source) -> CopyOf<'a> {
        match source {
            Source::File(path) => CopyOf::File(path),
            Source::BuiltIn(_) | Source::Made(_) => {
                CopyOf::Bytes(source.in_memory().unwrap_or_default())
            }
        }
    }
}

/// What to write besides the pages.
pub(crate) struct Wanted<'a> {
    /// Whether the output already holds this site-wide file as the fingerprints describe it.
    pub up_to_date: &'a dyn Fn(&str, Whole) -> bool,
    /// The search index's shards to write (`None`: all).
    pub shards: Option<&'a BTreeSet<usize>>,
    /// Files copied unchanged: (output path, source).
    pub copies: Vec<(&'a str, CopyOf<'a>)>,
}

pub(crate) fn write_failed(rel: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file(rel, format!("cannot write this output file: {e}"))
        .with_code(formwerk_base::diagnostics::code::WRITE_FAILED)
}

/// The site-wide files that the site has, with what fingerprints them.
pub(crate) fn wholes(site: &Site, theme: &Theme) -> Vec<(String, Whole)> {
    let mut out = vec![(SITEMAP.to_string(), Whole::Sitemap)];
    if site.pages.len() <= site.config.print_all_limit {
        out.push((PRINT_ALL.to_string(), Whole::PrintAll));
    }
    for (n, rel) in crawlers::sitemap_xml_files(site).into_iter().enumerate() {
        out.push((rel, Whole::SitemapXml(n)));
    }
    if site.config.base_url.is_some() && !has_own_robots(site, theme) {
        out.push((ROBOTS.to_string(), Whole::Robots));
    }
    out
}

/// Whether the site brings its own robots.txt, which takes the place of the build's.
fn has_own_robots(site: &Site, theme: &Theme) -> bool {
    theme.statics.files.contains_key(ROBOTS) || site.assets.iter().any(|a| a.output == ROBOTS)
}

/// Writes the site-wide files and copies through `writer`; returns the problems met.
pub fn write(
    site: &Site,
    theme: &Theme,
    shared: &SiteWide,
    wanted: Wanted,
    writer: &Writer,
) -> Diagnostics {
    let mut errors = Diagnostics::default();
    let put = |rel: &str, bytes: &[u8], errors: &mut Diagnostics| {
        if let Err(e) = writer.put(rel, bytes) {
            errors.push(write_failed(rel, e));
        }
    };
    for (rel, which) in wholes(site, theme) {
        if (wanted.up_to_date)(&rel, which) {
            writer.keep(&rel);
            continue;
        }
        match which {
            Whole::Sitemap => match theme.render_sitemap(site, shared) {
                Ok((rel, html)) => put(&rel, html.as_bytes(), &mut errors),
                Err(d) => errors.push(d),
            },
            Whole::PrintAll => match theme.render_print_all(site, shared) {
                Ok(Some((rel, html))) => put(&rel, html.as_bytes(), &mut errors),
                Ok(None) => {}
                Err(e) => errors.extend(e),
            },
            Whole::SitemapXml(n) => {
                if let Some(xml) = crawlers::sitemap_xml(site, n) {
                    put(&rel, xml.as_bytes(), &mut errors);
                }
            }
            Whole::Robots => {
                if let Some(text) = crawlers::robots_txt(site) {
                    put(&rel, text.as_bytes(), &mut errors);
                }
            }
        }
    }
    for (rel, index) in theme.search_index(site, wanted.shards) {
        put(&rel, index.as_bytes(), &mut errors);
    }
    let copy_started = std::time::Instant::now();
    for (rel, source) in wanted.copies {
        let copied = match source {
            CopyOf::File(path) => writer.copy(rel, path),
            CopyOf::Bytes(bytes) => writer.put(rel, bytes),
        };
        if let Err(e) = copied {
            errors.push(write_failed(rel, e));
        }
    }
    formwerk_base::timing::record("copy", copy_started.elapsed());
    errors
}
