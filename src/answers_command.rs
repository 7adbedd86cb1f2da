//! `formwerk answers`: loads the site as a build does, finds the form, and hands the answers
//! files (or filled PDFs) to `formwerk_answers`, which checks and merges them; writes the
//! table (CSV, XLSX) and filled PDFs, and prints each file's problems. A command on top of
//! the build (docs/architecture.md), so `answers` itself stays a writer below it.

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::answers_seal as sealed;
use formwerk_answers as answers;
use formwerk_form::Form;

/// What `formwerk answers` was asked to do: also its command-line arguments, so that each is
/// named and described once.
#[derive(clap::Args)]
pub struct Request {
    /// The site's folder (holding formwerk.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The form: its id, or its *.form.toml file (from the site root or content/).
    pub form: String,
    /// Answers files or filled PDF forms, or folders holding them (*.json, *.pdf).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the table as an Excel workbook (with a sheet "Prüfung").
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Write the table as CSV for German Excel (UTF-8 with BOM, `;`, CRLF).
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write one filled PDF form per application into this folder.
    #[arg(long, value_name = "DIR")]
    pub pdf: Option<PathBuf>,
    /// With --pdf: print the answers into the pages, without form fields (for the archive).
    #[arg(long, requires = "pdf")]
    pub flatten: bool,
    /// The private key file (*.key.jwe) that opens encrypted applications (*.jwe); its
    /// passphrase is asked for.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// With --key: read the passphrase from the first line of this file instead of asking.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub passphrase_file: Option<PathBuf>,
    /// Write each application's attachments into DIR/<identifying answer>/.
    #[arg(long, value_name = "DIR")]
    pub attachments: Option<PathBuf>,
}

/// The form named by id or file, with its Markdown texts (intros, info texts) rendered as
/// the build renders them, for the PDFs.
fn find_form(site: &formwerk_content::Site, strings: &toml::Table, wanted: &str) -> Option<Form> {
    let as_path = Path::new(wanted);
    let in_content = as_path.strip_prefix("content").unwrap_or(as_path);
    let index = site.pages.iter().position(|p| {
        p.form
            .as_ref()
            .is_some_and(|f| f.id == wanted || p.content_path == in_content || p.source == as_path)
    })?;
    let mut form = site.pages[index].form.clone()?;
    form.apply_rendered(site.render_body(index, strings).form_html);
    Some(*form)
}

/// Runs `formwerk answers`; prints each file's problems. `Ok(true)` when no file was
/// refused or wrong; an error when an output could not be written (after every other output
/// was written and the problems were printed).
pub fn run(req: &Request) -> anyhow::Result<bool> {
    let (site, theme, form) = load_form(req)?;
    let files = answers::expand(&req.paths)?;
    let s = answers::Strings(theme.strings());
    let key = match &req.key {
        Some(path) => Some(sealed::open_key(path, req.passphrase_file.as_deref(), &s)?),
        None => None,
    };
    let open = |_: &Path, bytes: Vec<u8>| sealed::open_file(key.as_ref(), bytes, &s);
    let merged = answers::merge_opened(&form, theme.strings(), &files, &open);
    let failed = write_outputs(req, &site, &theme, &merged, &files);
    let mut bad = print_problems(&merged);
    if let Some(dir) = &req.attachments {
        bad += sealed::write_attachments(&merged, dir)?;
    }
    print_summary(&merged);
    if !failed.is_empty() {
        let all: Vec<String> = failed.iter().map(|e| format!("{e:#}")).collect();
        bail!(
            "{} output(s) could not be written:\n  - {}",
            failed.len(),
            formwerk_base::control::for_terminal(&all.join("\n  - "))
        );
    }
    Ok(bad == 0)
}

/// The site, loaded as a build loads it, its theme, and the form `req` names; an error if
/// the site has errors or no such form.
fn load_form(
    req: &Request,
) -> anyhow::Result<(formwerk_content::Site, formwerk_render::Theme, Form)> {
    let (site, theme, errors) = match formwerk_site::pipeline::prepare(&req.root) {
        Ok(x) => x,
        Err(e) => bail!("the site does not load:\n{e}"),
    };
    if !errors.is_empty() {
        bail!("the site does not load:\n{errors}");
    }
    let Some(form) = find_form(&site, theme.strings(), &req.form) else {
        let ids: Vec<&str> = site
            .pages
            .iter()
            .filter_map(|p| p.form.as_ref().map(|f| f.id.as_str()))
            .collect();
        bail!(
            "no form `{}` in this site; its forms: {}",
            req.form,
            ids.join(", ")
        );
    };
    Ok((site, theme, form))
}

