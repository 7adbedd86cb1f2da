// The inbox ("Posteingang") from file://: realistic answers files (tests/answers/generate.mjs)
// dropped in and picked; counts, flags, table text, the CSV download parsed back, the filled
// view printed to PDF.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import * as h from "./helpers.js";
import { generate } from "../answers/generate.mjs";

const env = h.withBundledSite({ before, after });
let files;
let manifest;
let inboxUrl;

before(async () => {
  const dir = path.join(h.repo, "target", "browser-sites", "answers-50");
  manifest = await generate(path.join(env.bundled, "projektbeschreibung", "index.html"), dir, { count: 50 });
  files = manifest.map((m) => path.join(dir, m.file));
  inboxUrl = h.fileUrl(env.bundled, "projektbeschreibung", "projektbeschreibung-posteingang.html");
});

async function openInbox() {
  const page = await h.openPage(env.browser, inboxUrl);
  await page.waitForSelector("#drop-zone:not([hidden])");
  return page;
}

/** Waits until the inbox has read every file given: the status names no file being read
 * (picking and dropping start reading at once, naming the first file), and the table of
 * answers has every row (it fills while the page is idle, aria-busy until its last row). */
async function settled(page) {
  await page.waitForSelector("#inbox-status:not([data-reading])", { state: "attached" });
  await page.waitForSelector("#inbox-results:not([hidden])");
  await page.waitForSelector("#inbox-answers:not([aria-busy])", { state: "attached" });
}

async function pick(page, paths) {
  await page.setInputFiles("#inbox-input", paths);
  await settled(page);
}

/** Parses CSV as written for German Excel: `;`, CRLF, "" inside quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

async function axe(page) {
  // Evaluated by the test, not added as an inline script: the page's policy refuses those.
  await page.evaluate(`${AXE}\n;0`);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  });
}

const count = (status) => manifest.filter((m) => m.status === status).length;
/** How the file list names each status. */
const statusWord = { complete: "vollständig", incomplete: "unvollständig", wrong: "fehlerhaft", invalid: "ungültig" };

