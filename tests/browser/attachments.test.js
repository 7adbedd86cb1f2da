// Attachments (kind "attachment", issue 27), in a real browser on a fixture site with a
// funding application: a PDF chosen with the file picker is listed, survives a reload and is
// seen by a second tab (its bytes in IndexedDB, its name in the draft), goes when everything
// is cleared; a wrong type, a file too big and one too many are refused with a German message
// at the field; the answers file carries the file with its SHA-256 and base64 content, and a
// fresh browser profile restores it from that file, refusing a damaged one by name.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

let site;
let browser;
before(async () => {
  site = h.buildSite("attachments", path.join(h.repo, "tests", "fixtures", "attachments"));
  browser = await h.launch();
});
after(async () => browser && (await browser.close()));

const formUrl = () => h.fileUrl(site, "foerderantrag", "index.html");

/** A small but real PDF of `size` bytes (padded with a comment), so types and hashes are true. */
function pdf(size) {
  const head = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n", "latin1");
  const tail = Buffer.from("\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  const pad = Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x25);
  return Buffer.concat([head, pad, tail]);
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now. */
async function axe(page) {
  await page.evaluate(`${AXE}\n;0`);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  });
}

const sha256 = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");

/** The files listed under a field, as the page shows them. */
async function listed(page, id) {
  return page.$$eval(`#${id}-files .file-listed`, (items) => items.map((i) => i.textContent));
}

/** The draft of the form in localStorage, parsed. */
async function draft(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("formwerk:foerderantrag:2026-1"));
    return key ? JSON.parse(localStorage.getItem(key)) : null;
  });
}

/** Chooses files in a field's picker and waits until the draft names `expect` files there. */
async function choose(page, id, files, expect) {
  await page.setInputFiles(`#${id}`, files);
  await page.waitForFunction(
    ([id, n]) => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("formwerk:foerderantrag:"));
      const d = key && JSON.parse(localStorage.getItem(key));
      window.storedAt = performance.now();
      return ((d && d.answers[id]) || []).length === n;
    },
    [id, expect],
    { polling: 10 },
  );
}

/** The message at a field after something was refused. */
async function fieldError(page, id) {
  await page.waitForSelector(`#${id}-error`);
  return (await page.textContent(`#${id}-error`)).replace(/^Fehler:\s*/, "").trim();
}

