"""Writes one hostile PDF of a class to stdout, for the budget tests of `formwerk answers`
(tests/answers_budgets.rs) and the inbox (tests/browser/inbox.test.js):

  objstm-bomb     an object stream whose 100,000 members all begin at one 1 MB string
  quadratic       `1 0 obj (` repeated (a reader that rescans from every match is quadratic)
  after-eof       a PDF of form FORM whose field `name` says "Gemeinde Echt"; a comment and a
                  part after %%EOF define the field again as "Gemeinde Gefaelscht"
  self-kids       a field whose /Kids name itself and its parent, twice
  many-fields     10,001 fields (one over the budget)

Usage: hostile.py CLASS [FORM]"""
import sys
import zlib


def pdf(objects, trailer_extra=b"", tail=b"", before_xref=b""):
    """A PDF of these object bodies (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    out += before_xref
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out + tail)


def form_pdf(form, fields):
    """Catalog, AcroForm, info naming FORM, then the field bodies (objects 4…)."""
    refs = b" ".join(b"%d 0 R" % (4 + i) for i in range(len(fields)))
    return [
        b"<< /Type /Catalog /AcroForm 2 0 R >>",
        b"<< /Fields [" + refs + b"] >>",
        b"<< /FormwerkForm (" + form + b") >>",
    ] + fields


def objstm_bomb(form):
    string = b"(" + b"x" * 1_000_000 + b")"
    n = 100_000
    header = b" ".join(b"%d 0" % (10 + i) for i in range(n)) + b" "
    data = zlib.compress(header + string, 9)
    objects = form_pdf(form, [b"<< /T (name) /FT /Tx /V (Gemeinde Bombe) >>"])
    objects.append(b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                   % (n, len(header), len(data)) + data + b"\nendstream")
    return pdf(objects, b" /Info 3 0 R")


def quadratic(_form):
    return b"%PDF-1.7\n" + b"1 0 obj (" * 40_000


def after_eof(form):
    fake = b"4 0 obj\n<< /T (name) /FT /Tx /V (Gemeinde Gefaelscht) >>\nendobj\n"
    comment = b"% " + fake.replace(b"\n", b" ") + b"\n"
    return pdf(form_pdf(form, [b"<< /T (name) /FT /Tx /V (Gemeinde Echt) >>"]), b" /Info 3 0 R",
               tail=fake, before_xref=comment)


def self_kids(form):
    fields = [b"<< /T (name) /FT /Tx /V (Gemeinde Schleife) /Kids [4 0 R 5 0 R 4 0 R 5 0 R] >>",
              b"<< /T (x) /Parent 4 0 R /Kids [5 0 R 4 0 R 5 0 R 4 0 R] >>"]
    return pdf(form_pdf(form, fields[:1]) + fields[1:], b" /Info 3 0 R")


def many_fields(form):
    fields = [b"<< /T (f%d) /FT /Tx /V (x) >>" % i for i in range(10_001)]
    return pdf(form_pdf(form, fields), b" /Info 3 0 R")


CLASSES = {"objstm-bomb": objstm_bomb, "quadratic": quadratic, "after-eof": after_eof,
           "self-kids": self_kids, "many-fields": many_fields}

if __name__ == "__main__":
    form = (sys.argv[2] if len(sys.argv) > 2 else "projektbeschreibung").encode()
    sys.stdout.buffer.write(CLASSES[sys.argv[1]](form))
