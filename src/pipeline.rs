//! One build: config → content (pages, forms) → render (Tera) → output. `check` runs the
//! same steps and writes nothing.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::content::{Site, is_editor_temp_file};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputFile, write_site};
use crate::render::Theme;

/// What a successful build produced.
#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub forms: usize,
    pub files: usize,
}

/// Loads and checks configuration, theme and content. Theme and content are independent:
/// the problems of both are reported at once.
pub fn prepare(root: &Path) -> Result<(Site, Theme), Diagnostics> {
    let config = Config::load(root).map_err(Diagnostics)?;
    let theme = Theme::load(&config);
    let site = Site::load(config);
    match (theme, site) {
        (Ok(t), Ok(s)) => Ok((s, t)),
        (t, s) => {
            let mut errors = Diagnostics::default();
            if let Err(e) = t {
                errors.extend(e);
            }
            if let Err(e) = s {
                errors.extend(e);
            }
            errors.sort();
            Err(errors)
        }
    }
}

/// Every file of the finished site in a stable order: rendered pages, content files, static
/// files of theme and site.
pub fn output_files(
    site: &Site,
    theme: &Theme,
    rendered: Vec<(String, String)>,
) -> Result<Vec<(String, OutputFile)>, Diagnostics> {
    let mut static_files = std::collections::BTreeMap::new();
    for dir in &theme.static_dirs {
        for entry in WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !is_editor_temp_file(&e.file_name().to_string_lossy())
            })
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            // The site's static/ comes after the theme's and overrides its files.
            static_files.insert(rel, entry.path().to_path_buf());
        }
    }
    let mut errors = Diagnostics::default();
    let mut taken = std::collections::BTreeMap::new();
    for (output, _) in &rendered {
        taken.insert(output.clone(), PathBuf::from(output));
    }
    for page in &site.pages {
        taken.insert(page.output.clone(), page.source.clone());
    }
    for asset in &site.assets {
        taken.insert(asset.output.clone(), asset.path.clone());
    }
    for (rel, path) in &static_files {
        if let Some(other) = taken.get(rel) {
            errors.push(
                Diagnostic::file(
                    path.strip_prefix(&site.config.root).unwrap_or(path),
                    format!(
                        "this static file and {} would both be written to {rel}",
                        other.display()
                    ),
                )
                .with_help("rename one of them"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut files: Vec<(String, OutputFile)> = Vec::new();
    files.extend(
        rendered
            .into_iter()
            .map(|(p, html)| (p, OutputFile::Text(html))),
    );
    files.extend(
        site.assets
            .iter()
            .map(|a| (a.output.clone(), OutputFile::Copy(a.path.clone()))),
    );
    files.extend(
        static_files
            .into_iter()
            .map(|(rel, path)| (rel, OutputFile::Copy(path))),
    );
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Loads, checks and renders the site at `root`; returns the output files in a stable order.
pub fn render_site(root: &Path) -> Result<(Vec<(String, OutputFile)>, Summary), Diagnostics> {
    let (site, theme) = prepare(root)?;
    let rendered = theme.render_all(&site)?;
    let files = output_files(&site, &theme, rendered)?;
    let summary = Summary {
        pages: site.pages.len(),
        forms: site.pages.iter().filter(|p| p.form.is_some()).count(),
        files: files.len(),
    };
    Ok((files, summary))
}

/// Builds the site at `root` into `output`, replacing it only if the whole build succeeded.
pub fn build(root: &Path, output: &Path) -> Result<Summary, BuildError> {
    check_output_location(root, output).map_err(BuildError::Content)?;
    let (files, summary) = render_site(root).map_err(BuildError::Content)?;
    write_site(output, &files).map_err(|e| BuildError::Write(output.to_path_buf(), e))?;
    Ok(summary)
}

/// Runs every step of a build and writes nothing.
pub fn check(root: &Path) -> Result<Summary, Diagnostics> {
    render_site(root).map(|(_, s)| s)
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Content(Diagnostics),
    #[error("cannot write the output folder {path}: {source}", path = .0.display(), source = .1)]
    Write(PathBuf, std::io::Error),
}

/// The output folder is replaced wholesale, so it must never be, contain or lie inside the
/// site's sources.
pub fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostics> {
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    let protected = std::iter::once(root_abs.clone()).chain(
        ["content", "themes", "templates", "static"]
            .into_iter()
            .map(|d| root_abs.join(d)),
    );
    for source in protected {
        let clash = if output_abs == source {
            Some("is")
        } else if source.starts_with(&output_abs) {
            Some("contains")
        } else if output_abs.starts_with(&source) && source != root_abs {
            Some("lies inside")
        } else {
            None
        };
        if let Some(how) = clash {
            let what = source.strip_prefix(&root_abs).map_or_else(
                |_| source.display().to_string(),
                |p| {
                    if p.as_os_str().is_empty() {
                        "the site folder".to_string()
                    } else {
                        format!("{}/", p.display())
                    }
                },
            );
            return Err(Diagnostics(vec![
                Diagnostic::file(output, format!("the output folder {how} {what}; building there would replace the site's own files"))
                    .with_help("choose an output folder of its own, for example --output site"),
            ]));
        }
    }
    Ok(())
}

/// An absolute, `..`-free path without requiring it to exist (symlinks of existing parts
/// resolved).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Resolve the longest existing prefix, then append the rest lexically.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    out
}
