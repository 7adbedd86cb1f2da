//! The AcroForm: the field tree, a widget annotation for every place a field is filled in,
//! the appearance of each widget, the form dictionary of the catalog, and the shared
//! JavaScript of the calculations.
//!
//! A text field or checkbox and its single widget are one object; radio buttons are widgets
//! of their group, each an object of its own.

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, FieldFlags, FieldType, Quadding,
};
use pdf_writer::writers::{Action, Annotation, Field, Form};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::{Objects, Refs, deflate};
use crate::compose::{FieldNode, NodeKind};
use crate::layout::{Layout, Style, circle, cross, plain};
use crate::script::HELPERS;

/// Field text size, for the default appearance and the appearance streams.
const FIELD_SIZE: f32 = crate::compose::FIELD_TEXT.size;

/// The smallest size an appearance stream shrinks a value to, so that all of it is seen.
const SMALLEST: f32 = 5.0;

/// The default appearance of text: the regular font at `size` (0: the reader fits the text
/// into the box), black.
fn default_appearance(size: f32) -> String {
    format!("/FwR {size} Tf 0 g")
}

/// The appearances checkboxes and radio buttons share: a cross, a dot, nothing.
pub(super) struct Marks {
    check_on: Ref,
    radio_on: Ref,
    off: Ref,
}

/// Writes the three shared appearances.
pub(super) fn write_marks(pdf: &mut Pdf, refs: &mut Refs) -> Marks {
    let marks = Marks {
        check_on: refs.next(),
        radio_on: refs.next(),
        off: refs.next(),
    };
    let mark_box = Rect::new(0.0, 0.0, 11.0, 11.0);
    let mut mark = Content::new();
    cross(&mut mark, 0.0, 0.0);
    pdf.form_xobject(marks.check_on, &mark.finish())
        .bbox(mark_box);
    let mut dot = Content::new();
    dot.set_fill_gray(0.0);
    circle(&mut dot, 5.5, 5.5, 2.8);
    dot.fill_nonzero();
    pdf.form_xobject(marks.radio_on, &dot.finish())
        .bbox(mark_box);
    pdf.form_xobject(marks.off, &Content::new().finish())
        .bbox(mark_box);
    marks
}

/// The field tree in the order of `fields`, each field merged with its widget where it has
/// just one, and a text field's appearance stream right after it.
pub(super) fn write_fields(
    pdf: &mut Pdf,
    refs: &mut Refs,
    objects: &Objects,
    layout: &Layout,
    fields: &[FieldNode],
    marks: &Marks,
) {
    for (i, node) in fields.iter().enumerate() {
        let merged = node.widgets.len() == 1 && node.kind != NodeKind::Radio;
        let mut field = pdf.form_field(objects.fields[i]);
        field_entries(&mut field, node, objects);
        if !merged {
            let mut kids: Vec<Ref> = node.children.iter().map(|&c| objects.fields[c]).collect();
            kids.extend(node.widgets.iter().map(|&w| objects.widgets[w]));
            if !kids.is_empty() {
                field.children(kids);
            }
            field.finish();
            continue;
        }
        let w = node.widgets[0];
        let mut annot = field.into_annotation();
        widget_dict(&mut annot, layout, w, objects);
        if node.kind == NodeKind::Check {
            let on = layout.widgets[w].on.clone().unwrap_or_default();
            annot.appearance_state(Name(node.value.as_deref().unwrap_or("Off").as_bytes()));
            annot.appearance().normal().streams().pairs([
                (Name(on.as_bytes()), marks.check_on),
                (Name(b"Off"), marks.off),
            ]);
        } else {
            let ap = refs.next();
            annot.appearance().normal().stream(ap);
            annot.finish();
            let content = match node.kind {
                NodeKind::Signature => Vec::new(),
                NodeKind::Text { .. } | NodeKind::Group | NodeKind::Check | NodeKind::Radio => {
                    let r = layout.widgets[w].rect;
                    text_appearance(layout, node, r[2] - r[0], r[3] - r[1])
                }
            };
            write_appearance(pdf, ap, layout, w, objects, &content);
        }
    }
}

