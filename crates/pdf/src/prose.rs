//! Rendered Markdown (form intros and info texts) laid out as tagged paragraphs, headings
//! and lists.

use pdf_writer::types::StructRole;

use super::layout::*;
use super::markup::{self, Block, Run};

/// Rendered Markdown as paragraphs, headings and lists, under the element `parent`, from
/// `x` (relative to the left margin).
pub fn markdown(l: &mut Layout, html: &str, parent: usize, x: f32) {
    for b in markup::blocks(html) {
        lay_out(l, &b, parent, x);
    }
}

fn lay_out(l: &mut Layout, block: &Block, parent: usize, x: f32) {
    match block {
        Block::Paragraph(runs) => {
            l.text(StructRole::P, parent, runs, BODY, x, WIDTH - x);
            l.space(5.0);
        }
        Block::Heading(runs) => {
            let bold: Vec<Run> = runs
                .iter()
                .map(|r| Run {
                    bold: true,
                    ..r.clone()
                })
                .collect();
            l.keep(3.0 * BODY.leading);
            l.text(StructRole::H3, parent, &bold, BODY, x, WIDTH - x);
            l.space(2.0);
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            let list = l.element(StructRole::L, parent);
            let indent = 16.0;
            for (n, item) in items.iter().enumerate() {
                let li = l.element(StructRole::LI, list);
                let label = if *ordered {
                    format!("{}.", start + n)
                } else {
                    "•".to_string()
                };
                l.keep(BODY.leading);
                let lbl = l.element(StructRole::Lbl, li);
                let line = &l.wrap(&plain(&label), BODY.size, indent)[0];
                let top = l.y;
                l.draw_line_at(lbl, LEFT + x + 2.0, top, line, BODY);
                let body = l.element(StructRole::LBody, li);
                for (i, b) in item.iter().enumerate() {
                    match b {
                        Block::Paragraph(runs) => {
                            l.text(
                                StructRole::P,
                                body,
                                runs,
                                BODY,
                                x + indent,
                                WIDTH - x - indent,
                            );
                            if i + 1 < item.len() {
                                l.space(3.0);
                            }
                        }
                        other => lay_out(l, other, body, x + indent),
                    }
                }
                l.space(1.5);
            }
            l.space(4.0);
        }
    }
}
