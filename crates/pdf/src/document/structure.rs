//! The structure tree of the tagged PDF (PDF/UA): one structure element per element of the
//! layout, and the parent tree that maps each page's marked content and each widget back to
//! its element.

use pdf_writer::types::TableHeaderScope;
use pdf_writer::writers::{StructElement, StructTreeRoot};
use pdf_writer::{Pdf, Ref, Str};

use super::pages::PageBody;
use super::{Objects, Refs};
use crate::layout::{Cell, Kid, Layout};

/// The structure tree's root and one parent-tree array per page.
pub(super) struct StructRefs {
    pub root: Ref,
    /// Page i's marked-content ids, mapped to their elements: parent-tree key i.
    pub parent_arrays: Vec<Ref>,
}

/// Numbers the root and the parent arrays, writes the arrays and every structure element.
/// The root itself comes last, see [`write_root`].
pub(super) fn write_elements(
    pdf: &mut Pdf,
    refs: &mut Refs,
    objects: &Objects,
    layout: &Layout,
    pages: &[PageBody],
) -> StructRefs {
    let root = refs.next();
    let parent_arrays: Vec<Ref> = pages.iter().map(|_| refs.next()).collect();
    for (i, page) in pages.iter().enumerate() {
        pdf.indirect(parent_arrays[i])
            .array()
            .items(page.mcids.iter().map(|&e| objects.elements[e]));
    }
    for e in 0..layout.elements.len() {
        write_element(pdf, objects, layout, e, root);
    }
    StructRefs {
        root,
        parent_arrays,
    }
}

/// One structure element with its kids: elements, marked content on a page, widgets. The
/// first element, the document, hangs from the root.
fn write_element(pdf: &mut Pdf, objects: &Objects, layout: &Layout, e: usize, root: Ref) {
    let element = &layout.elements[e];
    let mut el = pdf.struct_element(objects.elements[e]);
    el.kind(element.role);
    el.parent(if e == 0 {
        root
    } else {
        objects.elements[element.parent]
    });
    if let Some(cell) = &element.cell {
        cell_attributes(&mut el, cell);
    }
    let mut kids = el.children();
    for kid in &element.kids {
        match *kid {
            Kid::Element(k) => {
                kids.struct_element(objects.elements[k]);
            }
            Kid::Content { page, mcid } => {
                kids.marked_content_ref()
                    .page(objects.pages[page])
                    .marked_content_id(mcid);
            }
            Kid::Widget(w) => {
                kids.object_ref()
                    .page(objects.pages[layout.widgets[w].page])
                    .object(objects.widgets[w]);
            }
        }
    }
}

/// A table cell's attributes: a header cell's id and column scope, a data cell's headers.
fn cell_attributes(el: &mut StructElement, cell: &Cell) {
    match cell {
        Cell::Header { id } => {
            el.id(Str(id.as_bytes()));
            el.attributes()
                .push()
                .table()
                .scope(TableHeaderScope::Column);
        }
        Cell::Data { headers } => {
            el.attributes()
                .push()
                .table()
                .headers()
                .items(headers.iter().map(|h| Str(h.as_bytes())));
        }
    }
}

/// The structure tree root with its parent tree: keys 0 to n-1 are the pages' marked
/// content, key n + w is widget w (its annotation's /StructParent).
pub(super) fn write_root(pdf: &mut Pdf, objects: &Objects, layout: &Layout, refs: &StructRefs) {
    let page_count = refs.parent_arrays.len();
    let mut st = pdf.indirect(refs.root).start::<StructTreeRoot>();
    st.child(objects.elements[0]);
    // The header cells by their ids, sorted as a name tree must be.
    let mut ids: Vec<(&str, Ref)> = layout
        .elements
        .iter()
        .enumerate()
        .filter_map(|(e, el)| match &el.cell {
            Some(Cell::Header { id }) => Some((id.as_str(), objects.elements[e])),
            Some(Cell::Data { .. }) | None => None,
        })
        .collect();
    if !ids.is_empty() {
        ids.sort();
        let mut tree = st.id_tree();
        let mut names = tree.names();
        for (id, r) in ids {
            names.insert(Str(id.as_bytes()), r);
        }
    }
    {
        let mut tree = st.parent_tree();
        let mut entries = tree.nums();
        for (i, &a) in refs.parent_arrays.iter().enumerate() {
            entries.insert(i as i32, a);
        }
        for (w, widget) in layout.widgets.iter().enumerate() {
            entries.insert((page_count + w) as i32, objects.elements[widget.element]);
        }
    }
    st.parent_tree_next_key((page_count + layout.widgets.len()) as i32);
}
