//! `formwerk answers --pdf DIR`: one filled PDF per received application, in the form's own
//! PDF layout with the answers in its fields (or printed into the page with `--flatten`, for
//! the archive). Only answers that fit the current version go into the fields; a refused file
//! gets no PDF.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use super::{Merged, Status};
use formwerk_pdf::{Fonts, Strings, filled_pdf};

/// Where each application's PDF goes: `<name of its file>.pdf` in `dir`, numbered when two
/// files share a name or the name is one of the files read (a filled PDF is never written
/// over the PDF it was read from).
pub fn targets(dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let inputs: BTreeSet<PathBuf> = files.iter().filter_map(|f| f.canonicalize().ok()).collect();
    let dir_abs = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut taken = BTreeSet::new();
    files
        .iter()
        .map(|f| {
            let stem = f
                .file_stem()
                .map(|s| within_name_limit(&s.to_string_lossy()).to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "antworten".to_string());
            let mut n = 1;
            loop {
                let name = match n {
                    1 => format!("{stem}.pdf"),
                    n => format!("{stem}-{n}.pdf"),
                };
                let free = !inputs.contains(&dir_abs.join(&name)) && taken.insert(name.clone());
                if free {
                    break dir.join(name);
                }
                n += 1;
            }
        })
        .collect()
}

/// The most bytes of a received file's name that its PDF's name keeps: file systems take 255,
/// and `-<number>.pdf` must still fit (a 250-byte name gave "File name too long").
const NAME_BYTES: usize = 200;

/// `stem` cut to [`NAME_BYTES`] at a character's boundary.
fn within_name_limit(stem: &str) -> &str {
    if stem.len() <= NAME_BYTES {
        return stem;
    }
    let mut end = NAME_BYTES;
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    &stem[..end]
}

/// What `--pdf` wrote: how many PDFs, and one error per PDF that could not be made or
/// written, naming the answers file it was for.
#[derive(Debug, Default)]
pub struct Written {
    pub count: usize,
    pub failed: Vec<anyhow::Error>,
}

/// Writes the filled PDFs of every application that was not refused. One PDF that cannot be
/// filled or written does not stop the others: its error names its answers file.
pub fn write_all(
    merged: &Merged,
    fonts: &Fonts,
    language: &str,
    dir: &Path,
    files: &[PathBuf],
    flatten: bool,
) -> anyhow::Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let strings = Strings::from_theme(merged.strings.0);
    let targets = targets(dir, files);
    let jobs: Vec<_> = merged.apps.iter().zip(&targets).collect();
    let written = formwerk_base::parallel::par_map_caught(&jobs, |(app, target)| {
        if app.status == Status::Invalid {
            return Ok(0);
        }
        let older = formwerk_pdf::Older {
            version: &app.version,
            extra: &app.extra,
        };
        let bytes = filled_pdf(
            merged.form,
            fonts,
            &strings,
            language,
            &app.answers,
            Some(older),
            flatten,
        );
        write_new(target, &bytes).map(|()| 1)
    });
    let mut out = Written::default();
    for (r, (app, target)) in written.into_iter().zip(&jobs) {
        let file = &app.file;
        match r {
            Ok(Ok(n)) => {
                if n == 1 {
                    warn_missing_glyphs(merged, fonts, app, target);
                }
                out.count += n;
            }
            Ok(Err(e)) => out.failed.push(e.context(format!("the PDF of {file}"))),
            // A bug (a panic) while filling one PDF is an error naming its answers file.
            Err(panic) => out.failed.push(anyhow!(
                "cannot fill the PDF of {file} (internal error: {panic}; a bug in Formwerk)"
            )),
        }
    }
    Ok(out)
}

/// Names the characters of an application that no font has (its PDF draws placeholders and
/// a closing note), on standard error.
fn warn_missing_glyphs(merged: &Merged, fonts: &Fonts, app: &super::Application, target: &Path) {
    let mut chars = formwerk_pdf::missing_chars(fonts, &app.answers);
    chars.extend(formwerk_pdf::missing_chars(fonts, &app.extra));
    chars.sort_unstable();
    chars.dedup();
    if chars.is_empty() {
        return;
    }
    let named: Vec<String> = chars
        .iter()
        .map(|c| format!("U+{:04X} ({c})", *c as u32))
        .collect();
    let file = target.display().to_string();
    let message = merged.strings.fmt(
        "answers_pdf_missing_glyphs",
        &[("file", &file), ("chars", &named.join(", "))],
    );
    eprintln!("{}", formwerk_base::control::for_terminal(&message));
}

/// Writes through a temporary file beside the target and moves it in, so that an interrupted
/// run leaves no half-written PDF under the final name.
fn write_new(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = target
        .file_name()
        .ok_or_else(|| anyhow!("no file name in {}", target.display()))?;
    let tmp = target.with_file_name(format!(".{}.formwerk-tmp", name.to_string_lossy()));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, target))
        .with_context(|| format!("cannot write {}", target.display()))
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn long_names_fit_the_file_system_and_stay_distinct() {
        let long = "ö".repeat(150); // 300 bytes
        let files = [
            PathBuf::from(format!("/in/{long}.json")),
            PathBuf::from(format!("/in/{long}x.json")),
        ];
        let out = targets(Path::new("/out"), &files);
        for t in &out {
            let name = t.file_name().unwrap().to_str().unwrap();
            assert!(name.len() <= 255, "{}", name.len());
            assert!(name.starts_with("öö") && name.ends_with(".pdf"));
        }
        assert_ne!(out[0], out[1], "two files, two PDFs");
    }
}
