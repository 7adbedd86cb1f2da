#!/usr/bin/env python3
"""The machine-checkable failure conditions of the Matterhorn Protocol 1.1 (PDF/UA-1), checked
with pikepdf, for tests/pdf_ua.rs; and the layout facts tests/pdf_layout.rs asks about.

  pdf_ua.py check PDF     {"01-005": [problems, …], …} for every condition; [] is passed
  pdf_ua.py tables PDF    each Table element: its rows as lists of cell roles, TH scopes,
                          TD headers, the Form kids of each TD
  pdf_ua.py spoil PDF OUT FAULT   a copy with one fault (see SPOILERS), to show that the
                          checks find it
  pdf_ua.py widgets PDF   each widget by its field's full name: page and rect
  pdf_ua.py pairs PDF     each box (Form element of a text field, Table) after a P sibling:
                          the page of the P's last content and of the box's first

veraPDF is not installable here (it needs Java downloads beyond Debian's packages), so the
conditions are checked here, one function each. A condition about something the file does
not use (Ruby, Note, optional content, embedded files, Type 1 fonts, …) is checked by
confirming that it is not used.
"""

import json
import re
import struct
import sys
import unicodedata

import pikepdf

# ISO 32000-1, 14.8.4: the standard structure types.
STANDARD = set(
    """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2
    H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference
    BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split()
)
PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI", "INLINE IMAGE"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
# Codes WinAnsiEncoding leaves undefined.
WINANSI_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
PREDEFINED_CMAPS = re.compile(r"^/(Identity-[HV]|UniGB|UniCNS|UniJIS|UniKS|GB|B5|ETen|HKscs|83pv|90m|90ms|90pv|Add|Ext|H$|V$|KSC|GBK|GBpc|GBT|ETHK|HKdla|HKgccs|HKm|Hankaku|Hiragana|Katakana|NWP|RKSJ|Roman|WP-Symbol)")


def name(obj):
    return str(obj) if obj is not None else None


class Tree:
    """The structure tree read once: elements in reading order with their parents and kids."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.root = pdf.Root.get("/StructTreeRoot")
        self.elements = []  # (element, parent element or None, depth)
        self.mcrs = {}  # (page objgen, mcid) -> [element objgen]
        self.objrs = {}  # annotation objgen -> [element]
        self.problems = []
        if self.root is None:
            return
        kids = self.root.get("/K")
        for kid in as_list(kids):
            self.walk(kid, None, 0, None)

    def walk(self, el, parent, depth, inherited_page):
        if not isinstance(el, pikepdf.Dictionary) or "/S" not in el:
            return
        if parent is not None and el.get("/P") is not None and el.P.objgen != parent.objgen:
            self.problems.append(f"{name(el.S)}: /P is not its parent")
        self.elements.append((el, parent, depth))
        page = el.get("/Pg", inherited_page)
        for kid in as_list(el.get("/K")):
            if isinstance(kid, int):
                self.add_mcr(page, kid, el)
            elif isinstance(kid, pikepdf.Dictionary):
                kind = name(kid.get("/Type"))
                if kind == "/MCR":
                    self.add_mcr(kid.get("/Pg", page), int(kid.MCID), el)
                elif kind == "/OBJR":
                    self.objrs.setdefault(kid.Obj.objgen, []).append(el)
                else:
                    self.walk(kid, el, depth + 1, page)

    def add_mcr(self, page, mcid, el):
        key = (page.objgen if page is not None else None, mcid)
        self.mcrs.setdefault(key, []).append(el.objgen)

    def roles(self):
        return [name(el.S)[1:] for el, _, _ in self.elements]

    def children(self, el):
        return [k for k in as_list(el.get("/K")) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def as_list(obj):
    if obj is None:
        return []
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return [obj]


def role(el):
    return name(el.S)[1:]


def attributes(el):
    """The element's attribute dictionaries (owner Table, Layout, …)."""
    return [a for a in as_list(el.get("/A")) if isinstance(a, pikepdf.Dictionary)]


def table_attr(el, key):
    for a in attributes(el):
        if name(a.get("/O")) == "/Table" and key in a:
            return a[key]
    return None


class Content:
    """What the page content streams and appearance streams hold: marked content, painting
    outside it, text shown with which font."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.page_mcids = {}  # page objgen -> [mcid, …]
        self.unmarked = []
        self.artifact_in_tagged = []
        self.tagged_in_artifact = []
        self.shown = []  # (font dict, bytes)
        self.header_footer = []  # (page index, artifact props) for pagination artifacts
        for i, page in enumerate(pdf.pages):
            self.page_mcids[page.obj.objgen] = []
            self.read(page.obj, i, tagged=True)
            for annot in page.get("/Annots", []):
                for stream in appearance_streams(annot):
                    self.read(stream, i, tagged=False)

    def read(self, holder, index, tagged):
        fonts = holder.get("/Resources", {}).get("/Font", {})
        stack = []
        font = None
        for operands, op in pikepdf.parse_content_stream(holder):
            op = str(op)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:]
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                if tagged:
                    if tag == "Artifact" and any(m is not None for _, m in stack):
                        self.artifact_in_tagged.append(f"page {index + 1}")
                    if mcid is not None and any(t == "Artifact" for t, _ in stack):
                        self.tagged_in_artifact.append(f"page {index + 1}: MCID {mcid}")
                    if mcid is not None:
                        self.page_mcids[holder.objgen].append(mcid)
                    if tag == "Artifact" and isinstance(props, pikepdf.Dictionary):
                        self.header_footer.append((index, name(props.get("/Type")), name(props.get("/Subtype"))))
                stack.append((tag, mcid))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op == "Tf":
                font = fonts.get(str(operands[0]))
            elif op in PAINT:
                if tagged and not stack:
                    self.unmarked.append(f"page {index + 1}: {op}")
                if op in TEXT_SHOW:
                    for s in shown_strings(op, operands):
                        self.shown.append((font, s))


def appearance_streams(annot):
    ap = annot.get("/AP")
    if ap is None:
        return []
    out = []
    for key in ("/N", "/D", "/R"):
        x = ap.get(key)
        if isinstance(x, pikepdf.Stream):
            out.append(x)
        elif isinstance(x, pikepdf.Dictionary):
            out.extend(v for v in x.values() if isinstance(v, pikepdf.Stream))
    return out


def shown_strings(op, operands):
    if op == "TJ":
        return [bytes(x) for x in operands[0] if isinstance(x, pikepdf.String)]
    if op == '"':
        return [bytes(operands[2])]
    return [bytes(operands[0])]


class TrueType:
    """The tables of an embedded TrueType program that the font checks need."""

    def __init__(self, data):
        self.data = data
        n = struct.unpack(">H", data[4:6])[0]
        self.tables = {}
        for i in range(n):
            tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
            self.tables[tag.decode("latin-1")] = (off, length)
        off, _ = self.tables["maxp"]
        self.glyphs = struct.unpack(">H", data[off + 4 : off + 6])[0]
        off, _ = self.tables["head"]
        self.units = struct.unpack(">H", data[off + 18 : off + 20])[0]
        self.long_loca = struct.unpack(">h", data[off + 50 : off + 52])[0] == 1
        self.cmaps = self.read_cmaps()

    def read_cmaps(self):
        """{(platform, encoding): {code: glyph}} for format 4 and 0 subtables."""
        if "cmap" not in self.tables:
            return {}
        base, _ = self.tables["cmap"]
        d = self.data
        count = struct.unpack(">H", d[base + 2 : base + 4])[0]
        out = {}
        for i in range(count):
            pid, eid, off = struct.unpack(">HHI", d[base + 4 + 8 * i : base + 12 + 8 * i])
            sub = base + off
            fmt = struct.unpack(">H", d[sub : sub + 2])[0]
            mapping = {}
            if fmt == 4:
                segs = struct.unpack(">H", d[sub + 6 : sub + 8])[0] // 2
                ends = struct.unpack(f">{segs}H", d[sub + 14 : sub + 14 + 2 * segs])
                p = sub + 16 + 2 * segs
                starts = struct.unpack(f">{segs}H", d[p : p + 2 * segs])
                deltas = struct.unpack(f">{segs}h", d[p + 2 * segs : p + 4 * segs])
                ro_at = p + 4 * segs
                ros = struct.unpack(f">{segs}H", d[ro_at : ro_at + 2 * segs])
                for s in range(segs):
                    for c in range(starts[s], ends[s] + 1):
                        if c == 0xFFFF:
                            continue
                        if ros[s] == 0:
                            g = (c + deltas[s]) & 0xFFFF
                        else:
                            at = ro_at + 2 * s + ros[s] + 2 * (c - starts[s])
                            g = struct.unpack(">H", d[at : at + 2])[0]
                            g = (g + deltas[s]) & 0xFFFF if g else 0
                        mapping[c] = g
            elif fmt == 0:
                mapping = {c: d[sub + 6 + c] for c in range(256)}
            out[(pid, eid)] = mapping
        return out

    def advance(self, glyph):
        off, _ = self.tables["hhea"]
        metrics = struct.unpack(">H", self.data[off + 34 : off + 36])[0]
        h, _ = self.tables["hmtx"]
        at = h + 4 * min(glyph, metrics - 1)
        return struct.unpack(">H", self.data[at : at + 2])[0] * 1000.0 / self.units

    def has_outline(self, glyph):
        off, _ = self.tables["loca"]
        if self.long_loca:
            a, b = struct.unpack(">II", self.data[off + 4 * glyph : off + 4 * glyph + 8])
        else:
            a, b = struct.unpack(">HH", self.data[off + 2 * glyph : off + 2 * glyph + 4])
            a, b = a * 2, b * 2
        return b > a


def fonts_of(pdf, content):
    """Every font dictionary that renders text (pages, appearance streams, the form's default
    resources), by object, with the codes shown in it."""
    fonts = {}
    holders = [p.obj for p in pdf.pages]
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            holders.extend(appearance_streams(annot))
    for h in holders:
        for f in h.get("/Resources", {}).get("/Font", {}).values():
            fonts.setdefault(f.objgen, (f, set()))
    for f in pdf.Root.get("/AcroForm", {}).get("/DR", {}).get("/Font", {}).values():
        fonts.setdefault(f.objgen, (f, set()))
    for font, s in content.shown:
        if font is None:
            continue
        entry = fonts.setdefault(font.objgen, (font, set()))
        if name(font.get("/Subtype")) == "/Type0":
            entry[1].update(struct.unpack(f">{len(s) // 2}H", s[: len(s) // 2 * 2]))
        else:
            entry[1].update(s)
    return list(fonts.values())


def descriptor(font):
    if name(font.get("/Subtype")) == "/Type0":
        return font.DescendantFonts[0].get("/FontDescriptor")
    return font.get("/FontDescriptor")


def program(font):
    desc = descriptor(font)
    if desc is None:
        return None
    for key in ("/FontFile2", "/FontFile", "/FontFile3"):
        if key in desc:
            return key, desc[key].read_bytes()
    return None


def symbolic(font):
    desc = descriptor(font)
    flags = int(desc.get("/Flags", 0)) if desc is not None else 0
    return bool(flags & 4)


def unicode_values(tounicode):
    """The Unicode values of a ToUnicode CMap (bfchar and bfrange destinations)."""
    text = tounicode.read_bytes().decode("latin-1")
    values = []
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        values += [int(d[:4], 16) for _, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)]
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(d[:4], 16)
            values += range(start, start + int(hi, 16) - int(lo, 16) + 1)
    return values



def unicode_map(tounicode):
    """{code: text} of a ToUnicode CMap (bfchar, and bfrange with one destination)."""
    text = tounicode.read_bytes().decode("latin-1")
    out = {}

    def utf16(h):
        return bytes.fromhex(h).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for s, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(s, 16)] = utf16(d)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for k in range(int(hi, 16) - int(lo, 16) + 1):
                out[int(lo, 16) + k] = utf16(f"{int(d, 16) + k:0{len(d)}X}")
    return out


def visible(text):
    """Whether text (None: not known) draws something: not only spaces and format characters."""
    return text is not None and any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in text)


def cid_gids(cid_font):
    """The /CIDToGIDMap of a CIDFontType2 as the GID of every CID it holds; None for
    /Identity (the GID is the CID)."""
    m = cid_font.get("/CIDToGIDMap")
    if isinstance(m, pikepdf.Stream):
        data = m.read_bytes()
        return list(struct.unpack(f">{len(data) // 2}H", data[: len(data) // 2 * 2]))
    return None


def gid_of(gids, cid):
    """The GID a CID shows, None when the map does not hold it."""
    if gids is None:
        return cid
    return gids[cid] if cid < len(gids) else None


def present_cids(gids, tt):
    """The CIDs (but 0) the embedded TrueType program holds, as veraPDF and the PDF/A
    Validation TWG read ISO 32000-1, Table 124: every CID the map holds whose GID is a glyph
    of the program (an empty glyph, and .notdef, count); under /Identity every GID."""
    if gids is None:
        return set(range(1, tt.glyphs))
    return {c for c, g in enumerate(gids) if c and g < tt.glyphs}


def cid_set(stream):
    """The CIDs (but 0) a /CIDSet bit string names, the high bit of the first byte CID 0."""
    data = stream.read_bytes()
    return {i for i in range(1, len(data) * 8) if data[i // 8] & (0x80 >> (i % 8))}


def cid_widths(cid_font):
    """{CID: width} of /W, and /DW."""
    out = {}
    w = list(cid_font.get("/W", []))
    i = 0
    while i + 1 < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, x in enumerate(w[i + 1]):
                out[first + k] = float(x)
            i += 2
        else:
            for c in range(first, int(w[i + 1]) + 1):
                out[c] = float(w[i + 2])
            i += 3
    return out, float(cid_font.get("/DW", 1000))

def check(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    tree = Tree(pdf)
    content = Content(pdf)
    meta = pdf.open_metadata()
    r = {}
    annots = [(i, a) for i, p in enumerate(pdf.pages) for a in p.get("/Annots", [])]

    # 01 Real content tagged, and the structure tree behind it.
    r["01-003"] = content.artifact_in_tagged
    r["01-004"] = content.tagged_in_artifact
    r["01-005"] = content.unmarked + structure_problems(pdf, tree, content)
    r["01-007"] = ["/Suspects true"] if bool(root.get("/MarkInfo", {}).get("/Suspects", False)) else []
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)) or tree.root is None:
        r["01-005"].append("no /MarkInfo /Marked true with a structure tree")
    # 02 Role mapping.
    rolemap = tree.root.get("/RoleMap", {}) if tree.root is not None else {}
    r["02-001"] = [f"{t} is not standard and not mapped" for t in set(tree.roles()) if t not in STANDARD and "/" + t not in rolemap]
    r["02-003"] = circular(rolemap)
    r["02-004"] = [f"standard type {k} is mapped" for k in rolemap.keys() if k[1:] in STANDARD]
    # 06 Metadata, 07 Dictionary.
    r["06-001"] = [] if "/Metadata" in root else ["no XMP metadata stream"]
    r["06-002"] = [] if meta.get("pdfuaid:part") == "1" else ["no pdfuaid:part 1"]
    r["06-003"] = [] if meta.get("dc:title") else ["no dc:title"]
    prefs = root.get("/ViewerPreferences", {})
    r["07-001"] = [] if "/DisplayDocTitle" in prefs else ["no DisplayDocTitle"]
    r["07-002"] = ["DisplayDocTitle false"] if prefs.get("/DisplayDocTitle") is False else []
    # 09 Appropriate tags.
    r["09-004"] = table_syntax(tree)
    r["09-005"] = list_syntax(tree)
    r["09-006"] = parent_rule(tree, {"TOCI": {"TOC"}}, {"TOC": {"TOC", "TOCI", "Caption"}})
    r["09-007"] = parent_rule(tree, {"RB": {"Ruby"}, "RT": {"Ruby"}, "RP": {"Ruby"}}, {"Ruby": {"RB", "RT", "RP"}})
    r["09-008"] = parent_rule(tree, {"WT": {"Warichu"}, "WP": {"Warichu"}}, {"Warichu": {"WT", "WP"}})
    fonts = fonts_of(pdf, content)
    # 10 Character mappings.
    r["10-001"] = unmapped_codes(fonts)
    # 11 Declared natural language: the catalog's /Lang covers every text the file has.
    lang = str(root.get("/Lang", ""))
    ok = re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang) is not None
    for cp in ("11-001", "11-002", "11-003", "11-004", "11-005", "11-006"):
        r[cp] = [] if ok else [f"/Lang {lang!r} is not a language tag"]
    # 13 Graphics, 14 Headings, 15 Tables, 17 Formulas, 19 Notes.
    r["13-004"] = [f"Figure without Alt" for el, _, _ in tree.elements if role(el) == "Figure" and "/Alt" not in el and "/ActualText" not in el]
    r["14-002"], r["14-003"] = headings(tree)
    r["14-006"] = [f"{role(p)} has more than one H" for p, _, _ in tree.elements if sum(1 for k in tree.children(p) if role(k) == "H") > 1]
    roles = set(tree.roles())
    r["14-007"] = ["uses both H and Hn"] if "H" in roles and roles & {"H1", "H2", "H3", "H4", "H5", "H6"} else []
    r["15-003"] = table_headers(tree)
    r["17-002"] = [f"Formula without Alt" for el, _, _ in tree.elements if role(el) == "Formula" and "/Alt" not in el]
    r["17-003"] = [] if "Formula" not in roles else r["10-001"]
    notes = [el for el, _, _ in tree.elements if role(el) == "Note"]
    r["19-003"] = ["Note without ID" for n in notes if "/ID" not in n]
    ids = [bytes(n.ID) for n in notes if "/ID" in n]
    r["19-004"] = ["Note IDs repeat"] if len(ids) != len(set(ids)) else []
    # 20 Optional content, 21 Embedded files, 25 XFA, 26 Security.
    oc = root.get("/OCProperties")
    configs = ([oc.D] if oc is not None and "/D" in oc else []) + (list(oc.get("/Configs", [])) if oc is not None else [])
    r["20-001"] = ["a /Configs entry has no /Name" for c in (list(oc.get("/Configs", [])) if oc is not None else []) if not str(c.get("/Name", ""))]
    r["20-002"] = ["/D has no /Name"] if oc is not None and not str(oc.D.get("/Name", "")) else []
    r["20-003"] = ["/AS in an optional content configuration" for c in configs if "/AS" in c]
    r["21-001"] = embedded_files(pdf)
    xfa = root.get("/AcroForm", {}).get("/XFA")
    r["25-001"] = ["XFA present"] if xfa is not None else []
    enc = pdf.trailer.get("/Encrypt")
    r["26-001"] = ["encrypted without /P"] if enc is not None and "/P" not in enc else []
    r["26-002"] = ["/P bit 10 off"] if enc is not None and "/P" in enc and not int(enc.P) & (1 << 9) else []
    # 28 Annotations.
    r.update(annotation_checks(pdf, tree, annots))
    # 30 XObjects.
    r["30-001"], r["30-002"] = xobjects(pdf)
    # 31 Fonts.
    r.update(font_checks(fonts))
    return r


def structure_problems(pdf, tree, content):
    """Each marked content on a page belongs to exactly one element, each element's marked
    content exists, and the parent tree maps them (and each annotation) back."""
    out = list(tree.problems)
    seen = set()
    for page, mcids in content.page_mcids.items():
        for m in mcids:
            owners = tree.mcrs.get((page, m), [])
            if len(owners) != 1:
                out.append(f"MCID {m} on {page} has {len(owners)} elements")
            seen.add((page, m))
    out += [f"MCR {k} has no marked content" for k in tree.mcrs if k not in seen]
    if tree.root is None:
        return out
    nums = parent_tree(tree.root.get("/ParentTree"))
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        mcids = content.page_mcids[page.obj.objgen]
        if not mcids:
            continue
        if key is None or int(key) not in nums:
            out.append("a page with marked content has no parent tree entry")
            continue
        arr = nums[int(key)]
        for m in mcids:
            owner = tree.mcrs.get((page.obj.objgen, m), [None])[0]
            if m >= len(arr) or arr[m].objgen != owner:
                out.append(f"parent tree: MCID {m} does not lead to its element")
    for page in pdf.pages:
        for a in page.get("/Annots", []):
            key = a.get("/StructParent")
            els = tree.objrs.get(a.objgen, [])
            if key is None or int(key) not in nums or not els or nums[int(key)].objgen != els[0].objgen:
                out.append("an annotation's /StructParent does not lead to its element")
    next_key = tree.root.get("/ParentTreeNextKey")
    if nums and (next_key is None or int(next_key) <= max(nums)):
        out.append("ParentTreeNextKey is not above every key")
    return out


def parent_tree(node):
    nums = {}
    if node is None:
        return nums
    stack = [node]
    while stack:
        n = stack.pop()
        arr = n.get("/Nums", [])
        for i in range(0, len(arr), 2):
            nums[int(arr[i])] = arr[i + 1]
        stack.extend(n.get("/Kids", []))
    return nums


def circular(rolemap):
    out = []
    for start in rolemap.keys():
        seen, cur = set(), start
        while cur in rolemap and cur not in seen:
            seen.add(cur)
            cur = str(rolemap[cur])
        if cur in seen:
            out.append(f"{start} maps in a circle")
    return out


def parent_rule(tree, parents, kids):
    """Elements whose parent or kids are not the ones ISO 32000-1 allows."""
    out = []
    for el, parent, _ in tree.elements:
        t = role(el)
        if t in parents and (parent is None or role(parent) not in parents[t]):
            out.append(f"{t} under {role(parent) if parent is not None else 'the root'}")
        if t in kids:
            out += [f"{role(k)} in {t}" for k in tree.children(el) if role(k) not in kids[t]]
    return out


def table_syntax(tree):
    out = parent_rule(
        tree,
        {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"}, "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"}},
        {"Table": {"TR", "THead", "TBody", "TFoot", "Caption"}, "TR": {"TH", "TD"}, "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}},
    )
    for el, _, _ in tree.elements:
        if role(el) == "Table":
            rows = [k for k in tree.children(el) if role(k) == "TR"]
            widths = {len(tree.children(row)) for row in rows}
            if len(widths) > 1:
                out.append(f"a table's rows have {sorted(widths)} cells")
    return out


def list_syntax(tree):
    return parent_rule(
        tree,
        {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}},
        {"L": {"LI", "L", "Caption"}, "LI": {"Lbl", "LBody"}},
    )


def headings(tree):
    levels = [int(role(el)[1]) for el, _, _ in tree.elements if re.fullmatch(r"H[1-6]", role(el))]
    first = [] if not levels or levels[0] == 1 else [f"first heading is H{levels[0]}"]
    skipped = [f"H{b} follows H{a}" for a, b in zip(levels, levels[1:]) if b > a + 1]
    return first, skipped


def table_headers(tree):
    """Every TH has a Scope or an ID named by cells' Headers; every TD's Headers name THs of
    its table that the ID tree knows."""
    out = []
    ids = {}
    id_tree = tree.root.get("/IDTree") if tree.root is not None else None
    stack = [id_tree] if id_tree is not None else []
    while stack:
        n = stack.pop()
        arr = n.get("/Names", [])
        for i in range(0, len(arr), 2):
            ids[bytes(arr[i])] = arr[i + 1]
        stack.extend(n.get("/Kids", []))
    for el, parent, _ in tree.elements:
        if role(el) == "Table":
            cells = [c for row in tree.children(el) for c in tree.children(row)]
            ths = [c for c in cells if role(c) == "TH"]
            named = set()
            for td in (c for c in cells if role(c) == "TD"):
                for h in as_list(table_attr(td, "/Headers")):
                    target = ids.get(bytes(h))
                    if target is None or role(target) != "TH" or target.objgen not in {t.objgen for t in ths}:
                        out.append(f"TD header {bytes(h)!r} is not a TH of its table")
                    named.add(bytes(h))
            for th in ths:
                scope = table_attr(th, "/Scope")
                if scope is None and (("/ID" not in th) or bytes(th.ID) not in named):
                    out.append("TH without Scope")
    return out


def embedded_files(pdf):
    out = []
    names = pdf.Root.get("/Names", {}).get("/EmbeddedFiles")
    if names is not None:
        arr = names.get("/Names", [])
        for i in range(1, len(arr), 2):
            if "/F" not in arr[i] or "/UF" not in arr[i]:
                out.append("embedded file without /F and /UF")
    return out


def annotation_checks(pdf, tree, annots):
    r = {k: [] for k in ("28-002", "28-004", "28-005", "28-006", "28-007", "28-008", "28-009", "28-010", "28-011", "28-012", "28-014", "28-015", "28-016", "28-017", "28-018")}
    known = {"/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Popup", "/FileAttachment", "/Sound", "/Movie", "/Widget", "/Screen", "/PrinterMark", "/TrapNet", "/Watermark", "/3D"}
    for i, a in annots:
        sub = name(a.get("/Subtype"))
        owners = tree.objrs.get(a.objgen, [])
        owner = role(owners[0]) if owners else None
        if sub not in ("/Widget", "/Link", "/PrinterMark", "/Popup") and owner != "Annot":
            r["28-002"].append(f"{sub} not in Annot")
        if sub not in ("/Widget", "/Popup") and "/Contents" not in a and not (owners and "/Alt" in owners[0]):
            r["28-004"].append(f"{sub} without Contents")
        if sub == "/Widget":
            field = a
            tu = None
            while field is not None and tu is None:
                tu = field.get("/TU")
                field = field.get("/Parent")
            if not tu and not (owners and "/Alt" in owners[0]):
                r["28-005"].append("a field without TU")
            if owner != "Form":
                r["28-010"].append(f"a widget in {owner}")
        if sub not in known:
            r["28-006"].append(f"unknown annotation {sub}")
        if sub == "/TrapNet":
            r["28-007"].append("TrapNet")
        if sub == "/Link":
            if owner != "Link":
                r["28-011"].append("a link not in Link")
            if "/Contents" not in a:
                r["28-012"].append("a link without Contents")
        if sub in ("/Screen", "/Movie", "/Sound"):
            r["28-014"].append(f"{sub}: media is not checked here")
        if sub == "/FileAttachment":
            r["28-016"].append("file attachment annotation")
        if sub == "/PrinterMark" and owners:
            r["28-017"].append("PrinterMark in the structure")
        if sub == "/PrinterMark":
            r["28-018"].append("PrinterMark: appearance not checked")
    r["28-015"] = list(r["28-014"])
    for page in pdf.pages:
        if page.get("/Annots"):
            tabs = page.get("/Tabs")
            if tabs is None:
                r["28-008"].append("a page with annotations has no /Tabs")
            elif name(tabs) != "/S":
                r["28-009"].append(f"/Tabs {tabs}")
    return r


def xobjects(pdf):
    refs, counted = [], {}
    for page in pdf.pages:
        for x in page.get("/Resources", {}).get("/XObject", {}).values():
            if "/Ref" in x:
                refs.append("reference XObject")
            counted[x.objgen] = counted.get(x.objgen, 0) + 1
    twice = []
    for page in pdf.pages:
        for x in page.get("/Resources", {}).get("/XObject", {}).values():
            if counted[x.objgen] > 1 and b"/MCID" in x.read_bytes():
                twice.append("a form XObject with MCIDs used more than once")
    return refs, twice


def unmapped_codes(fonts):
    out = []
    for font, codes in fonts:
        if "/ToUnicode" in font:
            continue
        enc = name(font.get("/Encoding"))
        if name(font.get("/Subtype")) == "/Type0":
            if codes:
                out.append(f"{font.get('/BaseFont')}: Type 0 font without ToUnicode")
        elif enc == "/WinAnsiEncoding":
            out += [f"{font.get('/BaseFont')}: code {c:#x}" for c in codes if c in WINANSI_UNDEFINED or c < 32]
        elif codes:
            out.append(f"{font.get('/BaseFont')}: neither ToUnicode nor a standard encoding")
    return out


def font_checks(fonts):
    r = {f"31-0{n:02d}": [] for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30)}
    for font, codes in fonts:
        base = str(font.get("/BaseFont"))
        sub = name(font.get("/Subtype"))
        prog = program(font)
        if sub == "/Type0":
            type0(font, base, r)
        if sub in ("/Type1", "/MMType1"):
            desc = descriptor(font)
            if desc is not None and "/CharSet" in desc:
                r["31-012"].append(f"{base}: Type 1 CharSet is not checked here")
                r["31-013"].append(f"{base}: Type 1 CharSet is not checked here")
        if prog is None:
            if sub != "/Type3":
                r["31-009"].append(f"{base} is not embedded")
            continue
        kind, data = prog
        if kind != "/FontFile2":
            continue
        tt = TrueType(data)
        if sub == "/TrueType":
            truetype(font, base, tt, codes, r)
        elif sub == "/Type0":
            cid_truetype(font, base, tt, codes, r)
        if "/ToUnicode" in font:
            values = unicode_values(font.ToUnicode)
            r["31-028"] += [f"{base}: U+0000 in ToUnicode" for v in values if v == 0][:1]
            r["31-029"] += [f"{base}: U+{v:04X} in ToUnicode" for v in values if v in (0xFEFF, 0xFFFE)][:1]
        elif sub == "/Type0" and codes:
            r["31-027"].append(f"{base}: Type 0 without ToUnicode")
    return r


def type0(font, base, r):
    cid = font.DescendantFonts[0]
    enc = font.get("/Encoding")
    if isinstance(enc, pikepdf.Name):
        if not PREDEFINED_CMAPS.match(str(enc)):
            r["31-006"].append(f"{base}: CMap {enc} is neither predefined nor embedded")
    elif isinstance(enc, pikepdf.Stream):
        info = enc.get("/CIDSystemInfo")
        mine = cid.get("/CIDSystemInfo")
        if info is not None and mine is not None:
            if str(info.Registry) != str(mine.Registry):
                r["31-001"].append(base)
            if str(info.Ordering) != str(mine.Ordering):
                r["31-002"].append(base)
            if int(mine.Supplement) < int(info.Supplement):
                r["31-003"].append(base)
        if "/WMode" in enc and f"/WMode {int(enc.WMode)}" not in enc.read_bytes().decode("latin-1"):
            r["31-007"].append(base)
        if "/UseCMap" in enc and not PREDEFINED_CMAPS.match(str(enc.UseCMap)):
            r["31-008"].append(base)
    if name(cid.get("/Subtype")) == "/CIDFontType2":
        m = cid.get("/CIDToGIDMap")
        if m is None:
            r["31-005"].append(base)
        elif not (isinstance(m, pikepdf.Stream) or name(m) == "/Identity"):
            r["31-004"].append(base)
    desc = cid.get("/FontDescriptor")
    if desc is not None and "/CIDSet" in desc and name(cid.get("/Subtype")) != "/CIDFontType2" and program(font) is not None:
        r["31-014"].append(f"{base}: the CIDSet of a CIDFontType0 is not checked here")
        r["31-015"].append(f"{base}: the CIDSet of a CIDFontType0 is not checked here")


def cid_truetype(font, base, tt, codes, r):
    """A CIDFontType2 with its TrueType program: /CIDSet against the CIDs the program holds,
    and each code shown (Identity-H: the code is the CID) through /CIDToGIDMap to a glyph of
    the program, with the width /W gives it."""
    cid = font.DescendantFonts[0]
    gids = cid_gids(cid)
    desc = cid.get("/FontDescriptor")
    if desc is not None and "/CIDSet" in desc:
        present, listed = present_cids(gids, tt), cid_set(desc.CIDSet)
        missing, extra = sorted(present - listed), sorted(listed - present)
        if missing:
            r["31-014"].append(f"{base}: CIDSet lacks {len(missing)} CIDs of the program, first {missing[0]}")
        if extra:
            r["31-015"].append(f"{base}: CIDSet names {len(extra)} CIDs the program lacks, first {extra[0]}")
    if name(font.get("/Encoding")) not in ("/Identity-H", "/Identity-V"):
        if codes:
            r["31-011"].append(f"{base}: codes of {font.get('/Encoding')} are not read here")
        return
    text = unicode_map(font.ToUnicode) if "/ToUnicode" in font else {}
    widths, default = cid_widths(cid)
    for c in sorted(codes):
        gid = gid_of(gids, c)
        if c == 0 or gid == 0:
            r["31-030"].append(f"{base}: CID {c} shows .notdef")
            if c != 0:
                r["31-011"].append(f"{base}: CID {c} maps to no glyph")
            continue
        if gid is None or gid >= tt.glyphs:
            r["31-011"].append(f"{base}: glyph of CID {c} missing")
            continue
        if not tt.has_outline(gid) and visible(text.get(c)):
            r["31-011"].append(f"{base}: glyph of CID {c} for {text[c]!r} is empty")
        if abs(widths.get(c, default) - tt.advance(gid)) > 1.0:
            r["31-016"].append(f"{base}: width of CID {c}")


def truetype(font, base, tt, codes, r):
    """A simple TrueType font: encoding, cmap, glyphs and widths of every code shown."""
    enc = font.get("/Encoding")
    if symbolic(font):
        if enc is not None:
            r["31-024"].append(base)
        if not tt.cmaps:
            r["31-025"].append(base)
        if len(tt.cmaps) > 1 and (3, 0) not in tt.cmaps:
            r["31-026"].append(base)
        return
    if enc is None:
        r["31-019"].append(base)
    elif isinstance(enc, pikepdf.Dictionary):
        if "/BaseEncoding" not in enc:
            r["31-020"].append(base)
        if "/Differences" in enc:
            r["31-022"].append(f"{base}: Differences are not checked against the glyph list")
            if (3, 1) not in tt.cmaps:
                r["31-023"].append(base)
        enc = enc.get("/BaseEncoding")
    if name(enc) not in ("/WinAnsiEncoding", "/MacRomanEncoding"):
        r["31-021"].append(f"{base}: {enc}")
    unicode_cmap = tt.cmaps.get((3, 1))
    if unicode_cmap is None and (1, 0) not in tt.cmaps:
        r["31-017"].append(base)
        return
    first = int(font.get("/FirstChar", 0))
    widths = list(font.get("/Widths", []))
    for code in sorted(codes):
        char = bytes([code]).decode("cp1252", errors="replace")
        glyph = (unicode_cmap or {}).get(ord(char), 0)
        if glyph == 0:
            # Not found by the cmap: the glyph shown is .notdef.
            r["31-018"].append(f"{base}: code {code:#x} has no glyph")
            r["31-030"].append(f"{base}: code {code:#x} shows .notdef")
            continue
        if glyph >= tt.glyphs or (char.strip() and not tt.has_outline(glyph)):
            r["31-011"].append(f"{base}: glyph for {char!r} missing")
        if first <= code < first + len(widths):
            if abs(float(widths[code - first]) - tt.advance(glyph)) > 1.0:
                r["31-016"].append(f"{base}: width of {char!r}")


def tables(path):
    pdf = pikepdf.open(path)
    tree = Tree(pdf)
    out = []
    for el, _, _ in tree.elements:
        if role(el) != "Table":
            continue
        rows = []
        for row in tree.children(el):
            cells = []
            for c in tree.children(row):
                forms = [k for k in tree.children(c) if role(k) == "Form"]
                objrs = sum(1 for f in forms for k in as_list(f.get("/K")) if isinstance(k, pikepdf.Dictionary) and name(k.get("/Type")) == "/OBJR")
                cells.append(
                    {
                        "role": role(c),
                        "scope": name(table_attr(c, "/Scope")),
                        "headers": [bytes(h).decode() for h in as_list(table_attr(c, "/Headers"))],
                        "id": bytes(c.ID).decode() if "/ID" in c else None,
                        "forms": objrs,
                        "kids": [role(k) for k in tree.children(c)],
                    }
                )
            rows.append({"role": role(row), "cells": cells})
        out.append({"rows": rows})
    print(json.dumps(out, ensure_ascii=False))


def first_page(tree, el, pages, last=False):
    """The page index of an element's first (last) marked content or annotation."""
    found = []

    def walk(e):
        page = e.get("/Pg")
        for k in as_list(e.get("/K")):
            if isinstance(k, int):
                found.append(pages[page.objgen])
            elif isinstance(k, pikepdf.Dictionary):
                t = name(k.get("/Type"))
                if t == "/MCR":
                    found.append(pages[k.get("/Pg", page).objgen])
                elif t == "/OBJR":
                    found.append(pages[k.Pg.objgen])
                elif "/S" in k:
                    walk(k)

    walk(el)
    if not found:
        return None
    return found[-1] if last else found[0]


def text_widget(form):
    for k in as_list(form.get("/K")):
        if isinstance(k, pikepdf.Dictionary) and name(k.get("/Type")) == "/OBJR":
            field = k.Obj
            while field is not None:
                if "/FT" in field:
                    return name(field.FT) == "/Tx"
                field = field.get("/Parent")
    return False


def widgets(path):
    pdf = pikepdf.open(path)
    out = {}
    for i, page in enumerate(pdf.pages):
        for a in page.get("/Annots", []):
            parts, f = [], a
            while f is not None:
                if "/T" in f:
                    parts.append(str(f.T))
                f = f.get("/Parent")
            out[".".join(reversed(parts))] = {"page": i, "rect": [float(x) for x in a.Rect]}
    print(json.dumps(out, ensure_ascii=False))


def pairs(path):
    pdf = pikepdf.open(path)
    tree = Tree(pdf)
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    out = []
    for el, _, _ in tree.elements:
        kids = tree.children(el)
        for before, box in zip(kids, kids[1:]):
            if role(before) != "P" or role(box) not in ("Form", "Table"):
                continue
            if role(box) == "Form" and not text_widget(box):
                # An option's box comes before its label; options may break between them.
                continue
            out.append(
                {
                    "box": role(box),
                    "label_page": first_page(tree, before, pages, last=True),
                    "box_page": first_page(tree, box, pages),
                }
            )
    print(json.dumps(out))

def elements_of(pdf, wanted):
    return [el for el, _, _ in Tree(pdf).elements if role(el) == wanted]


def add_content(pdf, data):
    page = pdf.pages[0]
    page.contents_add(pikepdf.Stream(pdf, data), prepend=False)


def no_title(pdf):
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["dc:title"]


def fonts_in(pdf, subtype):
    """Every font of `subtype` the checks read (pages, appearance streams, /DR), once."""
    return [f for f, _ in fonts_of(pdf, Content(pdf)) if name(f.get("/Subtype")) == subtype]


def not_embedded(pdf):
    for f in fonts_in(pdf, "/Type0") + fonts_in(pdf, "/TrueType"):
        desc = descriptor(f)
        if desc is not None and "/FontFile2" in desc:
            del desc["/FontFile2"]


def cid_set_of(font):
    return font.DescendantFonts[0].FontDescriptor.CIDSet


def cid_set_short(pdf):
    """The CIDSet without the highest CID it names."""
    for f in fonts_in(pdf, "/Type0"):
        data = bytearray(cid_set_of(f).read_bytes())
        last = max(cid_set(cid_set_of(f)))
        data[last // 8] &= ~(0x80 >> (last % 8)) & 0xFF
        cid_set_of(f).write(bytes(data))


def cid_set_extra(pdf):
    """The CIDSet naming eight CIDs past the program's."""
    for f in fonts_in(pdf, "/Type0"):
        cid_set_of(f).write(cid_set_of(f).read_bytes() + b"\xff")


def glyphs_missing(pdf):
    """Every CID the /CIDToGIDMap maps to a glyph now maps past the program's glyphs."""
    for f in fonts_in(pdf, "/Type0"):
        cid = f.DescendantFonts[0]
        gids = [0xFFFF if g else 0 for g in cid_gids(cid)]
        cid.CIDToGIDMap.write(struct.pack(f">{len(gids)}H", *gids))


def no_encoding(pdf):
    for f in fonts_in(pdf, "/TrueType"):
        del f["/Encoding"]


def td_in_table(pdf):
    table = elements_of(pdf, "Table")[0]
    td = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.TD, P=table))
    table.K.append(td)


def no_scope(pdf):
    for el in elements_of(pdf, "TH") + elements_of(pdf, "TD"):
        del el["/A"]


def set_attr_headers(pdf):
    td = elements_of(pdf, "TD")[0]
    td.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Headers=pikepdf.Array([pikepdf.String("nope")]))


