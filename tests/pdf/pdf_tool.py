#!/usr/bin/env python3
"""Reads and fills Formwerk's PDFs with independent libraries (pikepdf on qpdf, pypdf), for
the Rust tests in tests/pdf_form.rs. Every command prints JSON.

  pdf_tool.py fields PDF            the form fields: full name, type, flags, states, tooltip
  pdf_tool.py fill PDF OUT JSON     fills the fields {full name: value} with pypdf, writes OUT
  pdf_tool.py structure PDF         what a PDF/UA check can tell by machine
  pdf_tool.py scripts PDF           the JavaScript: calculation order (/CO), each field's
                                    actions (/AA), the document-level scripts (/Names)
  pdf_tool.py widgets PDF           each field's widget as a reader draws and checks it:
                                    type, flags, /DA, /Q, /AA keys, tooltip, the font sizes
                                    of its appearance stream; the document's /AA keys
  pdf_tool.py text PDF              the text pypdf extracts, page by page
  pdf_tool.py values PDF            the text fields' values {full name: value}, by pypdf
  pdf_tool.py fonts PDF             every font: base name, subtype, embedded, and for the
                                    default appearance font (/DA) the characters its
                                    embedded program has glyphs for (fontTools)
"""

import json
import sys

import pikepdf
import pypdf


def full_name(field):
    parts = []
    f = field
    while f is not None:
        if "/T" in f:
            parts.append(str(f.T))
        f = f.get("/Parent")
    return ".".join(reversed(parts))


def inherited(field, key):
    f = field
    while f is not None:
        if key in f:
            return f[key]
        f = f.get("/Parent")
    return None


def fields(path):
    pdf = pikepdf.open(path)
    out = {}
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Widget":
                continue
            # A radio button's field is its parent; a merged widget is its own field.
            field = annot if "/T" in annot else annot.Parent
            name = full_name(field)
            ft = str(inherited(field, "/FT"))
            flags = int(inherited(field, "/Ff") or 0)
            entry = out.setdefault(
                name,
                {
                    "name": name,
                    "type": {"/Tx": "text", "/Btn": "radio" if flags & (1 << 15) else "checkbox"}.get(ft, ft),
                    "multiline": bool(flags & (1 << 12)),
                    "required": bool(flags & 2),
                    "tooltip": str(field.get("/TU", "")),
                    "states": [],
                    "widgets": 0,
                    "widgets_with_appearance": 0,
                    "widgets_with_tooltip": 0,
                },
            )
            entry["widgets"] += 1
            ap = annot.get("/AP")
            if ap is not None and "/N" in ap:
                entry["widgets_with_appearance"] += 1
                normal = ap.N
                if isinstance(normal, pikepdf.Dictionary) and "/Type" not in normal and "/BBox" not in normal:
                    entry["states"] += [str(k)[1:] for k in normal.keys() if k != "/Off"]
            if "/TU" in annot or "/TU" in field:
                entry["widgets_with_tooltip"] += 1
    print(json.dumps(list(out.values()), ensure_ascii=False))


def fill(path, out, values_path, incremental=False):
    """Fills the fields named in the JSON file with pypdf; `incremental` saves the changes as
    an update appended to the original bytes, as PDF readers often save (the changed objects
    are defined a second time)."""
    with open(values_path, encoding="utf-8") as f:
        values = json.load(f)
    if incremental:
        writer = pypdf.PdfWriter(path, incremental=True)
    else:
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path))
    writer.set_need_appearances_writer(False)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    with open(out, "wb") as f:
        writer.write(f)
    print(json.dumps({"filled": len(values)}))


def fill_incremental(path, out, values_path):
    fill(path, out, values_path, incremental=True)


