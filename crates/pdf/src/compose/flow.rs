//! Answers printed into their boxes (filled, flattened copies): wrapped to the box's width, a
//! box that grows with its answer, and what does not fit the page continued on the next,
//! under "Fortsetzung von 2.3 Ziel" (and a table's header row again). Nothing is cut off and
//! no text leaves its box.

use pdf_writer::types::StructRole;

use super::*;

/// Space between a box's edge and its text, left and right.
pub(super) const PAD: f32 = 2.0;

/// One box of a row of boxes that flow down together (one for a question, one per cell of a
/// table row).
pub(super) struct Column {
    /// The box's left edge, from the page's left edge.
    pub x: f32,
    pub width: f32,
    pub lines: Vec<Line>,
    /// The structure element its text belongs under (a section, a table cell).
    pub parent: usize,
    /// The paragraph of its text, made when the first line is drawn.
    element: Option<usize>,
}

impl Column {
    pub(super) fn new(x: f32, width: f32, lines: Vec<Line>, parent: usize) -> Column {
        Column {
            x,
            width,
            lines,
            parent,
            element: None,
        }
    }
}

/// What a page that a flowing box continues on starts with, besides "Fortsetzung von …".
#[derive(Clone, Default)]
pub(super) struct Again {
    /// A table's header row: each column's x (from the left margin), width and header text.
    pub head: Vec<(f32, f32, String)>,
    pub head_height: f32,
}

/// The height of a box with `lines` lines of an answer.
pub(super) fn boxed_height(lines: usize) -> f32 {
    lines as f32 * FIELD_TEXT.leading + 6.0
}

impl Composer<'_, '_> {
    /// The lines of an answer in a box of `width`; a one-line field's line breaks are spaces.
    pub(super) fn answer_lines(&self, value: &str, multiline: bool, width: f32) -> Vec<Line> {
        let text = if multiline {
            value.to_string()
        } else {
            value.replace('\n', " ")
        };
        self.l
            .wrap(&plain(&text), FIELD_TEXT.size, width - 2.0 * PAD)
    }

    /// How much of a box of at least `min_h` with `value` a label keeps with it on its page:
    /// the whole box when it is fillable (a field cannot span pages), else its first lines.
    pub(super) fn box_keep(
        &self,
        value: Option<&str>,
        multiline: bool,
        width: f32,
        min_h: f32,
    ) -> f32 {
        if !self.flatten {
            return if multiline {
                self.grown_height(value, width, min_h)
            } else {
                min_h
            };
        }
        let lines = value.map_or(0, |v| self.answer_lines(v, multiline, width).len());
        let need = boxed_height(lines).max(min_h);
        need.min(min_h.max(boxed_height(3)))
    }

    /// "Fortsetzung von 2.3 Ziel" for the answer being laid out.
    fn continued(&self) -> String {
        self.strings
            .continued
            .replace("{number}", &self.question.0)
            .replace("{label}", &self.question.1)
    }

    /// A new page for an answer that goes on: the continuation line, then `again`.
    pub(super) fn continue_page(&mut self, again: &Again) {
        self.l.new_page();
        let runs = [styled(&self.continued(), false, true)];
        for line in self.l.wrap(&runs, HINT.size, WIDTH) {
            let top = self.l.y;
            self.l.artifact_line(LEFT, top, &line, HINT);
            self.l.y -= HINT.leading;
        }
        self.l.y -= 2.0;
        if !again.head.is_empty() {
            self.head_artifact(again);
        }
    }

    /// A table's header row drawn again as decoration on the page the table continues on.
    fn head_artifact(&mut self, again: &Again) {
        let top = self.l.y;
        for (x, width, text) in &again.head {
            for (i, line) in self
                .l
                .wrap(&plain(text), HINT.size, *width)
                .iter()
                .enumerate()
            {
                let line_top = top - i as f32 * HINT.leading;
                self.l.artifact_line(LEFT + x, line_top, line, HINT);
            }
        }
        self.l.y = top - again.head_height - 2.0;
    }

    /// Draws boxes side by side with their answers' lines from the cursor down, at least
    /// `min_h` high. What does not fit the page continues on the next one, which starts with
    /// "Fortsetzung von …" and `again`.
    pub(super) fn flow(&mut self, cols: &mut [Column], min_h: f32, again: &Again) {
        let total = cols.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        let mut done = 0;
        // Whether the page was begun for this box: it takes a line whatever room is left, so
        // that nothing loops.
        let mut fresh = false;
        loop {
            let rest = total - done;
            let whole = done == 0;
            let avail = self.l.y - BOTTOM;
            let need = if whole {
                // The callers keep label and box together; where the answer fits and only the
                // box's least height does not (higher than a page), the box ends at the page.
                let min_h = if boxed_height(rest) <= avail {
                    min_h.min(avail)
                } else {
                    min_h
                };
                boxed_height(rest).max(min_h)
            } else {
                boxed_height(rest)
            };
            if need <= avail + 0.01 {
                // One line in a box of one line's height stands in its middle.
                let centred = whole && total == 1 && need < boxed_height(2);
                self.segment(cols, done..total, need, centred);
                return;
            }
            let mut fit = ((avail - 6.0) / FIELD_TEXT.leading).floor().max(0.0) as usize;
            if fresh {
                fit = fit.max(1);
            }
            fit = fit.min(rest);
            if fit > 0 {
                let height = avail.max(boxed_height(fit));
                self.segment(cols, done..done + fit, height, false);
                done += fit;
            }
            self.continue_page(again);
            fresh = true;
        }
    }

    /// One page's part of flowing boxes: the boxes `height` high and their lines `range`.
    fn segment(
        &mut self,
        cols: &mut [Column],
        range: std::ops::Range<usize>,
        height: f32,
        centred: bool,
    ) {
        let top = self.l.y;
        for col in cols.iter_mut() {
            let (x, width) = (col.x, col.width);
            self.l.artifact(|c| {
                c.set_stroke_gray(0.35);
                c.set_line_width(0.6);
                c.rect(x, top - height, width, height);
                c.stroke();
            });
            let end = range.end.min(col.lines.len());
            if range.start >= end {
                continue;
            }
            let element = *col
                .element
                .get_or_insert_with(|| self.l.element(StructRole::P, col.parent));
            let first = if centred {
                top - (height - FIELD_TEXT.leading) / 2.0
            } else {
                top - 4.0
            };
            for (i, line) in col.lines[range.start..end].iter().enumerate() {
                let y = first - i as f32 * FIELD_TEXT.leading;
                self.l
                    .draw_line_at(element, col.x + PAD, y, line, FIELD_TEXT);
            }
        }
        self.l.y = top - height;
    }
}
