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
mod missing;
mod prose;
mod read;
mod rules;
mod script;
mod shape;
mod submission;
mod values;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use serde_json::{Map, Value};

pub use fonts::Fonts;
use formwerk_form::{AnswerShape, Field, Form, Rows};
pub use missing::missing_chars;
pub use read::{ReadAnswers, ReadError, identity, read_answers};

/// The fonts a theme ships for PDFs, in `fonts/` (DejaVu Sans, Bitstream Vera licence):
/// regular, bold, italic.
pub const FONT_FILES: [&str; 3] = [
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
];

/// The faces tried, in this order, for characters the DejaVu faces lack (Noto, SIL Open
/// Font License): a theme's `fonts/` may leave them out, then they are not used.
pub const FALLBACK_FONT_FILES: [&str; 2] =
    ["NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf"];

/// Size and modification time of the font files in `dir`: a change to them changes it.
pub fn fonts_stamp(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for name in FONT_FILES.iter().chain(&FALLBACK_FONT_FILES) {
        let meta = std::fs::metadata(dir.join(name)).ok();
        meta.as_ref().map(|m| m.len()).hash(&mut h);
        meta.and_then(|m| m.modified().ok()).hash(&mut h);
    }
    h.finish()
}

impl Fonts {
    /// The fonts of `dir`, parsed once per process while the files stay the same: watch
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

    /// Loads the fonts of the folder `dir`. The shaper borrows the font files for as long
    /// as the process runs, so their bytes are kept for good: once per process and change
    /// of the files (see [`Fonts::shared`]), as the built-in ones lie in the binary.
    pub fn load(dir: &Path) -> Result<Fonts> {
        let read = |file: &str| -> Result<&'static [u8]> {
            let path = dir.join(file);
            let data =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(data.leak())
        };
        let styles = [
            read(FONT_FILES[0])?,
            read(FONT_FILES[1])?,
            read(FONT_FILES[2])?,
        ];
        let fallbacks = FALLBACK_FONT_FILES
            .iter()
            .filter(|name| dir.join(name).is_file())
            .map(|name| read(name))
            .collect::<Result<Vec<_>>>()?;
        Fonts::from_faces(styles, &fallbacks)
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
    /// "Fortsetzung von {number} {label}": above an answer continued on a new page.
    pub continued: String,
    /// "Weitere Zeilen bitte auf einem Beiblatt.": under a blank table with fewer rows
    /// printed than it may have.
    pub more_rows: String,
    /// The same under a blank repeatable group ("Weitere {label} …").
    pub more_items: String,
    /// The page's messages ({label}, {min}, {max}, …), which the PDF's scripts show too.
    pub errors: Errors,
    /// The area of the `[[checks]]`: its label and hint.
    pub checks: String,
    pub checks_hint: String,
    /// "Zeichen ohne Schrift in diesem PDF: {chars}": the note closing a PDF with
    /// characters that no font has (drawn as placeholders).
    pub missing_glyphs: String,
    /// The line of a blank attachment field: "Anlage: bitte gesondert einreichen
    /// ({limits})".
    pub attachment_blank: String,
    /// What an attachment takes: "höchstens {size}", "bis zu {files} Dateien, je höchstens
    /// {size}".
    pub attachment_limits: String,
    pub attachment_limits_files: String,
    /// Before the files of a filled attachment field: "Beigefügte Dateien (in der
    /// Antwortdatei):".
    pub attachment_listed: String,
}

