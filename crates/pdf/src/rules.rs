//! What the PDF reader checks while a person fills in the form, as the form page checks it
//! (form-rules.js): numbers refuse letters, stay within `min` and `max` and show the German
//! way right-aligned ("1.234,50"); dates are real dates written TT.MM.JJJJ; e-mail addresses
//! and telephone numbers have their form; required fields and the `[[checks]]` are named
//! before printing and saving. The scripts are the helpers of `calculate.js` (`FW.numK`,
//! `FW.dateK`, …), never a reader's own AF* functions, which Firefox (pdf.js) and Chromium
//! (PDFium) implement differently; each field's action hands in its messages, the page's
//! theme strings (`error_*`) filled in here.

use formwerk_form::{AnswerShape, Field, Form, TextFormat};

use crate::Strings;
use crate::compose::{FieldNode, NodeKind};
use crate::script::js_string;

/// The field the reader fills with the failed `[[checks]]`' messages; a hyphen, which no
/// answer's id has, keeps it apart from the answers.
pub(crate) const CHECKS_FIELD: &str = "formwerk-pruefung";

/// The signature field (`signature = true`).
pub(crate) const SIGNATURE_FIELD: &str = "formwerk-unterschrift";

/// How the reader checks and shows one field's text.
#[derive(Debug, Default, Clone)]
pub(crate) struct FieldRules {
    /// Keystroke action (/K): what may be typed, and the check when the value is committed.
    pub keystroke: Option<String>,
    /// Validate action (/V): a number's `min` and `max`.
    pub validate: Option<String>,
    /// Format action (/F): a number shown with its places.
    pub format: Option<String>,
    /// A number: right-aligned (/Q 2).
    pub right: bool,
    /// The value as the format action shows it, for the appearance of a filled field.
    pub shown: Option<String>,
}

impl FieldRules {
    pub(crate) fn has_script(&self) -> bool {
        self.keystroke.is_some() || self.validate.is_some() || self.format.is_some()
    }
}

/// Gives every text field its checks and hints, and returns the document's script run
/// before printing and saving (required fields left empty, failed checks), if it needs one.
pub(crate) fn attach(form: &Form, strings: &Strings, fields: &mut [FieldNode]) -> Option<String> {
    let mut required = Vec::new();
    for i in 0..fields.len() {
        let model = model_field(form, fields, i);
        if fields[i].required {
            required.push(required_entry(strings, fields, i, model));
        }
        let Some((field, table)) = model else {
            continue;
        };
        let label = fields[i].tooltip.clone();
        // A cell's row (instance) number is the name of its parent.
        let cell = table.zip(fields[i].parent.map(|p| fields[p].name.clone()));
        let node = &mut fields[i];
        node.rules = rules_of(field, cell, &label, strings, node.value.as_deref());
        if field.kind.shape() == Some(AnswerShape::Date) {
            node.tooltip = format!("{label} ({})", strings.date_format);
        }
    }
    let checks = fields.iter().any(|f| f.name == CHECKS_FIELD);
    if required.is_empty() && !checks {
        return None;
    }
    Some(format!(
        "FW.missing(this, [{}], {}, {});",
        required.join(", "),
        js_string(&strings.errors.summary_title),
        if checks {
            js_string(CHECKS_FIELD)
        } else {
            "null".into()
        }
    ))
}

/// `[[names], message]` of a required field: filled when one of the names has a value (a
/// multiple choice: one of its boxes or its "other" text). A group's field is named as the
/// page names it: "Maßnahme 1: Bitte füllen Sie „Titel“ aus."
fn required_entry(
    strings: &Strings,
    fields: &[FieldNode],
    i: usize,
    model: Option<(&Field, Option<&Field>)>,
) -> String {
    let node = &fields[i];
    if let (Some((part, Some(owner))), Some(item)) = (model, node.parent) {
        let message = strings
            .errors
            .required_item
            .replace("{item}", &fields[item].tooltip)
            .replace("{label}", &part.label);
        // Rows and entries beyond the least the form asks for are there for paper: their
        // fields are required only once something in them is filled.
        let optional = fields[item]
            .name
            .parse::<u32>()
            .is_ok_and(|n| n > owner.min_items);
        let condition = match optional {
            true => {
                let mut leaves = Vec::new();
                leaf_names(fields, item, &mut leaves);
                format!(", [{}]", leaves.join(", "))
            }
            false => String::new(),
        };
        return format!(
            "[[{}], {}{condition}]",
            js_string(&full_name(fields, i)),
            js_string(&message)
        );
    }
    let (names, template) = match node.kind {
        NodeKind::Group => (
            node.children
                .iter()
                .map(|&c| full_name(fields, c))
                .collect(),
            &strings.errors.required_choice,
        ),
        NodeKind::Radio | NodeKind::Check => {
            (vec![full_name(fields, i)], &strings.errors.required_choice)
        }
        NodeKind::Text { .. } | NodeKind::Signature => {
            (vec![full_name(fields, i)], &strings.errors.required)
        }
    };
    let names: Vec<String> = names.iter().map(|n| js_string(n)).collect();
    format!(
        "[[{}], {}]",
        names.join(", "),
        js_string(&template.replace("{label}", &node.tooltip))
    )
}

/// A node's full name: its ancestors' names and its own, joined by dots.
pub(crate) fn full_name(fields: &[FieldNode], mut i: usize) -> String {
    let mut parts = vec![fields[i].name.as_str()];
    while let Some(p) = fields[i].parent {
        parts.push(&fields[p].name);
        i = p;
    }
    parts.reverse();
    parts.join(".")
}