def no_tooltips(pdf):
    for page in pdf.pages:
        for a in page.get("/Annots", []):
            f = a
            while f is not None:
                if "/TU" in f:
                    del f["/TU"]
                f = f.get("/Parent")


def parent_tree_wrong(pdf):
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    arr = nums[1]
    arr[0] = pdf.Root.StructTreeRoot.K if isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Dictionary) else pdf.Root.StructTreeRoot.K[0]


def first_role(pdf, old, new):
    elements_of(pdf, old)[0].S = pikepdf.Name("/" + new)


def wrong_width(pdf):
    """Simple fonts: the width of "e"; composite fonts: every width (/DW alone, 9999)."""
    for f in fonts_in(pdf, "/TrueType"):
        f.Widths[ord("e") - int(f.FirstChar)] = 9999
    for f in fonts_in(pdf, "/Type0"):
        cid = f.DescendantFonts[0]
        del cid["/W"]
        cid.DW = 9999


SPOILERS = {
    "unmarked": lambda pdf: add_content(pdf, b"0 0 m 10 10 l S"),
    "parent-tree": parent_tree_wrong,
    "artifact-in-tagged": lambda pdf: add_content(pdf, b"/P <</MCID 999>> BDC /Artifact BMC 0 0 m 1 1 l S EMC EMC"),
    "no-title": no_title,
    "doc-title": lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False),
    "td-in-table": td_in_table,
    "lbody": lambda pdf: first_role(pdf, "LBody", "P"),
    "lang": lambda pdf: setattr(pdf.Root, "Lang", pikepdf.String("")),
    "h3": lambda pdf: first_role(pdf, "H2", "H3"),
    "scope": no_scope,
    "headers": set_attr_headers,
    "tooltip": no_tooltips,
    "tabs": lambda pdf: setattr(pdf.pages[0].obj, "Tabs", pikepdf.Name.R),
    "widget-in-p": lambda pdf: first_role(pdf, "Form", "P"),
    "not-embedded": not_embedded,
    "glyph-missing": glyphs_missing,
    "cidset-short": cid_set_short,
    "cidset-extra": cid_set_extra,
    "widths": wrong_width,
    "encoding": no_encoding,
}


def spoil(path, out, fault):
    pdf = pikepdf.open(path)
    SPOILERS[fault](pdf)
    pdf.save(out)
    print(json.dumps({"spoiled": fault}))


if __name__ == "__main__":
    command, path = sys.argv[1:3]
    if command == "check":
        print(json.dumps(check(path), ensure_ascii=False))
    elif command == "tables":
        tables(path)
    elif command == "pairs":
        pairs(path)
    elif command == "widgets":
        widgets(path)
    elif command == "spoil":
        spoil(path, *sys.argv[3:])
