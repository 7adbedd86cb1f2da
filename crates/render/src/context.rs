//! The context each template renders from: site, page, navigation, form.

use std::collections::BTreeMap;

use serde::Serialize;

use formwerk_content::links::root_prefix;
use formwerk_content::{Heading, PageKind, Site};
use formwerk_form::Form;

/// Links from one page to another, relative to the page that shows them.
#[derive(Debug, Clone, Serialize)]
pub struct LinkContext {
    pub title: String,
    pub description: Option<String>,
    pub href: String,
    pub kind: PageKind,
    /// Marks the page being shown, or the section it lies in.
    pub current: bool,
}

/// The parts of every page's context that are the same for all pages, computed once.
pub struct SiteWide {
    /// The start page and its first direct children (up to `nav_limit` entries), in order.
    top: Vec<usize>,
    /// The start page has more children than the navigation shows.
    more: bool,
    variables: BTreeMap<String, VarValue>,
    /// The `[legal]` pages, linked in every footer.
    legal: Vec<usize>,
    /// The context values every page shares, as template values (see [`PageContext`]).
    values: Vec<(&'static str, tera::Value)>,
}

impl SiteWide {
    pub fn new(site: &Site) -> SiteWide {
        let mut top = vec![site.root];
        let sections = &site.pages[site.root].children;
        let room = site.config.nav_limit.saturating_sub(1);
        top.extend(sections.iter().take(room));
        let more = sections.len() > room;
        let variables = site
            .config
            .variables
            .values
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    toml::Value::Integer(i) => VarValue::Integer(*i),
                    toml::Value::Float(f) => VarValue::Float(*f),
                    toml::Value::Boolean(b) => VarValue::Bool(*b),
                    toml::Value::String(s) => VarValue::Text(s.clone()),
                    other => VarValue::Text(other.to_string()),
                };
                (k.clone(), v)
            })
            .collect();
        let values = vec![
            (
                "site",
                tera::Value::from_serializable(&SiteContext::of(site)),
            ),
            ("variables", tera::Value::from_serializable(&variables)),
            ("nav_more", tera::Value::from(more)),
            (
                "search_shards",
                tera::Value::from(formwerk_text::search::shard_count(site.pages.len())),
            ),
            (
                "names",
                tera::Value::from_serializable(&formwerk_text::names::NAMES),
            ),
            (
                "print_all",
                tera::Value::from(site.pages.len() <= site.config.print_all_limit),
            ),
        ];
        SiteWide {
            top,
            more,
            variables,
            legal: formwerk_content::checks::legal_pages(site),
            values,
        }
    }

    /// The context values every page shares, as template values.
    pub(super) fn values(&self) -> &[(&'static str, tera::Value)] {
        &self.values
    }

    /// The pages of the navigation on every page.
    pub fn top(&self) -> &[usize] {
        &self.top
    }

    /// Whether the navigation leaves out some of the start page's sections.
    pub fn more(&self) -> bool {
        self.more
    }

    /// The `[legal]` pages, linked in every page's footer.
    pub fn legal(&self) -> &[usize] {
        &self.legal
    }

    /// Whether page `index` appears in the top navigation shown on every page.
    pub fn in_navigation(&self, index: usize) -> bool {
        self.top.contains(&index)
    }
}

impl<'a> SiteContext<'a> {
    fn of(site: &'a Site) -> Self {
        SiteContext {
            title: &site.config.title,
            description: site.config.description.as_deref(),
            language: &site.config.language,
            look: &site.config.look,
        }
    }
}

impl LinkContext {
    /// A link to page `i` from a page whose way back to the output root is `root`.
    fn to(site: &Site, i: usize, root: &str, current: bool) -> Self {
        let target = &site.pages[i];
        LinkContext {
            title: target.title.clone(),
            description: target.description.clone(),
            href: format!("{root}{}", formwerk_content::links::encode(&target.output)),
            kind: target.kind,
            current,
        }
    }
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    /// `[look]`: organisation, logo, colour, footer lines.
    look: &'a formwerk_config::Look,
}

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    description: Option<&'a str>,
    kind: PageKind,
    content: &'a str,
    toc: &'a [Heading],
    /// This page's output path, from the output root.
    path: &'a str,
    extra: &'a toml::Table,
    children: Vec<LinkContext>,
}

