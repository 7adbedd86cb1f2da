//! The PDF objects: pages with header and footer, embedded fonts, the AcroForm field tree
//! with an appearance stream for every widget, the structure tree, XMP metadata. Objects
//! are numbered in a fixed order and nothing depends on the clock, so the bytes are the
//! same on every build.

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, FieldFlags, FieldType, FontFlags, TabOrder,
};
use pdf_writer::writers::{Action, StructTreeRoot};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::Strings;
use super::compose::{Composed, FieldNode, NodeKind};
use super::fonts::{Face, encode};
use super::layout::*;

/// Field text size, for the default appearance and the appearance streams.
const FIELD_SIZE: f32 = super::compose::FIELD_TEXT.size;

struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

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
}

pub fn write(composed: Composed, meta: &Meta) -> Vec<u8> {
    let Composed {
        mut layout,
        fields,
        calculation_order,
    } = composed;
    let fonts = layout.fonts;
    let pages = std::mem::take(&mut layout.pages);
    let page_count = pages.len();
    let mut contents = Vec::new();
    let mut page_mcids = Vec::new();
    let mut page_widgets = Vec::new();
    for (i, mut page) in pages.into_iter().enumerate() {
        header_footer(&mut page.content, fonts, meta, i + 1, page_count);
        contents.push(page.content.finish().into_vec());
        page_mcids.push(page.mcids);
        page_widgets.push(page.widgets);
    }
    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut refs = Refs(0);
    let catalog = refs.next();
    let tree = refs.next();
    let font_refs: Vec<Ref> = (0..3).map(|_| refs.next()).collect();
    for (style, &id) in [Style::Regular, Style::Bold, Style::Italic]
        .iter()
        .zip(&font_refs)
    {
        write_font(&mut pdf, &mut refs, id, fonts.face(*style));
    }
    let regular = font_refs[0];
    let page_refs: Vec<Ref> = (0..page_count).map(|_| refs.next()).collect();
    let field_refs: Vec<Ref> = fields.iter().map(|_| refs.next()).collect();
    // A text field or checkbox and its single widget are one object; radio buttons are
    // widgets of their group.
    let widget_refs: Vec<Ref> = layout
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
    let element_refs: Vec<Ref> = layout.elements.iter().map(|_| refs.next()).collect();

    // Shared appearances of checkboxes and radio buttons: a cross, a dot, nothing.
    let check_on = refs.next();
    let radio_on = refs.next();
    let off = refs.next();
    let mark_box = Rect::new(0.0, 0.0, 11.0, 11.0);
    let mut mark = Content::new();
    cross(&mut mark, 0.0, 0.0);
    pdf.form_xobject(check_on, &mark.finish()).bbox(mark_box);
    let mut dot = Content::new();
    dot.set_fill_gray(0.0);
    circle(&mut dot, 5.5, 5.5, 2.8);
    dot.fill_nonzero();
    pdf.form_xobject(radio_on, &dot.finish()).bbox(mark_box);
    pdf.form_xobject(off, &Content::new().finish())
        .bbox(mark_box);

    let da = format!("/FwR {FIELD_SIZE} Tf 0 g");
    for (i, node) in fields.iter().enumerate() {
        let merged = node.widgets.len() == 1 && node.kind != NodeKind::Radio;
        let mut field = pdf.form_field(field_refs[i]);
        field.partial_name(TextStr(&node.name));
        field.alternate_name(TextStr(&node.tooltip));
        if let Some(p) = node.parent {
            field.parent(field_refs[p]);
        }
        let mut flags = FieldFlags::empty();
        if node.required {
            flags |= FieldFlags::REQUIRED;
        }
        if node.read_only {
            flags |= FieldFlags::READ_ONLY;
        }
        match &node.kind {
            NodeKind::Group => {}
            NodeKind::Text { multiline } => {
                field.field_type(FieldType::Text);
                if *multiline {
                    flags |= FieldFlags::MULTILINE;
                }
                field.vartext_default_appearance(Str(da.as_bytes()));
                if let Some(v) = &node.value {
                    field.text_value(TextStr(v));
                }
                if let Some(max) = node.max_len {
                    field.text_max_len(max as i32);
                }
            }
            NodeKind::Check => {
                field.field_type(FieldType::Button);
                let state = node.value.as_deref().unwrap_or("Off");
                field.pair(Name(b"V"), Name(state.as_bytes()));
            }
            NodeKind::Radio => {
                field.field_type(FieldType::Button);
                flags |= FieldFlags::RADIO | FieldFlags::NO_TOGGLE_TO_OFF;
                let state = node.value.as_deref().unwrap_or("Off");
                field.pair(Name(b"V"), Name(state.as_bytes()));
            }
        }
        if !flags.is_empty() {
            field.field_flags(flags);
        }
        if node.calculate.is_some() || node.format.is_some() {
            let mut aa = field.additional_actions();
            if let Some(js) = &node.calculate {
                aa.form_calculate()
                    .action_type(ActionType::JavaScript)
                    .js_string(TextStr(js));
            }
            if let Some(js) = node.format {
                aa.form_format()
                    .action_type(ActionType::JavaScript)
                    .js_string(TextStr(js));
                aa.form_calculate_partial()
                    .action_type(ActionType::JavaScript)
                    .js_string(TextStr(js));
            }
        }
        if !merged {
            let mut kids: Vec<Ref> = node.children.iter().map(|&c| field_refs[c]).collect();
            kids.extend(node.widgets.iter().map(|&w| widget_refs[w]));
            if !kids.is_empty() {
                field.children(kids);
            }
            field.finish();
            continue;
        }
        let w = node.widgets[0];
        let mut annot = field.into_annotation();
        widget_dict(
            &mut annot,
            &layout,
            w,
            page_refs[layout.widgets[w].page],
            page_count,
        );
        match node.kind {
            NodeKind::Check => {
                let on = layout.widgets[w].on.clone().unwrap_or_default();
                annot.appearance_state(Name(node.value.as_deref().unwrap_or("Off").as_bytes()));
                annot
                    .appearance()
                    .normal()
                    .streams()
                    .pairs([(Name(on.as_bytes()), check_on), (Name(b"Off"), off)]);
            }
            _ => {
                let ap = refs.next();
                annot.appearance().normal().stream(ap);
                annot.finish();
                let r = layout.widgets[w].rect;
                let content = text_appearance(&layout, node, r[2] - r[0], r[3] - r[1]);
                let data = deflate(&content);
                let mut x = pdf.form_xobject(ap, &data);
                x.filter(Filter::FlateDecode);
                x.bbox(Rect::new(0.0, 0.0, r[2] - r[0], r[3] - r[1]));
                x.resources()
                    .fonts()
                    .pair(Style::Regular.resource(), regular);
            }
        }
    }
    // Radio buttons.
    for (w, widget) in layout.widgets.iter().enumerate() {
        let node = &fields[widget.field];
        if node.kind != NodeKind::Radio {
            continue;
        }
        let mut annot = pdf.annotation(widget_refs[w]);
        annot.subtype(AnnotationType::Widget);
        annot.parent(field_refs[widget.field]);
        widget_dict(&mut annot, &layout, w, page_refs[widget.page], page_count);
        if let Some(t) = &widget.tooltip {
            annot.pair(Name(b"TU"), TextStr(t));
        }
        let on = widget.on.clone().unwrap_or_default();
        let state = if node.value.as_deref() == Some(on.as_str()) {
            on.as_str()
        } else {
            "Off"
        };
        annot.appearance_state(Name(state.as_bytes()));
        annot
            .appearance()
            .normal()
            .streams()
            .pairs([(Name(on.as_bytes()), radio_on), (Name(b"Off"), off)]);
    }

    // Pages.
    let content_refs: Vec<Ref> = (0..page_count).map(|_| refs.next()).collect();
    for (i, data) in contents.iter().enumerate() {
        pdf.stream(content_refs[i], &deflate(data))
            .filter(Filter::FlateDecode);
        let mut page = pdf.page(page_refs[i]);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(content_refs[i])
            .struct_parents(i as i32)
            .tab_order(TabOrder::StructureOrder);
        if !page_widgets[i].is_empty() {
            page.annotations(page_widgets[i].iter().map(|&w| widget_refs[w]));
        }
        let mut resources = page.resources();
        let mut fonts_dict = resources.fonts();
        for (style, &id) in [Style::Regular, Style::Bold, Style::Italic]
            .iter()
            .zip(&font_refs)
        {
            fonts_dict.pair(style.resource(), id);
        }
    }
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(page_count as i32);

    // Structure tree: the parent tree maps each page's marked content and each widget to
    // its element.
    let root = refs.next();
    let parent_arrays: Vec<Ref> = (0..page_count).map(|_| refs.next()).collect();
    for (i, mcids) in page_mcids.iter().enumerate() {
        pdf.indirect(parent_arrays[i])
            .array()
            .items(mcids.iter().map(|&e| element_refs[e]));
    }
    for (e, element) in layout.elements.iter().enumerate() {
        let mut el = pdf.struct_element(element_refs[e]);
        el.kind(element.role);
        el.parent(if e == 0 {
            root
        } else {
            element_refs[element.parent]
        });
        let mut kids = el.children();
        for kid in &element.kids {
            match *kid {
                Kid::Element(k) => {
                    kids.struct_element(element_refs[k]);
                }
                Kid::Content { page, mcid } => {
                    kids.marked_content_ref()
                        .page(page_refs[page])
                        .marked_content_id(mcid);
                }
                Kid::Widget(w) => {
                    kids.object_ref()
                        .page(page_refs[layout.widgets[w].page])
                        .object(widget_refs[w]);
                }
            }
        }
    }
    let info = refs.next();
    let metadata = refs.next();
    let xmp = xmp(meta);
    pdf.metadata(metadata, xmp.as_bytes());
    pdf.document_info(info)
        .title(TextStr(meta.title))
        .producer(TextStr("Formwerk"))
        .creator(TextStr("Formwerk"))
        .pair(Name(super::read::FORM_KEY), TextStr(meta.id))
        .pair(Name(super::read::VERSION_KEY), TextStr(meta.version));
    let mut cat = pdf.catalog(catalog);
    cat.pages(tree);
    cat.lang(TextStr(meta.lang));
    cat.metadata(metadata);
    cat.mark_info().marked(true);
    cat.viewer_preferences().display_doc_title(true);
    cat.pair(Name(b"StructTreeRoot"), root);
    if !fields.is_empty() {
        let mut form = cat.form();
        form.fields(
            fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.parent.is_none())
                .map(|(i, _)| field_refs[i]),
        );
        form.default_appearance(Str(da.as_bytes()));
        form.default_resources()
            .fonts()
            .pair(Style::Regular.resource(), regular);
        if !calculation_order.is_empty() {
            form.calculation_order(calculation_order.iter().map(|&i| field_refs[i]));
        }
    }
    // The calculations' shared helpers, run once when the document opens.
    let helpers = (!calculation_order.is_empty()).then(|| refs.next());
    if let Some(r) = helpers {
        cat.names()
            .javascript()
            .names()
            .insert(Str(super::script::HELPERS_NAME.as_bytes()), r);
    }
    cat.finish();
    if let Some(r) = helpers {
        let code = refs.next();
        pdf.indirect(r)
            .start::<Action>()
            .action_type(ActionType::JavaScript)
            .js_stream(code);
        pdf.stream(code, &deflate(super::script::HELPERS.as_bytes()))
            .filter(Filter::FlateDecode);
    }
    {
        let mut st = pdf.indirect(root).start::<StructTreeRoot>();
        st.child(element_refs[0]);
        {
            let mut tree = st.parent_tree();
            let mut entries = tree.nums();
            for (i, &a) in parent_arrays.iter().enumerate() {
                entries.insert(i as i32, a);
            }
            for (w, widget) in layout.widgets.iter().enumerate() {
                entries.insert((page_count + w) as i32, element_refs[widget.element]);
            }
        }
        st.parent_tree_next_key((page_count + layout.widgets.len()) as i32);
    }
    let id = file_id(meta, &contents);
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// Annotation keys every widget has.
fn widget_dict(
    annot: &mut pdf_writer::writers::Annotation,
    layout: &Layout,
    w: usize,
    page: Ref,
    page_count: usize,
) {
    let r = layout.widgets[w].rect;
    annot
        .rect(Rect::new(r[0], r[1], r[2], r[3]))
        .page(page)
        .flags(AnnotationFlags::PRINT)
        .struct_parent((page_count + w) as i32);
}

