//! Tables and repeatable groups on paper: a grid of text fields named `<id>.<row>.<column>`
//! (`<id>.<n>.<field>` for a group's instances), as many rows as given or the blank rows of
//! [`crate::paper_items`], and a computed total as a read-only field. A table is tagged as
//! one (Table, TR, TH with its column scope, TD naming its header), its header row repeated
//! where it breaks to a new page.

use pdf_writer::types::StructRole;
use serde_json::Value;

use super::flow::{Again, Column};
use super::*;
use crate::layout::Cell;

/// The width of a table row's number ("12.") before its cells.
const NUMBER_W: f32 = 22.0;

/// A table's or group's rows: those given, and how many to lay out.
struct Given {
    rows: Vec<serde_json::Map<String, Value>>,
    count: usize,
    /// Blank paper: the rows are [`crate::paper_items`]; more go on a separate sheet.
    blank: bool,
}

impl Composer<'_, '_> {
    /// The rows given (at least the blank rows) of a table or group's answer.
    fn rows(&self, field: &Field) -> Given {
        let rows: Vec<serde_json::Map<String, Value>> = match self.answer(&field.id) {
            Some(Value::Array(a)) => a.iter().filter_map(|r| r.as_object().cloned()).collect(),
            _ => Vec::new(),
        };
        let blank = self.answers.is_none() || rows.is_empty();
        let count = if blank {
            crate::paper_items(field)
        } else {
            rows.len()
        };
        Given { rows, count, blank }
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

    /// A table's header row: each column's x (from the left margin), width and header text
    /// (with its unit), and the row's height.
    fn table_head(&self, field: &Field) -> Again {
        let n = field.columns.len().max(1) as f32;
        let col_w = (WIDTH - NUMBER_W) / n;
        let head: Vec<(f32, f32, String)> = field
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let text = match &c.unit {
                    Some(u) => format!("{} ({u})", c.label),
                    None => c.label.clone(),
                };
                (NUMBER_W + i as f32 * col_w, col_w - 4.0, text)
            })
            .collect();
        let head_height = head
            .iter()
            .map(|(_, w, h)| self.l.height(&plain(h), HINT, *w))
            .fold(0.0, f32::max);
        Again { head, head_height }
    }

    /// What of row `r` stays on its page: a fillable row, or a printed row's first lines.
    fn row_keep(&self, field: &Field, row: Option<&serde_json::Map<String, Value>>) -> f32 {
        let head = self.table_head(field);
        field
            .columns
            .iter()
            .zip(&head.head)
            .map(|(c, (_, w, _))| {
                let value = row
                    .and_then(|r| r.get(&c.id))
                    .and_then(|v| values::to_text(c.kind, v));
                self.box_keep(value.as_deref(), multiline(c), *w, LINE_BOX)
            })
            .fold(LINE_BOX, f32::max)
    }

    /// What a table's label keeps with it: the header row and the first row.
    pub(super) fn table_keep(&self, field: &Field) -> f32 {
        let first = self.rows(field).rows.into_iter().next();
        self.table_head(field).head_height + 2.0 + self.row_keep(field, first.as_ref())
    }

    /// The header row as TH cells (scope: column) of a TR of `table`: their ids.
    fn head_cells(&mut self, field: &Field, table: usize, head: &Again) -> Vec<String> {
        let tr = self.l.element(StructRole::TR, table);
        let top = self.l.y;
        let mut ids = Vec::new();
        for ((x, width, text), column) in head.head.iter().zip(&field.columns) {
            self.l.y = top;
            let th = self
                .l
                .text(StructRole::TH, tr, &plain(text), HINT, *x, *width);
            let id = format!("th.{}.{}", field.id, column.id);
            self.l.elements[th].cell = Some(Cell::Header { id: id.clone() });
            ids.push(id);
        }
        self.l.y = top - head.head_height - 2.0;
        ids
    }

    /// A table as a grid of text fields `<id>.<row>.<column>`: the column headers, then the
    /// rows given (on blank paper as many empty rows as [`crate::paper_items`]).
    pub(super) fn table(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(&field.id, tooltip, NodeKind::Group, None);
        let given = self.rows(field);
        self.row_counts.insert(field.id.clone(), given.count);
        let head = self.table_head(field);
        let table = self.l.element(StructRole::Table, parent);
        self.l.keep(self.table_keep(field));
        let headers = self.head_cells(field, table, &head);
        for r in 0..given.count {
            let values = given.rows.get(r);
            if self.l.y - self.row_keep(field, values) < BOTTOM {
                self.continue_page(&head);
            }
            let row = self.node(
                &(r + 1).to_string(),
                &format!("{tooltip} {} {}", self.strings.row, r + 1),
                NodeKind::Group,
                Some(node),
            );
            let tr = self.l.element(StructRole::TR, table);
            let top = self.l.y;
            self.line_number(r + 1, top);
            let mut cols = Vec::new();
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
                    values.and_then(|g| g.get(&column.id)),
                );
                let td = self.l.element(StructRole::TD, tr);
                self.l.elements[td].cell = Some(Cell::Data {
                    headers: vec![headers[i].clone()],
                });
                let (x, width, _) = head.head[i];
                if self.flatten {
                    let lines = self.fields[kid].value.clone().map_or_else(Vec::new, |v| {
                        self.answer_lines(&v, multiline(column), width)
                    });
                    cols.push(Column::new(LEFT + x, width, lines, td));
                } else {
                    self.l.y = top;
                    self.text_box(kid, td, x, width, LINE_BOX);
                }
            }
            if self.flatten {
                self.flow(&mut cols, LINE_BOX, &head);
            }
            self.l.y = self.l.y.min(top - LINE_BOX) - 2.0;
        }
        if given.blank && field.max_items as usize > given.count {
            self.l.space(2.0);
            let more = self.strings.more_rows.clone();
            let runs = [styled(&more, false, true)];
            self.l.text(StructRole::P, parent, &runs, HINT, 0.0, WIDTH);
        }
    }

    /// What a group's label keeps with it: the first instance's heading, its first field's
    /// label and box.
    pub(super) fn group_keep(&self, field: &Field) -> f32 {
        let first = self.rows(field).rows.into_iter().next();
        BODY.leading + self.group_field_keep(field.columns.first(), first.as_ref())
    }

    /// A group's field's label and what of its box stays with it.
    fn group_field_keep(
        &self,
        column: Option<&Field>,
        item: Option<&serde_json::Map<String, Value>>,
    ) -> f32 {
        let Some(column) = column else {
            return 0.0;
        };
        let value = item
            .and_then(|r| r.get(&column.id))
            .and_then(|v| values::to_text(column.kind, v));
        HINT.leading
            + self.box_keep(
                value.as_deref(),
                multiline(column),
                WIDTH - 12.0,
                group_box_height(column),
            )
    }

    /// A repeatable group: each instance ("Maßnahme 2") with its fields `<id>.<n>.<field>`.
    pub(super) fn group(&mut self, field: &Field, tooltip: &str, parent: usize) {
        let node = self.node(&field.id, tooltip, NodeKind::Group, None);
        let given = self.rows(field);
        self.row_counts.insert(field.id.clone(), given.count);
        let number = self.question.0.clone();
        for r in 0..given.count {
            let values = given.rows.get(r);
            let name = format!("{} {}", field.label, r + 1);
            let item = self.node(&(r + 1).to_string(), &name, NodeKind::Group, Some(node));
            self.l
                .keep(BODY.leading + self.group_field_keep(field.columns.first(), values));
            self.l.text(
                StructRole::P,
                parent,
                &[styled(&name, true, false)],
                BODY,
                0.0,
                WIDTH,
            );
            for column in &field.columns {
                self.question = (number.clone(), format!("{name}: {}", column.label));
                self.l.keep(self.group_field_keep(Some(column), values));
                self.l.text(
                    StructRole::P,
                    parent,
                    &plain(&column.label),
                    HINT,
                    12.0,
                    WIDTH - 12.0,
                );
                let kid = self.cell(
                    column,
                    &item,
                    format!("{name}: {}", column.label),
                    values.and_then(|g| g.get(&column.id)),
                );
                self.fields[kid].required = column.required;
                self.text_box(kid, parent, 12.0, WIDTH - 12.0, group_box_height(column));
                self.l.space(GAP);
            }
        }
        if given.blank && field.max_items as usize > given.count {
            let more = self.strings.more_items.replace("{label}", &field.label);
            let runs = [styled(&more, false, true)];
            self.l.text(StructRole::P, parent, &runs, HINT, 0.0, WIDTH);
        }
    }
}

/// The height of a group's field's box on blank paper.
fn group_box_height(column: &Field) -> f32 {
    if multiline(column) {
        textarea_height(column)
    } else {
        LINE_BOX
    }
}
