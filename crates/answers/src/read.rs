//! Reading one answers file against the form model: refused (unreadable, another form, a
//! newer format, checksum mismatch), or read with its problems (answers that do not fit,
//! required answers missing; each answer is checked in [`super::problems`]). The same rules
//! as form-rules.js, whose messages (the theme's strings) it shares.

use serde_json::{Map, Value};

use super::checksum::{Integrity, verify};
use super::problems::{answered, fits, problem, visible};
use formwerk_form::{AnswerShape, Budget, Form};

/// The theme's strings, with `{name}` placeholders filled in.
pub struct Strings<'a>(pub &'a toml::Table);

impl Strings<'_> {
    pub fn get(&self, key: &str) -> String {
        self.0
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }

    pub fn fmt(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (name, value) in values {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Complete,
    /// Required answers are missing.
    Incomplete,
    /// Answers that do not fit their question (in the form's own version), or out of range.
    Wrong,
    /// Refused: not an answers file of this form, or altered.
    Invalid,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Complete => "status_complete",
            Status::Incomplete => "status_incomplete",
            Status::Wrong => "status_wrong",
            Status::Invalid => "status_invalid",
        }
    }
}

/// One answers file as read.
#[derive(Debug)]
pub struct Application {
    /// The file's name as given.
    pub file: String,
    pub version: String,
    pub saved_at: String,
    pub integrity: Integrity,
    pub status: Status,
    /// The identifying answer (e.g. the municipality), as text.
    pub identify: String,
    /// The answers that fit the form, and those for the extra columns (keys the current
    /// version lacks or values that do not fit). Empty when refused.
    pub answers: Map<String, Value>,
    pub extra: Map<String, Value>,
    pub problems: Vec<String>,
    pub duplicate: bool,
    /// Read from the fields of a filled PDF form, not from an answers file.
    pub from_pdf: bool,
}

/// Reads the bytes of one file.
pub fn read(file: String, bytes: &[u8], form: &Form, s: &Strings) -> Application {
    let mut app = Application {
        file,
        version: String::new(),
        saved_at: String::new(),
        integrity: Integrity::Missing,
        status: Status::Invalid,
        identify: String::new(),
        answers: Map::new(),
        extra: Map::new(),
        problems: Vec::new(),
        duplicate: false,
        from_pdf: false,
    };
    if bytes.len() as u64 > Budget::Size.limit() {
        app.problems.push(Budget::Size.message(s.0));
        return app;
    }
    if bytes.starts_with(b"%PDF-") {
        return read_pdf(app, bytes, form, s);
    }
    // A byte order mark is not part of the JSON. The inbox and the form page decode a file as
    // UTF-8 (which drops one mark) and answers-file.js drops one more: so two, as there.
    let bom = "\u{feff}".as_bytes();
    let bytes = bytes.strip_prefix(bom).unwrap_or(bytes);
    let bytes = bytes.strip_prefix(bom).unwrap_or(bytes);
    // Counted before parsing: a file nested 10,000 deep or with a million keys is refused
    // with the budget it broke, never built.
    if let Some(over) = formwerk_form::budget::answers_text_over(bytes) {
        app.problems.push(over.message(s.0));
        return app;
    }
    let mut object = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(o)) => o,
        _ => {
            app.problems.push(s.get("reason_malformed"));
            return app;
        }
    };
    let text = |k: &str| object.get(k).and_then(Value::as_str);
    app.version = text("version").unwrap_or_default().to_string();
    app.saved_at = text("saved_at").unwrap_or_default().to_string();
    if let Some(problem) = refusal(&object, &mut app.integrity, form, s) {
        app.problems.push(problem);
        return app;
    }
    let same_version = app.version == form.version;
    // The answers are moved out of the parsed file, never copied.
    let Some(Value::Object(answers)) = object.remove("answers") else {
        unreachable!("checked by refusal")
    };
    place(app, answers, same_version, false, form, s)
}