/// Writes what `req` asks for: the table as CSV and as XLSX, the filled PDFs (from the
/// answers `files`). Each output is tried whatever became of the others (a batch never loses
/// its outputs); returns the errors, each naming the file it concerns.
fn write_outputs(
    req: &Request,
    site: &formwerk_content::Site,
    theme: &formwerk_render::Theme,
    merged: &answers::Merged<'_>,
    files: &[PathBuf],
) -> Vec<anyhow::Error> {
    let mut failed = Vec::new();
    if let Some(path) = &req.csv {
        let written = std::fs::File::create(path)
            .and_then(|f| merged.write_csv(&mut std::io::BufWriter::new(f)));
        if let Err(e) = written {
            failed.push(anyhow::Error::new(e).context(format!("cannot write {}", path.display())));
        }
    }
    if let Some(path) = &req.xlsx
        && let Err(e) = answers::write_xlsx(merged, path)
    {
        failed.push(e.context(format!("cannot write {}", path.display())));
    }
    if let Some(dir) = &req.pdf {
        match write_pdfs(req, site, theme, merged, files, dir) {
            Ok(mut errors) => failed.append(&mut errors),
            Err(e) => failed.push(e),
        }
    }
    failed
}

/// `--pdf DIR`: one filled PDF per application; prints how many were written and returns
/// the errors of those that were not.
fn write_pdfs(
    req: &Request,
    site: &formwerk_content::Site,
    theme: &formwerk_render::Theme,
    merged: &answers::Merged<'_>,
    files: &[PathBuf],
    dir: &Path,
) -> anyhow::Result<Vec<anyhow::Error>> {
    let fonts = theme
        .pdf_fonts()
        .map_err(|e| anyhow::anyhow!("cannot make PDFs: {e}"))?;
    let language = &site.config.language;
    let written = answers::write_pdfs(merged, fonts, language, dir, files, req.flatten)?;
    println!(
        "{}",
        merged.strings.fmt(
            "answers_pdfs_written",
            &[
                ("n", &written.count.to_string()),
                ("dir", &dir.display().to_string())
            ]
        )
    );
    Ok(written.failed)
}

/// Prints each file with problems (or a duplicate) and its problems; returns how many
/// files were refused or hold answers that do not fit.
fn print_problems(merged: &answers::Merged<'_>) -> usize {
    let s = &merged.strings;
    let mut bad = 0;
    for app in &merged.apps {
        if matches!(
            app.status,
            answers::Status::Invalid | answers::Status::Wrong
        ) {
            bad += 1;
        }
        if app.problems.is_empty() && !app.duplicate {
            continue;
        }
        // A file's name and its problems (which quote its keys and values) come from
        // strangers: escaped, never interpreted by the terminal.
        let shown = formwerk_base::control::for_terminal;
        println!(
            "{}: {}",
            shown(&app.file),
            shown(&answers::status_text(app, s))
        );
        for p in &app.problems {
            println!("  - {}", shown(p));
        }
    }
    bad
}

/// Prints how many files there were, by status, and how many duplicates.
fn print_summary(merged: &answers::Merged<'_>) {
    let s = &merged.strings;
    let count = |st: answers::Status| merged.apps.iter().filter(|a| a.status == st).count();
    println!(
        "{}",
        s.fmt(
            "answers_summary",
            &[
                ("n", &merged.apps.len().to_string()),
                ("complete", &count(answers::Status::Complete).to_string()),
                (
                    "incomplete",
                    &count(answers::Status::Incomplete).to_string()
                ),
                ("wrong", &count(answers::Status::Wrong).to_string()),
                ("invalid", &count(answers::Status::Invalid).to_string()),
                (
                    "duplicates",
                    &merged
                        .apps
                        .iter()
                        .filter(|a| a.duplicate)
                        .count()
                        .to_string()
                ),
            ]
        )
    );
}
