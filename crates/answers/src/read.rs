//! Reading one answers file against the form model: refused (unreadable, another form, a
//! newer format, checksum mismatch), or read with its problems (answers that do not fit,
//! required answers missing). The same rules as form-rules.js, whose messages (the theme's
//! strings) it shares.

use serde_json::{Map, Value};

use super::checksum::{Integrity, verify};
use formwerk_form::{AnswerShape, Budget, Field, Form, Rows, TextFormat};

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

/// Whether a value fits the field (form-rules.js `fits`).
fn fits(f: &Field, v: &Value) -> bool {
    let allowed =
        |x: &str| f.options.iter().any(|o| o.value == x) || (f.other.is_some() && x == "other");
    match f.kind.shape() {
        Some(AnswerShape::Text { .. }) => v.is_string(),
        Some(AnswerShape::Date) => v.as_str().is_some_and(formwerk_form::is_iso_date_shape),
        Some(AnswerShape::Number | AnswerShape::Calculated) => v.is_number(),
        Some(AnswerShape::YesNo) => v.is_boolean(),
        Some(AnswerShape::Choice) => v.as_str().is_some_and(allowed),
        Some(AnswerShape::Ticks) => v.as_array().is_some_and(|items| {
            items
                .iter()
                .enumerate()
                .all(|(i, x)| x.as_str().is_some_and(allowed) && !items[..i].contains(x))
        }),
        Some(AnswerShape::Lines) => v.as_array().is_some_and(|items| {
            items.len() <= f.lines.len() && items.iter().all(Value::is_string)
        }),
        Some(AnswerShape::Files) => super::attachments::fits(v),
        // Rows of an older version may lack columns added since; a column the form does not
        // have does not fit.
        Some(AnswerShape::Rows(_)) => v.as_array().is_some_and(|rows| {
            rows.len() <= f.max_items as usize
                && rows.iter().all(|row| {
                    row.as_object().is_some_and(|cells| {
                        cells
                            .iter()
                            .all(|(k, x)| f.columns.iter().any(|c| c.id == *k && fits(c, x)))
                    })
                })
        }),
        None => false,
    }
}

/// The answer as the form page reads it: `None` when blank (form-rules.js `answered`).
fn answered(v: &Value) -> Option<&Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::Array(items)
            if items
                .iter()
                .all(|x| x.as_str().is_some_and(|s| s.trim().is_empty())) =>
        {
            None
        }
        v => Some(v),
    }
}

/// Whether a field is shown with these answers (form-rules.js `visible`).
fn visible(form: &Form, f: &Field, answers: &Map<String, Value>, depth: usize) -> bool {
    let Some(cond) = &f.show_if else { return true };
    let Some(dep) = form.fields().find(|d| d.id == cond.field) else {
        return true;
    };
    if depth > 32 {
        return true;
    }
    if !visible(form, dep, answers, depth + 1) {
        return false;
    }
    match answers.get(&dep.id).and_then(answered) {
        None => false,
        Some(Value::Array(items)) => items.iter().any(|x| x.as_str() == Some(&cond.equals)),
        Some(Value::Number(n)) => cond.equals.parse::<f64>().ok() == n.as_f64(),
        Some(Value::String(s)) => s == &cond.equals,
        Some(other) => *other == cond.equals,
    }
}

/// What is wrong with an answer (`None`: none given), as the form page says it.
fn problem(f: &Field, v: Option<&Value>, s: &Strings) -> Option<String> {
    let Some(v) = v else {
        return unanswered(f, s);
    };
    let label = f.label.as_str();
    match f.kind.shape() {
        Some(AnswerShape::Rows(rows)) => {
            if let Some(message) = empty_cell(f, rows, v, s) {
                return Some(message);
            }
        }
        Some(AnswerShape::Text { format, .. }) => {
            if let Some(key) = v.as_str().and_then(|t| misformatted(format, t.trim())) {
                return Some(s.fmt(key, &[("label", label)]));
            }
        }
        Some(AnswerShape::Number) => {
            if let Some(n) = v.as_f64() {
                if let Some(min) = f.min.filter(|m| n < *m) {
                    return Some(
                        s.fmt("error_min", &[("label", label), ("min", &min.to_string())]),
                    );
                }
                if let Some(max) = f.max.filter(|m| n > *m) {
                    return Some(
                        s.fmt("error_max", &[("label", label), ("max", &max.to_string())]),
                    );
                }
            }
        }
        Some(AnswerShape::Files) => {
            if let Some(message) = super::attachments::problem(f, v, s) {
                return Some(message);
            }
        }
        Some(
            AnswerShape::Date
            | AnswerShape::Calculated
            | AnswerShape::YesNo
            | AnswerShape::Choice
            | AnswerShape::Ticks
            | AnswerShape::Lines,
        )
        | None => {}
    }
    if let Some(max) = f.max_length {
        let too_long = |x: &Value| {
            x.as_str()
                .is_some_and(|t| t.encode_utf16().count() > max as usize)
        };
        let long = match v {
            Value::Array(items) => items.iter().any(too_long),
            v => too_long(v),
        };
        if long {
            return Some(s.fmt(
                "error_length",
                &[("label", label), ("max", &max.to_string())],
            ));
        }
    }
    None
}

