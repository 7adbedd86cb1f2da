//! The form model laid out as a paper form: title block, numbered sections, intros,
//! questions with hints, and a form field for every answer, named by its answer id.

use std::collections::HashMap;

use pdf_writer::types::StructRole;
use serde_json::{Map, Value};

use super::Strings;
use super::layout::*;
use super::markup::Run;
use super::values;
use flow::boxed_height;
use formwerk_form::{AnswerShape, Field, Form, Rows};

mod answers;
mod checks;
mod flow;
mod rows;

/// What a form field is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    /// A name part only: its children are the fields (multiple choice, entry lists).
    Group,
    Text {
        multiline: bool,
    },
    Check,
    Radio,
    /// A signature field (/FT /Sig), signed with a reader's signing tool.
    Signature,
}

/// One node of the AcroForm field tree.
pub(crate) struct FieldNode {
    /// The partial name; the full name joins the names from the root with dots.
    pub name: String,
    pub tooltip: String,
    pub kind: NodeKind,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub widgets: Vec<usize>,
    pub required: bool,
    pub max_len: Option<u32>,
    /// A computed value: shown, not typed.
    pub read_only: bool,
    /// Text, or the on-state of a checkbox or radio group; `None` when empty.
    pub value: Option<String>,
    /// A computed field's calculate action (JavaScript), see script.rs.
    pub calculate: Option<String>,
    /// The format and keystroke action that keep the text of a number cell a calculation
    /// reads.
    pub format: Option<&'static str>,
    /// How the reader checks and shows what is typed (rules.rs).
    pub rules: crate::rules::FieldRules,
}

pub(crate) struct Composed<'a> {
    pub layout: Layout<'a>,
    pub fields: Vec<FieldNode>,
    /// The fields with a calculate action, in the order to calculate them (/CO).
    pub calculation_order: Vec<usize>,
}

const BOX: f32 = 11.0;
const LINE_BOX: f32 = 20.0;
const GAP: f32 = 4.0;
const OPTION_INDENT: f32 = 18.0;

/// An answer's text in a field: the size of its default appearance.
pub(crate) const FIELD_TEXT: TextStyle = TextStyle {
    size: 10.0,
    leading: 12.0,
    gray: 0.0,
};

const HINT: TextStyle = TextStyle {
    size: 9.0,
    leading: 12.5,
    gray: 0.25,
};

struct Composer<'a, 'b> {
    l: Layout<'a>,
    fields: Vec<FieldNode>,
    strings: &'b Strings,
    answers: Option<&'b Map<String, Value>>,
    /// Answers printed into the page, no form fields: an archive copy.
    flatten: bool,
    /// The rows (instances) each table (group) has in this PDF.
    row_counts: HashMap<String, usize>,
    /// The field node of each computed field, by id.
    computed: HashMap<String, usize>,
    /// The number cells of tables and groups: (table, column, node).
    cells: Vec<(String, String, usize)>,
    /// The question being laid out, its number ("2.3": section and question) and label, for
    /// "Fortsetzung von 2.3 Ziel".
    question: (String, String),
}

pub(crate) fn compose<'a>(
    form: &Form,
    fonts: &'a Fonts,
    strings: &Strings,
    answers: Option<(&Map<String, Value>, Option<super::Older>)>,
    flatten: bool,
) -> Composed<'a> {
    let older = answers.and_then(|(_, older)| older);
    let mut c = Composer {
        l: Layout::new(fonts),
        fields: Vec::new(),
        strings,
        answers: answers.map(|(a, _)| a),
        flatten,
        row_counts: HashMap::new(),
        computed: HashMap::new(),
        cells: Vec::new(),
        question: (String::new(), String::new()),
    };
    c.title_block(form);
    for section in &form.sections {
        c.section(section, form);
    }
    let checks = c.checks_area(form);
    let signature = super::submission::submission(&mut c.l, form, strings);
    if let Some(older) = older {
        super::appendix::older_answers(&mut c.l, form, strings, older);
    }
    if flatten {
        return Composed {
            layout: c.l,
            fields: Vec::new(),
            calculation_order: Vec::new(),
        };
    }
    c.signature_field(signature);
    let mut calculation_order = c.calculations(form);
    calculation_order.extend(checks);
    Composed {
        layout: c.l,
        fields: c.fields,
        calculation_order,
    }
}

