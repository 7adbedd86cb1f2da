// pdf-answers.js (the inbox's PDF reader) on hostile and odd files, in node without a
// browser: a decompression bomb, reference loops, deep nesting, an encrypted file, garbage,
// and a field tree built by hand in an object stream. The parity with Formwerk's Rust reader
// on real filled PDFs is tested in tests/pdf_form.rs; what field values give which answers
// (encodings, dates, numbers, buttons by value or appearance) in tests/vectors/pdf-fields.json
// (tests/vectors.rs).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import * as h from "./helpers.js";

const sandbox = { window: {}, Blob, Response, DecompressionStream, TextDecoder };
// As on the inbox page: form-rules.js (its exact numbers) first, then the reader.
vm.createContext(sandbox);
for (const script of ["form-rules.js", "pdf-file.js", "pdf-answers.js"]) {
  vm.runInContext(fs.readFileSync(path.join(h.repo, "crates/render/theme/static", script), "utf8"), sandbox);
}
const P = sandbox.window.FormwerkPdf;

// The budgets per file as the build hands them to the inbox (crates/form/src/budget.rs).
const inbox = path.join(h.buildSite("pdf-answers-budgets", h.repo), "projektbeschreibung", "projektbeschreibung-posteingang.html");
const budgets = JSON.parse(fs.readFileSync(inbox, "utf8").match(/id="formwerk-model">([\s\S]*?)<\/script>/)[1]).budgets;

const model = {
  budgets,
  id: "antrag",
  version: "1",
  fields: [
    { id: "name", kind: "text", options: [], lines: 0 },
    { id: "datum", kind: "date", options: [], lines: 0 },
    { id: "summe", kind: "number", options: [], lines: 0 },
    { id: "zustimmung", kind: "yes_no", options: [], lines: 0 },
  ],
};

const bytes = (text) => Uint8Array.from(Buffer.from(text, "latin1"));

/** A PDF of `objects` ("1 0 obj … endobj" bodies, numbered from 1), a cross-reference
 * table and a trailer. */
function pdf(objects, trailer) {
  let out = "%PDF-1.7\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  return bytes(out + `trailer\n${trailer}\nstartxref\n${xref}\n%%EOF\n`);
}

function stream(dict, data) {
  const raw = Buffer.isBuffer(data) ? data : Buffer.from(data, "latin1");
  return `<< ${dict} /Length ${raw.length} >>\nstream\n${raw.toString("latin1")}\nendstream`;
}

const catalog = "<< /Type /Catalog /AcroForm 2 0 R >>";

describe("pdf-answers.js on hostile and odd PDFs", () => {
  it("reads a field tree kept in a compressed object stream, with German text", async () => {
    const members = ["<< /Fields [4 0 R 5 0 R 6 0 R] >>", "<< /T (name) /FT /Tx /V <FEFF00C4006D0074> >>", "<< /T (datum) /FT /Tx /V (31.12.2026) >>", "<< /T (summe) /FT /Tx /V (1.234,5) >>"];
    let header = "";
    let body = "";
    const numbers = [3, 4, 5, 6];
    members.forEach((m, i) => {
      header += `${numbers[i]} ${body.length} `;
      body += m + "\n";
    });
    const packed = zlib.deflateSync(Buffer.from(header + body, "latin1"));
    const file = pdf(["<< /Type /Catalog /AcroForm 3 0 R >>", stream(`/Type /ObjStm /N 4 /First ${header.length} /Filter /FlateDecode`, packed)], "<< /Root 1 0 R /Size 7 >>");
    // Objects 3–6 live in the stream, which the cross-reference table lists as object 2: its
    // members are objects too (as for lopdf).
    const r = await P.read(file, model);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual({ ...r.answers }, { name: "Ämt", datum: "2026-12-31", summe: 1234.5 });
  });

  it("refuses a decompression bomb instead of inflating it", async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(80 * 1024 * 1024, 0x30));
    assert.ok(bomb.length < 200_000);
    const file = pdf([catalog, "<< /Fields [] >>", stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomb)], "<< /Root 1 0 R >>");
    const r = await P.read(file, model);
    assert.deepEqual({ ...r }, { ok: false, budget: "inflated" });
  });

  it("survives reference loops and deep nesting", async () => {
    const loop = pdf([catalog, "<< /Fields [3 0 R] >>", "<< /T (a) /Kids [4 0 R] >>", "<< /T (b) /Kids [3 0 R] /Parent 3 0 R >>"], "<< /Root 1 0 R >>");
    const r = await P.read(loop, model);
    assert.equal(r.ok, true);
    assert.deepEqual({ ...r.answers }, {});
    const deep = pdf([catalog, `<< /Fields [3 0 R] /X ${"[".repeat(5000)}${"]".repeat(5000)} >>`], "<< /Root 1 0 R >>");
    const d = await P.read(deep, model);
    assert.equal(d.ok, false);
  });

  it("refuses encrypted, damaged and field-less files with their reason", async () => {
    const encrypted = pdf([catalog, "<< /Fields [] >>", "<< /Filter /Standard >>"], "<< /Root 1 0 R /Encrypt 3 0 R >>");
    assert.equal((await P.read(encrypted, model)).error, "encrypted");
    assert.equal((await P.read(bytes("%PDF-1.7\n1 0 obj << /Type /Cat"), model)).error, "malformed");
    assert.equal((await P.read(bytes("{\"form\": \"antrag\"}"), model)).error, "malformed");
    const plain = pdf(["<< /Type /Catalog >>"], "<< /Root 1 0 R >>");
    assert.equal((await P.read(plain, model)).error, "no_fields");
  });
});
