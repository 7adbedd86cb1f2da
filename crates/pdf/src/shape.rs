//! Text to glyphs: each character drawn with the first face of the chain that has it
//! (the style's DejaVu face → the fallbacks, Noto Sans Arabic and Hebrew → regular DejaVu),
//! right-to-left runs ordered by the Unicode bidi algorithm (`unicode-bidi`) and shaped by
//! `rustybuzz` (Arabic joining forms, ligatures, marks). A character no face has is drawn as
//! a marked placeholder and remembered, so that the PDF can name it.
//!
//! Text of the alphabets that need no shaping (Latin, Greek, Cyrillic without combining
//! marks, punctuation) takes a direct path: one glyph per character from a table, no kerning.
//!
//! Glyphs are written as CIDs of composite fonts with Identity-H: the CID of a glyph is its
//! id in the original face (`document/font.rs` maps it to the subset's id), so that content
//! can be written before the PDF's subsets are made.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pdf_writer::{Content, Name, Str};
use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

use crate::fonts::Fonts;
use crate::layout::Style;

/// One glyph: its id in its face, its advance and offsets from shaping (in thousandths of
/// the font size; marks are placed by them), and the bytes of the text it stands for.
pub(crate) struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub offset: f32,
    pub rise: f32,
    pub text: Range<usize>,
}

/// Glyphs of one face, in visual order (left to right).
pub(crate) struct GlyphRun {
    /// The face's index in [`Fonts::faces`].
    pub font: usize,
    /// Placeholders for characters no face has.
    pub missing: bool,
    pub glyphs: Vec<Glyph>,
}

/// A shaped text: its runs from left to right and its width in thousandths of the size.
pub(crate) struct Shaped {
    pub runs: Vec<GlyphRun>,
    pub width: f32,
}

/// The glyphs a PDF uses, per face, with the text each stands for (its ToUnicode entry),
/// and the characters no face has.
#[derive(Default)]
pub(crate) struct Usage {
    pub glyphs: Vec<BTreeMap<u16, String>>,
    pub missing: BTreeSet<char>,
}

impl Usage {
    fn record(&mut self, shaped: &Shaped, text: &str) {
        for run in &shaped.runs {
            if self.glyphs.len() <= run.font {
                self.glyphs.resize_with(run.font + 1, BTreeMap::new);
            }
            for g in &run.glyphs {
                let t = &text[g.text.clone()];
                if run.missing {
                    self.missing.extend(t.chars());
                }
                let t = if run.missing { "\u{FFFD}" } else { t };
                let entry = self.glyphs[run.font].entry(g.id).or_default();
                if entry.is_empty() {
                    entry.push_str(t);
                }
            }
        }
    }

    /// Whether the face `font` draws anything in this PDF.
    pub fn uses(&self, font: usize) -> bool {
        self.glyphs.get(font).is_some_and(|g| !g.is_empty())
    }
}

/// The resource name of the composite font of face `font`.
pub(crate) fn resource(font: usize) -> Name<'static> {
    const NAMES: [&[u8]; 8] = [
        b"Fw0", b"Fw1", b"Fw2", b"Fw3", b"Fw4", b"Fw5", b"Fw6", b"Fw7",
    ];
    Name(NAMES[font])
}

/// The most faces a PDF can use (regular, bold, italic and the fallbacks).
pub(crate) const MAX_FACES: usize = 8;

/// Shapes `text` in `style`; control characters count as spaces.
pub(crate) fn shape(fonts: &Fonts, style: Style, text: &str) -> Shaped {
    let primary = fonts.index(style);
    direct(fonts, primary, text).unwrap_or_else(|| shaped(fonts, style, text))
}

/// The width of `text` at `size` points.
pub(crate) fn width(fonts: &Fonts, style: Style, text: &str, size: f32) -> f32 {
    shape(fonts, style, text).width * size / 1000.0
}

/// Whether a character needs neither shaping nor reordering.
fn is_direct(c: char) -> bool {
    let u = c as u32;
    let marks = (0x0300..=0x036F).contains(&u) || (0x0483..=0x0489).contains(&u);
    let controls = (0x200B..=0x200F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2060..=0x206F).contains(&u)
        || (0x20D0..=0x20FF).contains(&u);
    ((0x20..0x0590).contains(&u) && !marks) || ((0x1E00..=0x2BFF).contains(&u) && !controls)
}