/// A text field's appearance: its value in the field font, clipped to the box.
fn text_appearance(layout: &Layout, node: &FieldNode, width: f32, height: f32) -> Vec<u8> {
    let mut c = Content::new();
    c.begin_marked_content(Name(b"Tx"));
    if let Some(value) = &node.value {
        c.save_state();
        c.rect(1.0, 1.0, width - 2.0, height - 2.0);
        c.clip_nonzero();
        c.end_path();
        c.begin_text();
        c.set_font(Style::Regular.resource(), FIELD_SIZE);
        c.set_fill_gray(0.0);
        let multiline = matches!(node.kind, NodeKind::Text { multiline: true });
        if multiline {
            let lines = layout.wrap(&plain(value), FIELD_SIZE, width - 4.0);
            let leading = FIELD_SIZE * 1.2;
            c.next_line(2.0, height - 2.0 - FIELD_SIZE);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    c.next_line(0.0, -leading);
                }
                let bytes: Vec<u8> = line.pieces.iter().flat_map(|p| p.1.clone()).collect();
                c.show(Str(&bytes));
            }
        } else {
            c.next_line(2.0, (height - FIELD_SIZE) / 2.0 + 0.22 * FIELD_SIZE);
            c.show(Str(&encode(value)));
        }
        c.end_text();
        c.restore_state();
    }
    c.end_marked_content();
    c.finish().into_vec()
}