/// The form page's messages for a wrong or missing answer (theme strings `error_*`).
pub struct Errors {
    pub summary_title: String,
    pub required: String,
    pub required_choice: String,
    /// "{item}: Bitte füllen Sie „{label}“ aus.", a group's field.
    pub required_item: String,
    pub number: String,
    pub min: String,
    pub max: String,
    pub date: String,
    pub email: String,
    pub tel: String,
    pub cell_number: String,
    /// "Bei „{label}“ sind höchstens {places} Nachkommastellen möglich."
    pub places: String,
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
            continued: get("pdf_continued", "Fortsetzung von {number} {label}"),
            more_rows: get("pdf_more_rows", "Weitere Zeilen bitte auf einem Beiblatt."),
            more_items: get(
                "pdf_more_items",
                "Weitere Angaben zu „{label}“ bitte auf einem Beiblatt.",
            ),
            missing_glyphs: get(
                "pdf_missing_glyphs",
                "Zeichen ohne Schrift in diesem PDF: {chars}",
            ),
            attachment_blank: get(
                "attachment_blank",
                "Anlage: bitte gesondert einreichen ({limits})",
            ),
            attachment_limits: get("attachment_limits", "höchstens {size}"),
            attachment_limits_files: get(
                "attachment_limits_files",
                "bis zu {files} Dateien, je höchstens {size}",
            ),
            attachment_listed: get(
                "attachment_listed",
                "Beigefügte Dateien (in der Antwortdatei):",
            ),
            show_if: get(
                "pdf_show_if",
                "Nur auszufüllen, wenn bei „{field}“ „{answer}“ gewählt ist.",
            ),
            errors: Errors::from_theme(&get),
            checks: get("pdf_checks", "Prüfung der Angaben"),
            checks_hint: get("pdf_checks_hint", ""),
        }
    }
}

impl Errors {
    fn from_theme(get: &dyn Fn(&str, &str) -> String) -> Errors {
        Errors {
            summary_title: get("error_summary_title", "Bitte prüfen Sie Ihre Eingaben"),
            required: get("error_required", "Bitte füllen Sie „{label}“ aus."),
            required_choice: get(
                "error_required_choice",
                "Bitte wählen Sie bei „{label}“ eine Antwort aus.",
            ),
            required_item: get(
                "error_required_item",
                "{item}: Bitte füllen Sie „{label}“ aus.",
            ),
            number: get("error_number", "Bei „{label}“ muss eine Zahl stehen."),
            min: get(
                "error_min",
                "Bei „{label}“ muss die Zahl mindestens {min} sein.",
            ),
            max: get(
                "error_max",
                "Bei „{label}“ darf die Zahl höchstens {max} sein.",
            ),
            date: get(
                "error_date",
                "Bei „{label}“ muss ein gültiges Datum stehen.",
            ),
            email: get(
                "error_email",
                "Bei „{label}“ muss eine E-Mail-Adresse stehen.",
            ),
            tel: get("error_tel", "Bei „{label}“ muss eine Telefonnummer stehen."),
            cell_number: get(
                "error_cell_number",
                "{label}, Zeile {row}, {column}: Bitte eine Zahl eintragen.",
            ),
            places: get(
                "pdf_error_places",
                "Bei „{label}“ sind höchstens {places} Nachkommastellen möglich.",
            ),
        }
    }
}

/// Most rows of a blank table on paper: as many as the table may have, up to this many. A
/// table that may have more says under its rows where the others go (`pdf_more_rows`).
pub const PAPER_TABLE_ROWS: u32 = 30;

/// Most instances of a blank repeatable group on paper ("Maßnahme 1" to "Maßnahme 3"),
/// unless the form asks for more (`min`); beyond them, `pdf_more_items`.
pub const PAPER_GROUP_ITEMS: u32 = 3;

/// The rows (instances) of a blank table (group) in the PDF: as many as it may have, up to
/// [`PAPER_TABLE_ROWS`] ([`PAPER_GROUP_ITEMS`]), never fewer than the form asks for or the
/// page draws. Their fields are `<id>.1.<column>` to `<id>.<n>.<column>`.
pub fn paper_items(field: &Field) -> usize {
    let most = if field.kind.shape() == Some(AnswerShape::Rows(Rows::Table)) {
        PAPER_TABLE_ROWS
    } else {
        PAPER_GROUP_ITEMS
    };
    (field.max_items.min(most).max(field.min_items) as usize).max(field.items.len())
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
    let mut composed = compose::compose(form, fonts, strings, answers, flatten);
    let before_print = rules::attach(form, strings, &mut composed.fields);
    missing::note(&mut composed.layout, strings, answers);
    let lang = document_language(language);
    document::write(
        composed,
        &document::Meta {
            id: &form.id,
            title: &form.title,
            version: &form.version,
            lang: &lang,
            strings,
            before_print: before_print.as_deref(),
        },
    )
}