describe("an attachment field", () => {
  it("says what it takes, and how to send the document without a script", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(formUrl());
    assert.equal(h.squash(await page.textContent('label[for="haushaltsplan"]')), "Haushaltsplan (PDF, höchstens 10 MB) (Pflichtfeld)");
    assert.equal(
      h.squash(await page.textContent('label[for="weitere"]')),
      "Ratsbeschluss und Satzung (PDF, bis zu 2 Dateien, je höchstens 1 MB)",
    );
    assert.ok(await page.isVisible("#haushaltsplan-note"));
    assert.equal(await page.textContent("#haushaltsplan-note"), "Bitte senden Sie das Dokument auf dem in der Einreichung genannten Weg.");
    assert.ok(!(await page.isVisible("#haushaltsplan")), "no picker that cannot work");
    await context.close();
    // With the script: the picker, no note.
    const live = await h.openPage(browser, formUrl());
    assert.ok(await live.isVisible("#haushaltsplan"));
    assert.ok(!(await live.isVisible("#haushaltsplan-note")));
    assert.equal(await live.getAttribute("#haushaltsplan", "accept"), ".pdf,application/pdf");
    assert.equal(await live.getAttribute("#weitere", "multiple"), "");
    await live.context().close();
  });

  it("keeps a chosen PDF through a reload and in a second tab, and forgets it when cleared", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const a = await context.newPage();
    a.on("dialog", (d) => d.accept());
    await a.goto(formUrl());
    const plan = pdf(10 * 1024 * 1024);
    // Measured in the page: from the picker's change event until the draft names the file
    // (read, hashed, stored in IndexedDB, draft written). Reported, not asserted.
    await a.evaluate(() =>
      document.getElementById("haushaltsplan").addEventListener("change", () => (window.pickedAt = performance.now()), { capture: true, once: true }),
    );
    await choose(a, "haushaltsplan", { name: "Haushaltsplan 2026.pdf", mimeType: "application/pdf", buffer: plan }, 1);
    const savedMs = await a.evaluate(() => {
      const stored = window.storedAt;
      return Math.round(stored - window.pickedAt);
    });
    console.log(`# a 10 MB attachment was read, hashed, stored in IndexedDB and named in the draft in ${savedMs} ms`);
    const line = `Haushaltsplan 2026.pdf (10,0 MB, SHA-256 ${sha256(plan)})`;
    assert.deepEqual(await listed(a, "haushaltsplan"), [line]);
    assert.match(await a.textContent("#haushaltsplan-status"), /„Haushaltsplan 2026.pdf“ hinzugefügt/);
    // The draft names the file; its bytes are not in localStorage.
    const d = await draft(a);
    assert.deepEqual(d.answers.haushaltsplan, [
      { name: "Haushaltsplan 2026.pdf", type: "application/pdf", size: plan.length, sha256: sha256(plan) },
    ]);
    assert.ok(JSON.stringify(d).length < 10000);

    await a.reload();
    await a.waitForFunction(() => document.querySelectorAll("#haushaltsplan-files li").length === 1);
    assert.deepEqual(await listed(a, "haushaltsplan"), [line]);
    // The bytes came back from IndexedDB: the answers file has them.
    const reloaded = await h.exportAnswers(a);
    assert.ok(Buffer.from(reloaded.data.answers.haushaltsplan[0].content, "base64").equals(plan));

    // A second tab: the same file, and a file chosen there reaches the first tab.
    const b = await context.newPage();
    b.on("dialog", (d) => d.accept());
    await b.goto(formUrl());
    assert.deepEqual(await listed(b, "haushaltsplan"), [line]);
    const beschluss = pdf(2000);
    await choose(b, "weitere", { name: "Ratsbeschluss.pdf", mimeType: "application/pdf", buffer: beschluss }, 1);
    await a.waitForFunction(() => document.querySelectorAll("#weitere-files li").length === 1);
    // And one chosen in the first tab meanwhile: both kept (the draft merge keeps files).
    const satzung = pdf(3000);
    await choose(a, "weitere", { name: "Satzung.pdf", mimeType: "application/pdf", buffer: satzung }, 2);
    await b.waitForFunction(() => document.querySelectorAll("#weitere-files li").length === 2);
    assert.deepEqual(
      (await listed(b, "weitere")).map((l) => l.split(" (")[0]),
      ["Ratsbeschluss.pdf", "Satzung.pdf"],
    );
    // The second tab's bytes are there for the first tab's answers file.
    const { data } = await h.exportAnswers(a);
    assert.deepEqual(
      data.answers.weitere.map((f) => [f.name, f.sha256, Buffer.from(f.content, "base64").equals(f.name === "Satzung.pdf" ? satzung : beschluss)]),
      [
        ["Ratsbeschluss.pdf", sha256(beschluss), true],
        ["Satzung.pdf", sha256(satzung), true],
      ],
    );

    // Removing a file: gone from the list, the draft and the other tab.
    await a.click('#weitere-files button[aria-label="„Ratsbeschluss.pdf“ entfernen"]');
    await b.waitForFunction(() => document.querySelectorAll("#weitere-files li").length === 1);
    assert.match(await a.textContent("#weitere-status"), /„Ratsbeschluss.pdf“ entfernt/);

    // "Alles löschen": the list, the draft and the stored bytes are gone.
    await a.click('button[data-action="clear"]');
    await b.waitForFunction(() => document.querySelectorAll("#haushaltsplan-files li").length === 0);
    assert.deepEqual(await listed(a, "haushaltsplan"), []);
    assert.equal(await draft(a), null);
    const stored = await a.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open("formwerk-attachments", 1);
          open.onsuccess = () => {
            const keys = open.result.transaction("files").objectStore("files").getAllKeys();
            keys.onsuccess = () => resolve(keys.result);
          };
        }),
    );
    assert.deepEqual(stored.filter((k) => String(k).startsWith("formwerk:foerderantrag:")), []);
    await context.close();
  });

  it("refuses a wrong type, a file too big and one too many, in German at the field", async () => {
    const page = await h.openPage(browser, formUrl());
    await page.setInputFiles("#haushaltsplan", { name: "Plan.docx", mimeType: "application/msword", buffer: Buffer.from("x") });
    assert.equal(
      await fieldError(page, "haushaltsplan"),
      "„Plan.docx“ kann bei „Haushaltsplan“ nicht beigefügt werden: erlaubt ist nur PDF.",
    );
    assert.equal(await page.getAttribute("#haushaltsplan", "aria-invalid"), "true");
    assert.match(await page.getAttribute("#haushaltsplan", "aria-describedby"), /haushaltsplan-error/);
    assert.deepEqual(await listed(page, "haushaltsplan"), []);

    await page.setInputFiles("#weitere", { name: "Gross.pdf", mimeType: "application/pdf", buffer: pdf(1024 * 1024 + 1) });
    assert.equal(
      await fieldError(page, "weitere"),
      "„Gross.pdf“ ist 1,0 MB groß; bei „Ratsbeschluss und Satzung“ sind höchstens 1 MB möglich.",
    );

    await page.setInputFiles("#weitere", [
      { name: "Eins.pdf", mimeType: "application/pdf", buffer: pdf(1000) },
      { name: "Zwei.pdf", mimeType: "application/pdf", buffer: pdf(1100) },
      { name: "Drei.pdf", mimeType: "application/pdf", buffer: pdf(1200) },
    ]);
    assert.equal(await fieldError(page, "weitere"), "Bei „Ratsbeschluss und Satzung“ sind höchstens 2 Dateien möglich.");
    await page.waitForFunction(() => document.querySelectorAll("#weitere-files li").length === 2);
    assert.deepEqual(
      (await listed(page, "weitere")).map((l) => l.split(" (")[0]),
      ["Eins.pdf", "Zwei.pdf"],
    );
    // With files listed and an error at the field, the page is still accessible; the
    // remove buttons name their file.
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(
      await page.$$eval("#weitere-files button", (b) => b.map((x) => x.getAttribute("aria-label"))),
      ["„Eins.pdf“ entfernen", "„Zwei.pdf“ entfernen"],
    );
    // A required attachment left empty is asked for by "Eingaben prüfen".
    await page.click('button[data-action="check"]');
    assert.match(await page.textContent("#error-summary"), /Bitte füllen Sie „Haushaltsplan“ aus\./);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("travels in the answers file and is restored from it in a fresh profile", async () => {
    const page = await h.openPage(browser, formUrl());
    await page.fill("#name", "Gemeinde Anlage");
    const plan = pdf(50000);
    await choose(page, "haushaltsplan", { name: "Haushaltsplan.pdf", mimeType: "application/pdf", buffer: plan }, 1);
    const { name, data } = await h.exportAnswers(page);
    assert.deepEqual(data.answers.haushaltsplan, [
      { name: "Haushaltsplan.pdf", type: "application/pdf", size: plan.length, sha256: sha256(plan), content: plan.toString("base64") },
    ]);
    const text = fs.readFileSync(path.join(h.artifacts, name), "utf8");
    // The answers file checks out with formwerk answers too: the file listed, nothing wrong.
    await page.context().close();

    const fresh = await h.openPage(browser, formUrl());
    assert.deepEqual(await listed(fresh, "haushaltsplan"), []);
    const notice = await h.importAnswers(fresh, name, text);
    assert.match(notice, /wurden geladen/);
    assert.deepEqual(await listed(fresh, "haushaltsplan"), [`Haushaltsplan.pdf (49 KB, SHA-256 ${sha256(plan)})`]);
    // Restored into IndexedDB: saved again, the same bytes.
    const again = await h.exportAnswers(fresh);
    assert.equal(again.data.answers.haushaltsplan[0].content, plan.toString("base64"));
    await fresh.context().close();

    // A file whose bytes do not match its hash: named, not restored; the rest loads.
    const damaged = JSON.parse(text);
    damaged.answers.haushaltsplan[0].content = pdf(50000).fill(0x41, 100, 200).toString("base64");
    delete damaged.checksum;
    delete damaged.format;
    delete damaged.format_version;
    const other = await h.openPage(browser, formUrl());
    const refused = await h.importAnswers(other, "beschaedigt.json", JSON.stringify(damaged));
    assert.match(
      refused,
      /Nicht übernommen:[\s\S]*„Haushaltsplan.pdf“ bei „Haushaltsplan“ ist beschädigt: Größe oder SHA-256-Prüfsumme stimmen nicht zum Inhalt\./,
    );
    assert.equal(await other.inputValue("#name"), "Gemeinde Anlage");
    assert.deepEqual(await listed(other, "haushaltsplan"), []);
    await other.context().close();
  });

  it("is listed, never embedded, when printed", async () => {
    const page = await h.openPage(browser, formUrl());
    const plan = pdf(4000);
    await choose(page, "haushaltsplan", { name: "Plan.pdf", mimeType: "application/pdf", buffer: plan }, 1);
    const filled = h.squash(await h.printToText(page, "attachments-filled"));
    assert.match(filled, new RegExp(`Plan\\.pdf \\(4 KB, SHA-256 ${sha256(plan).slice(0, 20)}`));
    assert.doesNotMatch(filled, /Entfernen/);
    await page.evaluate(() => document.documentElement.classList.add("print-blank"));
    const blank = h.squash(await h.printToText(page, "attachments-blank"));
    assert.match(blank, /Anlage: bitte gesondert einreichen \(PDF, höchstens 10 MB\)/);
    assert.doesNotMatch(blank, /Plan\.pdf/);
    await page.context().close();
  });
});