/// The model's field a text node holds: a question (no parent), or a column of a table or
/// field of a group (`<id>.<row>.<column>`), then with its table or group.
/// The full names of the fields below `node` that hold values, as JavaScript strings.
fn leaf_names(fields: &[FieldNode], node: usize, into: &mut Vec<String>) {
    match fields[node].children.is_empty() {
        true => into.push(js_string(&full_name(fields, node))),
        false => {
            for &c in &fields[node].children {
                leaf_names(fields, c, into);
            }
        }
    }
}

fn model_field<'f>(
    form: &'f Form,
    fields: &[FieldNode],
    i: usize,
) -> Option<(&'f Field, Option<&'f Field>)> {
    let node = &fields[i];
    if !matches!(node.kind, NodeKind::Text { .. }) {
        return None;
    }
    let Some(row) = node.parent else {
        return form.fields().find(|f| f.id == node.name).map(|f| (f, None));
    };
    let table = fields[row].parent.filter(|&t| fields[t].parent.is_none())?;
    let owner = form.fields().find(|f| f.id == fields[table].name)?;
    if !matches!(owner.kind.shape(), Some(AnswerShape::Rows(_))) {
        return None;
    }
    let column = owner.columns.iter().find(|c| c.id == node.name)?;
    Some((column, Some(owner)))
}

/// The checks of one field; `label` names it in messages (a cell: table, row and column),
/// `value` is its text in a filled PDF.
fn rules_of(
    field: &Field,
    cell: Option<(&Field, String)>,
    label: &str,
    strings: &Strings,
    value: Option<&str>,
) -> FieldRules {
    let e = &strings.errors;
    let say = |template: &str| js_string(&template.replace("{label}", label));
    let keystroke = |f: &str, template: &str| Some(format!("FW.{f}(event, {});", say(template)));
    match field.kind.shape() {
        Some(AnswerShape::Number) => number_rules(field, cell, label, strings, value),
        Some(AnswerShape::Calculated) => FieldRules {
            right: true,
            ..FieldRules::default()
        },
        Some(AnswerShape::Date) => FieldRules {
            keystroke: keystroke("dateK", &e.date),
            ..FieldRules::default()
        },
        Some(AnswerShape::Text {
            format: TextFormat::Email,
            ..
        }) => FieldRules {
            keystroke: keystroke("mailK", &e.email),
            ..FieldRules::default()
        },
        Some(AnswerShape::Text {
            format: TextFormat::Tel,
            ..
        }) => FieldRules {
            keystroke: keystroke("telK", &e.tel),
            ..FieldRules::default()
        },
        Some(
            AnswerShape::Text {
                format: TextFormat::Any,
                ..
            }
            | AnswerShape::YesNo
            | AnswerShape::Choice
            | AnswerShape::Ticks
            | AnswerShape::Lines
            | AnswerShape::Files
            | AnswerShape::Rows(_),
        )
        | None => FieldRules::default(),
    }
}

/// The decimal places a number is shown and typed with: its `decimals`, two for an amount
/// in euros, else as typed (`None`).
pub(crate) fn places(field: &Field) -> Option<u32> {
    match (field.decimals, field.unit.as_deref()) {
        (Some(d), _) => Some(d.min(6)),
        (None, Some("€" | "EUR" | "Euro")) => Some(2),
        (None, _) => None,
    }
}

/// A number field or cell: only a number may be typed, within `min` and `max`, with at
/// most its places, shown "1.234,50" right-aligned.
fn number_rules(
    field: &Field,
    cell: Option<(&Field, String)>,
    label: &str,
    strings: &Strings,
    value: Option<&str>,
) -> FieldRules {
    let e = &strings.errors;
    let places = places(field);
    let js_places = places.map_or("null".to_string(), |p| p.to_string());
    // A table's cell is named as the page names it: table, row and column.
    let not_a_number = match cell {
        Some((t, row)) if t.kind.shape() == Some(AnswerShape::Rows(formwerk_form::Rows::Table)) => {
            e.cell_number
                .replace("{label}", &t.label)
                .replace("{row}", &row)
                .replace("{column}", &field.label)
        }
        _ => e.number.replace("{label}", label),
    };
    let many = e
        .places
        .replace("{label}", label)
        .replace("{places}", &js_places);
    let bound = |b: Option<f64>| b.map_or("null".to_string(), |n| n.to_string());
    let german = |b: Option<f64>| {
        b.map(|n| formwerk_form::expr::german((n * 1e6).round() as i128, None, None))
            .unwrap_or_default()
    };
    let validate = (field.min.is_some() || field.max.is_some()).then(|| {
        let low = e
            .min
            .replace("{label}", label)
            .replace("{min}", &german(field.min));
        let high = e
            .max
            .replace("{label}", label)
            .replace("{max}", &german(field.max));
        format!(
            "FW.range(event, {}, {}, {}, {});",
            bound(field.min),
            bound(field.max),
            js_string(&low),
            js_string(&high)
        )
    });
    let shown = value
        .and_then(crate::values::parse_number)
        .and_then(|v| formwerk_form::expr::from_json(&v))
        .map(|n| formwerk_form::expr::german(n, places, None));
    FieldRules {
        keystroke: Some(format!(
            "FW.numK(event, {}, {js_places}, {});",
            js_string(&not_a_number),
            js_string(&many)
        )),
        validate,
        format: Some(format!("FW.numF(event, {js_places});")),
        right: true,
        shown,
    }
}
