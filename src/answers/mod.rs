//! `formwerk answers`: many answers files of one form, checked against its model and merged
//! into one table (CSV for German Excel, XLSX with a "Prüfung" sheet). Files of older form
//! versions keep the columns of questions whose id is unchanged; answers the current version
//! has no question for go to marked extra columns.

mod checksum;
pub mod columns;
mod filled;
mod read;
mod table;
mod xlsx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

pub use checksum::{Integrity, canonical, checksum, verify};
pub use columns::{Column, columns};
pub use read::{Application, Status, Strings, read};
pub use table::{csv_cell, csv_row};

use crate::form::Form;

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
}

/// The merged table: the form's columns, then extra columns for answers it has no column for.
pub struct Merged<'a> {
    pub form: &'a Form,
    pub strings: Strings<'a>,
    pub columns: Vec<Column>,
    /// Keys of answers without a column in the current version, in first-seen order.
    pub extra: Vec<String>,
    pub apps: Vec<Application>,
}

impl Merged<'_> {
    pub fn identify_label(&self) -> Option<&str> {
        let id = self.form.identify.as_ref()?;
        self.form
            .fields()
            .find(|f| &f.id == id)
            .map(|f| f.label.as_str())
    }

    /// Both header rows: labels, then keys.
    pub fn headers(&self) -> (Vec<String>, Vec<String>) {
        let fixed = table::fixed_headers(&self.strings, self.identify_label());
        let (mut labels, mut ids): (Vec<String>, Vec<String>) = fixed.into_iter().unzip();
        for c in &self.columns {
            labels.push(c.label.clone());
            ids.push(c.id.clone());
        }
        for key in &self.extra {
            labels.push(self.strings.fmt(
                "extra_column",
                &[("version", &self.form.version), ("key", key)],
            ));
            ids.push(key.clone());
        }
        (labels, ids)
    }

    /// The rows of the answers table: every file that was not refused.
    pub fn rows(&self) -> impl Iterator<Item = &Application> {
        self.apps.iter().filter(|a| a.status != Status::Invalid)
    }

    /// One row's cells, made when needed (the table is never held as text).
    pub fn cells(&self, app: &Application) -> Vec<String> {
        let mut out = table::fixed_cells(app, &self.strings, self.form.identify.is_some());
        out.extend(self.columns.iter().map(|c| table::cell(c, app)));
        out.extend(
            self.extra
                .iter()
                .map(|k| app.extra.get(k).map(table::plain).unwrap_or_default()),
        );
        out
    }

    /// Writes the CSV row by row (the table is never held as one text).
    pub fn write_csv(&self, to: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut line = String::from("\u{feff}");
        let (labels, ids) = self.headers();
        csv_row(&labels, &mut line);
        csv_row(&ids, &mut line);
        to.write_all(line.as_bytes())?;
        for app in self.rows() {
            line.clear();
            csv_row(self.cells(app), &mut line);
            to.write_all(line.as_bytes())?;
        }
        to.flush()
    }
}

/// Reads every file and merges them; duplicates (the same identifying answer twice) flagged.
pub fn merge<'a>(form: &'a Form, strings: &'a toml::Table, files: &[PathBuf]) -> Merged<'a> {
    let s = Strings(strings);
    let unreadable = |path: &PathBuf, why: String| {
        let mut app = read(path.display().to_string(), b"", form, &s);
        app.problems = vec![format!("{}: {why}", s.get("reason_unreadable"))];
        app
    };
    // A bug (a panic) while reading one file refuses that file, not the whole run.
    let read_all = crate::parallel::par_map_caught(files, |path| {
        crate::fault::panic_point(path);
        match std::fs::read(path) {
            Ok(bytes) => read(path.display().to_string(), &bytes, form, &s),
            Err(e) => unreadable(path, e.to_string()),
        }
    });
    let mut apps: Vec<Application> = read_all
        .into_iter()
        .zip(files)
        .map(|(app, path)| {
            app.unwrap_or_else(|panic| {
                unreadable(
                    path,
                    format!("internal error: {panic}; this is a bug in Formwerk"),
                )
            })
        })
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for app in apps.iter().filter(|a| a.status != Status::Invalid) {
        if !app.identify.is_empty() {
            *seen.entry(app.identify.to_lowercase()).or_default() += 1;
        }
    }
    let mut extra = Vec::new();
    let mut known = BTreeSet::new();
    for app in &mut apps {
        app.duplicate = seen
            .get(&app.identify.to_lowercase())
            .is_some_and(|n| *n > 1)
            && app.status != Status::Invalid;
        for key in app.extra.keys() {
            if known.insert(key.clone()) {
                extra.push(key.clone());
            }
        }
    }
    Merged {
        columns: columns(form, strings),
        form,
        strings: s,
        extra,
        apps,
    }
}

