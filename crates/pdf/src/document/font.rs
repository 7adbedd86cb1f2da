//! The embedded fonts: a composite font (Type0, CIDFontType2, Identity-H) for every face
//! the PDF draws with, subset to exactly the glyphs it uses, with a ToUnicode CMap so that
//! copying and searching give the text back; and, in a fillable PDF, the simple field font
//! of the default appearance.
//!
//! A CID is the glyph's id in the original face (see [`crate::shape`]); /CIDToGIDMap maps
//! it to the id in the subset, /CIDSet lists the CIDs present (every CID the map holds). A
//! subset's name starts with a tag of six capital letters made from its bytes (ISO 32000-1,
//! 9.6.4): the same glyphs give the same name, on every build.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};

use super::{Refs, deflate};
use crate::fonts::{Face, FieldFont, Fonts};
use crate::shape::Usage;

/// One object number per font: the field font first, then one per face.
pub(super) fn allocate(refs: &mut Refs, fonts: &Fonts) -> Vec<Ref> {
    (0..=fonts.faces.len()).map(|_| refs.next()).collect()
}

/// Writes the fonts `used` draws with (and the field font when the PDF has fields) into
/// the objects `ids` of [`allocate`].
pub(super) fn write_fonts(
    pdf: &mut Pdf,
    refs: &mut Refs,
    ids: &[Ref],
    fonts: &Fonts,
    used: &Usage,
    fields: bool,
) {
    if fields {
        write_field_font(pdf, refs, ids[0], &fonts.field, &fonts.faces[0]);
    }
    for (i, face) in fonts.faces.iter().enumerate() {
        if used.uses(i) {
            write_composite(pdf, refs, ids[i + 1], face, &used.glyphs[i]);
        }
    }
}

/// The six capital letters that tag a subset, from its bytes.
fn subset_tag(program: &[u8]) -> String {
    Sha256::digest(program)
        .iter()
        .take(6)
        .map(|b| (b'A' + b % 26) as char)
        .collect()
}

/// A Type0 font of `face` with the glyphs `glyphs` (CID → the text it stands for).
fn write_composite(
    pdf: &mut Pdf,
    refs: &mut Refs,
    id: Ref,
    face: &Face,
    glyphs: &BTreeMap<u16, String>,
) {
    let cids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.keys().copied().filter(|&g| g != 0))
        .collect();
    let (cid_font, descriptor, to_unicode) = (refs.next(), refs.next(), refs.next());
    // A face the subsetter cannot read (a theme's own font) is not embedded: readers then
    // substitute it.
    let (program, new) = face.subset(&cids).unwrap_or_default();
    let base = format!("{}+{}", subset_tag(&program), face.name);
    pdf.type0_font(id)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(to_unicode);
    let max = *cids.last().unwrap_or(&0) as usize;
    let mut map = vec![0u8; (max + 1) * 2];
    for (&cid, &gid) in cids.iter().zip(&new) {
        map[cid as usize * 2..cid as usize * 2 + 2].copy_from_slice(&gid.to_be_bytes());
    }
    // Every CID the map holds names a glyph of the program, the ones not used .notdef: all
    // are present (as veraPDF reads PDF/A-2 6.2.11.4 and PDF/UA 31-014/31-015), so the set
    // is the CIDs 0 to `max`, not only those the PDF shows.
    let mut set = vec![0xFFu8; max / 8 + 1];
    set[max / 8] = 0xFF << (7 - max % 8);
    let map_ref = refs.next();
    let mut cid = pdf.cid_font(cid_font);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system_info())
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_stream(map_ref);
    let mut widths = cid.widths();
    for &g in &cids {
        widths.consecutive(g, [face.advance(g).round()]);
    }
    widths.finish();
    cid.finish();
    pdf.stream(map_ref, &deflate(&map))
        .filter(Filter::FlateDecode);
    let (file, set_ref) = (refs.next(), refs.next());
    if !program.is_empty() {
        pdf.stream(set_ref, &deflate(&set))
            .filter(Filter::FlateDecode);
    }
    let mut flags = FontFlags::SYMBOLIC;
    if face.italic_angle != 0.0 {
        flags |= FontFlags::ITALIC;
    }
    let mut d = pdf.font_descriptor(descriptor);
    metrics(&mut d, &base, face, flags);
    if !program.is_empty() {
        // A set describes the program embedded; without one there is nothing to describe.
        d.font_file2(file);
        d.cid_set(set_ref);
    }
    d.finish();
    if !program.is_empty() {
        pdf.stream(file, &deflate(&program))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program.len() as i32);
    }
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Formwerk-UCS"), system_info());
    for (&g, text) in glyphs {
        if !text.is_empty() {
            cmap.pair_with_multiple(g, text.chars());
        }
    }
    pdf.cmap(to_unicode, &cmap.finish())
        .name(Name(b"Formwerk-UCS"))
        .system_info(system_info());
}

fn system_info() -> SystemInfo<'static> {
    SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    }
}

/// The descriptor's metrics of `face`, named `name`.
fn metrics(d: &mut pdf_writer::writers::FontDescriptor, name: &str, face: &Face, flags: FontFlags) {
    d.name(Name(name.as_bytes()))
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
        .stem_v(if face.bold { 140.0 } else { 80.0 });
}

/// The simple TrueType font with WinAnsiEncoding of the default appearance, its
/// descriptor and its program (made once per process, see [`FieldFont`]). It keeps whole
/// ranges of the face rather than the glyphs this PDF uses, so its name has no subset tag:
/// a tag tells readers not to type new text with the font.
fn write_field_font(pdf: &mut Pdf, refs: &mut Refs, id: Ref, field: &FieldFont, face: &Face) {
    let descriptor = refs.next();
    let file = refs.next();
    pdf.stream(file, &field.embedded)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), field.embedded_len as i32);
    let mut d = pdf.font_descriptor(descriptor);
    let mut flags = FontFlags::NON_SYMBOLIC;
    if face.italic_angle != 0.0 {
        flags |= FontFlags::ITALIC;
    }
    metrics(&mut d, &field.name, face, flags);
    d.font_file2(file);
    d.finish();
    let mut font = pdf.indirect(id).dict();
    font.pair(Name(b"Type"), Name(b"Font"));
    font.pair(Name(b"Subtype"), Name(b"TrueType"));
    font.pair(Name(b"BaseFont"), Name(field.name.as_bytes()));
    font.pair(Name(b"FirstChar"), 32);
    font.pair(Name(b"LastChar"), 255);
    font.insert(Name(b"Widths"))
        .array()
        .items(field.widths.iter().map(|w| w.round()));
    font.pair(Name(b"Encoding"), Name(b"WinAnsiEncoding"));
    font.pair(Name(b"FontDescriptor"), descriptor);
}