/// The direct path: one glyph a character from the primary face, or `None` when the text
/// needs the shaper or another face.
fn direct(fonts: &Fonts, font: usize, text: &str) -> Option<Shaped> {
    let face = &fonts.faces[font];
    let mut glyphs = Vec::with_capacity(text.len());
    let mut width = 0.0;
    for (i, c) in text.char_indices() {
        if !is_direct(c) {
            return None;
        }
        let id = face.glyph(c)?;
        let advance = face.advance(id);
        width += advance;
        glyphs.push(Glyph {
            id,
            advance,
            offset: 0.0,
            rise: 0.0,
            text: i..i + c.len_utf8(),
        });
    }
    Some(Shaped {
        runs: vec![GlyphRun {
            font,
            missing: false,
            glyphs,
        }],
        width,
    })
}

/// The full path: bidi runs in visual order, each cut where the face changes, shaped.
fn shaped(fonts: &Fonts, style: Style, text: &str) -> Shaped {
    // Of the same length in UTF-8 (C0 controls and DEL take one byte, C1 controls two): the
    // glyphs' byte ranges must stay those of the caller's text.
    let text: String = text
        .chars()
        .map(|c| match c {
            c if !c.is_control() => c,
            c if c.len_utf8() == 1 => ' ',
            _ => '\u{A0}',
        })
        .collect();
    let bidi = BidiInfo::new(&text, None);
    let mut runs = Vec::new();
    let mut width = 0.0;
    for para in &bidi.paragraphs {
        let (levels, visual) = bidi.visual_runs(para, para.range.clone());
        for range in visual {
            let rtl = levels[range.start].is_rtl();
            let mut pieces = by_face(fonts, style, &text, range);
            if rtl {
                pieces.reverse();
            }
            for (font, piece) in pieces {
                let run = match font {
                    Some(font) => shape_piece(fonts, font, &text, piece, rtl),
                    None => placeholders(fonts, &text, piece, rtl),
                };
                width += run.glyphs.iter().map(|g| g.advance).sum::<f32>();
                runs.push(run);
            }
        }
    }
    Shaped { runs, width }
}

/// Cuts `range` of `text` where the face that has the characters changes (`None`: no face
/// has them). Marks and joiners stay with the character before them.
fn by_face(
    fonts: &Fonts,
    style: Style,
    text: &str,
    range: Range<usize>,
) -> Vec<(Option<usize>, Range<usize>)> {
    let mut pieces: Vec<(Option<usize>, Range<usize>)> = Vec::new();
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        let end = at + c.len_utf8();
        let follows = matches!(bidi_class(c), BidiClass::NSM | BidiClass::BN);
        let font = match pieces.last() {
            Some((f, _)) if follows => *f,
            _ => fonts
                .chain(style, c)
                .find(|&f| fonts.faces[f].glyph(c).is_some()),
        };
        match pieces.last_mut() {
            Some((f, r)) if *f == font => r.end = end,
            _ => pieces.push((font, at..end)),
        }
    }
    pieces
}

/// Shapes one piece of one face with rustybuzz.
fn shape_piece(fonts: &Fonts, font: usize, text: &str, piece: Range<usize>, rtl: bool) -> GlyphRun {
    let face = &fonts.faces[font];
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(&text[piece.clone()]);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let out = rustybuzz::shape(face.shaper(), &[], buffer);
    let mut clusters: Vec<usize> = out
        .glyph_infos()
        .iter()
        .map(|g| g.cluster as usize)
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    let mut seen = BTreeSet::new();
    let glyphs = out
        .glyph_infos()
        .iter()
        .zip(out.glyph_positions())
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            let end = match clusters.binary_search(&start) {
                Ok(k) if k + 1 < clusters.len() => clusters[k + 1],
                _ => piece.len(),
            };
            // The first glyph of a cluster stands for its text, the others for nothing.
            let text = if seen.insert(start) {
                piece.start + start..piece.start + end
            } else {
                piece.start + start..piece.start + start
            };
            Glyph {
                id: info.glyph_id as u16,
                advance: face.scale(pos.x_advance),
                offset: face.scale(pos.x_offset),
                rise: face.scale(pos.y_offset),
                text,
            }
        })
        .collect();
    GlyphRun {
        font,
        missing: false,
        glyphs,
    }
}