/// The answers files named: files as given, folders searched for answers files (`*.json`)
/// and filled PDF forms (`*.pdf`).
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension().is_some_and(|x| {
                        x.eq_ignore_ascii_case("json") || x.eq_ignore_ascii_case("pdf")
                    })
                })
                .collect();
            files.append(&mut found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            bail!("{} does not exist", p.display());
        }
    }
    Ok(files)
}

/// The form named by id or file, with its Markdown texts (intros, info texts) rendered as
/// the build renders them, for the PDFs.
fn find_form(site: &crate::content::Site, strings: &toml::Table, wanted: &str) -> Option<Form> {
    let as_path = Path::new(wanted);
    let in_content = as_path.strip_prefix("content").unwrap_or(as_path);
    let index = site.pages.iter().position(|p| {
        p.form
            .as_ref()
            .is_some_and(|f| f.id == wanted || p.content_path == in_content || p.source == as_path)
    })?;
    let mut form = site.pages[index].form.clone()?;
    form.apply_rendered(site.render_body(index, strings).form_html);
    Some(form)
}

/// Runs `formwerk answers`; prints each file's problems. `Ok(true)` when no file was
/// refused or wrong.
pub fn run(req: &Request) -> anyhow::Result<bool> {
    let (site, theme, errors) = match crate::pipeline::prepare(&req.root) {
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
    let files = expand(&req.paths)?;
    let merged = merge(&form, theme.strings(), &files);
    if let Some(path) = &req.csv {
        std::fs::File::create(path)
            .and_then(|f| merged.write_csv(&mut std::io::BufWriter::new(f)))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &req.xlsx {
        xlsx::write(&merged, path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(dir) = &req.pdf {
        let fonts = theme
            .pdf_fonts()
            .map_err(|e| anyhow::anyhow!("cannot make PDFs: {e}"))?;
        let language = &site.config.language;
        let n = filled::write_all(&merged, fonts, language, dir, &files, req.flatten)?;
        println!(
            "{}",
            merged.strings.fmt(
                "answers_pdfs_written",
                &[("n", &n.to_string()), ("dir", &dir.display().to_string())]
            )
        );
    }
    let s = &merged.strings;
    let mut bad = 0;
    for app in &merged.apps {
        if matches!(app.status, Status::Invalid | Status::Wrong) {
            bad += 1;
        }
        if app.problems.is_empty() && !app.duplicate {
            continue;
        }
        println!("{}: {}", app.file, table::status_text(app, s));
        for p in &app.problems {
            println!("  - {p}");
        }
    }
    let count = |st: Status| merged.apps.iter().filter(|a| a.status == st).count();
    println!(
        "{}",
        s.fmt(
            "answers_summary",
            &[
                ("n", &merged.apps.len().to_string()),
                ("complete", &count(Status::Complete).to_string()),
                ("incomplete", &count(Status::Incomplete).to_string()),
                ("wrong", &count(Status::Wrong).to_string()),
                ("invalid", &count(Status::Invalid).to_string()),
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
    Ok(bad == 0)
}