/// What is wrong with a question left unanswered: required, or a group with a minimum,
/// whose first instance is asked for with its required fields.
fn unanswered(f: &Field, s: &Strings) -> Option<String> {
    let (key, first) = match f.kind.shape() {
        Some(AnswerShape::YesNo | AnswerShape::Choice | AnswerShape::Ticks) => {
            ("error_required_choice", false)
        }
        Some(AnswerShape::Rows(Rows::Group)) => ("error_required", f.min_items > 0),
        Some(
            AnswerShape::Text { .. }
            | AnswerShape::Date
            | AnswerShape::Number
            | AnswerShape::Calculated
            | AnswerShape::Lines
            | AnswerShape::Rows(Rows::Table)
            | AnswerShape::Files,
        )
        | None => ("error_required", false),
    };
    if first && let Some(c) = f.columns.iter().find(|c| c.required) {
        let item = format!("{} 1", f.label);
        return Some(s.fmt(
            "error_required_item",
            &[("item", &item), ("label", &c.label)],
        ));
    }
    if !f.required {
        return None;
    }
    Some(s.fmt(key, &[("label", &f.label)]))
}

/// The first required cell left empty in a row or instance given ("Maßnahme 2"): required
/// fields are required in each.
fn empty_cell(f: &Field, rows: Rows, v: &Value, s: &Strings) -> Option<String> {
    for (n, item) in v.as_array().into_iter().flatten().enumerate() {
        for c in f.columns.iter().filter(|c| c.required) {
            if item.get(&c.id).and_then(answered).is_none() {
                let number = (n + 1).to_string();
                let item = format!("{} {number}", f.label);
                let (key, values) = match rows {
                    Rows::Group => (
                        "error_required_item",
                        [("item", item.as_str()), ("label", &c.label)],
                    ),
                    Rows::Table => (
                        "error_required_row",
                        [("row", number.as_str()), ("label", &c.label)],
                    ),
                };
                return Some(s.fmt(key, &[values[0], values[1], ("table", &f.label)]));
            }
        }
    }
    None
}

/// The theme's message for a text that does not have its format, if it does not.
fn misformatted(format: TextFormat, t: &str) -> Option<&'static str> {
    match format {
        TextFormat::Any => None,
        TextFormat::Email => (!is_email(t)).then_some("error_email"),
        TextFormat::Tel => (!is_tel(t)).then_some("error_tel"),
    }
}

/// An e-mail address as form-rules.js checks it: `^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$`.
fn is_email(t: &str) -> bool {
    let plain = |part: &str, dots: bool| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| !c.is_whitespace() && c != '@' && (dots || c != '.'))
    };
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    let mut labels = domain.split('.');
    let first = labels.next().unwrap_or_default();
    plain(local, true) && plain(first, false) && {
        let rest: Vec<&str> = labels.collect();
        !rest.is_empty() && rest.iter().all(|l| plain(l, false))
    }
}

/// A telephone number as form-rules.js checks it: `^\+?[0-9 ()\/-]+$`, three digits at least.
fn is_tel(t: &str) -> bool {
    let body = t.strip_prefix('+').unwrap_or(t);
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " ()/-".contains(c))
        && t.chars().filter(char::is_ascii_digit).count() >= 3
}

#[cfg(test)]
mod shape_tests {
    use super::{is_email, is_tel};

    #[test]
    fn email_and_tel_shapes_match_the_browser_rules() {
        assert!(is_email("name@beispiel.de"));
        assert!(is_email("a.b@c.d.e"));
        assert!(!is_email("name@beispiel"));
        assert!(!is_email("na me@beispiel.de"));
        assert!(!is_email("a@b@c.de"));
        assert!(!is_email("a@.de"));
        assert!(!is_email("a@b..de"));
        assert!(is_tel("+49 (0511) 120-0"));
        assert!(is_tel("0511/1200"));
        assert!(!is_tel("12"));
        assert!(!is_tel("0511 x 12"));
        assert!(!is_tel("++49 511"));
    }
}
