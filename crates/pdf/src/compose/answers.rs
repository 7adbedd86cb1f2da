//! The answer widgets of the questions on paper, one method per kind of question (tables
//! and groups are in `rows`): their form fields, named by the answer's id, filled with the
//! answer when there is one.

use pdf_writer::types::StructRole;
use serde_json::Value;

use super::*;

impl Composer<'_, '_> {
    /// A text, number, date, e-mail or telephone field or a text area: its box of `width` and
    /// `height`, the unit beside it.
    pub(super) fn text_answer(
        &mut self,
        field: &Field,
        tooltip: &str,
        parent: usize,
        width: f32,
        height: f32,
    ) {
        let multiline = multiline(field);
        let node = self.node(&field.id, tooltip, NodeKind::Text { multiline }, None);
        self.fields[node].required = field.required;
        self.fields[node].max_len = field.max_length;
        self.fields[node].value = self
            .answer(&field.id)
            .and_then(|v| values::to_text(field.kind, v));
        let top = self.l.y;
        self.text_box(node, parent, 0.0, width, height);
        self.unit_beside(field, parent, top, width);
    }

    /// Yes and no: two radio buttons of one field, side by side.
    pub(super) fn yes_no(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(&field.id, tooltip, NodeKind::Radio, None);
        self.fields[node].required = field.required;
        self.fields[node].value = match self.answer(&field.id) {
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        self.l.keep(BODY.leading);
        let top = self.l.y;
        let mut x = 0.0;
        for (value, text) in [("true", &self.strings.yes), ("false", &self.strings.no)] {
            self.option_box(node, parent, value, text, tooltip, x, top, true);
            let label = self.l.element(StructRole::P, parent);
            let line = &self.l.wrap(&plain(text), BODY.size, WIDTH)[0];
            let w = line.width;
            self.l
                .draw_line_at(label, LEFT + x + OPTION_INDENT, top, line, BODY);
            x += OPTION_INDENT + w + 28.0;
        }
        self.l.y -= BODY.leading;
    }

    /// A choice (`radio`: radio buttons, "other" as a text field in the group) or a multiple
    /// choice (a checkbox per option, "other" as its text field alone).
    pub(super) fn choices(&mut self, field: &Field, tooltip: &str, parent: usize, radio: bool) {
        let kind = if radio {
            NodeKind::Radio
        } else {
            NodeKind::Group
        };
        let node = self.node(&field.id, tooltip, kind, None);
        self.fields[node].required = field.required;
        let chosen: Vec<String> = match self.answer(&field.id) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        };
        if radio {
            self.fields[node].value = chosen.first().cloned();
        }
        let mut options: Vec<(&str, &str)> = field
            .options
            .iter()
            .map(|o| (o.value.as_str(), o.label.as_str()))
            .collect();
        // A multiple choice's "other" is its text field alone: a checkbox of the
        // same name cannot sit beside it, and the text says that it was chosen.
        if let (true, Some(other)) = (radio, &field.other) {
            options.push(("other", other.label.as_str()));
        }
        for (value, text) in options {
            self.option(node, parent, (value, text), tooltip, radio, &chosen);
        }
        if let Some(other) = &field.other {
            self.other_text(field, node, parent, tooltip, radio, &other.label);
        }
    }

    /// One option of a choice, its box (a radio button of the choice's field, or a checkbox
    /// field of its own) and its label.
    fn option(
        &mut self,
        node: usize,
        parent: usize,
        (value, text): (&str, &str),
        tooltip: &str,
        radio: bool,
        chosen: &[String],
    ) {
        let runs = plain(text);
        let h = self.l.height(&runs, BODY, WIDTH - OPTION_INDENT);
        // A choice's "other" keeps its text field with it.
        let other = if radio && value == "other" {
            2.0 + LINE_BOX
        } else {
            0.0
        };
        self.l.keep(h + other);
        let top = self.l.y;
        let target = if radio {
            node
        } else {
            let check = self.node(
                value,
                &format!("{tooltip} – {text}"),
                NodeKind::Check,
                Some(node),
            );
            if chosen.iter().any(|c| c == value) {
                self.fields[check].value = Some(value.to_string());
            }
            check
        };
        self.option_box(target, parent, value, text, tooltip, 0.0, top, radio);
        self.l.text(
            StructRole::P,
            parent,
            &runs,
            BODY,
            OPTION_INDENT,
            WIDTH - OPTION_INDENT,
        );
        self.l.space(2.0);
    }

