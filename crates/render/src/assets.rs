//! The static files of the built-in theme, the site's theme and the site's static/ folder (a
//! later layer wins for the same name), and the content-hashed names their
//! style sheets and scripts get in the output (`formwerk.css` → `formwerk.3f9a2c1d.css`), so a
//! web server may let browsers keep them for a year: a changed file gets a new name. The
//! mapping is made here once and handed to templates as `assets` (`{{ root }}{{
//! assets["formwerk.js"] }}`); any `.css` or `.js` file put into static/ gets a hashed name
//! just by being there. Other static files (icons, images, `robots.txt`) keep their names.

use std::collections::BTreeMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use formwerk_content::is_skipped;

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file of the site (its static/ or its theme's).
    File(PathBuf),
    /// A file of the built-in theme, part of the binary.
    BuiltIn(&'static [u8]),
    /// A file the build made from one of the above (the style sheet with `[look]`'s colour).
    Made(std::sync::Arc<[u8]>),
}

impl Source {
    /// The bytes where they are in memory (built in, or made by the build); `None` for a file
    /// of the site, which is read or copied from disk.
    pub fn in_memory(&self) -> Option<&[u8]> {
        match self {
            Source::File(_) => None,
            Source::BuiltIn(bytes) => Some(bytes),
            Source::Made(bytes) => Some(bytes),
        }
    }
}

/// Static files: where each comes from, and the output name of each.
#[derive(Debug, Default)]
pub struct StaticFiles {
    /// Output path (hashed where it applies) → source.
    pub files: BTreeMap<String, Source>,
    /// Name in static/ → output path, for every static file (unhashed ones map to
    /// themselves).
    pub names: BTreeMap<String, String>,
}

/// Whether a static file gets a content-hashed name.
pub fn is_hashed(rel: &str) -> bool {
    rel.ends_with(".css") || rel.ends_with(".js")
}

/// `dir/name.ext` → `dir/name.<first 8 hex digits of SHA-256>.ext` (the files are hashed in
/// pieces by [`hashed_file_name`]; this is the same for bytes in memory, for tests).
#[cfg(test)]
pub(crate) fn hashed_name(rel: &str, bytes: &[u8]) -> String {
    name_with_hash(rel, &Sha256::digest(bytes))
}

/// [`hashed_name`] of a file, read in pieces: a large file costs no memory.
fn hashed_file_name(rel: &str, path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match file.read(&mut buffer)? {
            0 => return Ok(name_with_hash(rel, &hasher.finalize())),
            n => hasher.update(&buffer[..n]),
        }
    }
}

fn name_with_hash(rel: &str, digest: &[u8]) -> String {
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let (dir, file) = rel.rsplit_once('/').map_or(("", rel), |(d, f)| (d, f));
    let named = match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hex}.{ext}"),
        None => format!("{file}.{hex}"),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

/// Collects the built-in static files and those of `dirs` (later folders win over earlier
/// ones, and every folder over the built-in files, for the same name) and names them for the
/// output. Returns the files that could not be read beside the rest.
pub fn collect(dirs: &[PathBuf]) -> (StaticFiles, Vec<(PathBuf, std::io::Error)>) {
    let mut sources: BTreeMap<String, Source> = crate::builtin::under("static")
        .map(|(rel, bytes)| (rel.to_string(), Source::BuiltIn(bytes)))
        .collect();
    for dir in dirs {
        for entry in WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_skipped(e))
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            sources.insert(
                rel.to_string_lossy().replace('\\', "/"),
                Source::File(entry.path().to_path_buf()),
            );
        }
    }
    let mut out = StaticFiles::default();
    let mut errors = Vec::new();
    for (rel, source) in sources {
        let output = match &source {
            _ if !is_hashed(&rel) => rel.clone(),
            Source::BuiltIn(_) | Source::Made(_) => name_with_hash(
                &rel,
                &Sha256::digest(source.in_memory().unwrap_or_default()),
            ),
            Source::File(path) => match hashed_file_name(&rel, path) {
                Ok(name) => name,
                Err(e) => {
                    errors.push((path.clone(), e));
                    continue;
                }
            },
        };
        out.files.insert(output.clone(), source);
        out.names.insert(rel, output);
    }
    (out, errors)
}

