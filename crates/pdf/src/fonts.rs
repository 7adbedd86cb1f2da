//! The PDF's fonts: TrueType faces shipped in the theme, parsed once per process.
//!
//! Page text and the appearance of filled fields are drawn with composite fonts (Type0,
//! CIDFontType2, Identity-H): any glyph of any face, subset per PDF to the glyphs it uses
//! (see `document/font.rs` and [`crate::shape`]). A form field's default appearance font
//! must be a simple font for readers to type with it ([`FieldFont`]).

use anyhow::{Context, Result, anyhow};

use crate::layout::Style;

/// The Unicode character of each WinAnsiEncoding code from 0x20 to 0xFF (`None`: unused).
fn win_ansi(code: u8) -> Option<char> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    match code {
        0x20..=0x7E | 0xA0..=0xFF => Some(code as char),
        0x80..=0x9F => match HIGH[(code - 0x80) as usize] {
            0 => None,
            u => char::from_u32(u as u32),
        },
        _ => None,
    }
}

/// Characters below this code point are looked up in a table made once per face: the
/// alphabets of European names and the punctuation of German text lie below it.
const DIRECT: usize = 0x3000;

/// One font face, parsed where its bytes lie, with what layout and the PDF need of it.
pub struct Face {
    /// The PostScript name (from the font's name table).
    pub name: String,
    data: &'static [u8],
    /// The shaper's view of the face (parsed once: shaping tables are costly to read).
    shaper: rustybuzz::Face<'static>,
    upem: f32,
    /// The glyph id of each character below [`DIRECT`] (0: the face lacks it).
    direct: Vec<u16>,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    pub bbox: [f32; 4],
    pub bold: bool,
}

impl Face {
    /// Reads the font file `data`; `fallback_name` names it when it has no PostScript name.
    pub fn parse(fallback_name: &str, data: &'static [u8]) -> Result<Face> {
        let shaper = rustybuzz::Face::from_slice(data, 0)
            .ok_or_else(|| anyhow!("{fallback_name}: not a TrueType font"))?;
        let face: &ttf_parser::Face = &shaper;
        let upem = face.units_per_em() as f32;
        let scale = |v: f32| v * 1000.0 / upem;
        let mut direct = vec![0u16; DIRECT];
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if sub.is_unicode() {
                    sub.codepoints(|cp| {
                        if (cp as usize) < DIRECT
                            && direct[cp as usize] == 0
                            && let Some(g) = sub.glyph_index(cp)
                        {
                            direct[cp as usize] = g.0;
                        }
                    });
                }
            }
        }
        let name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic()))
            .unwrap_or_else(|| fallback_name.to_string());
        let b = face.global_bounding_box();
        Ok(Face {
            name,
            ascent: scale(face.ascender() as f32),
            descent: scale(face.descender() as f32),
            cap_height: scale(face.capital_height().unwrap_or(face.ascender()) as f32),
            italic_angle: face.italic_angle(),
            bbox: [
                scale(b.x_min as f32),
                scale(b.y_min as f32),
                scale(b.x_max as f32),
                scale(b.y_max as f32),
            ],
            bold: face.is_bold(),
            upem,
            direct,
            data,
            shaper,
        })
    }

    /// The glyph of a character, when the face has one.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        let g = match self.direct.get(c as usize) {
            Some(&g) => g,
            None => self.shaper.glyph_index(c).map_or(0, |g| g.0),
        };
        (g != 0).then_some(g)
    }

    /// The advance width of a glyph in thousandths of the font size.
    pub(crate) fn advance(&self, glyph: u16) -> f32 {
        self.shaper
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or_default() as f32
            * 1000.0
            / self.upem
    }

    /// Font units to thousandths of the font size.
    pub(crate) fn scale(&self, units: i32) -> f32 {
        units as f32 * 1000.0 / self.upem
    }

    pub(crate) fn shaper(&self) -> &rustybuzz::Face<'static> {
        &self.shaper
    }

    /// The face reduced to `glyphs` (ids of this face, ascending; `.notdef` is always
    /// kept) with the OS/2 table the subsetter leaves out put back; and the new id of each
    /// glyph in the order given.
    pub(crate) fn subset(&self, glyphs: &[u16]) -> Result<(Vec<u8>, Vec<u16>)> {
        let mut remapper = subsetter::GlyphRemapper::new();
        let new: Vec<u16> = glyphs.iter().map(|&g| remapper.remap(g)).collect();
        let sub = subsetter::subset(self.data, 0, &remapper)
            .map_err(|e| anyhow!("{}: cannot subset: {e:?}", self.name))?;
        Ok((self.with_os2(sub)?, new))
    }

    /// `font` with this face's OS/2 table: the subsetter (0.2) drops it, but the PDF
    /// specification wants it in an embedded TrueType font (weight, width, line metrics).
    fn with_os2(&self, font: Vec<u8>) -> Result<Vec<u8>> {
        let os2 = self
            .shaper
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"OS/2"));
        match os2 {
            Some(os2) => with_table(&font, *b"OS/2", os2)
                .with_context(|| format!("{}: cannot add the OS/2 table", self.name)),
            None => Ok(font),
        }
    }
}

