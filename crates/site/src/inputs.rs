//! What every output depends on, computed once for one state of the site and used by both
//! `build` (its render cache, [`crate::cache`]) and `watch` ([`crate::incremental`]): an output
//! is rendered again exactly when its fingerprint changed, so the two cannot disagree.
//!
//! A page's fingerprint covers its source file; the templates it renders with (its own and
//! what that extends and includes; a form's print style sheet and inbox page too); the
//! theme's strings, inlined files, fonts and assets' names; the configuration (variables,
//! limits); the pages it shows by title, description, kind and place (the navigation, the
//! footer's legal pages, its breadcrumbs, its section's pages, previous and next); the size
//! of every content file it links (the label "PDF, 1,2 MB" beside the link); the set of pages
//! and files (links resolve against it); and the formwerk binary. The sitemap's covers every
//! page's title and place; the print-all document's every page's fingerprint. The files for
//! search engines (a site with a `base_url`: sitemap.xml and its parts, robots.txt) hold only
//! the `base_url` and every page's output path, both part of what every output depends on.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use formwerk_base::parallel::par_map;
use formwerk_content::Site;
use formwerk_render::{SiteWide, Theme};

/// Raise when the fingerprints change meaning, so old caches are not trusted.
const FORMAT: u32 = 3;

/// The fingerprints of one state of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprints {
    pages: Vec<u64>,
    sitemap: u64,
    /// The files for search engines ([`Whole::SitemapXml`], [`Whole::Robots`]).
    crawlers: u64,
    print_all: u64,
    /// What every output depends on alike, the navigation, and what a link to each page shows.
    global: u64,
    nav: u64,
    links: Vec<u64>,
}

/// What a link to a page shows (and its weight, which orders the links of its section).
fn link_hash(p: &formwerk_content::Page) -> u64 {
    let mut h = DefaultHasher::new();
    (&p.title, &p.description, p.kind as u8, &p.output, p.weight).hash(&mut h);
    h.finish()
}

fn sizes(site: &Site) -> BTreeMap<&str, u64> {
    site.assets
        .iter()
        .map(|a| (a.output.as_str(), a.size))
        .collect()
}

/// Everything a page's fingerprint is made of besides its own page.
struct Shown<'s> {
    site: &'s Site,
    theme: &'s Theme,
    shared: &'s SiteWide,
    links: &'s [u64],
    global: u64,
    nav: u64,
    sizes: &'s BTreeMap<&'s str, u64>,
}

impl Shown<'_> {
    fn page(&self, i: usize, linked: &[String]) -> u64 {
        let site = self.site;
        let page = &site.pages[i];
        let mut h = DefaultHasher::new();
        (self.global, self.nav, page.hash, &page.output).hash(&mut h);
        self.theme.templates_fingerprint(page).hash(&mut h);
        // Which navigation entry is marked current: the page or the section it is in.
        let mut cursor = Some(i);
        while let Some(c) = cursor {
            (self.links[c], self.shared.in_navigation(c)).hash(&mut h);
            cursor = site.pages[c].parent;
        }
        for &c in &page.children {
            self.links[c].hash(&mut h);
        }
        // Its neighbours in its section (previous and next links).
        if let Some(parent) = page.parent {
            let list = &site.pages[parent].children;
            if let Some(at) = list.iter().position(|&c| c == i) {
                for n in [at.checked_sub(1), Some(at + 1)].into_iter().flatten() {
                    (list.get(n).map(|&n| self.links[n]), n).hash(&mut h);
                }
            }
        }
        for file in linked {
            (file, self.sizes.get(file.as_str())).hash(&mut h);
        }
        h.finish()
    }
}

/// A site-wide output whose inputs are fingerprinted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whole {
    Sitemap,
    PrintAll,
    /// File `n` of the sitemap for search engines: 0 `sitemap.xml`, then its parts.
    SitemapXml(usize),
    Robots,
}

