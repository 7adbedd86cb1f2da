// Reads filled PDF forms with the theme's pdf-answers.js, as the inbox does, so that
// tests/pdf_form.rs can compare its answers with Formwerk's Rust reader on the same files.
// usage: node tests/pdf/read_pdf.mjs FORM_PAGE.html FILE.pdf… → JSON array, one result per PDF
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { readModel } from "../answers/generate.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [page, ...pdfs] = process.argv.slice(2);
const sandbox = { window: {}, Blob, Response, DecompressionStream, TextDecoder };
const context = vm.createContext(sandbox);
// As on the inbox page: form-rules.js (numbers, expressions) first, then pdf-answers.js.
for (const script of ["form-rules.js", "pdf-file.js", "pdf-answers.js"]) {
  vm.runInContext(fs.readFileSync(path.join(repo, "crates/render/theme/static", script), "utf8"), context);
}
// The inbox page beside the form page carries the model with the budgets per file.
const inbox = fs.readdirSync(path.dirname(page)).find((f) => f.endsWith("-posteingang.html"));
const model = readModel(path.join(path.dirname(page), inbox));
const out = [];
for (const pdf of pdfs) {
  out.push(await sandbox.window.FormwerkPdf.read(new Uint8Array(fs.readFileSync(pdf)), model));
}
console.log(JSON.stringify(out));
