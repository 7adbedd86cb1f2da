// How to submit, on the fixture form (its [submission] block has a deadline in 2020 and
// signature = true): the deadline notice decided in the browser, the e-mail subject with the
// identifying answer, the finishing step's buttons, the signature lines on the filled print.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

const env = h.withSites({ before, after });

describe("submission", () => {
  it("says after the deadline that it has passed, on the day the page is opened", async () => {
    const page = await h.openPage(env.browser, h.fileUrl(env.fixture, "antraege/alle-felder/index.html"));
    const notices = page.locator(".deadline-passed");
    assert.equal(await notices.count(), 2);
    assert.ok(await notices.first().isVisible());
    assert.match(await notices.first().textContent(), /Die Frist ist am 31\.01\.2020 abgelaufen/);
    // A deadline still ahead says nothing: the same page, the browser's clock set back.
    const early = await env.browser.newContext();
    await early.addInitScript(() => {
      const fixed = new Date("2020-01-15T12:00:00").getTime();
      const RealDate = Date;
      // eslint-disable-next-line no-global-assign
      Date = class extends RealDate {
        constructor(...a) {
          super(...(a.length ? a : [fixed]));
        }
        static now() {
          return fixed;
        }
      };
    });
    const before = await h.openPage(env.browser, h.fileUrl(env.fixture, "antraege/alle-felder/index.html"), { context: early });
    await before.waitForSelector("#form-tools:not([hidden])");
    assert.equal(await before.locator(".deadline-passed:visible").count(), 0);
    await early.close();
    await page.context().close();
  });

  it("puts the identifying answer into the e-mail's subject and tells to attach the files", async () => {
    const page = await h.openPage(env.browser, h.fileUrl(env.fixture, "antraege/alle-felder/index.html"));
    await page.fill("#name", "Landkreis Göttingen");
    const href = await page.getAttribute("#submission-end a.mailto", "href");
    assert.equal(href, "mailto:posteingang@example.org?subject=" + encodeURIComponent("Alle Felder 2031: Landkreis Göttingen"));
    assert.match(await page.textContent("#submission-end .attach-note"), /hängen Sie selbst an die E-Mail an/);
    await page.context().close();
  });

  it("ends with check, save and print buttons that work", async () => {
    const page = await h.openPage(env.browser, h.fileUrl(env.fixture, "antraege/alle-felder/index.html"));
    await page.click('#abschluss button[data-action="check"]');
    await page.waitForSelector("#error-summary:not([hidden])");
    assert.match(await page.textContent("#error-summary"), /Bitte füllen Sie/);
    await page.fill("#name", "Landkreis Göttingen");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('#abschluss button[data-action="export"]')]);
    assert.match(download.suggestedFilename(), /^alle_felder-landkreis-goettingen-antworten-\d{4}-\d{2}-\d{2}\.json$/);
    await page.context().close();
  });

  it("prints the submission box once, with signature lines, on the filled copy", async () => {
    const page = await h.openPage(env.browser, h.fileUrl(env.fixture, "antraege/alle-felder/index.html"));
    await page.fill("#name", "Landkreis Göttingen");
    const text = h.squash(await h.printToText(page, "submission-filled"));
    assert.equal(text.split("So reichen Sie die Alle Felder 2031 ein").length - 1, 1, "box printed once");
    assert.ok(text.includes("Ort, Datum"));
    assert.ok(text.includes("Unterschrift"));
    assert.ok(text.includes("posteingang@example.org"));
    assert.ok(!text.includes("Sie haben das Ende des Formulars erreicht"), "instructions are not printed");
    await page.context().close();
  });

  it("the bundled form invents no submission texts", async () => {
    const page = await h.openPage(env.browser, h.fileUrl(env.bundled, "projektbeschreibung/index.html"));
    assert.equal(await page.locator(".submission").count(), 0);
    assert.ok(await page.isVisible('#abschluss button[data-action="print"]'));
    await page.context().close();
  });
});
