// The offline search on pages opened from file://: German spellings meet, results are links
// with a snippet, reachable by keyboard.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import * as h from "./helpers.js";

const env = h.withBundledSite({ before, after });

it("finds Bevölkerung when typed as Bevoelkerung, and Maßnahmen as massnahme", async () => {
  const page = await h.openPage(env.browser, h.fileUrl(env.bundled, "hinweise/handlungskonzept/index.html"));
  assert.equal(await page.isVisible("#formwerk-search-input"), true);
  await page.fill("#formwerk-search-input", "Bevoelkerung");
  await page.waitForSelector("#formwerk-search-results a");
  const titles = await page.$$eval("#formwerk-search-results a", (as) => as.map((a) => a.textContent));
  assert.ok(titles.includes("Bestandsaufnahme"), titles.join(", "));
  assert.ok(titles.includes("Projektbeschreibung"), "the form's options are searched too");
  assert.match(await page.textContent("#formwerk-search-status"), /^\d+ Treffer$/);
  await page.fill("#formwerk-search-input", "massnahme");
  await page.waitForFunction(() => document.querySelector("#formwerk-search-results a")?.textContent === "Handlungskonzept und Handlungsfelder");
  await page.fill("#formwerk-search-input", "Xylophon");
  await page.waitForFunction(() => document.getElementById("formwerk-search-status").textContent === "Keine Treffer für „Xylophon“");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

it("is used by keyboard: type, arrow down, Enter opens the page", async () => {
  const page = await h.openPage(env.browser, h.fileUrl(env.bundled, "index.html"));
  await page.focus("#formwerk-search-input");
  await page.keyboard.type("Fachtagung");
  await page.waitForSelector("#formwerk-search-results a");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Weitere Aufgaben der Koordinierungsstelle");
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  assert.match(page.url(), /hinweise\/weitere-aufgaben\/index\.html$/);
  await page.context().close();
});
