//! The embedded fonts: one simple TrueType font per style, each with its descriptor and its
//! subset.

use pdf_writer::types::FontFlags;
use pdf_writer::{Filter, Name, Pdf, Rect, Ref};

use super::Refs;
use crate::fonts::Face;
use crate::layout::{Fonts, Style};

/// The styles in the order of their font objects, and of the pages' font resources.
pub(super) const STYLES: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];

/// Writes the three fonts; returns their objects in the order of [`STYLES`].
pub(super) fn write_fonts(pdf: &mut Pdf, refs: &mut Refs, fonts: &Fonts) -> Vec<Ref> {
    let font_refs: Vec<Ref> = STYLES.iter().map(|_| refs.next()).collect();
    for (style, &id) in STYLES.iter().zip(&font_refs) {
        write_font(pdf, refs, id, fonts.face(*style));
    }
    font_refs
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
