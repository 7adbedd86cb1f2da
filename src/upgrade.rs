//! `formwerk upgrade`: turns a site made by a Formwerk before 0.2.0, which holds a full copy of
//! the default theme under themes/, into one that uses the built-in theme. Files identical to
//! a released default theme's (the editor did not change them) are removed; changed ones are
//! kept where they are, as overrides of single files, and listed with how they differ from
//! the built-in file. It shows the plan first and changes nothing until confirmed (or
//! `--yes`); it never removes a file the editor changed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use formwerk_config::Config;
use formwerk_render::builtin;
use formwerk_render::theme_notes::{is_released_copy, theme_files};

/// What happens to one file of the site's theme folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Identical to a released default theme's file: removed.
    Remove(String),
    /// Changed by the editor: kept as an override, with how it differs from the built-in
    /// file (`None`: the built-in theme has no such file).
    Keep(String, Option<Difference>),
}

/// How a kept file differs from the built-in one, in lines.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference {
    pub only_yours: usize,
    pub only_builtin: usize,
}

/// The plan for the site at `root`.
pub fn plan(root: &Path) -> anyhow::Result<(PathBuf, Vec<Step>)> {
    let config = Config::load(root)
        .map_err(|d| anyhow::anyhow!("{}", formwerk_base::diagnostics::Diagnostics(d).render()))?;
    let dir = config.theme_dir();
    let mut steps = Vec::new();
    for (rel, path) in theme_files(&dir) {
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if is_released_copy(&rel, &bytes) || builtin::file(&rel) == Some(bytes.as_slice()) {
            steps.push(Step::Remove(rel));
        } else {
            let difference = builtin::file(&rel).map(|b| line_difference(&bytes, b));
            steps.push(Step::Keep(rel, difference));
        }
    }
    Ok((dir, steps))
}

/// Lines only in `yours` and only in `builtin`, by a longest common subsequence of lines.
fn line_difference(yours: &[u8], builtin: &[u8]) -> Difference {
    let a: Vec<&[u8]> = yours.split(|&b| b == b'\n').collect();
    let b: Vec<&[u8]> = builtin.split(|&b| b == b'\n').collect();
    // Theme files have hundreds of lines, not tens of thousands: the table stays small.
    let mut row = vec![0usize; b.len() + 1];
    for x in &a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    let common = row[b.len()];
    Difference {
        only_yours: a.len() - common,
        only_builtin: b.len() - common,
    }
}

/// Prints the plan in German, as editors read it.
pub fn describe(dir: &Path, steps: &[Step], out: &mut impl Write) -> std::io::Result<()> {
    let removed = steps
        .iter()
        .filter(|s| matches!(s, Step::Remove(_)))
        .count();
    writeln!(
        out,
        "{}: {} Dateien sind unveränderte Kopien des Erscheinungsbilds einer früheren Formwerk-Version \
         und werden entfernt; dann gilt das eingebaute.",
        dir.display(),
        removed
    )?;
    for step in steps {
        match step {
            Step::Remove(rel) => writeln!(out, "  entfernen  {rel}")?,
            Step::Keep(rel, None) => writeln!(
                out,
                "  behalten   {rel} (eigene Datei; das eingebaute Erscheinungsbild hat keine solche)"
            )?,
            Step::Keep(rel, Some(d)) => writeln!(
                out,
                "  behalten   {rel} (von Ihnen geändert: {} Zeilen nur in Ihrer Fassung, {} nur in der eingebauten; \
                 `formwerk theme show {rel}` zeigt die eingebaute)",
                d.only_yours, d.only_builtin
            )?,
        }
    }
    Ok(())
}

/// Removes the files the plan removes, and folders left empty; keeps everything else.
pub fn apply(dir: &Path, steps: &[Step]) -> anyhow::Result<()> {
    for step in steps {
        if let Step::Remove(rel) = step {
            let path = dir.join(rel);
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    if remove_empty_folders(dir) {
        if dir.file_name().is_some_and(|n| n != builtin::NAME) {
            // A theme of another name must have its folder, or the site no longer builds:
            // kept, empty (run() says how to do without it).
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        } else if let Some(themes) = dir.parent().filter(|p| p.ends_with("themes")) {
            // themes/ itself, if the theme's folder was all it held.
            let _ = std::fs::remove_dir(themes);
        }
    }
    Ok(())
}

/// Removes `dir` and the folders below it that hold nothing; true if `dir` is gone.
fn remove_empty_folders(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut empty = true;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !(is_dir && remove_empty_folders(&path)) {
            empty = false;
        }
    }
    empty && std::fs::remove_dir(dir).is_ok()
}

/// The command: plan, show, confirm, apply.
pub fn run(root: &Path, yes: bool) -> anyhow::Result<()> {
    let (dir, steps) = plan(root)?;
    let mut out = std::io::stdout().lock();
    if steps.is_empty() {
        writeln!(
            out,
            "Nichts zu tun: die Website hat keine Kopie des Erscheinungsbilds unter {}.",
            dir.display()
        )?;
        return Ok(());
    }
    describe(&dir, &steps, &mut out)?;
    if !steps.iter().any(|s| matches!(s, Step::Remove(_))) {
        writeln!(
            out,
            "Keine Datei ist eine unveränderte Kopie; nichts wird entfernt."
        )?;
        return Ok(());
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!("nothing was changed: confirm with `formwerk upgrade --yes`");
        }
        write!(out, "Fortfahren? [j/N] ")?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "j" | "J" | "ja" | "Ja" | "y" | "yes") {
            writeln!(out, "Nichts geändert.")?;
            return Ok(());
        }
    }
    apply(&dir, &steps)?;
    if dir.is_dir() && std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_none()) {
        writeln!(
            out,
            "{} ist jetzt leer: Mit theme = \"{}\" in formwerk.toml gilt das eingebaute \
             Erscheinungsbild ohne den Ordner.",
            dir.display(),
            builtin::NAME
        )?;
    }
    writeln!(
        out,
        "Fertig. `formwerk check` prüft die Website mit dem eingebauten Erscheinungsbild."
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_difference_counts_lines_on_each_side() {
        let d = line_difference(b"a\nb\nc\n", b"a\nc\nd\n");
        assert_eq!((d.only_yours, d.only_builtin), (1, 1));
        let same = line_difference(b"x\ny", b"x\ny");
        assert_eq!((same.only_yours, same.only_builtin), (0, 0));
    }
}
