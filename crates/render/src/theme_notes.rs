//! What the build says about a site's own theme files beside the built-in theme: copies of
//! the default theme that a Formwerk before 0.2.0 wrote into the site (`formwerk upgrade`
//! removes the unchanged ones), and files taken out with `formwerk theme eject` whose built-in
//! original has changed since.

use std::path::{Path, PathBuf};

use formwerk_base::diagnostics::{Diagnostic, Severity, code};
use formwerk_config::{Config, STATIC_DIR, TEMPLATES_DIR};
use walkdir::WalkDir;

use crate::builtin::{self, sha256_hex};

/// Every version of every default-theme file that `formwerk init` copied into sites before
/// 0.2.0 (history/make.sh wrote it from the repository's history): `sha256 path date commit`.
const HISTORY: &str = include_str!("../history/theme-0.1.txt");

/// This release, as ejected files' notes name it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether `bytes` at `rel` (below the theme's folder) is the default theme's file as some
/// Formwerk before 0.2.0 copied it.
pub fn is_released_copy(rel: &str, bytes: &[u8]) -> bool {
    let sha = sha256_hex(bytes);
    HISTORY.lines().filter(|l| !l.starts_with('#')).any(|l| {
        let mut fields = l.split(' ');
        fields.next() == Some(sha.as_str()) && fields.next() == Some(rel)
    })
}

/// The files of a site's theme folder, as (path below it, file).
pub fn theme_files(theme_dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = WalkDir::new(theme_dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(theme_dir).unwrap_or(e.path());
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The files of the site's theme folder that are unchanged copies of an earlier release's
/// default theme.
pub fn old_copies(theme_dir: &Path) -> Vec<String> {
    theme_files(theme_dir)
        .into_iter()
        .filter(|(rel, path)| std::fs::read(path).is_ok_and(|b| is_released_copy(rel, &b)))
        .map(|(rel, _)| rel)
        .collect()
}

/// The diagnostic for a site whose theme folder holds such copies (`severity`: a warning
/// where the site builds, an error beside the errors they may have caused).
pub fn old_copy_diagnostic(
    root: &Path,
    theme_dir: &Path,
    severity: Severity,
) -> Option<Diagnostic> {
    let copies = old_copies(theme_dir);
    let first = copies.first()?;
    let shown = theme_dir.strip_prefix(root).unwrap_or(theme_dir);
    Some(
        Diagnostic::file(
            shown,
            format!(
                "holds {} files copied from the default theme of an earlier Formwerk ({first}, …): \
                 they take the place of the built-in theme's own",
                copies.len()
            ),
        )
        .with_code(code::OLD_THEME_COPY)
        .with_severity(severity)
        .with_help(
            "run `formwerk upgrade`: it removes the files you did not change, so that the built-in \
             theme applies, and lists the ones you changed",
        ),
    )
}

/// The note `formwerk theme eject` puts into the first line of a file it copies out.
const NOTE: &str = "formwerk theme eject:";

/// The first line to put before the built-in file `rel`, in the file's own comment syntax;
/// `None` for a file that cannot carry one (fonts).
pub fn eject_note(rel: &str, bytes: &[u8]) -> Option<String> {
    let note = format!(
        "{NOTE} {rel} from Formwerk {VERSION}, sha256 {}",
        sha256_hex(bytes)
    );
    let ext = rel.rsplit('.').next().unwrap_or("");
    match (rel.starts_with("templates/"), ext) {
        (true, _) => Some(format!("{{# {note} #}}\n")),
        (false, "css") => Some(format!("/* {note} */\n")),
        (false, "js") => Some(format!("// {note}\n")),
        (false, "svg" | "html") => Some(format!("<!-- {note} -->\n")),
        (false, "toml") => Some(format!("# {note}\n")),
        _ => None,
    }
}

/// An ejected file's note: (built-in path, version, sha256 of the original).
fn parse_note(first_line: &str) -> Option<(&str, &str, &str)> {
    let rest = &first_line[first_line.find(NOTE)? + NOTE.len()..];
    let mut words = rest.split_whitespace();
    let rel = words.next()?;
    let version = words.nth(2)?.trim_end_matches(',');
    let sha = words.nth(1)?;
    Some((rel, version, sha))
}

/// Warnings for ejected files whose built-in original changed since they were taken out.
pub fn outdated_ejects(config: &Config) -> Vec<Diagnostic> {
    let dirs = [
        config.root.join(TEMPLATES_DIR),
        config.root.join(STATIC_DIR),
        config.theme_dir(),
    ];
    let mut out = Vec::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for (_, path) in theme_files(dir) {
            let Some(first) = first_line(&path) else {
                continue;
            };
            let Some((rel, version, sha)) = parse_note(&first) else {
                continue;
            };
            let now = builtin::file(rel).map(sha256_hex);
            if now.as_deref() == Some(sha) {
                continue;
            }
            let shown = path.strip_prefix(&config.root).unwrap_or(&path);
            let change = match now {
                Some(_) => format!("Formwerk {VERSION} changed it"),
                None => format!("Formwerk {VERSION} no longer has it"),
            };
            out.push(
                Diagnostic::file(
                    shown,
                    format!("is based on {rel} of Formwerk {version}; {change}"),
                )
                .with_code(code::EJECTED_OUTDATED)
                .with_severity(Severity::Warning)
                .with_help(format!(
                    "compare it with `formwerk theme show {rel}` and take over what changed; then \
                         write the new note with `formwerk theme eject {rel} --note-only`"
                )),
            );
        }
    }
    out
}

/// The first line of a text file, read no further than needed.
fn first_line(path: &Path) -> Option<String> {
    use std::io::{BufRead, BufReader, Read};
    let mut line = String::new();
    let file = std::fs::File::open(path).ok()?;
    BufReader::new(file.take(4096)).read_line(&mut line).ok()?;
    Some(line)
}

/// The warnings about the site's own theme files: old copies and outdated ejected files.
pub fn warnings(config: &Config) -> Vec<Diagnostic> {
    old_copy_diagnostic(&config.root, &config.theme_dir(), Severity::Warning)
        .into_iter()
        .chain(outdated_ejects(config))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_name_the_file_the_release_and_the_original() {
        let bytes = builtin::file("templates/base.html").unwrap();
        let note = eject_note("templates/base.html", bytes).unwrap();
        assert!(note.starts_with("{# formwerk theme eject: templates/base.html from Formwerk "));
        let (rel, version, sha) = parse_note(&note).unwrap();
        assert_eq!((rel, version), ("templates/base.html", VERSION));
        assert_eq!(sha, sha256_hex(bytes));
        assert!(
            eject_note("static/formwerk.js", b"")
                .unwrap()
                .starts_with("// ")
        );
        assert!(
            eject_note("static/formwerk.css", b"")
                .unwrap()
                .starts_with("/* ")
        );
        assert_eq!(eject_note("fonts/DejaVuSans.ttf", b""), None);
    }

    #[test]
    fn the_history_knows_the_first_and_the_last_copies() {
        let lines = HISTORY.lines().filter(|l| !l.starts_with('#')).count();
        assert!(lines > 100, "{lines}");
        assert!(!is_released_copy(
            "templates/base.html",
            b"changed by an editor"
        ));
    }
}