/// Why a parsed answers file is refused, if it is: its format, its shape, its checksum
/// (`integrity` is set from it) or another form.
fn refusal(
    object: &Map<String, Value>,
    integrity: &mut Integrity,
    form: &Form,
    s: &Strings,
) -> Option<String> {
    let text = |k: &str| object.get(k).and_then(Value::as_str);
    // The same rules and order as answers-file.js `open`: a format_version that is not a whole
    // number from 2 on is malformed, a greater one than 2 unsupported; then the shape.
    let whole = |n: &serde_json::Number| n.as_f64().filter(|v| v.fract() == 0.0 && *v >= 2.0);
    match object.get("format_version") {
        None => {}
        Some(Value::Number(n))
            if whole(n).is_some_and(|v| v > f64::from(crate::FORMAT_VERSION)) =>
        {
            let shown = n.to_string();
            return Some(s.fmt("reason_format_version", &[("version", &shown)]));
        }
        Some(Value::Number(n)) if whole(n).is_some() => {}
        Some(_) => return Some(s.get("reason_malformed")),
    }
    if object
        .get("format")
        .is_some_and(|f| f.as_str() != Some("formwerk-answers"))
    {
        return Some(s.get("reason_format"));
    }
    let shaped = object.contains_key("format") == object.contains_key("format_version")
        && object.get("checksum").is_none_or(Value::is_string);
    let (true, Some(form_id), Some(_), Some(Value::Object(_))) =
        (shaped, text("form"), text("version"), object.get("answers"))
    else {
        return Some(s.get("reason_malformed"));
    };
    *integrity = verify(object);
    if object.get("checksum").is_none() && object.get("format_version").is_some() {
        *integrity = Integrity::Mismatch;
        return Some(s.get("reason_checksum_missing"));
    }
    if *integrity == Integrity::Mismatch {
        return Some(s.get("reason_checksum_mismatch"));
    }
    if form_id != form.id {
        return Some(s.fmt("reason_foreign", &[("form", form_id)]));
    }
    None
}

/// Reads a filled PDF form: the form and version it records, the answers in its fields
/// (named by the answer ids), then the same placing and checks as an answers file. A PDF has
/// no checksum; a field text that is no answer (a date that is none) makes it "fehlerhaft".
fn read_pdf(mut app: Application, bytes: &[u8], form: &Form, s: &Strings) -> Application {
    use formwerk_pdf::ReadError;
    app.from_pdf = true;
    let read = match formwerk_pdf::read_answers(bytes, form) {
        Ok(read) => read,
        Err(ReadError::Malformed(_)) => {
            app.problems.push(s.get("reason_pdf_malformed"));
            return app;
        }
        Err(ReadError::Encrypted) => {
            app.problems.push(s.get("reason_pdf_encrypted"));
            return app;
        }
        Err(ReadError::Over(budget)) => {
            app.problems.push(budget.message(s.0));
            return app;
        }
        Err(ReadError::NoForm) => {
            app.problems.push(s.get("reason_pdf_no_fields"));
            return app;
        }
    };
    if let Some(other) = read.form.as_deref().filter(|id| *id != form.id) {
        app.problems
            .push(s.fmt("reason_foreign", &[("form", other)]));
        return app;
    }
    // A PDF that does not say its version (rewritten by a reader that dropped the document
    // information) is read as the current version: its fields are named by the same ids.
    app.version = read.version.unwrap_or_else(|| form.version.clone());
    let same_version = app.version == form.version;
    for (key, _) in &read.problems {
        app.problems
            .push(s.fmt("unplaced_invalid", &[("field", &described(form, key, s))]));
    }
    let wrong = !read.problems.is_empty();
    place(app, read.answers, same_version, wrong, form, s)
}

/// How a problem names an answer: its question's label and its key, „Name (name)“; a table's
/// cell as „Kostenplan, Zeile 2: Betrag (kosten.2.betrag)“ (the messages add the quotes;
/// form-rules.js `describe` does the same for the inbox).
fn described(form: &Form, key: &str, s: &Strings) -> String {
    let id = key.strip_suffix(".other").unwrap_or(key);
    let label = match form.fields().find(|f| f.id == id) {
        Some(f) => Some(f.label.clone()),
        None => cell_label(form, id, s),
    };
    match label {
        Some(label) => format!("{label} ({key})"),
        None => key.to_string(),
    }
}

