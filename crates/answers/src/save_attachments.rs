//! `formwerk answers --attachments DIR`: each application's attachments written to
//! `DIR/<identifying answer>/<file name>`. The names come from strangers: path tricks
//! (`..`, `/`, `\`, NUL, control characters, reserved Windows names, leading dots) never
//! reach the file system, over-long names are cut keeping the extension, clashes get
//! `name (2).pdf`; no file is overwritten and no link followed (files are created new, and a
//! folder that is a link is refused). Size and SHA-256 are checked before writing.

use std::collections::BTreeSet;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::attachments::{Attachment, attachments};
use crate::{Application, Merged, Strings};

/// The most bytes of a written name (most file systems take 255).
const NAME_BYTES: usize = 200;
/// An extension longer than this is no extension worth keeping when a name is cut.
const EXTENSION_BYTES: usize = 16;
/// Clashing names tried, `name (2)` to `name (999)`.
const CLASH_TRIES: usize = 999;
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// What was written, and each attachment not written: (answers file, why).
#[derive(Debug, Default)]
pub struct Saved {
    pub written: usize,
    pub refused: Vec<(String, String)>,
}

/// A file name safe on every system from a stranger's `name`; `fallback` when nothing is
/// left of it.
pub fn safe_name(name: &str, fallback: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let mut out = if trimmed.is_empty() {
        fallback.to_string()
    } else {
        trimmed.to_string()
    };
    let stem = out.split('.').next().unwrap_or_default().trim_end();
    if RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r)) {
        out.insert(0, '_');
    }
    cut(&out, NAME_BYTES)
}

/// `name` within `max` bytes, its extension kept, cut at a character's boundary.
fn cut(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.len() < EXTENSION_BYTES && !stem.is_empty() => (stem, ext),
        _ => (name, ""),
    };
    let room = max - if ext.is_empty() { 0 } else { ext.len() + 1 };
    let mut end = room.min(stem.len());
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    let stem = stem[..end].trim_end_matches(['.', ' ']);
    match ext {
        "" => stem.to_string(),
        ext => format!("{stem}.{ext}"),
    }
}

/// `name` with ` (n)` before its extension.
fn numbered(name: &str, n: usize) -> String {
    let suffix = format!(" ({n})");
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let stem = cut(stem, NAME_BYTES - suffix.len() - ext.len());
    format!("{stem}{suffix}{ext}")
}

/// Creates a new file `name` in `dir` (or `name (2)`, …, when taken) with `bytes`; never
/// opens an existing file or follows a link.
fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    for n in 1..=CLASH_TRIES {
        let candidate = if n == 1 {
            name.to_string()
        } else {
            numbered(name, n)
        };
        let path = dir.join(&candidate);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(bytes)?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{name} and {CLASH_TRIES} numbered names exist"),
    ))
}

/// The application's folder under `dir`, made if missing; a name another application of
/// this run took gets a number. Refused when it is a link or no folder.
fn folder_for(dir: &Path, app: &Application, taken: &mut BTreeSet<String>) -> io::Result<PathBuf> {
    let stem = Path::new(&app.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = safe_name(
        if app.identify.trim().is_empty() {
            &stem
        } else {
            &app.identify
        },
        "antrag",
    );
    let name = (1..=CLASH_TRIES)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                numbered(&base, n)
            }
        })
        .find(|n| !taken.contains(&n.to_lowercase()))
        .unwrap_or(base);
    taken.insert(name.to_lowercase());
    let path = dir.join(&name);
    match std::fs::create_dir(&path) {
        Ok(()) => Ok(path),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let meta = path.symlink_metadata()?;
            if meta.file_type().is_symlink() || !meta.is_dir() {
                return Err(io::Error::other(format!("{name} is a link or no folder")));
            }
            Ok(path)
        }
        Err(e) => Err(e),
    }
}

/// Writes every application's attachments (answers in the contract's shape, in its
/// answers and extra answers) under `dir`.
pub fn save_attachments(merged: &Merged<'_>, dir: &Path, max: (u64, u64)) -> io::Result<Saved> {
    std::fs::create_dir_all(dir)?;
    let mut saved = Saved::default();
    let mut taken = BTreeSet::new();
    for app in merged.rows() {
        let found: Vec<Attachment<'_>> = app
            .answers
            .values()
            .chain(app.extra.values())
            .filter_map(attachments)
            .flatten()
            .collect();
        if found.is_empty() {
            continue;
        }
        save_one(
            app,
            &found,
            dir,
            max,
            &merged.strings,
            &mut taken,
            &mut saved,
        );
    }
    Ok(saved)
}

/// One application's attachments; `max` is (each, all together) in bytes.
fn save_one(
    app: &Application,
    found: &[Attachment<'_>],
    dir: &Path,
    (each, total): (u64, u64),
    s: &Strings<'_>,
    taken: &mut BTreeSet<String>,
    saved: &mut Saved,
) {
    let refuse = |saved: &mut Saved, name: &str, why: String| {
        let text = s.fmt("attachment_refused", &[("name", name), ("why", &why)]);
        saved.refused.push((app.file.clone(), text));
    };
    let folder = match folder_for(dir, app, taken) {
        Ok(folder) => folder,
        Err(e) => {
            let why = s.fmt("attachment_unwritable", &[("why", &e.to_string())]);
            return found
                .iter()
                .for_each(|a| refuse(saved, a.name, why.clone()));
        }
    };
    let mut left = total;
    for a in found {
        let bytes = match a.bytes(each.min(left), s) {
            Ok(bytes) => bytes,
            Err(why) => {
                refuse(saved, a.name, why);
                continue;
            }
        };
        left -= bytes.len() as u64;
        match write_new(&folder, &safe_name(a.name, "anlage"), &bytes) {
            Ok(_) => saved.written += 1,
            Err(e) => refuse(
                saved,
                a.name,
                s.fmt("attachment_unwritable", &[("why", &e.to_string())]),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stranger_names_become_safe_ones() {
        let cases = [
            ("antrag.pdf", "antrag.pdf"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("..", "anlage"),
            (".bashrc", "bashrc"),
            ("a\\b/c", "a_b_c"),
            ("nul\0byte\u{1b}[31m.txt", "nul_byte_[31m.txt"),
            ("CON", "_CON"),
            ("com1.txt", "_com1.txt"),
            ("lpt9 .pdf", "_lpt9 .pdf"),
            ("Bericht?.pdf.", "Bericht_.pdf"),
            ("", "anlage"),
        ];
        for (name, safe) in cases {
            assert_eq!(safe_name(name, "anlage"), safe, "{name:?}");
        }
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long = format!("{}.pdf", "ä".repeat(150));
        let safe = safe_name(&long, "anlage");
        assert!(safe.len() <= NAME_BYTES, "{}", safe.len());
        assert!(safe.ends_with("ä.pdf"), "{safe}");
        let numbered = numbered(&safe, 2);
        assert!(numbered.len() <= NAME_BYTES && numbered.ends_with(" (2).pdf"));
        assert_eq!(super::numbered("bild.png", 3), "bild (3).png");
    }
}