/// The faces of a theme, parsed once per process, and the field font made of the regular
/// one.
pub struct Fonts {
    /// Regular, bold, italic (in the order of [`Style`]), then the fallbacks in the order
    /// they are tried.
    pub(crate) faces: Vec<Face>,
    pub(crate) field: FieldFont,
}

impl Fonts {
    /// The faces from their bytes: the three styles, then the fallbacks (the font files are
    /// parsed where they lie; the built-in ones in the binary).
    pub fn from_faces(styles: [&'static [u8]; 3], fallbacks: &[&'static [u8]]) -> Result<Fonts> {
        let names = ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"];
        let mut faces = Vec::new();
        for (name, data) in names.iter().zip(styles) {
            faces.push(Face::parse(name, data)?);
        }
        for (i, data) in fallbacks.iter().enumerate() {
            faces.push(Face::parse(&format!("Fallback{i}"), data)?);
        }
        if faces.len() > crate::shape::MAX_FACES {
            return Err(anyhow!(
                "at most {} font faces, not {}",
                crate::shape::MAX_FACES,
                faces.len()
            ));
        }
        let field = FieldFont::new(&faces[0])?;
        Ok(Fonts { faces, field })
    }

    pub(crate) fn index(&self, style: Style) -> usize {
        match style {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
        }
    }

    /// The faces tried for the character `c` in `style`: its own, the fallbacks, then
    /// regular. Right-to-left letters try the fallbacks first: DejaVu Sans has Arabic and
    /// Hebrew letters too, but Noto's are drawn for them (fuller Persian forms and marks).
    pub(crate) fn chain(&self, style: Style, c: char) -> impl Iterator<Item = usize> + use<> {
        let own = self.index(style);
        let regular = (own != 0).then_some(0);
        let rtl = matches!(
            unicode_bidi::bidi_class(c),
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
        );
        let fallbacks = 3..self.faces.len();
        let (first, then) = if rtl {
            (fallbacks.clone(), own..own + 1)
        } else {
            (own..own + 1, fallbacks.clone())
        };
        first.chain(then).chain(regular)
    }

    /// The characters of `text` that no face has (drawn as placeholders), in order, once.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            let invisible = c.is_control()
                || matches!(
                    unicode_bidi::bidi_class(c),
                    unicode_bidi::BidiClass::BN | unicode_bidi::BidiClass::NSM
                );
            if !invisible && !out.contains(&c) && self.faces.iter().all(|f| f.glyph(c).is_none()) {
                out.push(c);
            }
        }
        out
    }
}

