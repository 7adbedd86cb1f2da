"""Writes a PDF whose object stream inflates to 100 MB from about 100 KB (a decompression
bomb) to stdout, for the tests that a hostile PDF is refused without being inflated."""
import sys
import zlib

data = zlib.compress(b"0" * 100_000_000, 9)


def obj(n, body):
    return b"%d 0 obj\n" % n + body + b"\nendobj\n"


sys.stdout.buffer.write(
    b"%PDF-1.7\n"
    + obj(1, b"<< /Type /Catalog /AcroForm 2 0 R >>")
    + obj(2, b"<< /Fields [] >>")
    + obj(3, b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
