//! The PDF writer: every form as a fillable, tagged A4 PDF made from the checked form model
//! alone, and the way back from a filled PDF to answers.
//!
//! Library choice: `pdf-writer` (low level, but it has AcroForm fields, widget annotations,
//! structure elements and marked content), `subsetter` to cut the theme's fonts down and
//! `ttf-parser` to measure text. krilla would tag and validate PDF/UA for us, but its 0.8
//! release has no form fields, the point of this writer. Reading filled PDFs uses `lopdf`.
//!
//! Field names are the answers file's keys: a question's id; the options of a multiple
//! choice and the lines of an entry list are kids of a field named by the id, so their full
//! names are `<id>.<option value>` and `<id>.1`, `<id>.2`, …; a choice's or multiple
//! choice's "other" text is `<id>.other`. Radio buttons carry their option value (`true` /
//! `false` for yes/no) as on-state, checkboxes theirs.

mod appendix;
mod compose;
mod document;
mod fonts;
mod guard;
mod layout;
mod markup;
mod prose;
mod read;
mod script;
mod submission;
mod values;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use serde_json::{Map, Value};

use formwerk_form::Form;
pub use layout::Fonts;
pub use read::{ReadAnswers, ReadError, identity, read_answers};

/// The fonts a theme ships for PDFs, in `fonts/` (DejaVu Sans, Bitstream Vera licence).
pub const FONT_FILES: [&str; 3] = [
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
];

/// Size and modification time of the font files in `dir`: a change to them changes it.
pub fn fonts_stamp(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for name in FONT_FILES {
        let meta = std::fs::metadata(dir.join(name)).ok();
        meta.as_ref().map(|m| m.len()).hash(&mut h);
        meta.and_then(|m| m.modified().ok()).hash(&mut h);
    }
    h.finish()
}

impl Fonts {
    /// The fonts of `dir`, subset once per process while the files stay the same: watch
    /// and serve load the theme again on many rebuilds, the fonts seldom change.
    pub fn shared(dir: &Path) -> Result<Arc<Fonts>> {
        static LAST: Mutex<Option<(PathBuf, u64, Arc<Fonts>)>> = Mutex::new(None);
        let stamp = fonts_stamp(dir);
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((d, s, fonts)) = &*last
            && d == dir
            && *s == stamp
        {
            return Ok(fonts.clone());
        }
        let fonts = Arc::new(Fonts::load(dir)?);
        *last = Some((dir.to_path_buf(), stamp, fonts.clone()));
        Ok(fonts)
    }

    /// Loads and subsets the fonts of the folder `dir`; every PDF of a build embeds them.
    pub fn load(dir: &Path) -> Result<Fonts> {
        let read = |file: &str| {
            let path = dir.join(file);
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
        };
        let (regular, bold, italic) = (
            read(FONT_FILES[0])?,
            read(FONT_FILES[1])?,
            read(FONT_FILES[2])?,
        );
        Fonts::from_data([&regular, &bold, &italic])
    }

    /// Loads and subsets the fonts [`FONT_FILES`] from their bytes (read from a folder, or
    /// built into the binary and parsed where they lie).
    pub fn from_data([regular, bold, italic]: [&[u8]; 3]) -> Result<Fonts> {
        Ok(Fonts {
            regular: fonts::Face::parse("DejaVuSans", regular)?,
            bold: fonts::Face::parse("DejaVuSans-Bold", bold)?,
            italic: fonts::Face::parse("DejaVuSans-Oblique", italic)?,
        })
    }
}

