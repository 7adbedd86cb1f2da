//! The PDF objects: pages with header and footer, embedded fonts, the AcroForm field tree
//! with an appearance stream for every widget, the structure tree, XMP metadata. Objects
//! are numbered in a fixed order and nothing depends on the clock, so the bytes are the
//! same on every build.
//!
//! [`write`] numbers and writes the objects in that order, one part after the other: fonts
//! (`font`), fields and widgets (`acroform`), pages (`pages`), the structure tree
//! (`structure`), then metadata (`metadata`) and the catalog.

mod acroform;
mod font;
mod metadata;
mod pages;
mod structure;

use pdf_writer::types::ActionType;
use pdf_writer::{Finish, Name, Pdf, Ref, Str, TextStr};

use crate::shape::{Usage, resource};

use super::Strings;
use super::compose::{Composed, FieldNode, NodeKind};
use super::layout::Layout;

/// The next free object numbers, handed out in the order the objects are needed.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Compresses a stream for /FlateDecode.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Everything a document needs besides the composed pages.
pub(crate) struct Meta<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub version: &'a str,
    pub lang: &'a str,
    pub strings: &'a Strings,
    /// The script run before printing and saving (rules.rs): required fields, checks.
    pub before_print: Option<&'a str>,
}

/// The objects the parts of the document refer to each other by.
struct Objects {
    catalog: Ref,
    page_tree: Ref,
    /// The field font, then one composite font per face (see `font::allocate`).
    fonts: Vec<Ref>,
    /// The fonts the pages draw with, by resource name.
    page_fonts: Vec<(Name<'static>, Ref)>,
    pages: Vec<Ref>,
    /// One per node of the field tree.
    fields: Vec<Ref>,
    /// One per widget: its field's object when the two are merged, its own for a radio
    /// button.
    widgets: Vec<Ref>,
    /// One per structure element of the layout.
    elements: Vec<Ref>,
}

impl Objects {
    /// Numbers pages, fields, widgets and structure elements, in this order.
    fn number(
        refs: &mut Refs,
        (catalog, page_tree, fonts): (Ref, Ref, Vec<Ref>),
        layout: &Layout,
        fields: &[FieldNode],
        page_count: usize,
    ) -> Objects {
        let pages: Vec<Ref> = (0..page_count).map(|_| refs.next()).collect();
        let field_refs: Vec<Ref> = fields.iter().map(|_| refs.next()).collect();
        let widgets: Vec<Ref> = layout
            .widgets
            .iter()
            .map(|w| {
                if fields[w.field].kind == NodeKind::Radio {
                    refs.next()
                } else {
                    field_refs[w.field]
                }
            })
            .collect();
        let elements: Vec<Ref> = layout.elements.iter().map(|_| refs.next()).collect();
        let page_fonts = font_resources(&fonts, &layout.used.borrow());
        Objects {
            catalog,
            page_tree,
            fonts,
            page_fonts,
            pages,
            fields: field_refs,
            widgets,
            elements,
        }
    }
}

/// The resources of the composite fonts `used` has drawn with so far, out of `fonts`
/// (see `font::allocate`).
fn font_resources(fonts: &[Ref], used: &Usage) -> Vec<(Name<'static>, Ref)> {
    (1..fonts.len())
        .filter(|&i| used.uses(i - 1))
        .map(|i| (resource(i - 1), fonts[i]))
        .collect()
}

/// The PDF of a composed form.
pub fn write(composed: Composed, meta: &Meta) -> Vec<u8> {
    let Composed {
        mut layout,
        fields,
        calculation_order,
    } = composed;
    let pages = pages::finish(&mut layout, meta);
    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut refs = Refs(0);
    let catalog = refs.next();
    let page_tree = refs.next();
    let fonts = font::allocate(&mut refs, layout.fonts);
    let objects = Objects::number(
        &mut refs,
        (catalog, page_tree, fonts),
        &layout,
        &fields,
        pages.len(),
    );
    let marks = acroform::write_marks(&mut pdf, &mut refs);
    acroform::write_fields(&mut pdf, &mut refs, &objects, &layout, &fields, &marks);
    acroform::write_radio_widgets(&mut pdf, &objects, &layout, &fields, &marks);
    pages::write_pages(&mut pdf, &mut refs, &objects, &pages);
    font::write_fonts(
        &mut pdf,
        &mut refs,
        &objects.fonts,
        layout.fonts,
        &layout.used.borrow(),
        !fields.is_empty(),
    );
    let structure = structure::write_elements(&mut pdf, &mut refs, &objects, &layout, &pages);
    let metadata = metadata::write_info(&mut pdf, &mut refs, meta);
    let catalog = Catalog {
        meta,
        metadata,
        struct_tree_root: structure.root,
        fields: &fields,
        calculation_order: &calculation_order,
    };
    catalog.write(&mut pdf, &mut refs, &objects);
    structure::write_root(&mut pdf, &objects, &layout, &structure);
    let id = metadata::file_id(meta, pages.iter().map(|p| p.content.as_slice()));
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// What the catalog points to besides the pages.
struct Catalog<'a> {
    meta: &'a Meta<'a>,
    metadata: Ref,
    struct_tree_root: Ref,
    fields: &'a [FieldNode],
    calculation_order: &'a [usize],
}

impl Catalog<'_> {
    /// The catalog: pages, language, metadata, tagging, the form when there are fields, the
    /// script before printing and saving, and the helpers when a field or the document has
    /// a script (written right after it).
    fn write(&self, pdf: &mut Pdf, refs: &mut Refs, objects: &Objects) {
        let mut cat = pdf.catalog(objects.catalog);
        cat.pages(objects.page_tree);
        cat.lang(TextStr(self.meta.lang));
        cat.metadata(self.metadata);
        cat.mark_info().marked(true);
        cat.viewer_preferences().display_doc_title(true);
        cat.pair(Name(b"StructTreeRoot"), self.struct_tree_root);
        if !self.fields.is_empty() {
            acroform::form_dict(cat.form(), objects, self.fields, self.calculation_order);
        }
        if let Some(js) = self.meta.before_print {
            let mut aa = cat.additional_actions();
            aa.cat_before_print()
                .action_type(ActionType::JavaScript)
                .js_string(TextStr(js));
            aa.cat_before_save()
                .action_type(ActionType::JavaScript)
                .js_string(TextStr(js));
        }
        let scripted = !self.calculation_order.is_empty()
            || self.meta.before_print.is_some()
            || self.fields.iter().any(|f| f.rules.has_script());
        let helpers = scripted.then(|| refs.next());
        if let Some(r) = helpers {
            cat.names()
                .javascript()
                .names()
                .insert(Str(super::script::HELPERS_NAME.as_bytes()), r);
        }
        cat.finish();
        if let Some(r) = helpers {
            acroform::write_helpers(pdf, refs, r);
        }
    }
}