/// A field's own keys: names, parent, type and value, flags, actions.
fn field_entries(field: &mut Field, node: &FieldNode, objects: &Objects) {
    field.partial_name(TextStr(&node.name));
    field.alternate_name(TextStr(&node.tooltip));
    if let Some(p) = node.parent {
        field.parent(objects.fields[p]);
    }
    let mut flags = FieldFlags::empty();
    if node.required {
        flags |= FieldFlags::REQUIRED;
    }
    if node.read_only {
        flags |= FieldFlags::READ_ONLY;
    }
    flags |= field_value(field, node);
    if !flags.is_empty() {
        field.field_flags(flags);
    }
    field_actions(field, node);
}

/// The field type with its value (and a text field's appearance, alignment and length);
/// returns the flags the type needs. A line fits its text to the box (size 0), a text area
/// keeps the field size and scrolls (Multiline, never DoNotScroll).
fn field_value(field: &mut Field, node: &FieldNode) -> FieldFlags {
    let mut flags = FieldFlags::empty();
    match &node.kind {
        NodeKind::Group => {}
        NodeKind::Signature => {
            field.field_type(FieldType::Signature);
        }
        NodeKind::Text { multiline } => {
            field.field_type(FieldType::Text);
            let size = if *multiline {
                flags |= FieldFlags::MULTILINE;
                FIELD_SIZE
            } else {
                0.0
            };
            let da = default_appearance(size);
            field.vartext_default_appearance(Str(da.as_bytes()));
            if node.rules.right {
                field.vartext_quadding(Quadding::Right);
            }
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
    flags
}

/// A computed field's calculate action; the keystroke, validate and format actions of a
/// checked field (rules.rs), or a number cell's that keep its text for a calculation.
fn field_actions(field: &mut Field, node: &FieldNode) {
    let rules = &node.rules;
    let keystroke = rules.keystroke.as_deref().or(node.format);
    let format = rules.format.as_deref().or(node.format);
    let actions = [
        (&b"C"[..], node.calculate.as_deref()),
        (b"K", keystroke),
        (b"V", rules.validate.as_deref()),
        (b"F", format),
    ];
    if actions.iter().all(|(_, js)| js.is_none()) {
        return;
    }
    let mut aa = field.additional_actions();
    for (key, js) in actions {
        if let Some(js) = js {
            aa.insert(Name(key))
                .start::<Action>()
                .action_type(ActionType::JavaScript)
                .js_string(TextStr(js));
        }
    }
}

/// The appearance stream `content` of widget `w`, compressed, as object `ap`.
fn write_appearance(
    pdf: &mut Pdf,
    ap: Ref,
    layout: &Layout,
    w: usize,
    objects: &Objects,
    content: &[u8],
) {
    let r = layout.widgets[w].rect;
    let data = deflate(content);
    let mut x = pdf.form_xobject(ap, &data);
    x.filter(Filter::FlateDecode);
    x.bbox(Rect::new(0.0, 0.0, r[2] - r[0], r[3] - r[1]));
    x.resources()
        .fonts()
        .pairs(super::font_resources(&objects.fonts, &layout.used.borrow()));
}

/// A text field's appearance: its value (a number as its format shows it) in the field
/// font, made smaller where that is needed for all of it to fit the box, right-aligned
/// for a number.
fn text_appearance(layout: &Layout, node: &FieldNode, width: f32, height: f32) -> Vec<u8> {
    let mut c = Content::new();
    c.begin_marked_content(Name(b"Tx"));
    if let Some(value) = node.rules.shown.as_ref().or(node.value.as_ref()) {
        c.save_state();
        c.rect(1.0, 1.0, width - 2.0, height - 2.0);
        c.clip_nonzero();
        c.end_path();
        c.begin_text();
        c.set_fill_gray(0.0);
        let multiline = matches!(node.kind, NodeKind::Text { multiline: true });
        if multiline {
            let (size, lines) = fit_lines(layout, value, width - 4.0, height - 4.0);
            c.next_line(2.0, height - 2.0 - size);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    c.next_line(0.0, -size * 1.2);
                }
                for (style, text) in &line.pieces {
                    layout.show(&mut c, *style, size, text);
                }
            }
        } else {
            let line = layout.wrap(&plain(value), 1.0, f32::INFINITY);
            let natural = line.first().map_or(0.0, |l| l.width);
            let size = if natural > 0.0 {
                ((width - 4.0) / natural).clamp(SMALLEST, FIELD_SIZE)
            } else {
                FIELD_SIZE
            };
            let x = if node.rules.right {
                (width - 2.0 - natural * size).max(2.0)
            } else {
                2.0
            };
            c.next_line(x, (height - size) / 2.0 + 0.22 * size);
            layout.show(&mut c, Style::Regular, size, value);
        }
        c.end_text();
        c.restore_state();
    }
    c.end_marked_content();
    c.finish().into_vec()
}