def font_embedded(font):
    desc = font.get("/FontDescriptor")
    if font.get("/Subtype") == "/Type0":
        desc = font.DescendantFonts[0].get("/FontDescriptor")
    return desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def structure(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    roles = {}
    objr = 0
    stack = [root.StructTreeRoot] if "/StructTreeRoot" in root else []
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/OBJR":
                    objr += 1
                elif "/S" in kid:
                    roles[str(kid.S)[1:]] = roles.get(str(kid.S)[1:], 0) + 1
                    stack.append(kid)
    fonts = {}
    for page in pdf.pages:
        for name, font in page.Resources.get("/Font", {}).items():
            fonts[str(font.get("/BaseFont"))] = font_embedded(font)
    dr = root.get("/AcroForm", {}).get("/DR", {}).get("/Font", {})
    for name, font in dr.items():
        fonts[str(font.get("/BaseFont"))] = font_embedded(font)
    widgets = [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Subtype") == "/Widget"]
    meta = pdf.open_metadata()
    print(
        json.dumps(
            {
                "struct_tree_root": "/StructTreeRoot" in root,
                "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
                "lang": str(root.get("/Lang", "")),
                "display_doc_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
                "dc_title": meta.get("dc:title"),
                "pdfua_part": meta.get("pdfuaid:part"),
                "info_title": str(pdf.docinfo.get("/Title", "")),
                "need_appearances": bool(root.get("/AcroForm", {}).get("/NeedAppearances", False)),
                "roles": roles,
                "objr": objr,
                "widgets": len(widgets),
                "widgets_with_struct_parent": sum(1 for w in widgets if "/StructParent" in w),
                "fonts": fonts,
                "tabs": [str(p.get("/Tabs", "")) for p in pdf.pages],
                "pages": len(pdf.pages),
            },
            ensure_ascii=False,
        )
    )


def script_text(action):
    js = action.get("/JS")
    if isinstance(js, pikepdf.Stream):
        return js.read_bytes().decode("latin-1")
    return str(js) if js is not None else None


def scripts(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    form = root.get("/AcroForm", {})
    actions = {}
    stack = list(form.get("/Fields", []))
    while stack:
        field = stack.pop()
        stack.extend(field.get("/Kids", []))
        aa = field.get("/AA")
        if aa is not None and "/T" in field:
            actions[full_name(field)] = {
                str(key)[1:]: {"type": str(a.get("/S")), "js": script_text(a)} for key, a in aa.items()
            }
    names = root.get("/Names", {}).get("/JavaScript", {}).get("/Names", [])
    document = {str(names[i]): script_text(names[i + 1]) for i in range(0, len(names), 2)}
    print(
        json.dumps(
            {
                "calculation_order": [full_name(f) for f in form.get("/CO", [])],
                "actions": actions,
                "document": document,
                "open_action": "/OpenAction" in root,
            },
            ensure_ascii=False,
        )
    )


def widgets(path):
    pdf = pikepdf.open(path)
    out = []
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot if "/T" in annot else annot.Parent
            ap = annot.get("/AP", {}).get("/N")
            sizes = []
            if isinstance(ap, pikepdf.Stream):
                for operands, op in pikepdf.parse_content_stream(ap):
                    if str(op) == "Tf":
                        sizes.append(float(operands[1]))
            out.append(
                {
                    "name": full_name(field),
                    "type": str(inherited(field, "/FT")),
                    "flags": int(inherited(field, "/Ff") or 0),
                    "da": str(inherited(field, "/DA") or ""),
                    "q": int(inherited(field, "/Q") or 0),
                    "actions": sorted(str(k)[1:] for k in field.get("/AA", {}).keys()),
                    "tooltip": str(field.get("/TU", "")),
                    "value": str(field.get("/V", "")),
                    "rect": [float(x) for x in annot.Rect],
                    "font_sizes": sizes,
                }
            )
    document = sorted(str(k)[1:] for k in pdf.Root.get("/AA", {}).keys())
    print(json.dumps({"widgets": out, "document_actions": document}, ensure_ascii=False))
def text(path):
    reader = pypdf.PdfReader(path)
    print(json.dumps([page.extract_text() for page in reader.pages], ensure_ascii=False))


def values(path):
    fields = pypdf.PdfReader(path).get_fields() or {}
    print(json.dumps({k: str(f.get("/V")) for k, f in fields.items() if f.get("/FT") == "/Tx" and "/V" in f},
                     ensure_ascii=False))


def font_chars(font):
    """The characters the embedded TrueType program of `font` maps to glyphs."""
    import io

    from fontTools.ttLib import TTFont

    desc = font.get("/FontDescriptor")
    if desc is None or "/FontFile2" not in desc:
        return []
    tt = TTFont(io.BytesIO(desc.FontFile2.read_bytes()))
    cmap = tt.getBestCmap() or {}
    return sorted(chr(c) for c, glyph in cmap.items() if glyph != ".notdef")


def fonts(path):
    pdf = pikepdf.open(path)
    seen = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/BaseFont" in obj:
            if obj.get("/Subtype") == "/CIDFontType2":
                continue
            seen[str(obj.BaseFont)[1:]] = {
                "subtype": str(obj.get("/Subtype"))[1:],
                "encoding": str(obj.get("/Encoding", ""))[1:],
                "embedded": font_embedded(obj),
                "to_unicode": "/ToUnicode" in obj,
            }
    acro = pdf.Root.get("/AcroForm")
    da = None
    if acro is not None and "/DA" in acro:
        name = str(acro.DA).split()[0]
        font = acro.DR.Font[name]
        da = {"name": name, "base_font": str(font.BaseFont)[1:], "subtype": str(font.Subtype)[1:],
              "encoding": str(font.get("/Encoding", ""))[1:], "chars": "".join(font_chars(font))}
    print(json.dumps({"fonts": seen, "default_appearance": da}, ensure_ascii=False))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"fields": fields, "fill": fill, "fill-incremental": fill_incremental, "structure": structure, "scripts": scripts,
     "widgets": widgets, "text": text, "values": values, "fonts": fonts}[
        command
    ](*args)
