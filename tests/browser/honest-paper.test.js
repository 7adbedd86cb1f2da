// An honest check (open questions counted and linked), e-mail and telephone validated, the
// print-all copy as a paper form, paper fidelity of the filled copy, reflow at 320 px with
// every reveal open, and the offline copy downloaded from file://.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

const env = h.withBundledSite({ before, after });
const formUrl = () => h.fileUrl(env.bundled, "projektbeschreibung/index.html");

async function fillRequired(page) {
  await page.fill("#name", "Landkreis Musterland");
  await page.fill("#anschrift", "Musterstraße 1");
  await page.fill("#ansprechperson", "Frau Muster");
}

describe("Eingaben prüfen", () => {
  it("says how many questions are still open and links each one", async () => {
    const page = await h.openPage(env.browser, formUrl());
    await fillRequired(page);
    await page.click('button[data-action="check"]');
    const total = await page.$$eval("form .field", (els) => els.length);
    const text = (await page.textContent("#form-notice p")).trim();
    assert.equal(text, `Alle Pflichtfelder sind ausgefüllt. ${total - 3} von ${total} Fragen sind noch unbeantwortet:`);
    assert.doesNotMatch(await page.textContent("#form-notice"), /vollständig/);
    const links = await page.$$eval("#form-notice a", (as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
    assert.equal(links.length, total - 3);
    assert.deepEqual(links[0], ["#telefon", "Telefon"]);
    assert.deepEqual(links.at(-1), ["#planungen_weitere_aufgaben", "Erläutern Sie hier gerne kurz Ihre Umsetzungsplanungen zu den o.g. weiteren Aufgaben im betreffenden Bewilligungsjahr."]);
    await page.click('#form-notice a[href="#aktualisierung_geplant-true"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), "aktualisierung_geplant-true");
    await page.context().close();
  });

  it("checks e-mail addresses and telephone numbers, with the right input types", async () => {
    const page = await h.openPage(env.browser, formUrl());
    assert.equal(await page.getAttribute("#e_mail", "type"), "email");
    assert.equal(await page.getAttribute("#telefon", "type"), "tel");
    const purposes = await page.$$eval("[autocomplete]", (els) => els.filter((e) => e.closest("form.fw-form")).map((e) => [e.id, e.getAttribute("autocomplete")]));
    assert.deepEqual(purposes, [
      ["name", "organization"],
      ["anschrift", "street-address"],
      ["ansprechperson", "name"],
      ["telefon", "tel"],
      ["e_mail", "email"],
    ]);
    await fillRequired(page);
    await page.fill("#e_mail", "kein-mail");
    await page.fill("#telefon", "ruf mich an");
    await page.click('button[data-action="check"]');
    assert.deepEqual(await page.$$eval("#error-summary a", (as) => as.map((a) => [a.getAttribute("href"), a.textContent])), [
      ["#telefon", "Bei „Telefon“ muss eine Telefonnummer stehen: Ziffern, dazu nur Leerzeichen, +, -, / und Klammern."],
      ["#e_mail", "Bei „E-Mail“ muss eine E-Mail-Adresse stehen, zum Beispiel name@beispiel.de."],
    ]);
    await page.fill("#e_mail", "koordinierung@landkreis-musterland.de");
    await page.fill("#telefon", "+49 (511) 120-0");
    await page.click('button[data-action="check"]');
    assert.equal(await page.isVisible("#error-summary"), false);
    assert.match(await page.textContent("#form-notice"), /^Alle Pflichtfelder sind ausgefüllt\. \d+ von \d+ Fragen sind noch unbeantwortet/);
    await page.context().close();
  });
});

describe("print-all document", () => {
  it("shows the paper form, no live controls, numbered pages, and links to the form page", async () => {
    const page = await h.openPage(env.browser, h.fileUrl(env.bundled, "gesamtdokument.html"));
    const live = await page.$$eval("input, textarea, select", (els) =>
      els.filter((e) => !e.disabled && !e.closest(".site-search")).map((e) => e.id),
    );
    assert.deepEqual(live, []);
    assert.ok((await page.$$eval(".chapter .print-value", (els) => els.filter((e) => e.offsetHeight > 0).length)) > 10, "ruled lines on screen");
    const fill = await page.$$eval("a", (as) => as.filter((a) => a.textContent.includes("ausfüllen")).map((a) => a.getAttribute("href")));
    assert.ok(fill.length >= 1);
    for (const href of fill) assert.equal(href, "projektbeschreibung/index.html");
    const toForm = await page.$$eval(".chapter a", (as) => as.map((a) => a.getAttribute("href")).filter((h) => h.includes("projektbeschreibung")));
    assert.ok(toForm.every((href) => href.startsWith("projektbeschreibung/index.html")), toForm.join(" "));

    const text = h.squash(await h.printToText(page, "gesamtdokument-paper"));
    const pages = Number(text.match(/ 1 \/ (\d+)/)[1]);
    assert.ok(pages >= 7, `page numbers: ${pages}`);
    for (let n = 1; n <= pages; n++) assert.ok(text.includes(` ${n} / ${pages}`), `page ${n} unnumbered`);
    assert.ok(text.includes("☐ Sonstiges – ggfs. eintragen"));
    assert.ok(!text.includes("Die Zelle vergrößert sich automatisch."), "a screen-only hint is not printed");
    await page.context().close();
  });
});

describe("paper fidelity of the filled copy", () => {
  it("prints neither screen-only hints nor (Pflichtfeld)", async () => {
    const page = await h.openPage(env.browser, formUrl());
    await fillRequired(page);
    assert.equal(await page.isVisible("#planungen_bestandsaufnahme-hint"), true);
    const text = h.squash(await h.printToText(page, "projektbeschreibung-fidelity"));
    assert.ok(text.includes("Landkreis Musterland"));
    assert.ok(text.includes("Name der Gebietskörperschaft (Landkreis, Stadt)"));
    assert.ok(!text.includes("Pflichtfeld"));
    assert.ok(!text.includes("Die Zelle vergrößert sich automatisch."));
    await page.context().close();
  });
});

describe("reflow", () => {
  /** Opens every reveal: each "other" option ticked, each conditional field shown. */
  async function revealAll(page) {
    await page.evaluate(() => {
      for (const box of document.querySelectorAll('form.fw-form input[value="other"]:not([disabled])')) {
        if (!box.checked) box.click();
      }
      for (const el of document.querySelectorAll(".field[hidden], .other-wrap[hidden]")) el.hidden = false;
    });
  }

  for (const [name, site] of [
    ["bundled", () => env.bundled],
    ["fixture", () => h.sites.fixture()],
  ]) {
    it(`never scrolls sideways at 320 px on any page of the ${name} site, every reveal open`, async () => {
      const dir = site();
      const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
      const page = await context.newPage();
      for (const file of h.htmlFiles(dir)) {
        await page.goto(h.fileUrl(file));
        await revealAll(page);
        const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(scroll <= inner, `${path.relative(dir, file)}: ${scroll} > ${inner}`);
        for (const width of [320, 1280]) {
          await page.setViewportSize({ width, height: 640 });
          const sticking = await page.evaluate(() =>
            Array.from(document.querySelectorAll("form.fw-form .input, .paper .print-value"))
              .filter((el) => el.offsetWidth > 0)
              .filter((el) => el.getBoundingClientRect().right > el.closest(".field, .form-section").getBoundingClientRect().right + 0.5)
              .map((el) => el.id || el.className),
          );
          assert.deepEqual(sticking, [], `${path.relative(dir, file)} at ${width} px`);
        }
        await page.setViewportSize({ width: 320, height: 640 });
      }
      await context.close();
    });
  }
});

describe("offline copy", () => {
  it("downloads from file://", async () => {
    const page = await h.openPage(env.browser, formUrl());
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[download]")]);
    assert.equal(download.suggestedFilename(), "projektbeschreibung-offline.html");
    const file = path.join(h.artifacts, "downloaded-offline.html");
    await download.saveAs(file);
    const built = fs.readFileSync(path.join(env.bundled, "projektbeschreibung", "projektbeschreibung-offline.html"), "utf8");
    assert.equal(fs.readFileSync(file, "utf8"), built);
    assert.equal(page.url(), formUrl(), "the page stays where it was");
    await page.context().close();
  });
});