impl StaticFiles {
    /// Adds `extra` to the end of the style sheet `name` (its output name follows its new
    /// content); the file's bytes as they were come from `read`.
    pub(crate) fn append(&mut self, name: &str, extra: &str) -> std::io::Result<()> {
        let Some(output) = self.names.get(name).cloned() else {
            return Ok(());
        };
        let Some(source) = self.files.remove(&output) else {
            return Ok(());
        };
        let mut bytes = match &source {
            Source::File(path) => std::fs::read(path)?,
            Source::BuiltIn(_) | Source::Made(_) => source.in_memory().unwrap_or_default().to_vec(),
        };
        bytes.extend_from_slice(extra.as_bytes());
        let output = if is_hashed(name) {
            name_with_hash(name, &Sha256::digest(&bytes))
        } else {
            name.to_string()
        };
        self.files
            .insert(output.clone(), Source::Made(bytes.into()));
        self.names.insert(name.to_string(), output);
        Ok(())
    }

    /// The first `href` or `src` of `html` that names a file with a hashed output name by its
    /// name in static/ (a link that would lead nowhere), as (name, output name).
    pub(crate) fn unhashed_reference(&self, html: &str) -> Option<(&str, &str)> {
        let hashed: Vec<(&String, &String)> = self
            .names
            .iter()
            .filter(|(name, out)| name != out)
            .collect();
        if hashed.is_empty() {
            return None;
        }
        // One pass over the attribute values (`="`), keeping those of `href` and `src`.
        // memchr's substring search: faster than `str::match_indices` on every page.
        for at in memchr::memmem::find_iter(html.as_bytes(), b"=\"") {
            let before = &html[..at];
            if !(before.ends_with(" href") || before.ends_with(" src")) {
                continue;
            }
            let value = &html[at + 2..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let path = value.split(['?', '#']).next().unwrap_or(value);
            for (name, out) in &hashed {
                let before = path.strip_suffix(name.as_str());
                if before.is_some_and(|b| b.is_empty() || b.ends_with('/')) {
                    return Some((name.as_str(), out.as_str()));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_in_pieces_gets_the_same_name() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("gross.js");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            hashed_file_name("js/gross.js", &path).unwrap(),
            hashed_name("js/gross.js", &bytes)
        );
    }

    #[test]
    fn names_carry_a_hash_of_the_content() {
        let a = hashed_name("formwerk.js", b"one");
        let b = hashed_name("formwerk.js", b"two");
        assert_ne!(a, b);
        assert!(
            a.starts_with("formwerk.") && a.ends_with(".js") && a.len() == 20,
            "{a}"
        );
        assert!(hashed_name("js/x.min.js", b"").starts_with("js/x.min."));
        assert!(is_hashed("a.css") && is_hashed("b/c.js") && !is_hashed("favicon.svg"));
    }

    #[test]
    fn finds_links_to_an_asset_by_its_unhashed_name() {
        let mut files = StaticFiles::default();
        files
            .names
            .insert("formwerk.css".into(), "formwerk.0123abcd.css".into());
        files
            .names
            .insert("favicon.svg".into(), "favicon.svg".into());
        let good = r#"<link href="../formwerk.0123abcd.css"><link href="../favicon.svg"><img src="x.png">"#;
        assert_eq!(files.unhashed_reference(good), None);
        let bad = r#"<img src="a.png"><link rel="stylesheet" href="../../formwerk.css?v=1">"#;
        assert_eq!(
            files.unhashed_reference(bad),
            Some(("formwerk.css", "formwerk.0123abcd.css"))
        );
    }
}
