// The hostile-file corpus (tests/hostile/make.py, issue 26) through the inbox from file://:
// each class's file picked beside the 50 good files of the fixture form (tests/hostile/site/).
// The 50 good ones are rows of the answers table, the hostile one is named in the list of
// files (with "ungültig" where its class is refused), no page error, no dialog, no request.
// The inbox's per-file budgets and their German messages are the inbox's own; the expected
// reason of each class is listed in the generator for tightening these assertions.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import * as h from "./helpers.js";

let browser;
let inboxUrl;
let corpus;
let manifest;
let good;

before(async () => {
  const site = h.buildSite("hostile", path.join(h.repo, "tests", "hostile", "site"));
  inboxUrl = h.fileUrl(site, "antrag", "antrag-posteingang.html");
  corpus = path.join(h.repo, "target", "browser-sites", "hostile-corpus");
  fs.rmSync(corpus, { recursive: true, force: true });
  execFileSync("python3", [path.join(h.repo, "tests", "hostile", "make.py"), corpus], { stdio: "pipe" });
  manifest = JSON.parse(fs.readFileSync(path.join(corpus, "manifest.json"), "utf8"));
  good = fs.readdirSync(path.join(corpus, "good")).sort();
  browser = await h.launch();
});

after(async () => browser && (await browser.close()));

/** Picks the good files and `file` in a fresh inbox; waits until all are read. */
async function inboxWith(file) {
  const page = await h.openPage(browser, inboxUrl);
  await page.waitForSelector("#drop-zone:not([hidden])");
  const paths = good.map((g) => path.join(corpus, "good", g)).concat([file]);
  await page.setInputFiles("#inbox-input", paths);
  // The summary names every file once all are read ("51 Dateien: …").
  await page.waitForFunction((n) => document.querySelector("#inbox-status")?.textContent.startsWith(`${n} Dateien:`), paths.length, {
    timeout: 300000,
  });
  return page;
}

const rowTexts = (page, selector) =>
  page.$$eval(selector, (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));

describe("the inbox and the hostile-file corpus", () => {
  it("has at least 60 classes", () => {
    assert.ok(manifest.length >= 60, `${manifest.length}`);
    assert.equal(good.length, 50);
  });

  it("keeps the 50 good files and names each hostile one", async () => {
    const wrong = [];
    for (const c of manifest) {
      const file = path.join(corpus, c.file);
      const name = path.basename(file);
      const page = await inboxWith(file);
      const listed = await rowTexts(page, "#inbox-file-list tbody tr");
      const table = await rowTexts(page, "#inbox-answers tbody tr");
      const inTable = new Set(table.map((r) => r[0]));
      const missing = good.filter((g) => !inTable.has(g));
      if (missing.length) wrong.push(`${c.class}: good files not in the table: ${missing.join(", ")}`);
      const expect = c.inbox || c.expect;
      const mine = listed.find((r) => r[0] === name);
      if (!mine) wrong.push(`${c.class}: ${JSON.stringify(name)} not in the list of files`);
      else if (expect === "refused" && !mine.some((t) => t.startsWith("ungültig"))) {
        wrong.push(`${c.class}: not refused: ${JSON.stringify(mine)}`);
      } else if (expect === "read" && !inTable.has(name)) {
        wrong.push(`${c.class}: read, but not a row of the table`);
      }
      if (page.errors.length) wrong.push(`${c.class}: page errors ${page.errors.join("; ")}`);
      if (page.dialogs.length) wrong.push(`${c.class}: dialogs ${page.dialogs.join("; ")}`);
      if (page.requests.some((r) => !r.startsWith("file://"))) wrong.push(`${c.class}: a request beyond file://`);
      if (await page.evaluate(() => ({}).polluted)) wrong.push(`${c.class}: prototype polluted`);
      await page.context().close();
    }
    assert.deepEqual(wrong, []);
  });
});
