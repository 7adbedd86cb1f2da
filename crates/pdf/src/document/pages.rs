//! The pages: each composed page gets its header and footer, then its content stream, its
//! page object (fonts, widgets, tab order) and its place in the page tree.

use pdf_writer::types::TabOrder;
use pdf_writer::{Content, Filter, Name, Pdf, Rect};

use super::{Meta, Objects, Refs, deflate};
use crate::layout::{LEFT, Layout, PAGE_H, PAGE_W, RIGHT, Style};
use crate::shape::TextOut;

/// A page's finished content with what the other objects need of it.
pub(super) struct PageBody {
    /// The content stream, not yet compressed.
    pub content: Vec<u8>,
    /// The structure element of each marked-content id, in order.
    pub mcids: Vec<usize>,
    /// The widgets on this page, in reading order.
    pub widgets: Vec<usize>,
}

/// Takes the composed pages out of `layout` and finishes each with its header and footer.
pub(super) fn finish(layout: &mut Layout, meta: &Meta) -> Vec<PageBody> {
    let pages = std::mem::take(&mut layout.pages);
    let out = TextOut {
        fonts: layout.fonts,
        used: &layout.used,
    };
    let page_count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(i, mut page)| {
            header_footer(&mut page.content, &out, meta, i + 1, page_count);
            PageBody {
                content: page.content.finish().into_vec(),
                mcids: page.mcids,
                widgets: page.widgets,
            }
        })
        .collect()
}

/// "Title · Version v" above, "Seite n von m" below, both pagination artifacts.
fn header_footer(c: &mut Content, out: &TextOut, meta: &Meta, n: usize, count: usize) {
    let header = format!("{} · {} {}", meta.title, meta.strings.version, meta.version);
    let footer = format!("{} {n} {} {count}", meta.strings.page, meta.strings.page_of);
    for (subtype, text, y) in [
        (&b"Header"[..], header, PAGE_H - 40.0),
        (&b"Footer"[..], footer, 34.0),
    ] {
        {
            let mut mark = c.begin_marked_content_with_properties(Name(b"Artifact"));
            let mut props = mark.properties();
            props.pair(Name(b"Type"), Name(b"Pagination"));
            props.pair(Name(b"Subtype"), Name(subtype));
        }
        c.save_state();
        c.begin_text();
        c.set_fill_gray(0.3);
        let x = if subtype == b"Footer" {
            (PAGE_W - out.width(Style::Regular, &text, 8.0)) / 2.0
        } else {
            LEFT
        };
        c.next_line(x, y);
        out.show(c, Style::Regular, 8.0, 0.3, &text);
        c.end_text();
        if subtype == b"Header" {
            c.set_stroke_gray(0.6);
            c.set_line_width(0.5);
            c.move_to(LEFT, y - 5.0);
            c.line_to(PAGE_W - RIGHT, y - 5.0);
            c.stroke();
        }
        c.restore_state();
        c.end_marked_content();
    }
}

/// Writes each page's compressed content stream and page object, then the page tree.
pub(super) fn write_pages(pdf: &mut Pdf, refs: &mut Refs, objects: &Objects, pages: &[PageBody]) {
    let content_refs: Vec<_> = pages.iter().map(|_| refs.next()).collect();
    for (i, body) in pages.iter().enumerate() {
        pdf.stream(content_refs[i], &deflate(&body.content))
            .filter(Filter::FlateDecode);
        let mut page = pdf.page(objects.pages[i]);
        page.parent(objects.page_tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(content_refs[i])
            .struct_parents(i as i32)
            .tab_order(TabOrder::StructureOrder);
        if !body.widgets.is_empty() {
            page.annotations(body.widgets.iter().map(|&w| objects.widgets[w]));
        }
        let mut resources = page.resources();
        let mut fonts_dict = resources.fonts();
        for &(name, id) in &objects.page_fonts {
            fonts_dict.pair(name, id);
        }
    }
    pdf.pages(objects.page_tree)
        .kids(objects.pages.iter().copied())
        .count(pages.len() as i32);
}