/// "Title · Version v" above, "Seite n von m" below, both pagination artifacts.
fn header_footer(c: &mut Content, fonts: &Fonts, meta: &Meta, n: usize, count: usize) {
    let header = encode(&format!(
        "{} · {} {}",
        meta.title, meta.strings.version, meta.version
    ));
    let footer = encode(&format!(
        "{} {n} {} {count}",
        meta.strings.page, meta.strings.page_of
    ));
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
        c.set_font(Style::Regular.resource(), 8.0);
        let x = if subtype == b"Footer" {
            (PAGE_W - fonts.regular.width(&text, 8.0)) / 2.0
        } else {
            LEFT
        };
        c.next_line(x, y);
        c.show(Str(&text));
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

/// A simple TrueType font with WinAnsiEncoding, its descriptor and the embedded subset.
fn write_font(pdf: &mut Pdf, refs: &mut Refs, id: Ref, face: &Face) {
    let descriptor = refs.next();
    let file = refs.next();
    pdf.stream(file, &face.embedded)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), face.embedded_len as i32);
    let mut flags = FontFlags::NON_SYMBOLIC;
    if face.italic_angle != 0.0 {
        flags |= FontFlags::ITALIC;
    }
    pdf.font_descriptor(descriptor)
        .name(Name(face.name.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(
            face.bbox[0],
            face.bbox[1],
            face.bbox[2],
            face.bbox[3],
        ))
        .italic_angle(face.italic_angle)
        .ascent(face.ascent)
        .descent(face.descent)
        .cap_height(face.cap_height)
        .stem_v(if face.bold { 140.0 } else { 80.0 })
        .font_file2(file);
    let mut font = pdf.indirect(id).dict();
    font.pair(Name(b"Type"), Name(b"Font"));
    font.pair(Name(b"Subtype"), Name(b"TrueType"));
    font.pair(Name(b"BaseFont"), Name(face.name.as_bytes()));
    font.pair(Name(b"FirstChar"), 32);
    font.pair(Name(b"LastChar"), 255);
    font.insert(Name(b"Widths"))
        .array()
        .items(face.widths.iter().map(|w| w.round()));
    font.pair(Name(b"Encoding"), Name(b"WinAnsiEncoding"));
    font.pair(Name(b"FontDescriptor"), descriptor);
}

fn xmp(meta: &Meta) -> String {
    let title = formwerk_text::html::escape(meta.title);
    let lang = formwerk_text::html::escape(meta.lang);
    let bom = '\u{FEFF}';
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<dc:format>application/pdf</dc:format>
<pdf:Producer>Formwerk</pdf:Producer>
<xmp:CreatorTool>Formwerk</xmp:CreatorTool>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#
    )
}

/// A file identifier from the document's content (FNV-1a), the same for the same form.
fn file_id(meta: &Meta, contents: &[Vec<u8>]) -> Vec<u8> {
    fn feed(mut h: u64, bytes: &[u8]) -> u64 {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        h
    }
    let mut h: u64 = 0xcbf29ce484222325;
    h = feed(h, meta.title.as_bytes());
    h = feed(h, meta.version.as_bytes());
    for c in contents {
        h = feed(h, c);
    }
    let second = feed(h, b"formwerk");
    [h.to_be_bytes(), second.to_be_bytes()].concat()
}
