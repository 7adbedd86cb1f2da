//! Tables and repeatable groups on paper: a grid of text fields named `<id>.<row>.<column>`
//! (`<id>.<n>.<field>` for a group's instances), as many rows as given or the blank rows the
//! form asks for, and a computed total as a read-only field.

use pdf_writer::types::StructRole;
use serde_json::Value;

use super::*;

impl Composer<'_, '_> {
    /// The rows given (at least the blank rows) of a table or group's answer.
    fn rows(&self, field: &Field) -> (Vec<serde_json::Map<String, Value>>, usize) {
        let given: Vec<serde_json::Map<String, Value>> = match self.answer(&field.id) {
            Some(Value::Array(a)) => a.iter().filter_map(|r| r.as_object().cloned()).collect(),
            _ => Vec::new(),
        };
        let count = if self.answers.is_some() && !given.is_empty() {
            given.len()
        } else {
            field.items.len().max(given.len())
        };
        (given, count)
    }

    fn cell(
        &mut self,
        column: &Field,
        row: &usize,
        tooltip: String,
        value: Option<&Value>,
    ) -> usize {
        let multiline = multiline(column);
        let kid = self.node(
            &column.id,
            &tooltip,
            NodeKind::Text { multiline },
            Some(*row),
        );
        self.fields[kid].max_len = column.max_length;
        // A number cell is written with its decimals, and a calculation may read it.
        let number = AnswerShape::is_typed_number(column.kind.shape());
        if number {
            let table = &self.fields[self.fields[*row].parent.unwrap_or(*row)].name;
            self.cells.push((table.clone(), column.id.clone(), kid));
        }
        self.fields[kid].value = value.and_then(|v| {
            if number {
                formwerk_form::expr::from_json(v)
                    .map(|n| formwerk_form::expr::german(n, column.decimals, None))
            } else {
                values::to_text(column.kind, v)
            }
        });
        kid
    }

    /// A table as a grid of text fields `<id>.<row>.<column>`: the column headers, then the
    /// rows given (on blank paper as many empty rows as the page shows without a script).
    pub(super) fn table(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(&field.id, tooltip, NodeKind::Group, None);
        let (given, count) = self.rows(field);
        self.row_counts.insert(field.id.clone(), count);
        let n = field.columns.len().max(1) as f32;
        let number_w = 22.0;
        let col_w = (WIDTH - number_w) / n;
        let head: Vec<String> = field
            .columns
            .iter()
            .map(|c| match &c.unit {
                Some(u) => format!("{} ({u})", self.part_label(c)),
                None => self.part_label(c),
            })
            .collect();
        let head_h = head
            .iter()
            .map(|h| self.l.height(&plain(h), HINT, col_w - 4.0))
            .fold(0.0, f32::max);
        self.l.keep(head_h + LINE_BOX);
        let top = self.l.y;
        for (i, h) in head.iter().enumerate() {
            self.l.y = top;
            self.l.text(
                StructRole::P,
                parent,
                &plain(h),
                HINT,
                number_w + i as f32 * col_w,
                col_w - 4.0,
            );
        }
        self.l.y = top - head_h - 2.0;
        for r in 0..count {
            let row = self.node(
                &(r + 1).to_string(),
                &format!("{tooltip} {} {}", self.strings.row, r + 1),
                NodeKind::Group,
                Some(node),
            );
            self.l.keep(LINE_BOX);
            let top = self.l.y;
            self.line_number(r + 1, top);
            for (i, column) in field.columns.iter().enumerate() {
                let kid = self.cell(
                    column,
                    &row,
                    format!(
                        "{tooltip}, {} {}: {}",
                        self.strings.row,
                        r + 1,
                        column.label
                    ),
                    given.get(r).and_then(|g| g.get(&column.id)),
                );
                self.l.y = top;
                self.text_box(
                    kid,
                    parent,
                    number_w + i as f32 * col_w,
                    col_w - 4.0,
                    LINE_BOX,
                );
            }
            self.l.y = top - LINE_BOX - 2.0;
        }
    }

    /// A repeatable group: each instance ("Maßnahme 2") with its fields `<id>.<n>.<field>`.
    pub(super) fn group(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(&field.id, tooltip, NodeKind::Group, None);
        let (given, count) = self.rows(field);
        self.row_counts.insert(field.id.clone(), count);
        for r in 0..count {
            let name = format!("{} {}", field.label, r + 1);
            let item = self.node(&(r + 1).to_string(), &name, NodeKind::Group, Some(node));
            self.l.keep(BODY.leading * 2.0 + LINE_BOX);
            self.l.text(
                StructRole::P,
                parent,
                &[styled(&name, true, false)],
                BODY,
                0.0,
                WIDTH,
            );
            for column in &field.columns {
                self.l.keep(HINT.leading + LINE_BOX);
                self.l.text(
                    StructRole::P,
                    parent,
                    &plain(&self.part_label(column)),
                    HINT,
                    12.0,
                    WIDTH - 12.0,
                );
                let kid = self.cell(
                    column,
                    &item,
                    format!("{name}: {}", column.label),
                    given.get(r).and_then(|g| g.get(&column.id)),
                );
                self.fields[kid].required = column.required;
                let height = if multiline(column) {
                    textarea_height(column)
                } else {
                    LINE_BOX
                };
                self.text_box(kid, parent, 12.0, WIDTH - 12.0, height);
                self.l.space(GAP);
            }
        }
    }
}