/// A page's own context. The parts that are the same on every page (`site`, `variables`,
/// `nav_more`, `search_shards`, `names`, `print_all`: [`SiteWide::values`]; `assets` and
/// `t` from the theme) are made into template values once per build and added to each
/// page's context by reference count, not serialised again for every page.
#[derive(Serialize)]
pub(super) struct PageContext<'a> {
    #[serde(skip)]
    pub(super) shared: &'a SiteWide,
    /// Relative way back to the output root ("" or "../../"): prefix for theme assets.
    root: String,
    /// The page's absolute address for `<link rel="canonical">`, when the site has a
    /// `base_url` ([`crate::crawlers`]); none in a form's offline copy and inbox.
    pub(super) canonical: Option<String>,
    page: PageData<'a>,
    nav: Vec<LinkContext>,
    /// Impressum, Datenschutz, Barrierefreiheit: linked in the footer.
    legal: Vec<LinkContext>,
    /// From the start page down to the page's parent section.
    breadcrumbs: Vec<LinkContext>,
    /// The pages before and after this one in its section.
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
    form: Option<&'a Form>,
    /// On form pages: the script's model and the names of the form's extra files.
    pub(super) form_page: Option<FormExtras<'a>>,
    /// True while rendering a form's self-contained offline copy: no links to other pages,
    /// CSS and JS inline.
    pub(super) offline: bool,
}

#[derive(Serialize)]
pub(super) struct FormExtras<'a> {
    /// The form model for formwerk.js, as JSON safe inside `<script>`.
    pub(super) model_json: String,
    pub(super) offline_href: String,
    /// The offline copy as a script (`window.formwerkOfflineCopy`), to download it from disk.
    pub(super) offline_script_href: String,
    pub(super) schema_href: String,
    /// The form's PDF and what the link says of it ("PDF, 120 KB"), when it has one.
    pub(super) pdf_href: Option<String>,
    pub(super) pdf_info: Option<String>,
    /// The form's print style sheet: its file beside the page, and its text for the offline
    /// copy.
    pub(super) print_css_href: String,
    pub(super) print_css: String,
    /// Theme CSS and JS (`formwerk_css`, `formwerk_js`, `noscript_css`) and the icon as a
    /// `data:` URI (`favicon`) for inlining.
    pub(super) inline: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum VarValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

impl<'a> PageContext<'a> {
    pub(super) fn new(
        site: &'a Site,
        nav: &'a SiteWide,
        index: usize,
        content: &'a str,
        toc: &'a [Heading],
        form: Option<&'a Form>,
    ) -> Self {
        let page = &site.pages[index];
        let root = root_prefix(&page.output);
        let mut ancestors = Vec::new();
        let mut cursor = page.parent;
        while let Some(p) = cursor {
            ancestors.push(p);
            cursor = site.pages[p].parent;
        }
        ancestors.reverse();
        let siblings = page.parent.and_then(|p| {
            let list = &site.pages[p].children;
            list.iter().position(|&c| c == index).map(|at| (list, at))
        });
        let link = |i: usize| {
            let current = i == index || (i != site.root && ancestors.contains(&i));
            LinkContext::to(site, i, &root, current)
        };
        PageContext {
            shared: nav,
            page: PageData {
                title: &page.title,
                description: page.description.as_deref(),
                kind: page.kind,
                content,
                toc,
                path: &page.output,
                extra: &page.extra,
                children: page.children.iter().map(|&c| link(c)).collect(),
            },
            nav: nav.top.iter().map(|&i| link(i)).collect(),
            legal: nav.legal.iter().map(|&i| link(i)).collect(),
            breadcrumbs: ancestors.iter().map(|&i| link(i)).collect(),
            prev: siblings.and_then(|(list, at)| at.checked_sub(1).map(|p| link(list[p]))),
            next: siblings.and_then(|(list, at)| list.get(at + 1).map(|&n| link(n))),
            form,
            form_page: None,
            offline: false,
            canonical: crate::crawlers::canonical(site, &page.output),
            root,
        }
    }
}

