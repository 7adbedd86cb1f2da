//! What the reader checks besides single answers: the area of the form's `[[checks]]`, a
//! read-only field whose calculation lists the messages of the rules that do not hold (as
//! "Eingaben prüfen" lists them on the page), and the signature field beside the printed
//! signature line; and the hints that go with the checks on a table's or group's parts.

use pdf_writer::types::StructRole;

use super::*;
use crate::rules::{CHECKS_FIELD, SIGNATURE_FIELD};
use crate::submission::SignatureSpot;

/// The lines the check area shows without scrolling, at most.
const CHECK_LINES: usize = 4;

impl Composer<'_, '_> {
    /// A table column's or group field's label as printed, with the hints a question's
    /// label has: "(Pflichtfeld)", and "(TT.MM.JJJJ)" for a date.
    pub(super) fn part_label(&self, part: &Field) -> String {
        let mut label = part.label.clone();
        if part.required {
            label.push_str(&format!(" ({})", self.strings.required));
        }
        if part.kind.shape() == Some(AnswerShape::Date) {
            label.push_str(&format!(" ({})", self.strings.date_format));
        }
        label
    }

    /// After the last section, for a form with `[[checks]]`: a label, a hint and the field
    /// the reader fills with the failed checks' messages; with answers, those that fail
    /// now. Returns the field's node (to calculate after the computed fields). A flattened
    /// copy prints the failed messages only, if any.
    pub(super) fn checks_area(&mut self, form: &Form) -> Option<usize> {
        if form.checks.is_empty() {
            return None;
        }
        let failed: Vec<&str> = self.answers.map_or_else(Vec::new, |a| {
            form.checks
                .iter()
                .filter(|c| !form.check_holds(c, a))
                .map(|c| c.message.as_str())
                .collect()
        });
        if self.flatten && failed.is_empty() {
            return None;
        }
        let sect = self.l.element(StructRole::Sect, 0);
        let label = vec![styled(&self.strings.checks, true, false)];
        let hint = (!self.flatten && !self.strings.checks_hint.is_empty())
            .then(|| vec![styled(&self.strings.checks_hint, false, true)]);
        let lines = form.checks.len().clamp(1, CHECK_LINES);
        let height = lines as f32 * FIELD_TEXT.leading + 8.0;
        self.l.space(14.0);
        let head = self.l.height(&label, BODY, WIDTH)
            + hint.as_ref().map_or(0.0, |h| self.l.height(h, HINT, WIDTH));
        self.l.keep(head + GAP + height);
        self.l.text(StructRole::P, sect, &label, BODY, 0.0, WIDTH);
        if let Some(h) = &hint {
            self.l.text(StructRole::P, sect, h, HINT, 0.0, WIDTH);
        }
        self.l.space(GAP);
        let tooltip = self.strings.checks.clone();
        let node = self.node(
            CHECKS_FIELD,
            &tooltip,
            NodeKind::Text { multiline: true },
            None,
        );
        self.fields[node].read_only = true;
        self.fields[node].value = (!failed.is_empty()).then(|| failed.join("\n"));
        let script = crate::script::Rows {
            form,
            rows: &self.row_counts,
        };
        self.fields[node].calculate = Some(script.checks(&form.checks));
        self.text_box(node, sect, 0.0, WIDTH, height);
        Some(node)
    }

    /// A signature field over the signature line, named "Unterschrift" for assistive
    /// technology; signed with the reader's signing tool, or by hand on paper.
    pub(super) fn signature_field(&mut self, spot: Option<SignatureSpot>) {
        let Some(spot) = spot else { return };
        let tooltip = self.strings.signature.clone();
        let node = self.node(SIGNATURE_FIELD, &tooltip, NodeKind::Signature, None);
        let element = self.l.element(StructRole::Form, spot.sect);
        let w = self.l.widget(Widget {
            page: spot.page,
            rect: spot.rect,
            field: node,
            on: None,
            tooltip: None,
            element,
        });
        self.fields[node].widgets.push(w);
    }
}
