// The hostile-file corpus (tests/hostile/make.py, issue 26) through the inbox from file://:
// hostile files picked beside the 50 good files of the fixture form (tests/hostile/site/).
// The 50 good ones are rows of the answers table; each hostile one is named in the list of
// files, refused ("ungültig") with the message its class states (a budget's where it breaks
// one, crates/form/src/budget.rs) or read with the status and cells stated, the same outcome
// as tests/hostile.rs asserts for `formwerk answers`; no page error, no dialog, no request.
//
// Several classes share one page load (their file names keep them apart, and the worker reads
// and budgets each file on its own); a file larger than 150 KB gets a page of its own, so
// that what one of them costs never hides behind another. One browser, one corpus.
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
let strings;

/** Hostile files picked together beside the good ones, at most; and the size of a file
 * that is picked alone. */
const PER_PAGE = 12;
const ALONE = 150 * 1024;

before(async () => {
  const site = h.buildSite("hostile", path.join(h.repo, "tests", "hostile", "site"));
  inboxUrl = h.fileUrl(site, "antrag", "antrag-posteingang.html");
  corpus = path.join(h.repo, "target", "browser-sites", "hostile-corpus");
  fs.rmSync(corpus, { recursive: true, force: true });
  execFileSync("python3", [path.join(h.repo, "tests", "hostile", "make.py"), corpus], { stdio: "pipe" });
  manifest = JSON.parse(fs.readFileSync(path.join(corpus, "manifest.json"), "utf8"));
  good = fs.readdirSync(path.join(corpus, "good")).sort();
  // The status words as the page shows them (crates/render/theme/i18n/de.toml).
  const de = fs.readFileSync(path.join(h.repo, "crates", "render", "theme", "i18n", "de.toml"), "utf8");
  strings = Object.fromEntries([...de.matchAll(/^(status_\w+) = "(.*)"$/gm)].map((m) => [m[1], m[2]]));
  browser = await h.launch();
});

after(async () => {
  if (browser) await browser.close();
  fs.rmSync(corpus, { recursive: true, force: true });
});

/** The classes in groups, one page load each. */
function pages() {
  const groups = [];
  let light = [];
  for (const c of manifest) {
    if (fs.statSync(path.join(corpus, c.file)).size > ALONE) {
      groups.push([c]);
    } else {
      if (light.length === PER_PAGE) light = [];
      if (!light.length) groups.push(light);
      light.push(c);
    }
  }
  return groups;
}

/** Picks the good files and `files` in a fresh inbox; waits until all are read. */
async function inboxWith(files) {
  const page = await h.openPage(browser, inboxUrl);
  await page.waitForSelector("#drop-zone:not([hidden])");
  const paths = good.map((g) => path.join(corpus, "good", g)).concat(files);
  await page.setInputFiles("#inbox-input", paths);
  // The summary names every file once all are read ("51 Dateien: …").
  await page.waitForFunction((n) => document.querySelector("#inbox-status")?.textContent.startsWith(`${n} Dateien:`), paths.length, {
    timeout: 300000,
  });
  // The table of answers fills while the page is idle, aria-busy until its last row.
  await page.waitForSelector("#inbox-answers:not([aria-busy])", { state: "attached" });
  return page;
}

const rowTexts = (page, selector) =>
  page.$$eval(selector, (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));

/** What is wrong with one class's outcome on its page (empty when all is as stated). */
function checkClass(c, listed, table, ids) {
  const wrong = [];
  const name = path.basename(c.file);
  const mine = listed.find((r) => r[0] === name);
  const row = table.find((r) => r[0] === name);
  if (!mine) return [`${JSON.stringify(name)} not in the list of files`];
  // The file list: name, identifying answer, version, saved, checksum, status, problems, action.
  const [status, problems] = [mine[5], mine[6]];
  if (c.expect === "refused") {
    if (!status.startsWith(strings.status_invalid)) wrong.push(`not refused: ${JSON.stringify(mine)}`);
    if (!problems.includes(c.message)) wrong.push(`refused with ${JSON.stringify(problems)}, expected ${JSON.stringify(c.message)}`);
    if (row) wrong.push("refused, but a row of the table");
    return wrong;
  }
  if (!row) return [`read, but not a row of the table: ${JSON.stringify(mine)}`];
  if (c.status && !status.startsWith(strings[`status_${c.status}`])) {
    wrong.push(`status ${JSON.stringify(status)}, expected ${strings[`status_${c.status}`]}`);
  }
  if (c.duplicate && !status.includes(strings.status_duplicate)) wrong.push(`not flagged a duplicate: ${status}`);
  for (const [id, value] of Object.entries(c.cells || {})) {
    const got = row[ids.indexOf(id)];
    if (got !== value) wrong.push(`cell ${id}: ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
  }
  return wrong;
}

describe("the inbox and the hostile-file corpus", () => {
  it("has at least 60 classes, each file named apart", () => {
    assert.ok(manifest.length >= 60, `${manifest.length}`);
    assert.equal(good.length, 50);
    const names = manifest.map((c) => path.basename(c.file)).concat(good);
    assert.equal(new Set(names).size, names.length, "the file names keep the classes apart");
  });

  it("keeps the 50 good files and names each hostile one as its class states", async () => {
    const wrong = [];
    const groups = pages();
    assert.equal(groups.flat().length, manifest.length, "every class on a page");
    for (const group of groups) {
      const page = await inboxWith(group.map((c) => path.join(corpus, c.file)));
      const classes = group.map((c) => c.class).join(", ");
      const listed = await rowTexts(page, "#inbox-file-list tbody tr");
      const table = await rowTexts(page, "#inbox-answers tbody tr");
      const ids = await page.$$eval("#inbox-answers thead tr.column-ids th", (ths) => ths.map((th) => th.textContent));
      const inTable = new Set(table.map((r) => r[0]));
      const missing = good.filter((g) => !inTable.has(g));
      if (missing.length) wrong.push(`${classes}: good files not in the table: ${missing.join(", ")}`);
      for (const c of group) wrong.push(...checkClass(c, listed, table, ids).map((w) => `${c.class}: ${w}`));
      if (page.errors.length) wrong.push(`${classes}: page errors ${page.errors.join("; ")}`);
      if (page.dialogs.length) wrong.push(`${classes}: dialogs ${page.dialogs.join("; ")}`);
      // file://, and the blob: address the page makes its worker from (inbox-reader.js).
      const beyond = page.requests.filter((r) => !r.startsWith("file://") && !r.startsWith("blob:null/"));
      if (beyond.length) wrong.push(`${classes}: requests beyond file:// ${beyond.join(" ")}`);
      if (await page.evaluate(() => ({}).polluted)) wrong.push(`${classes}: prototype polluted`);
      await page.context().close();
    }
    assert.deepEqual(wrong, []);
  });
});