/// The label of the cell `table.row.column` of a table or group, if `id` names one.
fn cell_label(form: &Form, id: &str, s: &Strings) -> Option<String> {
    let mut parts = id.splitn(3, '.');
    let (table, row, column) = (parts.next()?, parts.next()?, parts.next()?);
    row.parse::<usize>().ok()?;
    let f = form.fields().find(|f| f.id == table)?;
    let c = f.columns.iter().find(|c| c.id == column)?;
    Some(format!("{}, {} {row}: {}", f.label, s.get("row"), c.label))
}

/// Places each answer in its column (or an extra one) and checks the whole as the form page
/// does: answers that do not fit, required answers missing.
fn place(
    mut app: Application,
    answers: Map<String, Value>,
    same_version: bool,
    mut wrong: bool,
    form: &Form,
    s: &Strings,
) -> Application {
    wrong |= sort_in(&mut app, answers, same_version, form, s);
    wrong |= recalculated(&mut app, form, s);
    if app.problems.is_empty() {
        for c in &form.checks {
            if !form.check_holds(c, &app.answers) {
                app.problems.push(c.message.clone());
                wrong = true;
            }
        }
    }
    if let Some(message) = super::attachments::total_problem(form, &app.answers, s) {
        app.problems.push(message);
        wrong = true;
    }
    let mut missing = false;
    for f in form.fields().filter(|f| f.kind.asks()) {
        if !visible(form, f, &app.answers, 0) {
            continue;
        }
        let v = app.answers.get(&f.id).and_then(answered);
        if let Some(message) = problem(f, v, s) {
            if v.is_none() {
                missing = true;
            } else {
                wrong = true;
            }
            app.problems.push(message);
        }
    }
    if let Some(id) = &form.identify {
        app.identify = app
            .answers
            .get(id)
            .map(|v| match v {
                Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            })
            .unwrap_or_default();
    }
    app.status = if wrong {
        Status::Wrong
    } else if missing {
        Status::Incomplete
    } else {
        Status::Complete
    };
    app
}

/// Puts each answer among the answers if it fits its question, else among the extra ones;
/// whether one did not fit (or, in the form's own version, has no question).
fn sort_in(
    app: &mut Application,
    answers: Map<String, Value>,
    same_version: bool,
    form: &Form,
    s: &Strings,
) -> bool {
    let mut wrong = false;
    for (key, value) in answers {
        let (id, is_other) = match key.strip_suffix(".other") {
            Some(id) => (id, true),
            None => (key.as_str(), false),
        };
        let field = form.fields().find(|f| f.id == id && f.kind.asks());
        let fits = match field {
            None => None,
            Some(f) if is_other && f.other.is_none() => None,
            Some(_) if is_other => Some(value.is_string()),
            Some(f) => Some(fits(f, &value)),
        };
        match fits {
            Some(true) => {
                app.answers.insert(key, value);
            }
            Some(false) => {
                app.problems
                    .push(s.fmt("unplaced_invalid", &[("field", &described(form, &key, s))]));
                app.extra.insert(key, value);
                wrong = true;
            }
            None => {
                if same_version {
                    app.problems
                        .push(s.fmt("unplaced_unknown", &[("field", &key)]));
                    wrong = true;
                }
                app.extra.insert(key, value);
            }
        }
    }
    wrong
}

/// Computed values are calculated again: a stored one that differs was edited or damaged.
fn recalculated(app: &mut Application, form: &Form, s: &Strings) -> bool {
    let mut wrong = false;
    for f in form
        .fields()
        .filter(|f| f.kind.shape() == Some(AnswerShape::Calculated))
    {
        let stored = app
            .answers
            .get(&f.id)
            .and_then(formwerk_form::expr::from_json);
        let computed = form.computed_value(f, &app.answers);
        if stored.is_some() && stored != computed {
            let shown = |n: Option<i128>| {
                n.map_or("–".to_string(), |n| {
                    formwerk_form::expr::german(n, f.decimals, f.unit.as_deref())
                })
            };
            app.problems.push(s.fmt(
                "computed_mismatch",
                &[
                    ("label", &f.label),
                    ("stored", &shown(stored)),
                    ("computed", &shown(computed)),
                ],
            ));
            wrong = true;
        }
    }
    wrong
}