/// One entry of the sitemap, in reading order. `before` is the list markup that opens or
/// closes the nested lists before it (only `<ul>`, `<li>` tags), `after_all` closes them.
#[derive(Serialize)]
pub(crate) struct TreeEntry {
    title: String,
    href: String,
    kind: PageKind,
    depth: usize,
    before: String,
    /// For a form: its inbox for the receiving office (linked from here only).
    inbox: Option<String>,
}

#[derive(Serialize)]
pub(super) struct SitemapContext<'a> {
    site: SiteContext<'a>,
    variables: &'a BTreeMap<String, VarValue>,
    t: &'a toml::Table,
    root: &'static str,
    /// Its absolute address, when the site has a `base_url`.
    canonical: Option<String>,
    page: SitemapPage<'a>,
    nav: Vec<LinkContext>,
    nav_more: bool,
    search_shards: usize,
    names: &'static formwerk_text::names::Names,
    pub(super) assets: &'a BTreeMap<String, String>,
    print_all: bool,
    legal: Vec<LinkContext>,
    breadcrumbs: Vec<LinkContext>,
    offline: bool,
    pub(super) entries: Vec<TreeEntry>,
    after_all: String,
}

#[derive(Serialize)]
struct SitemapPage<'a> {
    title: &'a str,
    description: Option<&'a str>,
    path: &'static str,
}

impl<'a> SitemapContext<'a> {
    /// The same context for another page at the output root (the print-all document).
    pub(super) fn with_path(
        mut self,
        site: &Site,
        path: &'static str,
        description: Option<&'a str>,
    ) -> Self {
        self.page.path = path;
        self.canonical = crate::crawlers::canonical(site, path);
        self.page.description = description;
        self.after_all.clear();
        self
    }

    /// The sitemap lies at the output root, so every link is the page's output path.
    pub(super) fn new(
        site: &'a Site,
        nav: &'a SiteWide,
        strings: &'a toml::Table,
        title: &'a str,
        assets: &'a BTreeMap<String, String>,
    ) -> Self {
        let mut entries = Vec::new();
        let mut stack = vec![(site.root, 0usize)];
        let mut previous = 0;
        while let Some((i, depth)) = stack.pop() {
            let p = &site.pages[i];
            let before = if entries.is_empty() || depth > previous {
                "<ul><li>".to_string()
            } else {
                "</li></ul>".repeat(previous - depth) + "</li><li>"
            };
            entries.push(TreeEntry {
                title: p.title.clone(),
                href: formwerk_content::links::encode(&p.output),
                kind: p.kind,
                depth,
                before,
                inbox: p
                    .form
                    .as_ref()
                    .map(|f| formwerk_content::links::encode(&super::FormFiles::of(p, f).inbox)),
            });
            previous = depth;
            stack.extend(p.children.iter().rev().map(|&c| (c, depth + 1)));
        }
        let after_all = "</li></ul>".repeat(previous + 1);
        // The sitemap lies at the output root: no way back to prefix.
        let link = |i: usize| LinkContext::to(site, i, "", false);
        SitemapContext {
            site: SiteContext::of(site),
            variables: &nav.variables,
            t: strings,
            root: "",
            canonical: crate::crawlers::canonical(site, SITEMAP),
            page: SitemapPage {
                title,
                description: strings.get("sitemap_hint").and_then(|v| v.as_str()),
                path: SITEMAP,
            },
            nav: nav.top.iter().map(|&i| link(i)).collect(),
            nav_more: nav.more,
            search_shards: formwerk_text::search::shard_count(site.pages.len()),
            names: &formwerk_text::names::NAMES,
            assets,
            print_all: site.pages.len() <= site.config.print_all_limit,
            legal: nav.legal.iter().map(|&i| link(i)).collect(),
            breadcrumbs: vec![link(site.root)],
            offline: false,
            entries,
            after_all,
        }
    }
}

pub use formwerk_text::names::SITEMAP;
