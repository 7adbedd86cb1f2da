//! Internal links in Markdown: written as relative paths to source files (`../hilfe.md`,
//! `antrag.form.toml`, `plan.pdf`) or Zola-style from content/ (`@/hilfe.md`), checked at build
//! and rewritten to relative links between output files, so the site works from disk and
//! under any URL path.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::{Page, PageKind, Site};
use formwerk_base::diagnostics::closest;
use formwerk_text::slug::nfc_path;

#[derive(Debug, Clone)]
enum Target {
    Page(usize),
    /// A file copied as it is: its output path and size in bytes.
    Asset(String, u64),
    /// A page that failed to load: links to it are not reported again.
    Failed(String),
}

/// A link that points inside the site, rewritten.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub href: String,
    /// For a document to download (PDF, DOCX, …): its type and size, "PDF, 1,2 MB".
    pub download: Option<String>,
    /// The page and id the link's `#fragment` must exist on.
    pub anchor: Option<(usize, String)>,
    /// The output path of the content file it links (a download, an image).
    pub file: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinkError {
    pub code: formwerk_base::diagnostics::code::Code,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Default)]
pub(crate) struct Resolver {
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
            .map(|(path, output)| (nfc_path(path).into_owned(), Target::Failed(output.clone())))
            .collect();
        let mut folders = BTreeMap::new();
        for (i, page) in site.pages.iter().enumerate() {
            targets.insert(nfc_path(&page.content_path).into_owned(), Target::Page(i));
            let is_folder_page = page.kind == PageKind::Section
                || page.content_path.file_name() == Some("index.md".as_ref());
            if is_folder_page {
                let dir = page.content_path.parent().unwrap_or(Path::new(""));
                folders.insert(nfc_path(dir).into_owned(), i);
            }
        }
        for asset in &site.assets {
            let content_path = asset
                .path
                .strip_prefix(site.config.content_dir())
                .unwrap_or(&asset.path)
                .to_path_buf();
            targets.insert(
                nfc_path(&content_path).into_owned(),
                Target::Asset(asset.output.clone(), asset.size),
            );
        }
        Resolver {
            targets,
            folders,
            outputs: site.pages.iter().map(|p| p.output.clone()).collect(),
            drafts: drafts.iter().map(|d| nfc_path(d).into_owned()).collect(),
        }
    }

    /// Takes the new size of the content file written to `output`.
    pub(crate) fn set_size(&mut self, output: &str, new_size: u64) {
        for target in self.targets.values_mut() {
            if let Target::Asset(o, size) = target
                && o == output
            {
                *size = new_size;
            }
        }
    }

    fn index_of(&self, page: &Page) -> Option<usize> {
        match self.targets.get(nfc_path(&page.content_path).as_ref()) {
            Some(Target::Page(i)) => Some(*i),
            _ => None,
        }
    }

    pub(crate) fn is_same_page(&self, page: &Page, index: usize) -> bool {
        self.index_of(page) == Some(index)
    }

    /// `Ok(None)` for links that leave the site (https:, mailto:, …) and stay as written.
    /// With `suggest`, a link to a missing file gets the closest existing path as a hint.
    pub fn resolve(
        &self,
        from: &Page,
        dest: &str,
        suggest: bool,
    ) -> Result<Option<Resolved>, LinkError> {
        if dest.is_empty() {
            return Err(LinkError {
                code: formwerk_base::diagnostics::code::EMPTY_LINK,
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
        if path_part.is_empty() {
            let fragment = fragment.unwrap_or_default().to_string();
            return Ok(Some(Resolved {
                href: dest.to_string(),
                download: None,
                anchor: self.index_of(from).map(|i| (i, fragment)),
                file: None,
            }));
        }
        if path_part.starts_with('/') {
            return Err(LinkError {
                code: formwerk_base::diagnostics::code::ABSOLUTE_LINK,
                message: format!("`{dest}` is an absolute link, which breaks when the site is opened from disk or under a subpath"),
                help: "write the path relative to this file (`../hilfe.md`) or from content/ as `@/hilfe.md`".into(),
            });
        }
        let normal = content_path(from, dest, path_part)?;
        let target = self
            .targets
            .get(&normal)
            .cloned()
            .or_else(|| self.folders.get(&normal).map(|&i| Target::Page(i)));
        match target {
            Some(target) => Ok(Some(self.link_to(from, target, fragment))),
            None => Err(self.not_found(dest, &normal, suggest)),
        }
    }

    /// The link from the page `from` to `target` (with its `#fragment`, if any), as a path
    /// relative to `from`'s output; a fragment on a page is to be checked there.
    fn link_to(&self, from: &Page, target: Target, fragment: Option<&str>) -> Resolved {
        let prefix = root_prefix(&from.output);
        let mut download = None;
        let mut file = None;
        let (href, anchor_page) = match target {
            Target::Page(i) => (format!("{prefix}{}", encode(&self.outputs[i])), Some(i)),
            Target::Asset(output, size) => {
                download = download_info(&output, size);
                let href = format!("{prefix}{}", encode(&output));
                file = Some(output);
                (href, None)
            }
            Target::Failed(output) => (format!("{prefix}{}", encode(&output)), None),
        };
        let (href, anchor) = match (fragment, anchor_page) {
            (Some(f), Some(i)) => (format!("{href}#{f}"), Some((i, f.to_string()))),
            (Some(f), None) => (format!("{href}#{f}"), None),
            (None, _) => (href, None),
        };
        Resolved {
            href,
            download,
            anchor,
            file,
        }
    }

    fn not_found(&self, dest: &str, normal: &Path, suggest: bool) -> LinkError {
        if self.drafts.iter().any(|d| d == normal) {
            return LinkError {
                code: formwerk_base::diagnostics::code::LINK_TO_DRAFT,
                message: format!("`{dest}` links to a draft, which is not published"),
                help: "remove `draft = true` from that page, or remove the link".into(),
            };
        }
        let wanted = normal.to_string_lossy();
        let names: Vec<String> = match suggest {
            true => self
                .targets
                .keys()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
            false => Vec::new(),
        };
        let help = match closest(&wanted, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}` (path from content/)?"),
            None => "link to a .md page, a .form.toml form or a file under content/, with a path relative to this file".into(),
        };
        LinkError {
            code: formwerk_base::diagnostics::code::BROKEN_LINK,
            message: format!("`{dest}` does not exist (looked for content/{wanted})"),
            help,
        }
    }
}

/// "PDF, 1,2 MB" for a document offered for download; nothing for images and the like.
pub fn download_info(output: &str, size: u64) -> Option<String> {
    let extension = output.rsplit_once('.')?.1.to_ascii_lowercase();
    let kind = match extension.as_str() {
        "pdf" | "docx" | "doc" | "odt" | "xlsx" | "xls" | "ods" | "pptx" | "zip" | "csv"
        | "txt" => extension.to_ascii_uppercase(),
        _ => return None,
    };
    Some(format!("{kind}, {}", human_size(size)))
}

pub(crate) use formwerk_text::size::human_size;

/// `../` once per folder the output file lies in: the way back to the output root.
pub fn root_prefix(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// The file in content/ that `path_part` (the path of the link `dest` on the page `from`)
/// names: percent-decoded, relative to `from`'s folder or, after `@/`, to content/;
/// normalized and in NFC, as the resolver's paths are. An error if it leaves content/.
fn content_path(from: &Page, dest: &str, path_part: &str) -> Result<PathBuf, LinkError> {
    let decoded = percent_decode(path_part);
    // Links and file names may spell "Ü" composed or decomposed; compare in NFC.
    let decoded = match formwerk_text::slug::nfc(&decoded) {
        std::borrow::Cow::Owned(composed) => composed,
        std::borrow::Cow::Borrowed(_) => decoded,
    };
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
            code: formwerk_base::diagnostics::code::LINK_OUTSIDE_CONTENT,
            message: format!("`{dest}` points outside the content folder"),
            help: "links can reach only files under content/".into(),
        });
    };
    let composed = match nfc_path(&normal) {
        std::borrow::Cow::Owned(p) => Some(p),
        std::borrow::Cow::Borrowed(_) => None,
    };
    Ok(composed.unwrap_or(normal))
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
    fn download_sizes_read_the_german_way() {
        assert_eq!(
            download_info("a/Plan A.pdf", 1_300_000).as_deref(),
            Some("PDF, 1,2 MB")
        );
        assert_eq!(
            download_info("x.docx", 20_000).as_deref(),
            Some("DOCX, 20 KB")
        );
        assert_eq!(download_info("bild.png", 20_000), None);
        assert_eq!(human_size(500), "500 Byte");
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
