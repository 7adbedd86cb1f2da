//! Many answers files of one form, checked against its model and merged into one table (CSV
//! for German Excel, XLSX with a "Prüfung" sheet), and filled PDFs of them. The command
//! `formwerk answers` that loads the site for this is `formwerk::answers_command`. Files of older form
//! versions keep the columns of questions whose id is unchanged; answers the current version
//! has no question for go to marked extra columns.

pub mod attachments;
mod checksum;
pub mod columns;
mod filled;
mod problems;
mod read;
mod save_attachments;
mod table;
mod xlsx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::bail;

/// The format of the answers files the form pages write and this crate reads
/// (docs/antwortdatei.md): files of this format and every earlier one keep loading.
pub const FORMAT_VERSION: u32 = 2;

use formwerk_text::slug::identity_key;

pub use attachments::{attachment_summary, verified_bytes};
pub use checksum::{Integrity, canonical, checksum, verify};
pub use columns::{Column, columns};
pub use filled::write_all as write_pdfs;
pub use read::{Application, Status, Strings, read};
pub use save_attachments::{Saved, safe_name, save_attachments};
pub use table::{csv_cell, csv_row, status_text};
pub use xlsx::write as write_xlsx;

use formwerk_form::Form;

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
    pub(crate) fn identify_label(&self) -> Option<&str> {
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

/// How a file's bytes become those of an answers file or PDF: as they are, or decrypted (an
/// encrypted submission, `formwerk answers --key`); `Err` says why the file cannot be read.
pub type Open<'o> = &'o (dyn Fn(&Path, Vec<u8>) -> Result<Vec<u8>, String> + Sync);

/// A file's bytes, but never more than one byte over the size budget: a larger file is
/// refused by [`read`] without being read whole.
fn read_within_size(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(formwerk_form::Budget::Size.limit() + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads every file and merges them; duplicates (the same identifying answer twice) flagged.
pub fn merge<'a>(form: &'a Form, strings: &'a toml::Table, files: &[PathBuf]) -> Merged<'a> {
    merge_opened(form, strings, files, &|_, bytes| Ok(bytes))
}

/// [`merge`] with each file's bytes passed through `open` first.
pub fn merge_opened<'a>(
    form: &'a Form,
    strings: &'a toml::Table,
    files: &[PathBuf],
    open: Open<'_>,
) -> Merged<'a> {
    let s = Strings(strings);
    let unreadable = |path: &PathBuf, why: String| {
        let mut app = read(path.display().to_string(), b"", form, &s);
        app.problems = vec![format!("{}: {why}", s.get("reason_unreadable"))];
        app
    };
    // A bug (a panic) while reading one file refuses that file, not the whole run.
    let read_all = formwerk_base::parallel::par_map_caught(files, |path| {
        formwerk_base::fault::panic_point(path);
        match read_within_size(path).map_err(|e| e.to_string()) {
            Ok(bytes) => match open(path, bytes) {
                Ok(bytes) => read(path.display().to_string(), &bytes, form, &s),
                Err(why) => unreadable(path, why),
            },
            Err(e) => unreadable(path, e),
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
            *seen.entry(identity_key(&app.identify)).or_default() += 1;
        }
    }
    let mut extra = Vec::new();
    let mut known = BTreeSet::new();
    for app in &mut apps {
        app.duplicate = seen
            .get(&identity_key(&app.identify))
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

/// The answers files named: files as given, folders searched for answers files (`*.json`),
/// encrypted submissions (`*.jwe`) and filled PDF forms (`*.pdf`).
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
                        ["json", "jwe", "pdf"]
                            .iter()
                            .any(|known| x.eq_ignore_ascii_case(known))
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