    /// The "other" text field of a choice: a kid of its field, under its label for a
    /// multiple choice.
    fn other_text(
        &mut self,
        field: &Field,
        node: usize,
        parent: usize,
        tooltip: &str,
        radio: bool,
        label: &str,
    ) {
        if !radio {
            self.l.keep(BODY.leading + LINE_BOX);
            self.l.text(
                StructRole::P,
                parent,
                &plain(label),
                BODY,
                OPTION_INDENT,
                WIDTH - OPTION_INDENT,
            );
            self.l.space(2.0);
        }
        // Under a radio group the text field is a kid of the group itself.
        let text = self.node(
            "other",
            &format!("{tooltip} – {label}"),
            NodeKind::Text { multiline: false },
            Some(node),
        );
        self.fields[text].value = self
            .answer(&format!("{}.other", field.id))
            .and_then(|v| v.as_str().map(String::from))
            .filter(|s| !s.is_empty());
        self.l.keep(LINE_BOX);
        self.text_box(text, parent, OPTION_INDENT, WIDTH - OPTION_INDENT, LINE_BOX);
    }

    /// An entry list: a numbered text field per line, kids of one field.
    pub(super) fn entry_lines(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(&field.id, tooltip, NodeKind::Group, None);
        let given: Vec<String> = match self.answer(&field.id) {
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect(),
            _ => Vec::new(),
        };
        for (i, line) in field.lines.iter().enumerate() {
            let kid = self.node(
                &line.number.to_string(),
                &format!("{tooltip} ({} {})", self.strings.entry, line.number),
                NodeKind::Text { multiline: false },
                Some(node),
            );
            self.fields[kid].required = field.required && i == 0;
            self.fields[kid].max_len = field.max_length;
            self.fields[kid].value = given.get(i).cloned().filter(|s| !s.is_empty());
            self.l.keep(LINE_BOX);
            let top = self.l.y;
            // The line's number is decoration: its tooltip names the entry.
            self.line_number(line.number, top);
            self.text_box(kid, parent, 22.0, WIDTH - 22.0, LINE_BOX);
            self.l.space(GAP);
        }
    }

    /// A computed value: a read-only field the PDF recalculates, the unit beside it.
    pub(super) fn computed(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(
            &field.id,
            tooltip,
            NodeKind::Text { multiline: false },
            None,
        );
        self.fields[node].read_only = true;
        self.computed.insert(field.id.clone(), node);
        self.fields[node].value = self
            .answer(&field.id)
            .and_then(formwerk_form::expr::from_json)
            // The unit stands beside the box, as on blank paper.
            .map(|n| formwerk_form::expr::german(n, field.decimals, None));
        let top = self.l.y;
        self.text_box(node, parent, 0.0, 180.0, LINE_BOX);
        self.unit_beside(field, parent, top, 180.0);
    }

    /// The field's unit ("€", "Personen") beside its box of `width`, whose top is at `top`.
    fn unit_beside(&mut self, field: &Field, parent: usize, top: f32, width: f32) {
        if let Some(unit) = &field.unit {
            let el = self.l.element(StructRole::P, parent);
            let line = &self.l.wrap(&plain(unit), BODY.size, WIDTH - width)[0];
            self.l
                .draw_line_at(el, LEFT + width + 6.0, top - 3.0, line, BODY);
        }
    }

    /// An attachment: never its content. Blank paper says to send the document separately;
    /// filled paper lists the files by name, size and SHA-256.
    pub(super) fn files(&mut self, field: &Field, parent: usize) {
        let listed = self
            .answer(&field.id)
            .map(formwerk_form::attachment::listed_files)
            .unwrap_or_default();
        if listed.is_empty() {
            let limits = field.attachment.as_ref().map_or(String::new(), |a| {
                a.limits(
                    &self.strings.attachment_limits,
                    &self.strings.attachment_limits_files,
                )
            });
            let line = self.strings.attachment_blank.replace("{limits}", &limits);
            let runs = [styled(&line, false, true)];
            self.l.text(StructRole::P, parent, &runs, BODY, 0.0, WIDTH);
            return;
        }
        let head = [styled(&self.strings.attachment_listed, false, false)];
        self.l.text(StructRole::P, parent, &head, BODY, 0.0, WIDTH);
        for file in listed {
            let runs = [styled(&format!("– {file}"), false, false)];
            self.l
                .text(StructRole::P, parent, &runs, BODY, 12.0, WIDTH - 12.0);
        }
    }
}
