//! `formwerk theme`: the built-in theme file by file. `eject` copies one into the site (a
//! template to templates/, a static file to static/) with a note of the release it came from,
//! so that `check` warns when a later release changes the original (`ejected-outdated`);
//! `show` prints one; `list` names them all.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use formwerk_render::builtin;
use formwerk_render::theme_notes::eject_note;

/// Where an ejected file goes in the site: `templates/x` to templates/x, `static/x` to
/// static/x, `i18n/x` into the site's own layer of the theme.
fn target(root: &Path, rel: &str) -> anyhow::Result<PathBuf> {
    if rel.starts_with("templates/") || rel.starts_with("static/") {
        Ok(root.join(rel))
    } else if rel.starts_with("i18n/") {
        Ok(root.join("themes").join(builtin::NAME).join(rel))
    } else {
        bail!("{rel} cannot be changed by the site (only templates/, static/ and i18n/ files can)")
    }
}

/// The built-in file `name`, as `templates/base.html`, or just `base.html` where that is one
/// file's name.
fn resolve(name: &str) -> anyhow::Result<(&'static str, &'static [u8])> {
    let exact = builtin::FILES.iter().find(|(rel, _)| *rel == name);
    let by_name = || {
        let mut found = builtin::FILES
            .iter()
            .filter(|(rel, _)| rel.split_once('/').is_some_and(|(_, rest)| rest == name));
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    };
    match exact.or_else(by_name) {
        Some((rel, bytes)) => Ok((rel, bytes)),
        None => {
            let names = builtin::FILES.iter().map(|(rel, _)| *rel);
            let hint = match formwerk_base::diagnostics::closest(name, names) {
                Some(best) => format!("; did you mean `{best}`?"),
                None => "; `formwerk theme list` names them".to_string(),
            };
            bail!("the built-in theme has no file `{name}`{hint}")
        }
    }
}

/// Copies the built-in file `name` into the site at `root`, with its note; an existing file
/// is never overwritten unless `note_only` rewrites just its note.
pub fn eject(root: &Path, name: &str, note_only: bool) -> anyhow::Result<PathBuf> {
    let (rel, bytes) = resolve(name)?;
    let note = eject_note(rel, bytes)
        .with_context(|| format!("{rel} cannot carry a note of its release; copy it by hand"))?;
    let path = target(root, rel)?;
    let text = if note_only {
        let old = std::fs::read_to_string(&path)
            .with_context(|| format!("{} has not been ejected yet", path.display()))?;
        let body = match old.split_once('\n') {
            Some((first, rest)) if first.contains("formwerk theme eject:") => rest.to_string(),
            _ => old,
        };
        note + &body
    } else {
        if path.exists() {
            bail!(
                "{} exists; it is not overwritten (--note-only renews just its note)",
                path.display()
            );
        }
        note + std::str::from_utf8(bytes).context("the built-in file is not text")?
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// Prints the built-in file `name`.
pub fn show(name: &str) -> anyhow::Result<()> {
    let (_, bytes) = resolve(name)?;
    std::io::stdout().lock().write_all(bytes)?;
    Ok(())
}

/// Prints the name of every built-in file.
pub fn list() -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for (rel, bytes) in builtin::FILES {
        writeln!(out, "{rel} ({} bytes)", bytes.len())?;
    }
    Ok(())
}