impl Composer<'_, '_> {
    /// A numbered section: its heading, its intro and its questions.
    fn section(&mut self, section: &formwerk_form::Section, form: &Form) {
        let sect = self.l.element(StructRole::Sect, 0);
        let heading = vec![styled(
            &format!("{}. {}", section.number, section.title),
            true,
            false,
        )];
        let style = TextStyle {
            size: 13.0,
            leading: 18.0,
            gray: 0.0,
        };
        self.l.space(14.0);
        // A heading stays with its first question (label to first answer line), or with at
        // least three lines of what follows.
        let keep = self.l.height(&heading, style, WIDTH) + self.after_heading(section, form) + 4.0;
        self.l.keep(keep);
        self.l
            .text(StructRole::H2, sect, &heading, style, 0.0, WIDTH);
        self.l.space(4.0);
        if let Some(intro) = &section.intro {
            super::prose::markdown(&mut self.l, &intro.html, sect, 0.0);
        }
        let mut asked = 0;
        for field in &section.fields {
            if field.kind.asks() {
                asked += 1;
            }
            self.question = (format!("{}.{asked}", section.number), field.label.clone());
            self.field(field, form, sect);
        }
    }

    /// The computed fields' calculate actions, in the order to calculate them, and the
    /// number cells and fields they read set to keep their typed text.
    fn calculations(&mut self, form: &Form) -> Vec<usize> {
        let script = super::script::Rows {
            form,
            rows: &self.row_counts,
        };
        let mut calculation_order = Vec::new();
        for field in super::script::order(form) {
            if let (Some(&node), Some(js)) = (self.computed.get(&field.id), script.calculate(field))
            {
                self.fields[node].calculate = Some(js);
                calculation_order.push(node);
            }
        }
        if !calculation_order.is_empty() {
            let read = super::script::columns(form);
            for (t, col, node) in &self.cells {
                if read.contains(&(t.as_str(), col.as_str())) {
                    self.fields[*node].format = Some(super::script::KEEP_TEXT);
                }
            }
            for id in super::script::number_fields_read(form) {
                if let Some(node) = self.fields.iter_mut().find(|n| n.name == id) {
                    node.format = Some(super::script::KEEP_TEXT);
                }
            }
        }
        calculation_order
    }

    fn title_block(&mut self, form: &Form) {
        if let Some(pre) = &form.pretitle {
            let style = TextStyle {
                size: 12.0,
                leading: 16.0,
                gray: 0.0,
            };
            self.l
                .text(StructRole::P, 0, &plain(pre), style, 0.0, WIDTH);
        }
        let title = TextStyle {
            size: 20.0,
            leading: 25.0,
            gray: 0.0,
        };
        self.l.text(
            StructRole::H1,
            0,
            &[styled(&form.title, true, false)],
            title,
            0.0,
            WIDTH,
        );
        self.l.space(4.0);
        if let Some(sub) = &form.subtitle {
            self.l.text(StructRole::P, 0, &plain(sub), BODY, 0.0, WIDTH);
        }
        self.l.space(4.0);
        let version = format!("{} {}", self.strings.version, form.version);
        self.l
            .text(StructRole::P, 0, &plain(&version), HINT, 0.0, WIDTH);
        self.l.space(6.0);
        if let Some(intro) = &form.intro {
            super::prose::markdown(&mut self.l, &intro.html, 0, 0.0);
        }
    }