/// A placeholder for each character no face has (U+FFFD of the regular face), except
/// invisible ones (joiners, direction marks).
fn placeholders(fonts: &Fonts, text: &str, piece: Range<usize>, rtl: bool) -> GlyphRun {
    let face = &fonts.faces[0];
    let id = face.glyph('\u{FFFD}').unwrap_or(0);
    let advance = face.advance(id);
    let mut glyphs: Vec<Glyph> = text[piece.clone()]
        .char_indices()
        .filter(|(_, c)| bidi_class(*c) != BidiClass::BN)
        .map(|(i, c)| Glyph {
            id,
            advance,
            offset: 0.0,
            rise: 0.0,
            text: piece.start + i..piece.start + i + c.len_utf8(),
        })
        .collect();
    if rtl {
        glyphs.reverse();
    }
    GlyphRun {
        font: 0,
        missing: true,
        glyphs,
    }
}

/// Draws shaped text: what page content, headers and field appearances call.
pub(crate) struct TextOut<'a> {
    pub fonts: &'a Fonts,
    pub used: &'a RefCell<Usage>,
}

impl TextOut<'_> {
    /// Shows `text` at the text position in `style` at `size`; a placeholder is drawn in
    /// red, then the fill colour goes back to `gray`. Returns the width in points.
    pub fn show(&self, c: &mut Content, style: Style, size: f32, gray: f32, text: &str) -> f32 {
        let shaped = shape(self.fonts, style, text);
        self.used.borrow_mut().record(&shaped, text);
        for run in &shaped.runs {
            c.set_font(resource(run.font), size);
            if run.missing {
                c.set_fill_rgb(0.8, 0.0, 0.0);
            }
            show_run(c, self.fonts, run, size);
            if run.missing {
                c.set_fill_gray(gray);
            }
        }
        shaped.width * size / 1000.0
    }

    pub fn width(&self, style: Style, text: &str, size: f32) -> f32 {
        width(self.fonts, style, text, size)
    }
}

/// A piece of a TJ array.
enum Item {
    Glyphs(Vec<u8>),
    Adjust(f32),
}