/// The largest size from the field size down to the smallest at which `value`'s wrapped
/// lines fit `height`, and the lines at that size (at the smallest they may still not:
/// the reader scrolls the field).
fn fit_lines(
    layout: &Layout,
    value: &str,
    width: f32,
    height: f32,
) -> (f32, Vec<crate::layout::Line>) {
    let mut size = FIELD_SIZE;
    loop {
        let lines = layout.wrap(&plain(value), size, width);
        let needed = lines.len() as f32 * size * 1.2;
        if needed <= height || size <= SMALLEST {
            return (size, lines);
        }
        size -= 0.5;
    }
}

/// The radio buttons: a widget of its group each, with its own tooltip and on-state.
pub(super) fn write_radio_widgets(
    pdf: &mut Pdf,
    objects: &Objects,
    layout: &Layout,
    fields: &[FieldNode],
    marks: &Marks,
) {
    for (w, widget) in layout.widgets.iter().enumerate() {
        let node = &fields[widget.field];
        if node.kind != NodeKind::Radio {
            continue;
        }
        let mut annot = pdf.annotation(objects.widgets[w]);
        annot.subtype(AnnotationType::Widget);
        annot.parent(objects.fields[widget.field]);
        widget_dict(&mut annot, layout, w, objects);
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
        annot.appearance().normal().streams().pairs([
            (Name(on.as_bytes()), marks.radio_on),
            (Name(b"Off"), marks.off),
        ]);
    }
}

/// Annotation keys every widget has; its /StructParent follows the pages' keys.
fn widget_dict(annot: &mut Annotation, layout: &Layout, w: usize, objects: &Objects) {
    let widget = &layout.widgets[w];
    let r = widget.rect;
    annot
        .rect(Rect::new(r[0], r[1], r[2], r[3]))
        .page(objects.pages[widget.page])
        .flags(AnnotationFlags::PRINT)
        .struct_parent((objects.pages.len() + w) as i32);
}

/// The catalog's form dictionary: the top-level fields, the default appearance and font,
/// and the order of the calculations (/CO).
pub(super) fn form_dict(
    mut form: Form,
    objects: &Objects,
    fields: &[FieldNode],
    calculation_order: &[usize],
) {
    form.fields(
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.parent.is_none())
            .map(|(i, _)| objects.fields[i]),
    );
    form.default_appearance(Str(default_appearance(FIELD_SIZE).as_bytes()));
    form.default_resources()
        .fonts()
        .pair(Style::Regular.resource(), objects.fonts[0]);
    if !calculation_order.is_empty() {
        form.calculation_order(calculation_order.iter().map(|&i| objects.fields[i]));
    }
}

/// The calculations' shared helpers as the JavaScript action `action`, run once when the
/// document opens (the catalog names it).
pub(super) fn write_helpers(pdf: &mut Pdf, refs: &mut Refs, action: Ref) {
    let code = refs.next();
    pdf.indirect(action)
        .start::<Action>()
        .action_type(ActionType::JavaScript)
        .js_stream(code);
    pdf.stream(code, &deflate(HELPERS.as_bytes()))
        .filter(Filter::FlateDecode);
}