/// The simple TrueType font named in the form fields' default appearance (`/DA`): readers
/// type with it what an applicant enters. Readers encode typed text with the font's
/// /Encoding (one byte a character), so it is WinAnsiEncoding, which every reader knows;
/// its embedded program keeps every glyph of the ranges [`FIELD_RANGES`] with a Unicode
/// cmap, not only the WinAnsi ones, so that a reader that maps typed characters through
/// the font program (rather than its encoding) finds them (see docs/pdf.md for what each
/// reader does).
pub struct FieldFont {
    pub name: String,
    /// Advance widths of the codes 0x20..=0xFF in thousandths of the font size.
    pub widths: [f32; 224],
    /// The font program, deflated, as embedded in every fillable PDF; and its length.
    pub embedded: Vec<u8>,
    pub embedded_len: usize,
}

/// The characters the field font keeps: Latin-1, Latin Extended-A and -B, IPA and spacing
/// modifiers, combining diacritics, Greek, Cyrillic, Latin Extended Additional (Vietnamese),
/// Greek Extended, general punctuation, currency and letter-like symbols.
pub const FIELD_RANGES: [(u32, u32); 6] = [
    (0x0020, 0x007E),
    (0x00A0, 0x036F),
    (0x0370, 0x052F),
    (0x1E00, 0x1FFF),
    (0x2000, 0x20CF),
    (0x2100, 0x215F),
];

impl FieldFont {
    /// The field font made of `face`, subset to [`FIELD_RANGES`] once per process.
    pub fn new(face: &Face) -> Result<FieldFont> {
        let mut widths = [0.0; 224];
        for code in 0x20u8..=0xFF {
            if let Some(c) = win_ansi(code) {
                let c = if c == '\u{A0}' { ' ' } else { c };
                let g = face.glyph(c).unwrap_or(0);
                widths[(code - 0x20) as usize] = face.advance(g);
            }
        }
        let chars: Vec<(char, u16)> = FIELD_RANGES
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .filter_map(char::from_u32)
            .filter_map(|c| face.glyph(c).map(|g| (c, g)))
            .collect();
        let mut glyphs: Vec<u16> = chars.iter().map(|c| c.1).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        let (sub, new) = face.subset(&glyphs)?;
        let new_of = |g: u16| new[glyphs.binary_search(&g).unwrap_or(0)];
        let map: Vec<(u16, u16)> = chars.iter().map(|&(c, g)| (c as u16, new_of(g))).collect();
        let program = with_table(&sub, *b"cmap", &cmap_format4(&map))
            .with_context(|| format!("{}: cannot add a cmap", face.name))?;
        Ok(FieldFont {
            name: face.name.clone(),
            widths,
            embedded_len: program.len(),
            embedded: miniz_oxide::deflate::compress_to_vec_zlib(&program, 9),
        })
    }
}

/// A `cmap` table with one (3,1) format 4 subtable mapping each character to its glyph
/// (`map` ascending by character).
fn cmap_format4(map: &[(u16, u16)]) -> Vec<u8> {
    // One segment per character, and the closing 0xFFFF segment.
    let segs = map.len() + 1;
    let mut ends: Vec<u16> = map.iter().map(|m| m.0).collect();
    ends.push(0xFFFF);
    let starts = ends.clone();
    let mut deltas: Vec<u16> = map.iter().map(|&(c, g)| g.wrapping_sub(c)).collect();
    deltas.push(1);
    let len = 16 + segs * 8;
    let mut sub = Vec::with_capacity(len);
    let push = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_be_bytes());
    let search = 2 * (1u16 << (15 - (segs as u16).leading_zeros()));
    push(&mut sub, 4);
    push(&mut sub, len as u16);
    push(&mut sub, 0);
    push(&mut sub, (segs * 2) as u16);
    push(&mut sub, search);
    push(&mut sub, search.trailing_zeros() as u16 - 1);
    push(&mut sub, (segs * 2) as u16 - search);
    ends.iter().for_each(|&e| push(&mut sub, e));
    push(&mut sub, 0);
    starts.iter().for_each(|&s| push(&mut sub, s));
    deltas.iter().for_each(|&d| push(&mut sub, d));
    (0..segs).for_each(|_| push(&mut sub, 0));
    let mut table = Vec::new();
    push(&mut table, 0);
    push(&mut table, 1);
    push(&mut table, 3);
    push(&mut table, 1);
    table.extend_from_slice(&12u32.to_be_bytes());
    table.extend(sub);
    table
}