/// One run as TJ arrays: the glyphs' CIDs, moved where shaping placed them when that
/// differs from the font's own advance widths, and raised (Ts) where shaping lifts a mark.
fn show_run(c: &mut Content, fonts: &Fonts, run: &GlyphRun, size: f32) {
    let face = &fonts.faces[run.font];
    // TJ arrays, each at its rise.
    let mut arrays: Vec<(f32, Vec<Item>)> = Vec::new();
    // Where the PDF's pen is, and where shaping wants it, in thousandths of the size.
    let (mut actual, mut pen) = (0.0f32, 0.0f32);
    for g in &run.glyphs {
        if arrays.last().is_none_or(|a| (a.0 - g.rise).abs() > 0.01) {
            arrays.push((g.rise, Vec::new()));
        }
        let items = &mut arrays.last_mut().expect("pushed").1;
        let shift = pen + g.offset - actual;
        if shift.abs() > 0.01 {
            items.push(Item::Adjust(-shift));
        }
        match items.last_mut() {
            Some(Item::Glyphs(bytes)) => bytes.extend_from_slice(&g.id.to_be_bytes()),
            _ => items.push(Item::Glyphs(g.id.to_be_bytes().to_vec())),
        }
        actual = pen + g.offset + face.advance(g.id);
        pen += g.advance;
    }
    if (pen - actual).abs() > 0.01
        && let Some((_, items)) = arrays.last_mut()
    {
        items.push(Item::Adjust(actual - pen));
    }
    let mut risen = false;
    for (rise, items) in arrays {
        if rise != 0.0 || risen {
            c.set_rise(rise * size / 1000.0);
            risen = rise != 0.0;
        }
        let mut shown = c.show_positioned();
        let mut tj = shown.items();
        for item in &items {
            match item {
                Item::Glyphs(bytes) => tj.show(Str(bytes)),
                Item::Adjust(x) => tj.adjust(*x),
            };
        }
    }
    if risen {
        c.set_rise(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../render/theme/fonts");
        Fonts::load(&dir).unwrap()
    }

    fn text_of(shaped: &Shaped, text: &str) -> String {
        shaped
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| &text[g.text.clone()]))
            .collect()
    }

    /// Control characters are drawn as spaces; the glyphs still stand for the text's own
    /// bytes (a C1 control in a label once cut a character in two).
    #[test]
    fn control_characters_keep_the_texts_byte_ranges() {
        let fonts = fonts();
        for text in [
            "Ansc\u{8a}hrift",
            "\u{80}Name",
            "a\tb\u{7f}c",
            "ليلى\u{85}أحمد",
        ] {
            let s = shape(&fonts, Style::Regular, text);
            let mut covered: Vec<&str> = s
                .runs
                .iter()
                .flat_map(|r| r.glyphs.iter().map(|g| &text[g.text.clone()]))
                .collect();
            covered.sort_unstable();
            assert_eq!(covered.concat().len(), text.len(), "{text:?}");
            assert!(s.width > 0.0);
        }
    }

    #[test]
    fn european_names_take_the_direct_path_in_dejavu() {
        let fonts = fonts();
        let text = "Ayşe Đorđe Łukasz Ολυμπία Олена Řehoř Ștefan Nguyễn";
        let s = shape(&fonts, Style::Regular, text);
        assert_eq!(s.runs.len(), 1);
        assert_eq!(s.runs[0].font, 0);
        assert!(!s.runs[0].missing);
        assert_eq!(text_of(&s, text), text);
    }

    #[test]
    fn persian_is_joined_right_to_left_in_noto_sans_arabic() {
        let fonts = fonts();
        let text = "رضا احمدی";
        let s = shape(&fonts, Style::Regular, text);
        let arabic = fonts
            .faces
            .iter()
            .position(|f| f.name.starts_with("NotoSansArabic"));
        assert!(s.runs.iter().all(|r| Some(r.font) == arabic || r.font == 0));
        assert!(s.runs.iter().all(|r| !r.missing));
        // Visual order: the last word (احمدی) comes first, its last letter leftmost.
        let visual = text_of(&s, text);
        assert!(visual.starts_with('ی'), "{visual}");
        // Joined: the medial/final forms are other glyphs than the isolated letters.
        let face = &fonts.faces[arabic.unwrap()];
        let isolated = face.glyph('م').unwrap();
        let ids: Vec<u16> = s
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.id))
            .collect();
        assert!(!ids.contains(&isolated), "م joins both sides in احمدی");
    }

    #[test]
    fn marks_are_raised_where_shaping_places_them() {
        let fonts = fonts();
        let used = RefCell::new(Usage::default());
        let out = TextOut {
            fonts: &fonts,
            used: &used,
        };
        // Shadda over fatha over beh: Noto Sans Arabic stacks the marks by anchors.
        let text = "بَّ";
        let shaped = shape(&fonts, Style::Regular, text);
        assert!(
            shaped
                .runs
                .iter()
                .flat_map(|r| &r.glyphs)
                .any(|g| g.rise != 0.0)
        );
        let mut c = Content::new();
        out.show(&mut c, Style::Regular, 10.0, 0.0, text);
        let body = String::from_utf8_lossy(&c.finish().into_vec()).into_owned();
        assert!(body.contains(" Ts"), "{body}");
        let last_rise = body.lines().rfind(|l| l.ends_with(" Ts"));
        assert_eq!(last_rise, Some("0 Ts"), "the rise goes back: {body}");
    }

    #[test]
    fn characters_no_face_has_become_marked_placeholders() {
        let fonts = fonts();
        let used = RefCell::new(Usage::default());
        let out = TextOut {
            fonts: &fonts,
            used: &used,
        };
        let mut c = Content::new();
        out.show(&mut c, Style::Regular, 10.0, 0.0, "Hallo 😀 漢 🧩 ✓");
        let used = used.into_inner();
        assert_eq!(used.missing.iter().collect::<String>(), "漢🧩");
        let body = String::from_utf8_lossy(&c.finish().into_vec()).into_owned();
        assert!(body.contains("0.8 0 0 rg"), "{body}");
    }
}