    fn node(&mut self, name: &str, tooltip: &str, kind: NodeKind, parent: Option<usize>) -> usize {
        let id = self.fields.len();
        self.fields.push(FieldNode {
            name: name.to_string(),
            tooltip: tooltip.to_string(),
            kind,
            parent,
            children: Vec::new(),
            widgets: Vec::new(),
            required: false,
            max_len: None,
            read_only: false,
            value: None,
            calculate: None,
            format: None,
            rules: Default::default(),
        });
        if let Some(p) = parent {
            self.fields[p].children.push(id);
        }
        id
    }

    fn answer(&self, key: &str) -> Option<&Value> {
        self.answers.and_then(|a| a.get(key))
    }

    /// The height of a question's answer that its label keeps with it on its page.
    fn first_answer_height(&self, field: &Field) -> f32 {
        let value = || {
            self.answer(&field.id)
                .and_then(|v| values::to_text(field.kind, v))
        };
        match field.kind.shape() {
            Some(AnswerShape::Text { multiline, .. }) => {
                let height = if multiline {
                    textarea_height(field)
                } else {
                    LINE_BOX
                };
                self.box_keep(value().as_deref(), multiline, WIDTH, height)
            }
            Some(AnswerShape::Date) => self.box_keep(value().as_deref(), false, 130.0, LINE_BOX),
            Some(AnswerShape::Number) => self.box_keep(value().as_deref(), false, 180.0, LINE_BOX),
            Some(AnswerShape::YesNo | AnswerShape::Choice | AnswerShape::Ticks) => BODY.leading,
            Some(AnswerShape::Rows(Rows::Table)) => self.table_keep(field),
            Some(AnswerShape::Rows(Rows::Group)) => self.group_keep(field),
            Some(AnswerShape::Calculated | AnswerShape::Lines) | None => LINE_BOX,
            Some(AnswerShape::Files) => BODY.leading,
        }
    }

    /// A question's label and hint (with the date format and the `show_if` condition).
    fn question_head(&self, field: &Field, form: &Form) -> (Vec<Run>, Option<Vec<Run>>) {
        let mut label = vec![styled(&field.label, true, false)];
        if field.required {
            label.push(styled(
                &format!(" ({})", self.strings.required),
                false,
                false,
            ));
        }
        // A screen-only hint ("Die Zelle vergrößert sich automatisch.") is false on paper.
        let mut hint = field.hint.clone().filter(|_| field.hint_print);
        if let Some(format) = self.format_hint(field) {
            hint = Some(hint.map_or(format.clone(), |h| format!("{h} {format}")));
        }
        if let Some(condition) = self.condition(field, form) {
            hint = Some(hint.map_or(condition.clone(), |h| format!("{h} {condition}")));
        }
        let hint_runs = hint.as_deref().map(|h| vec![styled(h, false, true)]);
        (label, hint_runs)
    }