/// The interface texts the PDF prints, from the theme's strings.
pub struct Strings {
    pub required: String,
    pub yes: String,
    pub no: String,
    pub entry: String,
    /// "Zeile", before a table row's number.
    pub row: String,
    pub version: String,
    pub page: String,
    pub page_of: String,
    pub date: String,
    pub date_format: String,
    /// "Nur auszufüllen, wenn bei „{field}“ „{answer}“ gewählt ist."
    pub show_if: String,
    /// How a chosen box of a flattened PDF is read out: "ausgewählt".
    pub chosen: String,
    /// The `[submission]` block's heading ("So reichen Sie die {title} ein") and labels.
    pub submission_title: String,
    pub submission_deadline: String,
    pub submission_recipient: String,
    pub submission_email: String,
    pub submission_how: String,
    pub signature_place_date: String,
    pub signature: String,
    /// "Diese Antworten wurden mit Version {version} des Formulars gespeichert."
    pub older_version: String,
    /// "Angaben aus Version {version} ohne Entsprechung": the appendix's heading.
    pub older_extra: String,
}

impl Strings {
    pub fn from_theme(strings: &toml::Table) -> Strings {
        let get = |key: &str, default: &str| {
            strings
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or(default)
                .to_string()
        };
        Strings {
            required: get("required", "Pflichtfeld"),
            yes: get("yes", "ja"),
            no: get("no", "nein"),
            entry: get("entry", "Eintrag"),
            row: get("row", "Zeile"),
            version: get("form_version", "Version"),
            page: get("page", "Seite"),
            page_of: get("page_of", "von"),
            date: get("pdf_date", "Datum"),
            date_format: get("pdf_date_format", "TT.MM.JJJJ"),
            chosen: get("pdf_chosen", "ausgewählt"),
            submission_title: get("submission_title", "So reichen Sie die {title} ein"),
            submission_deadline: get("submission_deadline", "Frist:"),
            submission_recipient: get("submission_recipient", "Empfänger:"),
            submission_email: get("submission_email", "E-Mail:"),
            submission_how: get("submission_how", "Form und Anlagen:"),
            signature_place_date: get("signature_place_date", "Ort, Datum"),
            signature: get("signature", "Unterschrift"),
            older_version: get(
                "pdf_older_version",
                "Diese Antworten wurden mit Version {version} des Formulars gespeichert.",
            ),
            older_extra: get(
                "pdf_older_extra",
                "Angaben aus Version {version} ohne Entsprechung",
            ),
            show_if: get(
                "pdf_show_if",
                "Nur auszufüllen, wenn bei „{field}“ „{answer}“ gewählt ist.",
            ),
        }
    }
}

/// The document language for `/Lang`: a bare `de` is German as written in Germany.
pub(crate) fn document_language(language: &str) -> String {
    match language {
        "de" => "de-DE".to_string(),
        other => other.to_string(),
    }
}

/// The blank, fillable PDF of a form.
pub fn form_pdf(form: &Form, fonts: &Fonts, strings: &Strings, language: &str) -> Vec<u8> {
    write(form, fonts, strings, language, None, false)
}

/// The PDF of a form with `answers` (the answers file's `answers` object) in its fields;
/// flattened, the answers are printed into the pages and the PDF has no fields (for the
/// archive).
pub fn filled_pdf(
    form: &Form,
    fonts: &Fonts,
    strings: &Strings,
    language: &str,
    answers: &Map<String, Value>,
    older: Option<Older>,
    flatten: bool,
) -> Vec<u8> {
    write(
        form,
        fonts,
        strings,
        language,
        Some((answers, older)),
        flatten,
    )
}

/// Answers saved with another version of the form than the one the PDF is laid out in: the
/// file's own version, printed, and its answers that this version no longer asks, printed in
/// an appendix so that nothing is dropped without being named.
#[derive(Clone, Copy)]
pub struct Older<'a> {
    pub version: &'a str,
    pub extra: &'a Map<String, Value>,
}

fn write(
    form: &Form,
    fonts: &Fonts,
    strings: &Strings,
    language: &str,
    answers: Option<(&Map<String, Value>, Option<Older>)>,
    flatten: bool,
) -> Vec<u8> {
    let composed = compose::compose(form, fonts, strings, answers, flatten);
    let lang = document_language(language);
    document::write(
        composed,
        &document::Meta {
            id: &form.id,
            title: &form.title,
            version: &form.version,
            lang: &lang,
            strings,
        },
    )
}
