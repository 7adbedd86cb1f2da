//! Finds the files under content/ and decides what each becomes in the output.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use formwerk_base::diagnostics::{Diagnostic, Diagnostics, code};
use formwerk_text::slug::slugify;

pub const FORM_SUFFIX: &str = ".form.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A Markdown page; `section` for `_index.md`.
    Markdown {
        section: bool,
    },
    Form,
    Asset,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: SourceKind,
    /// Absolute (or root-joined) path to read.
    pub path: PathBuf,
    /// Path shown in errors: `content/…`.
    pub shown: PathBuf,
    /// Path relative to content/.
    pub content_path: PathBuf,
    /// Output path relative to the output folder, `/`-separated.
    pub output: String,
}

/// Files that editors' programs leave behind while saving; never content.
pub fn is_editor_temp_file(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".goutputstream-")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// vim probes whether it may write a folder with a file named 4913 (or 4914, …). Only files:
/// a folder named like a year (`2026/`) is content.
pub fn is_vim_probe(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a walk over a source folder skips this entry (and, for a folder, what is in it).
pub fn is_skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.depth() > 0
        && (is_editor_temp_file(&name) || (!entry.file_type().is_dir() && is_vim_probe(&name)))
}

/// Lists content/ in a stable order, classifying each file.
pub fn discover(root: &Path, content_dir: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut errors = Diagnostics::default();
    if !content_dir.is_dir() {
        errors.push(
            Diagnostic::file("content", "the content folder is missing")
                .with_code(formwerk_base::diagnostics::code::MISSING_CONTENT)
                .with_help("create content/ with at least content/_index.md"),
        );
        return Err(errors);
    }
    let mut files = Vec::new();
    // Symbolic links are followed where they stay inside the site folder; one leading out
    // would publish a file from elsewhere on the computer.
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if is_skipped(e) {
                return false;
            }
            if e.path_is_symlink() && e.depth() > 0 {
                let target = e.path().canonicalize().unwrap_or_default();
                if !target.starts_with(&site) {
                    outside.borrow_mut().push((e.path().to_path_buf(), target));
                    return false;
                }
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(walk_error(root, &e));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let content_path = path
            .strip_prefix(content_dir)
            .unwrap_or(&path)
            .to_path_buf();
        let shown = Path::new("content").join(&content_path);
        match classify(&content_path) {
            Ok((kind, output)) => files.push(SourceFile {
                kind,
                path,
                shown,
                content_path,
                output,
            }),
            Err(message) => errors.push(message(shown)),
        }
    }
    for (link, target) in outside.into_inner() {
        errors.push(
            Diagnostic::file(
                shown_path(root, &link),
                format!(
                    "this is a symbolic link to {}, outside the site folder; Formwerk does not publish files from elsewhere on the computer",
                    target.display()
                ),
            )
            .with_code(code::SYMLINK_OUTSIDE_SITE)
            .with_help("copy the file or folder into content/ instead of linking to it"),
        );
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        errors.sort();
        Err(errors)
    }
}

/// A file or folder of content/ that cannot be read, said plainly for the usual causes.
fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let Some(path) = e.path() else {
        return Diagnostic::file("content", format!("cannot read: {e}"))
            .with_code(code::UNREADABLE_FILE);
    };
    let shown = shown_path(root, path);
    if e.loop_ancestor().is_some() {
        return Diagnostic::file(
            shown,
            "this symbolic link points to a folder that contains it; following it would never end",
        )
        .with_help("remove the link");
    }
    if path.is_symlink() && !path.exists() {
        let target = std::fs::read_link(path).unwrap_or_default();
        return Diagnostic::file(
            shown,
            format!(
                "this symbolic link points to {}, which does not exist",
                target.display()
            ),
        )
        .with_code(code::BROKEN_SYMLINK)
        .with_help("remove the link, or put the file it names back");
    }
    Diagnostic::file(shown, format!("cannot read: {e}")).with_code(code::UNREADABLE_FILE)
}

fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

type Problem = Box<dyn FnOnce(PathBuf) -> Diagnostic>;

fn classify(content_path: &Path) -> Result<(SourceKind, String), Problem> {
    let name = content_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dirs: Vec<String> = content_path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| match c {
            Component::Normal(s) => Some(slug_or_keep(&s.to_string_lossy())),
            _ => None,
        })
        .collect();
    let in_dirs = |tail: &str| {
        let mut parts = dirs.clone();
        parts.push(tail.to_string());
        parts.retain(|p| !p.is_empty());
        parts.join("/")
    };
    if name == "_index.md" || name == "index.md" {
        return Ok((
            SourceKind::Markdown {
                section: name == "_index.md",
            },
            in_dirs("index.html"),
        ));
    }
    if let Some(stem) = name.strip_suffix(".md") {
        return Ok((
            SourceKind::Markdown { section: false },
            in_dirs(&format!("{}/index.html", slug_or_keep(stem))),
        ));
    }
    if let Some(stem) = name.strip_suffix(FORM_SUFFIX) {
        return Ok((
            SourceKind::Form,
            in_dirs(&format!("{}/index.html", slug_or_keep(stem))),
        ));
    }
    if name.ends_with(".toml") {
        return Err(Box::new(move |shown| {
            Diagnostic::file(
                shown,
                "a TOML file in content/ must be a form, named `NAME.form.toml`",
            )
            .with_code(formwerk_base::diagnostics::code::STRAY_TOML)
            .with_help(format!(
                "rename it to `{}` if it is a form; other data belongs outside content/",
                name.trim_end_matches(".toml").to_string() + FORM_SUFFIX
            ))
        }));
    }
    // Copied files keep their names, in NFC, so that links (typed in NFC) find them.
    Ok((SourceKind::Asset, in_dirs(&formwerk_text::slug::nfc(&name))))
}

/// Folder and page names become slugs ("Über uns" → "ueber-uns"); a name with nothing
/// sluggable keeps its own spelling rather than vanishing.
fn slug_or_keep(name: &str) -> String {
    let slug = slugify(name);
    if slug.is_empty() {
        formwerk_text::slug::nfc(name).into_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &str) -> String {
        classify(Path::new(path))
            .map(|(_, o)| o)
            .unwrap_or_default()
    }

    #[test]
    fn output_paths() {
        assert_eq!(output("_index.md"), "index.html");
        assert_eq!(output("Über uns/_index.md"), "ueber-uns/index.html");
        assert_eq!(
            output("hilfe/Bestandsaufnahme.md"),
            "hilfe/bestandsaufnahme/index.html"
        );
        assert_eq!(output("hilfe/bundle/index.md"), "hilfe/bundle/index.html");
        assert_eq!(output("antrag.form.toml"), "antrag/index.html");
        assert_eq!(output("hilfe/Plan A.pdf"), "hilfe/Plan A.pdf");
        assert_eq!(output("U\u{308}ber/Pla\u{308}ne.pdf"), "ueber/Pläne.pdf");
        assert_eq!(output("U\u{308}bersicht.md"), "uebersicht/index.html");
    }

    #[test]
    fn stray_toml_is_an_error() {
        assert!(classify(Path::new("antrag.toml")).is_err());
    }

    #[test]
    fn editor_files_are_skipped() {
        for name in [
            ".seite.md.swp",
            "seite.md~",
            "#seite.md#",
            ".goutputstream-X1",
            ".git",
        ] {
            assert!(is_editor_temp_file(name), "{name}");
        }
        assert!(!is_editor_temp_file("seite.md"));
    }
}
