//! No private key in a site: its sources (content/, templates/, themes/, static/ and the files
//! beside formwerk.toml) are published or copied to a web server, and the private key of
//! encrypted submissions there would open every applicant's file. `check` and every build
//! refuse each one, naming the file (issue 27; docs/schluessel.md).

use std::path::{Path, PathBuf};

use formwerk_base::diagnostics::{Diagnostic, Diagnostics, code};

/// Files whose kind is known to hold no key: their contents are not read (the pages, above
/// all, would cost a read each in a site of thousands). Their names are still checked.
const NOT_KEYS: [&str; 36] = [
    "md", "toml", "html", "htm", "css", "js", "mjs", "png", "jpg", "jpeg", "gif", "svg", "webp",
    "avif", "ico", "pdf", "woff", "woff2", "ttf", "otf", "xlsx", "xls", "docx", "doc", "odt",
    "ods", "odp", "pptx", "ppt", "csv", "zip", "mp4", "webm", "mp3", "ogg", "wav",
];
/// An error for every private key among the site's sources under `root`.
pub(crate) fn private_keys(root: &Path) -> Diagnostics {
    let files = candidates(root);
    let found = formwerk_base::parallel::par_map(&files, |path| {
        let kind = read_start(path, !skips_contents(path))
            .and_then(|bytes| formwerk_seal::detect::private_key_kind(path, &bytes))?;
        let shown = path.strip_prefix(root).unwrap_or(path);
        Some(
            Diagnostic::file(
                shown,
                format!("this file is a private key ({kind}) and would be published with the site"),
            )
            .with_code(code::PRIVATE_KEY_IN_SITE)
            .with_help(
                "move it out of the site folder, to where only the clerks reach it (see `formwerk help schluessel`); if it was ever published, make a new key pair",
            ),
        )
    });
    let mut errors = Diagnostics(found.into_iter().flatten().collect());
    errors.sort();
    errors
}

/// The files of the site's sources: every file under the source folders (links not
/// followed), and the files directly in the site folder.
fn candidates(root: &Path) -> Vec<PathBuf> {
    let beside_config = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path());
    let under_sources = formwerk_config::SOURCE_DIRS.into_iter().flat_map(|dir| {
        walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
    });
    beside_config.chain(under_sources).collect()
}

fn skips_contents(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| NOT_KEYS.iter().any(|k| x.eq_ignore_ascii_case(k)))
}

/// The file's first `HEAD_BYTES`, or up to `JSON_MAX_BYTES` when it starts like JSON (none
/// when `contents` is false: the name alone is checked); `None` when unreadable (other checks
/// report that).
fn read_start(path: &Path, contents: bool) -> Option<Vec<u8>> {
    use formwerk_seal::detect::{HEAD_BYTES, JSON_MAX_BYTES};
    use std::io::Read;
    if !contents {
        return Some(Vec::new());
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.trim_ascii_start().starts_with(b"{") {
        file.take((JSON_MAX_BYTES - HEAD_BYTES) as u64)
            .read_to_end(&mut bytes)
            .ok()?;
    }
    Some(bytes)
}
