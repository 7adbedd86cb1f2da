//! Internal links in Markdown: written as relative paths to source files (`../hilfe.md`,
//! `antrag.form.toml`, `plan.pdf`) or Zola-style from content/ (`@/hilfe.md`), checked at build
//! and rewritten to relative links between output files, so the site works from disk and
//! under any URL path.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::{Page, PageKind, Site};
use crate::diagnostics::closest;

#[derive(Debug, Clone)]
enum Target {
    Page(usize),
    Asset(String),
    /// A page that failed to load: links to it are not reported again.
    Failed(String),
}

/// A link that points inside the site, rewritten.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub href: String,
    /// The page and id the link's `#fragment` must exist on.
    pub anchor: Option<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkError {
    pub message: String,
    pub help: String,
}

#[derive(Debug, Default)]
pub struct Resolver {
    targets: BTreeMap<PathBuf, Target>,
    /// Folders whose own page is an `_index.md` or `index.md`.
    folders: BTreeMap<PathBuf, usize>,
    outputs: Vec<String>,
    drafts: Vec<PathBuf>,
}

impl Resolver {
    pub fn new(site: &Site, drafts: &[PathBuf], failed: &[(PathBuf, String)]) -> Resolver {
        let mut targets: BTreeMap<PathBuf, Target> = failed
            .iter()
            .map(|(path, output)| (path.clone(), Target::Failed(output.clone())))
            .collect();
        let mut folders = BTreeMap::new();
        for (i, page) in site.pages.iter().enumerate() {
            targets.insert(page.content_path.clone(), Target::Page(i));
            let is_folder_page = page.kind == PageKind::Section
                || page.content_path.file_name() == Some("index.md".as_ref());
            if is_folder_page {
                let dir = page
                    .content_path
                    .parent()
                    .unwrap_or(Path::new(""))
                    .to_path_buf();
                folders.insert(dir, i);
            }
        }
        for asset in &site.assets {
            let content_path = asset
                .path
                .strip_prefix(site.config.content_dir())
                .unwrap_or(&asset.path)
                .to_path_buf();
            targets.insert(content_path, Target::Asset(asset.output.clone()));
        }
        Resolver {
            targets,
            folders,
            outputs: site.pages.iter().map(|p| p.output.clone()).collect(),
            drafts: drafts.to_vec(),
        }
    }

    fn index_of(&self, page: &Page) -> Option<usize> {
        match self.targets.get(&page.content_path) {
            Some(Target::Page(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn is_same_page(&self, page: &Page, index: usize) -> bool {
        self.index_of(page) == Some(index)
    }

    /// `Ok(None)` for links that leave the site (https:, mailto:, …) and stay as written.
    pub fn resolve(&self, from: &Page, dest: &str) -> Result<Option<Resolved>, LinkError> {
        if dest.is_empty() {
            return Err(LinkError {
                message: "the link has no target".into(),
                help: "write the path of a page, for example `[Hinweise](hinweise.md)`".into(),
            });
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return Ok(None);
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let from_index = self.index_of(from);
        if path_part.is_empty() {
            let fragment = fragment.unwrap_or_default().to_string();
            return Ok(Some(Resolved {
                href: dest.to_string(),
                anchor: from_index.map(|i| (i, fragment)),
            }));
        }
        if path_part.starts_with('/') {
            return Err(LinkError {
                message: format!("`{dest}` is an absolute link, which breaks when the site is opened from disk or under a subpath"),
                help: "write the path relative to this file (`../hilfe.md`) or from content/ as `@/hilfe.md`".into(),
            });
        }
        let decoded = percent_decode(path_part);
        let joined = match decoded.strip_prefix("@/") {
            Some(rest) => PathBuf::from(rest),
            None => from
                .content_path
                .parent()
                .unwrap_or(Path::new(""))
                .join(&decoded),
        };
        let Some(normal) = normalize(&joined) else {
            return Err(LinkError {
                message: format!("`{dest}` points outside the content folder"),
                help: "links can reach only files under content/".into(),
            });
        };
        let target = self
            .targets
            .get(&normal)
            .cloned()
            .or_else(|| self.folders.get(&normal).map(|&i| Target::Page(i)));
        let prefix = root_prefix(&from.output);
        let (href, anchor_page) = match target {
            Some(Target::Page(i)) => (format!("{prefix}{}", encode(&self.outputs[i])), Some(i)),
            Some(Target::Asset(output) | Target::Failed(output)) => {
                (format!("{prefix}{}", encode(&output)), None)
            }
            None => return Err(self.not_found(dest, &normal)),
        };
        let (href, anchor) = match (fragment, anchor_page) {
            (Some(f), Some(i)) => (format!("{href}#{f}"), Some((i, f.to_string()))),
            (Some(f), None) => (format!("{href}#{f}"), None),
            (None, _) => (href, None),
        };
        Ok(Some(Resolved { href, anchor }))
    }

    fn not_found(&self, dest: &str, normal: &Path) -> LinkError {
        if self.drafts.iter().any(|d| d == normal) {
            return LinkError {
                message: format!("`{dest}` links to a draft, which is not published"),
                help: "remove `draft = true` from that page, or remove the link".into(),
            };
        }
        let wanted = normal.to_string_lossy();
        let names: Vec<String> = self
            .targets
            .keys()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let help = match closest(&wanted, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}` (path from content/)?"),
            None => "link to a .md page, a .form.toml form or a file under content/, with a path relative to this file".into(),
        };
        LinkError {
            message: format!("`{dest}` does not exist (looked for content/{wanted})"),
            help,
        }
    }
}

/// `../` once per folder the output file lies in: the way back to the output root.
pub fn root_prefix(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Escapes what may not stand in a URL path as written into `href`.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_schemes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("a/b/index.html"), "../../");
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.de"));
        assert!(!has_scheme("hilfe.md"));
        assert!(!has_scheme("./a:b.md/x"));
    }

    #[test]
    fn normalizes_and_decodes() {
        assert_eq!(
            normalize(Path::new("a/../b/./c.md")),
            Some(PathBuf::from("b/c.md"))
        );
        assert_eq!(normalize(Path::new("../x.md")), None);
        assert_eq!(percent_decode("Plan%20A.pdf"), "Plan A.pdf");
        assert_eq!(encode("hilfe/Plan A.pdf"), "hilfe/Plan%20A.pdf");
    }
}
