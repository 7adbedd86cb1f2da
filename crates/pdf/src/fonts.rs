//! The PDF's fonts: TrueType faces shipped in the theme, written as simple fonts with
//! WinAnsiEncoding. German text (äöüß„“–) lies wholly inside that encoding, and a simple
//! WinAnsi font is what PDF readers handle best as a form field's default appearance font:
//! whatever an applicant types in a reader is drawn with the embedded glyphs. Each face is
//! therefore subset to the whole WinAnsi repertoire (about 220 glyphs, not only those the
//! form uses) and given a Unicode cmap, which the subsetter leaves out.

use anyhow::{Context, Result, anyhow};

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

/// The WinAnsi code of a character; `None` when the encoding lacks it.
pub(crate) fn encode_char(c: char) -> Option<u8> {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => Some(c as u32 as u8),
        _ => (0x80..=0x9F).find(|&code| win_ansi(code) == Some(c)),
    }
}

/// A text as WinAnsi bytes; characters the encoding lacks become `?`.
pub fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => b' ',
            c => encode_char(c).unwrap_or(b'?'),
        })
        .collect()
}

/// Decodes WinAnsi bytes (a field value written by a reader as PDFDocEncoding is close
/// enough for the characters German text uses).
#[cfg(test)]
fn decode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| win_ansi(b).unwrap_or(b as char))
        .collect()
}

/// One font face: the file, and what layout and the PDF need to know of it.
pub struct Face {
    pub name: &'static str,
    /// Advance widths of the codes 0x20..=0xFF in thousandths of the font size.
    pub widths: [f32; 224],
    /// Glyph ids of the codes 0x20..=0xFF in the original face.
    glyphs: [u16; 224],
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    pub bbox: [f32; 4],
    pub bold: bool,
    /// The subset font file, deflated, as embedded in every PDF; and its length unpacked.
    pub embedded: Vec<u8>,
    pub embedded_len: usize,
}

impl Face {
    /// Reads the font file `data` (borrowed: the built-in fonts are parsed where they lie in
    /// the binary, not copied) and keeps only its metrics and its subset.
    pub fn parse(name: &'static str, data: &[u8]) -> Result<Face> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| anyhow!("{name}: {e}"))?;
        let upem = face.units_per_em() as f32;
        let scale = |v: f32| v * 1000.0 / upem;
        let mut widths = [0.0; 224];
        let mut glyphs = [0u16; 224];
        for code in 0x20u8..=0xFF {
            let i = (code - 0x20) as usize;
            if let Some(c) = win_ansi(code) {
                let c = if c == '\u{A0}' { ' ' } else { c };
                let g = face.glyph_index(c).map_or(0, |g| g.0);
                glyphs[i] = g;
                widths[i] = scale(
                    face.glyph_hor_advance(ttf_parser::GlyphId(g))
                        .unwrap_or_default() as f32,
                );
            }
        }
        let b = face.global_bounding_box();
        let font = Face {
            name,
            widths,
            glyphs,
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
            embedded: Vec::new(),
            embedded_len: 0,
        };
        let mut font = font;
        let subset = font.subset(data)?;
        font.embedded_len = subset.len();
        font.embedded = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 9);
        Ok(font)
    }

    /// The width of WinAnsi bytes at `size` points.
    pub fn width(&self, bytes: &[u8], size: f32) -> f32 {
        bytes
            .iter()
            .map(|&b| {
                if b >= 0x20 {
                    self.widths[(b - 0x20) as usize]
                } else {
                    0.0
                }
            })
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// The face reduced to the WinAnsi repertoire, with a (3,1) cmap for it.
    fn subset(&self, data: &[u8]) -> Result<Vec<u8>> {
        let mut remapper = subsetter::GlyphRemapper::new();
        let mut map: Vec<(u16, u16)> = Vec::new();
        for code in 0x20u8..=0xFF {
            let i = (code - 0x20) as usize;
            let Some(c) = win_ansi(code) else { continue };
            if self.glyphs[i] == 0 || (c as u32) > 0xFFFF {
                continue;
            }
            let new = remapper.remap(self.glyphs[i]);
            map.push((c as u32 as u16, new));
        }
        map.sort();
        map.dedup_by_key(|m| m.0);
        let sub = subsetter::subset(data, 0, &remapper)
            .map_err(|e| anyhow!("{}: cannot subset: {e:?}", self.name))?;
        with_table(&sub, *b"cmap", &cmap_format4(&map))
            .with_context(|| format!("{}: cannot add a cmap", self.name))
    }
}

/// A `cmap` table with one (3,1) format 4 subtable mapping each character to its glyph.
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

    #[test]
    fn german_text_is_win_ansi() {
        assert_eq!(
            encode("äöüß„“–€"),
            vec![0xE4, 0xF6, 0xFC, 0xDF, 0x84, 0x93, 0x96, 0x80]
        );
        assert_eq!(decode(&encode("Größe „x“ – ÄÖÜ")), "Größe „x“ – ÄÖÜ");
        assert_eq!(encode("☐"), b"?");
    }
}
