// The JavaScript side of the test vectors in this folder (README.md): checks one vector file
// against the theme's own scripts, loaded as the pages load them, and against the PDF's
// calculate.js. tests/vectors.rs runs it; Rust's side of the same file is checked there.
//
//   node tests/vectors/check.mjs expressions.json  < TREES   {trees: [one per case], computed: {id: tree}}
//   node tests/vectors/check.mjs german-numbers.json
//   node tests/vectors/check.mjs answers-files.json  < BUDGETS {budgets: model.budgets}
//   node tests/vectors/check.mjs pdf-fields.json DIR         DIR/model.json, DIR/1.pdf, DIR/2.pdf, …
//
// Expressions arrive parsed, as the build hands them to the page (Rust parses them: the
// page has no parser); the PDFs are written by tests/vectors.rs from the cases' fields. An
// answers file is read as the inbox reads it: in its worker (inbox-worker.js), which counts
// the budgets per file (crates/form/src/budget.rs, handed over as the page carries them) and
// then opens the file with answers-file.js; formwerk answers counts the same budgets first.
// Every case that fails is printed; the exit code is 1 when one did.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const statics = path.join(here, "../../crates/render/theme/static");
const [file, dir] = process.argv.slice(2);
const vectors = JSON.parse(fs.readFileSync(path.join(here, file), "utf8"));
const failures = [];
let checked = 0;

/** Compares what JavaScript gives with what the vector expects. */
function expect(where, got, want) {
  checked++;
  try {
    assert.deepStrictEqual(got, want);
  } catch {
    failures.push(`${where}: JavaScript gives ${show(got)}, the vector says ${show(want)}`);
  }
}

function show(v) {
  return JSON.stringify(v, (k, x) => (typeof x === "bigint" ? `${x}n` : x));
}

/** A script of the theme in a fresh context, as a page runs it. */
function load(names, globals) {
  const context = vm.createContext({ window: {}, ...globals });
  for (const name of names) vm.runInContext(fs.readFileSync(path.join(statics, name), "utf8"), context);
  return context.window;
}

const rules = () => load(["form-rules.js"], { BigInt }).FormwerkRules;

/** The inbox's worker (answers-file.js, then inbox-worker.js, in one context as the page's
 * worker runs them) with the page's budgets: `read(bytes)` posts a file to it and resolves to
 * its result ({budget: key}, {unreadable: true} or answers-file.js `open`'s result). */
function inboxWorker(budgets, globals) {
  const context = vm.createContext({ TextEncoder, TextDecoder, ...globals });
  context.self = context;
  for (const name of ["answers-file.js", "inbox-worker.js"]) {
    vm.runInContext(fs.readFileSync(path.join(statics, name), "utf8"), context);
  }
  context.onmessage({ data: { model: { budgets } } });
  let id = 0;
  return {
    FormwerkAnswers: context.FormwerkAnswers,
    read: (bytes) =>
      new Promise((resolve) => {
        const mine = ++id;
        context.postMessage = (m) => m.id === mine && resolve(m.result);
        context.onmessage({ data: { id: mine, name: "vector.json", bytes: bytes.buffer } });
      }),
  };
}

/** The helpers the PDF's calculate actions call (crates/pdf/src/calculate.js). */
function pdfHelpers() {
  const source = fs.readFileSync(path.join(here, "../../crates/pdf/src/calculate.js"), "utf8");
  return vm.runInNewContext(`${source};FW`, {});
}

/** An exact decimal string ("-1234.5") in millionths. */
function millionths(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`not an exact decimal: ${text}`);
  const n = BigInt(m[2]) * 1000000n + BigInt((m[3] || "").padEnd(6, "0"));
  return m[1] ? -n : n;
}

/** A case's decimals or unit: its own where it has the key (null included), else the file's. */
function own(c, key) {
  return key in c ? c[key] : vectors[key];
}

const abs = (n) => (n < 0n ? -n : n);

/** The largest number of millionths the PDF's scripts hold exactly (calculate.js FW.M). */
const PDF_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