    /// How to write the answer, where paper must say it: a date's format.
    fn format_hint(&self, field: &Field) -> Option<String> {
        match field.kind.shape() {
            Some(AnswerShape::Date) => Some(format!(
                "{}: {}",
                self.strings.date, self.strings.date_format
            )),
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Number
                | AnswerShape::Calculated
                | AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Lines
                | AnswerShape::Rows(_)
                | AnswerShape::Files,
            )
            | None => None,
        }
    }

    /// The height of a question's label, hint and first answer line: what is kept together.
    fn head_height(&self, field: &Field, label: &[Run], hint: Option<&Vec<Run>>) -> f32 {
        self.l.height(label, BODY, WIDTH)
            + hint.map_or(0.0, |h| self.l.height(h, HINT, WIDTH))
            + GAP
            + self.first_answer_height(field)
    }

    /// What a section heading keeps with it: its first question's head when the section
    /// opens with one, else three lines.
    fn after_heading(&self, section: &formwerk_form::Section, form: &Form) -> f32 {
        match section.fields.first() {
            Some(f) if section.intro.is_none() && f.kind.asks() => {
                let (label, hint) = self.question_head(f, form);
                6.0 + self.head_height(f, &label, hint.as_ref())
            }
            _ => 3.0 * BODY.leading,
        }
    }

    fn field(&mut self, field: &Field, form: &Form, parent: usize) {
        let Some(shape) = field.kind.shape() else {
            if let Some(text) = &field.text {
                super::prose::markdown(&mut self.l, &text.html, parent, 0.0);
            }
            return;
        };
        let (label, hint_runs) = self.question_head(field, form);
        let needed = self.head_height(field, &label, hint_runs.as_ref());
        self.l.space(6.0);
        self.l.keep(needed);
        self.l.text(StructRole::P, parent, &label, BODY, 0.0, WIDTH);
        if let Some(h) = &hint_runs {
            self.l.text(StructRole::P, parent, h, HINT, 0.0, WIDTH);
        }
        self.l.space(GAP);
        let tooltip = field.label.as_str();
        // The answer's widget.
        match shape {
            AnswerShape::Text {
                multiline: false, ..
            } => self.text_answer(field, tooltip, parent, WIDTH, LINE_BOX),
            AnswerShape::Text {
                multiline: true, ..
            } => self.text_answer(field, tooltip, parent, WIDTH, textarea_height(field)),
            AnswerShape::Date => self.text_answer(field, tooltip, parent, 130.0, LINE_BOX),
            AnswerShape::Number => self.text_answer(field, tooltip, parent, 180.0, LINE_BOX),
            AnswerShape::YesNo => self.yes_no(field, tooltip, parent),
            AnswerShape::Choice => self.choices(field, tooltip, parent, true),
            AnswerShape::Ticks => self.choices(field, tooltip, parent, false),
            AnswerShape::Lines => self.entry_lines(field, tooltip, parent),
            AnswerShape::Rows(Rows::Table) => self.table(field, tooltip, parent),
            AnswerShape::Rows(Rows::Group) => self.group(field, tooltip, parent),
            AnswerShape::Calculated => self.computed(field, tooltip, parent),
            AnswerShape::Files => self.files(field, parent),
        }
        self.l.space(6.0);
    }

    /// "3." before an entry line or a table row whose top is at `top`: decoration, the
    /// field's tooltip names the line.
    fn line_number(&mut self, n: usize, top: f32) {
        self.l
            .artifact_text(LEFT, top - 13.5, BODY.size, &format!("{n}."));
    }

    /// "Nur auszufüllen, wenn …" for a field shown only on a certain answer: paper shows
    /// every field, so the condition is written out.
    fn condition(&self, field: &Field, form: &Form) -> Option<String> {
        let show_if = field.show_if.as_ref()?;
        let other = form.fields().find(|f| f.id == show_if.field)?;
        let answer = match other.kind.shape() {
            Some(AnswerShape::YesNo) if show_if.equals == "true" => self.strings.yes.clone(),
            Some(AnswerShape::YesNo) if show_if.equals == "false" => self.strings.no.clone(),
            Some(
                AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::Number
                | AnswerShape::Calculated
                | AnswerShape::Lines
                | AnswerShape::Rows(_)
                | AnswerShape::Files,
            )
            | None => other
                .options
                .iter()
                .find(|o| o.value == show_if.equals)
                .map_or(show_if.equals.clone(), |o| o.label.clone()),
        };
        Some(
            self.strings
                .show_if
                .replace("{field}", &other.label)
                .replace("{answer}", &answer),
        )
    }

    /// A fillable multi-line box's height with `value` in it: the room the answer needs, at
    /// least `height`, at most a page (a field cannot go on to the next page; beyond, it
    /// scrolls).
    fn grown_height(&self, value: Option<&str>, width: f32, height: f32) -> f32 {
        value.map_or(height, |v| {
            let lines = self.l.wrap(&plain(v), FIELD_TEXT.size, width - 4.0).len();
            boxed_height(lines).clamp(height, PAGE_H - TOP - BOTTOM)
        })
    }

    /// A box to write in at the cursor, with its text field's widget, or (flattened) the
    /// answer printed in it; moves below it.
    fn text_box(&mut self, node: usize, parent: usize, x: f32, width: f32, height: f32) {
        let multiline = matches!(self.fields[node].kind, NodeKind::Text { multiline: true });
        if self.flatten {
            // The answer printed in the box, as text of its own, continued where it must.
            let value = self.fields[node].value.clone();
            let lines = value.map_or_else(Vec::new, |v| self.answer_lines(&v, multiline, width));
            let keep = boxed_height(lines.len()).max(height);
            self.l.keep(keep.min(height.max(boxed_height(3))));
            let mut cols = [flow::Column::new(LEFT + x, width, lines, parent)];
            self.flow(&mut cols, height, &flow::Again::default());
            return;
        }
        let value = self.fields[node].value.clone().filter(|_| multiline);
        let grown = self.grown_height(value.as_deref(), width, height);
        // A box grown beyond the room under its label takes that room: its label stays.
        let height = if grown > height {
            grown.min(self.l.y - BOTTOM).max(height)
        } else {
            height
        };
        self.l.keep(height);
        let top = self.l.y;
        let rect = [LEFT + x, top - height, LEFT + x + width, top];
        self.l.artifact(|c| {
            c.set_stroke_gray(0.35);
            c.set_line_width(0.6);
            c.rect(rect[0], rect[1], width, height);
            c.stroke();
        });
        self.widget_in(node, parent, rect);
        self.l.y -= height;
    }

    /// The widget of text field `node` at `rect`, as a Form element under `parent`.
    fn widget_in(&mut self, node: usize, parent: usize, rect: [f32; 4]) {
        let element = self.l.element(StructRole::Form, parent);
        let page = self.l.page();
        let w = self.l.widget(Widget {
            page,
            rect,
            field: node,
            on: None,
            tooltip: None,
            element,
        });
        self.fields[node].widgets.push(w);
    }

    /// A checkbox or radio button whose line box begins at `top`.
    #[allow(clippy::too_many_arguments)]
    fn option_box(
        &mut self,
        node: usize,
        parent: usize,
        value: &str,
        text: &str,
        question: &str,
        x: f32,
        top: f32,
        round: bool,
    ) {
        let x0 = LEFT + x + 1.0;
        let y0 = top - 12.0;
        self.l.artifact(|c| {
            c.set_stroke_gray(0.2);
            c.set_line_width(0.7);
            if round {
                circle(c, x0 + BOX / 2.0, y0 + BOX / 2.0, BOX / 2.0);
            } else {
                c.rect(x0, y0, BOX, BOX);
            }
            c.stroke();
        });
        if self.flatten {
            if self.fields[node].value.as_deref() == Some(value) {
                // The mark, read out as "chosen" before the option's label.
                let element = self.l.element(StructRole::P, parent);
                self.l.tagged(element, &self.strings.chosen, |c| {
                    if round {
                        c.set_fill_gray(0.0);
                        circle(c, x0 + BOX / 2.0, y0 + BOX / 2.0, 2.8);
                        c.fill_nonzero();
                    } else {
                        cross(c, x0, y0);
                    }
                });
            }
            return;
        }
        let element = self.l.element(StructRole::Form, parent);
        let page = self.l.page();
        let w = self.l.widget(Widget {
            page,
            rect: [x0, y0, x0 + BOX, y0 + BOX],
            field: node,
            on: Some(value.to_string()),
            tooltip: round.then(|| format!("{question} – {text}")),
            element,
        });
        self.fields[node].widgets.push(w);
    }
}

/// Whether the answer is typed into a box that grows with it (a text area), not a line.
fn multiline(field: &Field) -> bool {
    matches!(
        field.kind.shape(),
        Some(AnswerShape::Text {
            multiline: true,
            ..
        })
    )
}

fn textarea_height(field: &Field) -> f32 {
    field.rows.unwrap_or(5).clamp(3, 30) as f32 * 14.0 + 8.0
}