describe("inbox", () => {
  it("is linked from the sitemap only, not from the applicant's pages", async () => {
    const sitemap = fs.readFileSync(path.join(env.bundled, "sitemap.html"), "utf8");
    assert.match(sitemap, /href="projektbeschreibung\/projektbeschreibung-posteingang.html">Posteingang</);
    for (const file of h.htmlFiles(env.bundled).filter((f) => !f.endsWith("sitemap.html"))) {
      assert.doesNotMatch(fs.readFileSync(file, "utf8"), /posteingang\.html/, file);
    }
  });

  it("checks every file, flags problems and duplicates, and sends nothing", async () => {
    const page = await openInbox();
    await pick(page, files);
    const status = await page.textContent("#inbox-status");
    const dups = manifest.filter((m) => m.duplicate).length;
    assert.equal(
      status,
      `${manifest.length} Dateien: ${count("complete")} vollständig, ${count("incomplete")} unvollständig, ${count("wrong")} fehlerhaft, ${count("invalid")} ungültig, ${dups} doppelt.`,
    );
    const rows = await page.$$eval("#inbox-file-list tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)),
    );
    assert.equal(rows.length, manifest.length);
    const byFile = Object.fromEntries(rows.map((r) => [r[0], r]));
    for (const m of manifest) {
      const row = byFile[m.file];
      assert.ok(row, m.file);
      assert.ok(row[5].startsWith(statusWord[m.status]), `${m.file}: ${row[5]}`);
      assert.equal(row[5].includes("doppelt"), !!m.duplicate, m.file);
      if (m.identify) assert.equal(row[1], m.identify);
      if (m.integrity === "missing") assert.equal(row[4], "ohne Prüfsumme", m.file);
      if (m.integrity === "valid") assert.equal(row[4], "gültig", m.file);
    }
    assert.match(byFile["veraendert.json"][6], /Prüfsumme stimmt nicht/);
    assert.match(byFile["anderes-formular.json"][6], /anderen Formular \(„verwendungsnachweis“\)/);
    assert.match(byFile["beschaedigt.json"][6], /keine gültige Antwortdatei/);
    assert.match(byFile["zukunft.json"][6], /Format 3/);
    const incomplete = manifest.find((m) => m.status === "incomplete");
    assert.match(byFile[incomplete.file][6], /Bitte füllen Sie „.+“ aus\./);
    const hostile = byFile["<img src=x onerror=alert(4)>.json"];
    assert.match(hostile[6], /„__proto__“: diese Frage gibt es in diesem Formular nicht/);
    assert.match(hostile[6], /„<img src=x onerror=alert\(2\)>“: diese Frage gibt es in diesem Formular nicht/);
    assert.equal(await page.evaluate(() => ({}).polluted), undefined, "no prototype polluted");
    assert.equal(await page.locator("#inbox-file-list img, #inbox-answers img, #inbox-answers b").count(), 0, "markup stays text");
    assert.deepEqual(page.dialogs, [], "nothing executed");
    // The worker that reads the files comes from the page itself (a blob: address).
    const foreign = page.requests.filter((r) => !r.startsWith("file://") && !r.startsWith("blob:"));
    assert.deepEqual(foreign, []);
    assert.deepEqual(page.errors, []);
    await h.screenshot(page, "inbox-50");
    assert.deepEqual(await axe(page), [], "WCAG 2.1 A/AA with the tables shown");
    await page.context().close();
  });

  it("tables every answer with two header rows, filters, sorts and exports CSV for Excel", async () => {
    const page = await openInbox();
    await pick(page, files);
    const valid = manifest.length - count("invalid");
    const heads = await page.$$eval("#inbox-answers thead tr", (trs) =>
      trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)),
    );
    assert.equal(heads.length, 2);
    assert.ok(heads[0].includes("1. Name der Gebietskörperschaft (Landkreis, Stadt)"));
    const soz = heads[0].findIndex((t) => /^2\. .*: Soziales$/.test(t));
    assert.ok(soz > 0, "one column per option");
    assert.equal(heads[1][soz], "datenbereiche=soziales");
    const other = heads[1].indexOf("datenbereiche.other");
    assert.equal(heads[1][other - 1], "datenbereiche=other", "Sonstiges beside its question");
    const extra = heads[0].indexOf("Nicht in Version 2026-1: zusammenarbeit_netzwerk");
    assert.ok(extra > 0, "answers of the older version in a marked extra column");
    const body = await page.$$eval("#inbox-answers tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    assert.equal(body.length, valid);
    const flat = body.flat();
    assert.ok(flat.includes('=HYPERLINK("http://example.invalid/x","Klick")'), "formula shown as text");
    assert.ok(flat.some((t) => t.length === 2000), "2,000-character text in full");
    assert.ok(flat.some((t) => t.includes("Ü")));
    const lists = heads[1].indexOf("handlungsfelder_relevant");
    assert.ok(body.some((r) => r[lists].includes("\nHandlungsfeld 2:")), "entry lists joined by line breaks");
    assert.equal(await page.textContent("#inbox-shown"), `${valid} von ${valid} Anträgen angezeigt`);

    await page.fill("#inbox-filter", "osnabrück");
    assert.equal(await page.textContent("#inbox-shown"), `2 von ${valid} Anträgen angezeigt`);
    // Folded as the search folds (the one table): spelled out, or without the umlaut.
    for (const typed of ["OSNABRUECK", "osnabruck"]) {
      await page.fill("#inbox-filter", typed);
      assert.equal(await page.textContent("#inbox-shown"), `2 von ${valid} Anträgen angezeigt`, typed);
    }
    await page.fill("#inbox-filter", "");
    await page.selectOption("#inbox-sort", { label: "Name der Gebietskörperschaft (Landkreis, Stadt)" });
    await page.selectOption("#inbox-direction", "desc");
    await settled(page);
    const names = await page.$$eval("#inbox-answers tbody tr", (trs) => trs.map((tr) => tr.cells[1].textContent));
    const sorted = [...names].sort((a, b) => new Intl.Collator("de", { numeric: true, sensitivity: "base" }).compare(b, a));
    assert.deepEqual(names, sorted);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#inbox-csv")]);
    const file = path.join(h.artifacts, "inbox.csv");
    await download.saveAs(file);
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.startsWith("\uFEFF"), "UTF-8 with BOM");
    assert.ok(text.endsWith("\r\n"));
    const csv = parseCsv(text.slice(1));
    assert.equal(csv.length, 2 + valid);
    assert.deepEqual(csv[0], heads[0]);
    assert.deepEqual(csv[1], heads[1]);
    assert.deepEqual(csv.slice(2).map((r) => r[1]), names, "rows as shown");
    assert.ok(csv.flat().includes(`'=HYPERLINK("http://example.invalid/x","Klick")`), "formula neutralised");
    assert.ok(!csv.flat().some((c) => /^[=+\-@]/.test(c)), "no cell starts a formula");
    await page.context().close();
  });

  it("takes files dropped onto the page", async () => {
    const page = await openInbox();
    const some = files.slice(0, 3).map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, "utf8") }));
    const transfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      list.forEach((f) => dt.items.add(new File([f.text], f.name, { type: "application/json" })));
      return dt;
    }, some);
    await page.dispatchEvent("#drop-zone", "drop", { dataTransfer: transfer });
    await settled(page);
    assert.match(await page.textContent("#inbox-status"), /^3 Dateien:/);
    await page.context().close();
  });

  it("reads filled PDF forms into the same table as the answers files", async () => {
    // PDFs as a PDF reader leaves them: written by `formwerk answers --pdf` from answers files
    // of the current version, one flattened (no fields left), one damaged, the blank form.
    const current = manifest.filter((m) => (m.status === "complete" || m.status === "incomplete") && m.version === manifest[0].version).slice(0, 4);
    assert.equal(current.length, 4);
    const json = current.map((m) => path.join(path.dirname(files[0]), m.file));
    const dir = h.tempDir("inbox-pdf-");
    const root = path.dirname(env.bundled);
    execFileSync(h.binary, ["answers", "--root", root, "projektbeschreibung", ...json, "--pdf", path.join(dir, "filled")]);
    execFileSync(h.binary, ["answers", "--root", root, "projektbeschreibung", json[0], "--pdf", path.join(dir, "flat"), "--flatten"]);
    const stem = (f) => path.basename(f).replace(/\.(json|pdf)$/, "");
    const pdfs = json.map((f) => path.join(dir, "filled", `${stem(f)}.pdf`));
    const flat = path.join(dir, "flat-archiv.pdf");
    fs.copyFileSync(path.join(dir, "flat", `${stem(json[0])}.pdf`), flat);
    const broken = path.join(dir, "kaputt.pdf");
    fs.writeFileSync(broken, "%PDF-1.7\n1 0 obj << /Type /Catalog");
    const blank = path.join(env.bundled, "projektbeschreibung", "projektbeschreibung.pdf");

    const page = await openInbox();
    await pick(page, [...json, ...pdfs, flat, broken, blank]);
    const status = await page.textContent("#inbox-status");
    assert.match(status, /^11 Dateien:.* 2 ungültig/);
    const list = await page.$$eval("#inbox-file-list tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    const byFile = Object.fromEntries(list.map((r) => [r[0], r]));
    for (const pdf of pdfs) {
      const row = byFile[path.basename(pdf)];
      assert.equal(row[4], "PDF-Formular (ohne Prüfsumme)");
      assert.equal(row[5].replace(/, doppelt$/, ""), byFile[path.basename(json[pdfs.indexOf(pdf)])][5].replace(/, doppelt$/, ""), pdf);
      assert.ok(row[5].endsWith("doppelt"), "the PDF and the answers file of one municipality are flagged as duplicates");
    }
    assert.match(byFile["flat-archiv.pdf"][6], /PDF ohne Formularfelder/);
    assert.match(byFile["kaputt.pdf"][6], /kein lesbares PDF/);
    assert.match(byFile["projektbeschreibung.pdf"][5], /^unvollständig/, "the blank form: read, nothing answered");

    // Row for row the same answers: every cell but file, saved-at and checksum.
    const heads = await page.$$eval("#inbox-answers thead tr:last-child th", (ths) => ths.map((t) => t.textContent));
    const body = await page.$$eval("#inbox-answers tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    const rowOf = (name) => body.find((r) => r[0] === name);
    const skip = new Set(["file", "saved_at", "checksum"]);
    for (let i = 0; i < json.length; i++) {
      const a = rowOf(path.basename(json[i]));
      const b = rowOf(path.basename(pdfs[i]));
      assert.ok(a && b, `${json[i]} and its PDF are tabled`);
      heads.forEach((id, col) => {
        if (!skip.has(id)) assert.equal(b[col], a[col], `${stem(json[i])}: ${id}`);
      });
    }
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests.filter((r) => !r.startsWith("file://") && !r.startsWith("blob:")), []);
    await page.context().close();
  });

  it("opens an application as a read-only filled form and prints it", async () => {
    const page = await openInbox();
    const m = manifest.find((x) => x.status === "complete" && x.identify === "Stadt Osnabrück");
    const data = JSON.parse(fs.readFileSync(files[manifest.indexOf(m)], "utf8"));
    await pick(page, [files[manifest.indexOf(m)]]);
    await page.click("#inbox-file-list button[data-view]");
    await page.waitForSelector("#inbox-view:not([hidden])");
    assert.equal(await page.inputValue("#name"), "Stadt Osnabrück");
    assert.ok(await page.isDisabled("#name"), "read-only");
    const text = h.squash(await h.printToText(page, "inbox-view"));
    assert.ok(text.includes("Stadt Osnabrück"));
    assert.ok(text.includes(h.squash(data.answers.anschrift)));
    assert.ok(text.includes("Name der Gebietskörperschaft"));
    assert.ok(!text.includes("Eingegangene Dateien"), "only the application is printed");
    assert.deepEqual(await axe(page), [], "WCAG 2.1 A/AA in the filled view");
    await page.click("#inbox-close");
    assert.ok(await page.isVisible("#inbox-main"));
    await page.context().close();
  });

  it("refuses each hostile file with the budget it broke and reads the other fifty", async () => {
    const dir = h.tempDir("inbox-hostile-");
    const hostile = writeHostile(dir);
    const page = await openInbox();
    await pick(page, [...files, ...Object.values(hostile)]);
    const list = await page.$$eval("#inbox-file-list tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    const byFile = Object.fromEntries(list.map((r) => [r[0], r]));
    assert.equal(list.length, manifest.length + Object.keys(hostile).length, "every file is named");
    for (const m of manifest) {
      assert.ok(byFile[m.file], m.file);
    }
    const problem = (name) => byFile[name][6];
    assert.equal(problem("tief.json"), "Antwortdatei ist tiefer als 64 Ebenen verschachtelt");
    assert.equal(problem("schluessel.json"), "Antwortdatei hat mehr als 20.000 Schlüssel");
    assert.equal(problem("objektstrom.pdf"), "PDF hat mehr als 100.000 Objekte");
    assert.equal(problem("felder.pdf"), "PDF hat mehr als 10.000 Felder");
    assert.equal(problem("quadratisch.pdf"), "kein lesbares PDF");
    assert.equal(problem("gross.pdf"), "Datei größer als 48 MB");
    // Read through the cross-reference table: the comment and the part after %%EOF are not
    // the file's objects.
    assert.equal(byFile["nach-eof.pdf"][1], "Gemeinde Echt");
    assert.equal(byFile["schleife.pdf"][1], "Gemeinde Schleife");
    const shown = await page.$$eval("#inbox-answers tbody tr th", (ths) => ths.map((t) => t.textContent));
    const valid = manifest.filter((m) => m.status !== "invalid").length;
    assert.equal(shown.length, valid + 2, "the good files and the two readable PDFs are tabled");
    assert.ok(!(await page.textContent("#inbox-answers")).includes("Gefaelscht"));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("lists many files in the order given and draws the long table of answers in steps, every row in the end", async () => {
    const dir = h.tempDir("inbox-long-");
    const many = await generate(path.join(env.bundled, "projektbeschreibung", "index.html"), dir, { count: 150, seed: 7 });
    const valid = many.filter((m) => m.status !== "invalid").length;
    const page = await openInbox();
    await page.evaluate(() => {
      const table = document.getElementById("inbox-answers");
      window.__steps = 0;
      window.__busy = false;
      new MutationObserver((records) => {
        if (records.some((r) => r.type === "childList" && r.addedNodes.length)) window.__steps++;
        if (table.getAttribute("aria-busy") === "true") window.__busy = true;
      }).observe(table, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-busy"] });
      // Typed the moment the summary is there, when the table has only its first rows.
      new MutationObserver(() => {
        const filter = document.getElementById("inbox-filter");
        if (/ Dateien: /.test(document.getElementById("inbox-status").textContent) && !filter.value) {
          filter.value = "landkreis";
          filter.dispatchEvent(new Event("input"));
        }
      }).observe(document.getElementById("inbox-status"), { childList: true, characterData: true, subtree: true });
    });
    await pick(page, many.map((m) => path.join(dir, m.file)));
    const listed = await page.$$eval("#inbox-file-list tbody tr th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(listed, many.map((m) => m.file), "the file list keeps the order the files were given in");
    assert.ok(valid > 100, `${valid} applications: more than the first rows drawn at once`);
    const steps = await page.evaluate(() => [window.__steps, window.__busy]);
    assert.ok(steps[0] > 2 && steps[1], `the table was drawn in steps while aria-busy: ${steps}`);
    // The filter typed during the drawing shows what the same filter shows when typed later.
    const during = await page.$$eval("#inbox-answers tbody tr", (trs) => trs.map((tr) => tr.cells[0].textContent));
    await page.fill("#inbox-filter", "");
    await settled(page);
    assert.equal(await page.locator("#inbox-answers tbody tr").count(), valid, "every application is in the table");
    await page.fill("#inbox-filter", "landkreis");
    await settled(page);
    const later = await page.$$eval("#inbox-answers tbody tr", (trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.ok(later.length > 0 && later.length < valid, `${later.length} of ${valid} rows match`);
    assert.deepEqual(during, later);
    assert.equal(await page.textContent("#inbox-shown"), `${later.length} von ${valid} Anträgen angezeigt`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("gives up a file the worker takes longer than the time budget for, and reads every file after it", async () => {
    // A file whose reading never ends, made so in the worker for this test: the worker's
    // script (a Blob of JavaScript, inbox-reader.js) gets a line that never answers for an
    // answers file with "HAENGT" in it. Never answering exceeds the budget on any machine.
    const context = await env.browser.newContext();
    await context.addInitScript(() => {
      const Original = window.Blob;
      const hang =
        ";(function () { var open = self.FormwerkAnswers.open; self.FormwerkAnswers.open = function (text) {" +
        ' return text.indexOf("HAENGT") >= 0 ? new Promise(function () {}) : open.apply(this, arguments); }; })();';
      window.Blob = function (parts, options) {
        return new Original(options && options.type === "text/javascript" ? parts.concat([hang]) : parts, options);
      };
      window.Blob.prototype = Original.prototype;
    });
    const dir = h.tempDir("inbox-hang-");
    const stuck = path.join(dir, "haengt.json");
    fs.writeFileSync(stuck, `{"format":"formwerk-answers","form":"projektbeschreibung","version":"x","answers":{"name":"HAENGT"}}`);
    const given = [files[0], stuck, ...files.slice(1, 12)];
    const page = await h.openPage(env.browser, inboxUrl, { context });
    await page.waitForSelector("#drop-zone:not([hidden])");
    await pick(page, given);
    const rows = await page.$$eval("#inbox-file-list tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    assert.deepEqual(rows.map((r) => r[0]), given.map((f) => path.basename(f)), "every file listed, in the order given");
    const byFile = Object.fromEntries(rows.map((r) => [r[0], r]));
    assert.match(byFile["haengt.json"][5], /^ungültig/);
    assert.match(byFile["haengt.json"][6], /nach 2 Sekunden abgebrochen/);
    for (const f of given.filter((f) => f !== stuck)) {
      const m = manifest.find((x) => x.file === path.basename(f));
      assert.ok(!/abgebrochen/.test(byFile[m.file][6]), `${m.file} was read: ${byFile[m.file][6]}`);
      assert.ok(byFile[m.file][5].startsWith(statusWord[m.status]), m.file);
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  it("keeps the clear button working while a large file is being read", async () => {
    const dir = h.tempDir("inbox-clear-");
    const big = path.join(dir, "gross.json");
    // Just inside the size budget: an answers file whose one answer is 30 MB of text.
    fs.writeFileSync(big, `{"format":"formwerk-answers","form":"projektbeschreibung","version":"x","answers":{"name":"${"x".repeat(30 << 20)}"}}`);
    const page = await openInbox();
    await page.setInputFiles("#inbox-input", [big, ...files.slice(0, 10)]);
    await page.waitForSelector('#inbox-status[data-reading="gross.json"]');
    assert.equal(await page.isVisible("#inbox-clear"), true, "the clear button is at hand while reading");
    await page.click("#inbox-clear");
    await page.waitForSelector("#inbox-status:not([data-reading])", { state: "attached" });
    assert.equal(await page.locator("#inbox-file-list tbody tr").count(), 0, "nothing of the cleared batch stays");
    await pick(page, files.slice(0, 3));
    assert.equal(await page.locator("#inbox-file-list tbody tr").count(), 3, "the next batch is read alone");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

/** The hostile files of issue 26, written into `dir`: answers files generated here (nested
 * 10,000 deep, a million keys), a file of 49 MB, PDFs by tests/pdf/hostile.py. */
function writeHostile(dir) {
  const out = {};
  const deep = `${"[".repeat(10000)}${"]".repeat(10000)}`;
  out.tief = path.join(dir, "tief.json");
  fs.writeFileSync(out.tief, `{"format":"formwerk-answers","form":"projektbeschreibung","version":"x","answers":{"name":${deep}}}`);
  out.schluessel = path.join(dir, "schluessel.json");
  const keys = [];
  for (let i = 0; i < 1000000; i++) keys.push(`"k${i}":1`);
  fs.writeFileSync(out.schluessel, `{"format":"formwerk-answers","form":"projektbeschreibung","version":"x","answers":{${keys.join(",")}}}`);
  out.gross = path.join(dir, "gross.pdf");
  fs.writeFileSync(out.gross, Buffer.alloc(49 << 20, 0x30));
  const pdfs = { objektstrom: "objstm-bomb", felder: "many-fields", quadratisch: "quadratic", "nach-eof": "after-eof", schleife: "self-kids" };
  for (const [name, kind] of Object.entries(pdfs)) {
    out[name] = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(out[name], execFileSync("python3", [path.join(h.repo, "tests", "pdf", "hostile.py"), kind], { maxBuffer: 64 << 20 }));
  }
  return out;
}