/// The font file `font` with the table `tag` added (or replaced).
fn with_table(font: &[u8], tag: [u8; 4], data: &[u8]) -> Result<Vec<u8>> {
    let u16_at = |o: usize| -> Result<u16> {
        Ok(u16::from_be_bytes(
            font.get(o..o + 2).context("truncated")?.try_into()?,
        ))
    };
    let u32_at = |o: usize| -> Result<u32> {
        Ok(u32::from_be_bytes(
            font.get(o..o + 4).context("truncated")?.try_into()?,
        ))
    };
    let count = u16_at(4)? as usize;
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::new();
    for i in 0..count {
        let rec = 12 + i * 16;
        let t: [u8; 4] = font.get(rec..rec + 4).context("truncated")?.try_into()?;
        let offset = u32_at(rec + 8)? as usize;
        let length = u32_at(rec + 12)? as usize;
        if t != tag {
            tables.push((t, font.get(offset..offset + length).context("truncated")?));
        }
    }
    tables.push((tag, data));
    tables.sort_by_key(|t| t.0);
    let n = tables.len() as u16;
    let search = 16 * (1u16 << (15 - n.leading_zeros()));
    let mut out = Vec::new();
    out.extend_from_slice(&font[0..4]);
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&search.to_be_bytes());
    out.extend_from_slice(&((search / 16).trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&(n * 16 - search).to_be_bytes());
    let mut offset = 12 + tables.len() * 16;
    let mut body = Vec::new();
    for (t, d) in &tables {
        let mut padded = d.to_vec();
        padded.resize(d.len().div_ceil(4) * 4, 0);
        let sum = padded.chunks(4).fold(0u32, |s, c| {
            s.wrapping_add(u32::from_be_bytes(c.try_into().unwrap()))
        });
        out.extend_from_slice(t);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(d.len() as u32).to_be_bytes());
        offset += padded.len();
        body.extend(padded);
    }
    out.extend(body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> Face {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../render/theme/fonts/DejaVuSans.ttf"
        );
        let data: &'static [u8] = std::fs::read(path).unwrap().leak();
        Face::parse("DejaVuSans", data).unwrap()
    }

    #[test]
    fn subsets_keep_os2_and_only_the_glyphs_asked() {
        let face = regular();
        let mut glyphs: Vec<u16> = "Aye".chars().map(|c| face.glyph(c).unwrap()).collect();
        glyphs.sort();
        let (font, new) = face.subset(&glyphs).unwrap();
        let parsed = ttf_parser::Face::parse(&font, 0).unwrap();
        assert!(parsed.tables().os2.is_some(), "OS/2 kept");
        assert_eq!(parsed.number_of_glyphs(), 4, ".notdef and three letters");
        assert_eq!(new, vec![1, 2, 3]);
        // A composite glyph (ş = s + cedilla) brings its components along.
        let s = face.glyph('ş').unwrap();
        let (font, _) = face.subset(&[s]).unwrap();
        assert!(
            ttf_parser::Face::parse(&font, 0)
                .unwrap()
                .number_of_glyphs()
                > 2
        );
        assert_eq!(face.name, "DejaVuSans");
    }

    #[test]
    fn the_field_font_covers_the_names_of_european_scripts() {
        let face = regular();
        let field = FieldFont::new(&face).unwrap();
        let program = miniz_oxide::inflate::decompress_to_vec_zlib(&field.embedded).unwrap();
        let parsed = ttf_parser::Face::parse(&program, 0).unwrap();
        for c in "Ayşe Đorđe Łódź Ολυμπία Олена Řehoř Ștefan Țurcanu Nguyễn Thị".chars()
        {
            assert!(parsed.glyph_index(c).is_some(), "{c} in the field font");
        }
        assert!(parsed.tables().os2.is_some());
        assert_eq!(field.widths[(b'A' - 0x20) as usize].round(), 684.0);
    }
}