const checks = {
  "expressions.json": () => {
    const N = rules().numbers;
    const { trees, computed } = JSON.parse(fs.readFileSync(0, "utf8"));
    assert.equal(trees.length, vectors.cases.length, "one tree per case");
    const byId = Object.create(null);
    for (const [id, tree] of Object.entries(computed)) byId[id] = { id, kind: "computed", expr: tree };
    vectors.cases.forEach((c, i) => {
      const v = N.evaluate(trees[i], N.answersEnv(byId, vectors.answers));
      const where = `expressions.json ${c.expr}`;
      if (!v || (v.bool === undefined && v.num === undefined)) return expect(where, null, c.value);
      if (v.bool !== undefined) return expect(where, v.bool, c.value);
      const decimals = own(c, "decimals");
      expect(where, [N.plain(v.num), N.german(v.num, decimals, own(c, "unit"))], [c.value, c.german]);
    });
  },

  "german-numbers.json": () => {
    const N = rules().numbers;
    const FW = pdfHelpers();
    for (const c of vectors.parse) {
      const n = N.parseGerman(c.text);
      expect(`german-numbers.json parse ${show(c.text)}`, n === null ? null : N.plain(n), c.value);
      // The PDF's scripts: the same rules, within their exact range.
      const want = c.value === null || abs(millionths(c.value)) > PDF_EXACT ? null : Number(millionths(c.value));
      expect(`german-numbers.json parse ${show(c.text)} in the PDF (calculate.js FW.de)`, FW.de(c.text), want);
    }
    for (const c of vectors.format) {
      const n = millionths(c.value);
      expect(`german-numbers.json format ${c.value} (${c.decimals}, ${c.unit})`, N.german(n, c.decimals, c.unit), c.text);
      // The PDF writes the unit beside the box, never more than six places.
      if (abs(n) > PDF_EXACT || (c.decimals !== null && c.decimals > 6)) continue;
      const bare = c.unit ? c.text.slice(0, -(c.unit.length + 1)) : c.text;
      expect(`german-numbers.json format ${c.value} (${c.decimals}) in the PDF (calculate.js FW.show)`, FW.show(Number(n), c.decimals), bare);
    }
  },

  "answers-files.json": async () => {
    const { budgets } = JSON.parse(fs.readFileSync(0, "utf8"));
    const withCrypto = inboxWorker(budgets, { crypto: globalThis.crypto });
    // No WebCrypto (an old browser, a file:// page in some): the script's own SHA-256.
    const fallback = inboxWorker(budgets, {});
    for (const c of vectors.cases) {
      const text = "text" in c ? c.text : JSON.stringify(c.file);
      for (const [how, worker] of [["WebCrypto", withCrypto], ["own SHA-256", fallback]]) {
        const where = `answers-files.json ${show(c.name)} (${how})`;
        const A = worker.FormwerkAnswers;
        // As the inbox reads a file: its bytes to the worker, which decodes them as UTF-8
        // (dropping one byte order mark) and counts the budgets before answers-file.js opens it.
        const r = await worker.read(new TextEncoder().encode(text));
        const integrity = r.budget ? `budget_${r.budget}` : r.unreadable ? "unreadable" : r.ok ? r.integrity : r.error;
        expect(`${where} integrity`, integrity, c.integrity);
        let data;
        try {
          data = JSON.parse(text.replace(/^\uFEFF/, ""));
        } catch {
          data = undefined;
        }
        const object = data !== null && typeof data === "object" && !Array.isArray(data);
        // checksum null: a file that is no JSON to either side (a number beyond the double
        // range, a lone surrogate), refused before any checksum.
        if (c.checksum === null) {
          expect(`${where} refused before its checksum`, r.ok || r.error !== "malformed" ? r.integrity : null, null);
          continue;
        }
        if (!object) {
          expect(`${where} checksum`, undefined, c.checksum);
          continue;
        }
        const { checksum, ...rest } = data;
        const canonical = A.canonical(rest);
        expect(`${where} checksum`, `sha256:${await A.sha256Hex(canonical)}`, c.checksum);
        if ("canonical" in c) expect(`${where} canonical`, canonical, c.canonical);
      }
    }
  },

  "pdf-fields.json": async () => {
    const win = load(["form-rules.js", "pdf-file.js", "pdf-answers.js"], { BigInt, Blob, Response, DecompressionStream, TextDecoder });
    const model = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    for (const [i, c] of vectors.cases.entries()) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(dir, `${i + 1}.pdf`)));
      const r = await win.FormwerkPdf.read(bytes, model);
      const where = `pdf-fields.json ${show(c.name)}`;
      if (!r.ok) {
        expect(where, r.error, "a read PDF");
        continue;
      }
      // Through JSON, as the inbox keeps them: no prototype-less objects, no undefined.
      expect(`${where} answers`, JSON.parse(JSON.stringify(r.answers)), c.answers);
      expect(`${where} problems`, [...r.problems], c.problems || []);
      expect(`${where} form and version`, [r.form, r.version], [model.id, model.version]);
    }
  },
};

if (!checks[file]) throw new Error(`no check for ${file}`);
await checks[file]();
if (failures.length) {
  console.error(failures.join("\n"));
  console.error(`${failures.length} of ${checked} checks of ${file} failed`);
  process.exit(1);
}
console.log(`${checked} checks of ${file} passed`);