impl Fingerprints {
    /// `linked(i)` names the content files page `i` linked when it was last rendered (its
    /// links can change only with its source, which the fingerprint covers too).
    pub fn new<'a>(
        site: &Site,
        theme: &Theme,
        shared: &SiteWide,
        linked: impl Fn(usize) -> &'a [String] + Sync,
    ) -> Fingerprints {
        let mut global = DefaultHasher::new();
        FORMAT.hash(&mut global);
        if let Some(stamp) = std::env::current_exe()
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| (m.len(), m.modified().ok()))
        {
            stamp.hash(&mut global);
        }
        site.config.source.hash(&mut global);
        theme.shared_fingerprint().hash(&mut global);
        for page in &site.pages {
            (&page.content_path, &page.output, page.form.is_some()).hash(&mut global);
        }
        for asset in &site.assets {
            (&asset.path, &asset.output).hash(&mut global);
        }
        let global = global.finish();
        // What a link to each page shows, hashed once: a page's fingerprint takes it for every
        // page it links to.
        let links: Vec<u64> = par_map(&site.pages, link_hash);
        // Shown on every page: the navigation and the footer's legal pages.
        let mut nav = DefaultHasher::new();
        for &i in shared.top() {
            links[i].hash(&mut nav);
        }
        shared.more().hash(&mut nav);
        for &i in shared.legal() {
            (i, site.pages[i].parent, links[i]).hash(&mut nav);
        }
        let nav = nav.finish();
        let sizes = sizes(site);
        let all: Vec<usize> = (0..site.pages.len()).collect();
        let shown = Shown {
            site,
            theme,
            shared,
            links: &links,
            global,
            nav,
            sizes: &sizes,
        };
        let pages = par_map(&all, |&i| shown.page(i, linked(i)));
        Fingerprints::with_wholes(site, theme, global, nav, links, pages)
    }

    /// The fingerprints after the pages `changed` were loaded again and nothing else changed
    /// (no template, file, configuration): only theirs are computed again, unless one of them
    /// is shown differently on other pages (its title, description or weight changed), which
    /// changes those pages' too.
    pub(crate) fn after_edits<'a>(
        &self,
        site: &Site,
        theme: &Theme,
        shared: &SiteWide,
        changed: &[usize],
        linked: impl Fn(usize) -> &'a [String] + Sync,
    ) -> Fingerprints {
        let same_links = self.links.len() == site.pages.len()
            && changed
                .iter()
                .all(|&i| self.links[i] == link_hash(&site.pages[i]));
        if !same_links {
            return Fingerprints::new(site, theme, shared, linked);
        }
        let sizes = sizes(site);
        let shown = Shown {
            site,
            theme,
            shared,
            links: &self.links,
            global: self.global,
            nav: self.nav,
            sizes: &sizes,
        };
        let mut pages = self.pages.clone();
        for &i in changed {
            pages[i] = shown.page(i, linked(i));
        }
        let links = self.links.clone();
        Fingerprints::with_wholes(site, theme, self.global, self.nav, links, pages)
    }

    fn with_wholes(
        site: &Site,
        theme: &Theme,
        global: u64,
        nav: u64,
        links: Vec<u64>,
        pages: Vec<u64>,
    ) -> Fingerprints {
        let mut sitemap = DefaultHasher::new();
        (
            global,
            nav,
            theme.template_fingerprint(formwerk_text::names::SITEMAP),
        )
            .hash(&mut sitemap);
        for (i, page) in site.pages.iter().enumerate() {
            links[i].hash(&mut sitemap);
            (&page.children, page.form.as_ref().map(|_| page.hash)).hash(&mut sitemap);
        }
        let mut print_all = DefaultHasher::new();
        (
            global,
            nav,
            theme.template_fingerprint(formwerk_render::PRINT_ALL_TEMPLATE),
        )
            .hash(&mut print_all);
        pages.hash(&mut print_all);
        // The configuration (its `base_url`) and every page's output path are in `global`.
        let mut crawlers = DefaultHasher::new();
        (global, "crawlers").hash(&mut crawlers);
        Fingerprints {
            pages,
            crawlers: crawlers.finish(),
            sitemap: sitemap.finish(),
            print_all: print_all.finish(),
            global,
            nav,
            links,
        }
    }

    pub fn page(&self, index: usize) -> u64 {
        self.pages[index]
    }

    pub fn whole(&self, which: Whole) -> u64 {
        match which {
            Whole::Sitemap => self.sitemap,
            Whole::PrintAll => self.print_all,
            Whole::SitemapXml(n) => {
                let mut h = DefaultHasher::new();
                (self.crawlers, n).hash(&mut h);
                h.finish()
            }
            Whole::Robots => self.crawlers,
        }
    }

    /// The pages whose fingerprint differs from `older`'s (of the same pages).
    pub(crate) fn changed_since(&self, older: &Fingerprints) -> Vec<usize> {
        (0..self.pages.len())
            .filter(|&i| older.pages.get(i) != Some(&self.pages[i]))
            .collect()
    }
}
