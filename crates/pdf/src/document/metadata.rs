//! What the document says about itself: the XMP metadata stream (title, language, PDF/UA),
//! the document information dictionary with the form's id and version, which reading a
//! filled PDF back relies on, and the file identifier.

use pdf_writer::{Name, Pdf, Ref, TextStr};

use super::{Meta, Refs};
use crate::read::{FORM_KEY, VERSION_KEY};

/// Writes the document information dictionary and the XMP metadata; returns the metadata
/// stream for the catalog.
pub(super) fn write_info(pdf: &mut Pdf, refs: &mut Refs, meta: &Meta) -> Ref {
    let info = refs.next();
    let metadata = refs.next();
    let xmp = xmp(meta);
    pdf.metadata(metadata, xmp.as_bytes());
    pdf.document_info(info)
        .title(TextStr(meta.title))
        .producer(TextStr("Formwerk"))
        .creator(TextStr("Formwerk"))
        .pair(Name(FORM_KEY), TextStr(meta.id))
        .pair(Name(VERSION_KEY), TextStr(meta.version));
    metadata
}

/// The XMP packet: Dublin Core title and language, producer, and the PDF/UA-1 claim.
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
pub(super) fn file_id<'c>(meta: &Meta, contents: impl IntoIterator<Item = &'c [u8]>) -> Vec<u8> {
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
