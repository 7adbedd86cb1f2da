// Answers never lost or mixed up: two tabs of the same form in both closing orders and with a
// crashed tab, in a persistent browser profile reopened afterwards; a draft of an older form
// version offered, taken or discarded; "Alles löschen" leaving nothing; answers files with a
// wrong checksum refused.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

const env = h.withBundledSite({ before, after });
const formUrl = () => h.fileUrl(env.bundled, "projektbeschreibung/index.html");

/** Closes the browser the way a person does (its profile written to disk), and waits. */
async function quit(run) {
  const session = await run.browser.newBrowserCDPSession();
  await session.send("Browser.close").catch(() => {});
  await run.exited;
}

/** Types into a field of one tab and waits until another tab shows it. */
async function typeAndSync(from, to, selector, text) {
  await from.fill(selector, text);
  await to.waitForFunction(([s, t]) => document.querySelector(s).value === t, [selector, text]);
}

async function reopen(profile) {
  const run = await h.launchKillable(profile);
  const page = await run.browser.contexts()[0].newPage();
  await page.goto(formUrl());
  return { run, page };
}

describe("two tabs of the same form", () => {
  for (const order of ["A then B", "B then A"]) {
    it(`keep the newest answers when closed ${order}, after reopening the browser`, async () => {
      const profile = h.tempDir("formwerk-tabs-");
      const run = await h.launchKillable(profile);
      const context = run.browser.contexts()[0];
      const a = await context.newPage();
      await a.goto(formUrl());
      await a.fill("#name", "Landkreis Erst");
      const b = await context.newPage();
      await b.goto(formUrl());
      assert.equal(await b.inputValue("#name"), "Landkreis Erst");
      // More typing in A; B learns of it and follows.
      await typeAndSync(a, b, "#anschrift", "Musterstraße 1\n30159 Hannover");
      await typeAndSync(a, b, "#ansprechperson", "Frau Neu");
      assert.match(await a.textContent("#save-status"), /^Entwurf gespeichert/);
      assert.match(await b.textContent("#save-status"), /^Entwurf aus einem anderen Fenster übernommen/);
      // B's own edit is laid over A's, not the other way round.
      await typeAndSync(b, a, "#telefon", "0511 120-0");
      const newest = await h.formState(a);
      assert.deepEqual(await h.formState(b), newest);
      const [first, second] = order === "A then B" ? [a, b] : [b, a];
      await first.close({ runBeforeUnload: true });
      await second.close({ runBeforeUnload: true });
      await quit(run);

      const again = await reopen(profile);
      assert.deepEqual(await h.formState(again.page), newest);
      assert.equal(await again.page.inputValue("#ansprechperson"), "Frau Neu");
      await quit(again.run);
      fs.rmSync(profile, { recursive: true, force: true });
    });
  }

  it("keep the newest answers when one tab crashes mid-edit", async () => {
    const profile = h.tempDir("formwerk-crash-");
    const run = await h.launchKillable(profile);
    const context = run.browser.contexts()[0];
    const a = await context.newPage();
    await a.goto(formUrl());
    const b = await context.newPage();
    await b.goto(formUrl());
    await typeAndSync(a, b, "#name", "Stadt Vorher");
    await typeAndSync(b, a, "#anschrift", "Getippt in B");
    // B crashes in the middle of typing; A goes on.
    const session = await context.newCDPSession(b);
    await b.fill("#ansprechperson", "Halb");
    await a.waitForFunction(() => document.getElementById("ansprechperson").value === "Halb");
    const crashed = new Promise((resolve) => b.once("crash", resolve));
    session.send("Page.crash").catch(() => {});
    await crashed;
    await a.fill("#name", "Stadt Nachher");
    await a.check("#aktualisierung_geplant-true");
    const newest = await h.formState(a);
    await a.close({ runBeforeUnload: true });
    await quit(run);

    const again = await reopen(profile);
    assert.deepEqual(await h.formState(again.page), newest);
    assert.equal(await again.page.inputValue("#name"), "Stadt Nachher");
    assert.equal(await again.page.inputValue("#anschrift"), "Getippt in B");
    await quit(again.run);
    fs.rmSync(profile, { recursive: true, force: true });
  });

  it("keep the caret where the person types when the other tab's answers arrive", async () => {
    const context = await env.browser.newContext();
    const a = await context.newPage();
    await a.goto(formUrl());
    const b = await context.newPage();
    await b.goto(formUrl());
    await b.fill("#ansprechperson", "Herr Mei");
    await b.focus("#ansprechperson");
    await b.evaluate(() => document.getElementById("ansprechperson").setSelectionRange(5, 5));
    await typeAndSync(a, b, "#name", "Gemeinde Zwei");
    assert.equal(await b.evaluate(() => document.activeElement.id), "ansprechperson");
    assert.equal(await b.evaluate(() => document.getElementById("ansprechperson").selectionStart), 5);
    await context.close();
  });

  it("keep the options ticked and the lines written in each, when one saved unheard by the other", async () => {
    const context = await env.browser.newContext();
    const a = await context.newPage();
    await a.goto(formUrl());
    await a.check("#datenbereiche-bevoelkerung");
    await a.fill("#handlungsfelder_relevant-1", "Sprache");
    const b = await context.newPage();
    // B can be made to stop hearing other tabs, as a tab the browser has frozen.
    await h.canGoDeaf(b);
    await b.goto(formUrl());
    assert.equal(await b.inputValue("#handlungsfelder_relevant-1"), "Sprache");
    await b.evaluate(() => (window.deaf = true));
    // A ticks and writes more while B, unaware, unticks, ticks and writes other things.
    await a.check("#datenbereiche-bildung-und-qualifikation");
    await a.fill("#handlungsfelder_relevant-3", "Gesundheit");
    await b.uncheck("#datenbereiche-bevoelkerung");
    await b.check("#datenbereiche-soziales");
    await b.fill("#handlungsfelder_relevant-2", "Wohnen");
    await b.evaluate(() => (window.deaf = false));
    await b.fill("#name", "Stadt Beide");
    const shown = () => ({
      ticked: Array.from(document.querySelectorAll("input[name=datenbereiche]:checked")).map((i) => i.value),
      lines: Array.from(document.querySelectorAll("input[name=handlungsfelder_relevant]")).map((i) => i.value),
    });
    const want = {
      ticked: ["bildung-und-qualifikation", "soziales"],
      lines: ["Sprache", "Wohnen", "Gesundheit"],
    };
    for (const [name, page] of [["B", b], ["A", a]]) {
      await page
        .waitForFunction(`JSON.stringify((${shown})()) === ${JSON.stringify(JSON.stringify(want))}`)
        .catch(async () => assert.fail(`tab ${name} shows ${JSON.stringify(await page.evaluate(shown))}`));
    }
    await context.close();
  });
});

describe("a draft of an older form version", () => {
  const OLD_KEY = "formwerk:projektbeschreibung:2025-1";
  // As the earlier version of the page wrote it: no revision, no labels.
  const OLD_DRAFT = {
    saved_at: "2025-03-03T11:00:00.000Z",
    answers: { name: "Landkreis Vorjahr", anschrift: "Altweg 2", foerdersumme: 5000, datenbereiche: ["soziales", "wohnen"] },
  };
  // As this version writes it: with the questions' labels.
  const LABELLED = {
    rev: 4,
    saved_at: "2025-03-03T11:00:00.000Z",
    version: "2025-1",
    answers: { name: "Landkreis Vorjahr", alte_frage: "weg" },
    labels: { name: "Name", alte_frage: "Wie hoch war die Förderung im Vorjahr?" },
  };

  async function withOldDraft(draft) {
    const page = await h.openPage(env.browser, formUrl());
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [OLD_KEY, JSON.stringify(draft)]);
    await page.reload();
    return page;
  }

  it("is offered, not loaded; taken over, what no longer fits is named by question", async () => {
    const page = await withOldDraft(OLD_DRAFT);
    assert.equal(await page.isVisible("#version-notice"), true);
    assert.equal(
      (await page.textContent("#version-notice-text")).trim(),
      "Angaben aus der Fassung 2025-1 vom 3. März 2025 gefunden. Dieses Formular hat die Fassung 2026-1. Möchten Sie die Angaben übernehmen?",
    );
    assert.equal(await page.inputValue("#name"), "", "nothing is loaded before the applicant decides");
    await page.click('button[data-action="take-draft"]');
    assert.equal(await page.isVisible("#version-notice"), false);
    assert.equal(await page.inputValue("#name"), "Landkreis Vorjahr");
    assert.equal(await page.inputValue("#anschrift"), "Altweg 2");
    const notice = (await page.textContent("#form-notice")).trim();
    assert.ok(notice.startsWith("Die Angaben aus der Fassung 2025-1 wurden übernommen. Nicht mehr passend und nicht übernommen:"), notice);
    assert.match(notice, /„Die Bestandsaufnahme soll auf migrationspolitischen Daten und Informationen aus folgenden Bereichen basieren“: die Antwort passt nicht zu dieser Frage/);
    assert.match(notice, /Die Angabe „5000“ gehört zu keiner Frage dieses Formulars/);
    assert.doesNotMatch(notice, /foerdersumme|datenbereiche/);
    await page.reload();
    assert.equal(await page.isVisible("#version-notice"), false);
    assert.equal(await page.inputValue("#name"), "Landkreis Vorjahr");

    // "Alles löschen" removes the drafts of every version; nothing comes back.
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [OLD_KEY, JSON.stringify(OLD_DRAFT)]);
    await page.click('button[data-action="clear"]');
    await page.reload();
    assert.equal(await page.inputValue("#name"), "");
    assert.equal(await page.isVisible("#version-notice"), false);
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("formwerk:projektbeschreibung:")));
    assert.deepEqual(left, []);
    await page.context().close();
  });

  it("names questions that no longer exist by their old label", async () => {
    const page = await withOldDraft(LABELLED);
    await page.click('button[data-action="take-draft"]');
    const notice = (await page.textContent("#form-notice")).trim();
    assert.match(notice, /„Wie hoch war die Förderung im Vorjahr\?“: diese Frage gibt es in diesem Formular nicht mehr/);
    await page.context().close();
  });

  it("is discarded on request and not offered again", async () => {
    const page = await withOldDraft(OLD_DRAFT);
    await page.click('button[data-action="drop-draft"]');
    assert.equal((await page.textContent("#form-notice")).trim(), "Die Angaben aus der Fassung 2025-1 wurden verworfen.");
    assert.equal(await page.inputValue("#name"), "");
    await page.reload();
    assert.equal(await page.isVisible("#version-notice"), false);
    assert.equal(await page.inputValue("#name"), "");
    await page.context().close();
  });
});

describe("answers file integrity", () => {
  it("refuses a file with a wrong checksum by name and changes nothing; loads format 1 marked", async () => {
    const page = await h.openPage(env.browser, formUrl());
    await page.fill("#name", "Landkreis Echt");
    await page.fill("#e_mail", "info@landkreis-echt.de");
    const { name, data } = await h.exportAnswers(page);
    assert.match(data.checksum, /^sha256:[0-9a-f]{64}$/);
    const before = await h.formState(page);

    const altered = JSON.stringify({ ...data, answers: { ...data.answers, name: "Landkreis Gefälscht" } }, null, 2);
    const refused = await h.importAnswers(page, "geaendert.json", altered);
    assert.equal(
      refused,
      "„geaendert.json“ wurde nach dem Speichern verändert oder ist beschädigt: die Prüfsumme stimmt nicht. Ihre Eingaben wurden nicht verändert.",
    );
    assert.deepEqual(await h.formState(page), before);
    const future = await h.importAnswers(page, "zukunft.json", JSON.stringify({ ...data, format_version: 3 }));
    assert.match(future, /^„zukunft\.json“ wurde in einem neueren Format gespeichert \(Format 3\)/);
    await page.reload();
    assert.deepEqual(await h.formState(page), before, "a refused file changed the draft");

    const { format, format_version, checksum, ...v1 } = data;
    assert.ok(format && format_version && checksum);
    await page.fill("#name", "");
    const loaded = await h.importAnswers(page, "alt.json", JSON.stringify(v1));
    assert.equal(loaded, "Die Antworten aus „alt.json“ wurden geladen. Die Datei ist ohne Prüfsumme gespeichert (älteres Format); ob sie verändert wurde, lässt sich nicht prüfen.");
    assert.equal(await page.inputValue("#name"), "Landkreis Echt");
    const valid = await h.importAnswers(page, name, JSON.stringify(data));
    assert.equal(valid, `Die Antworten aus „${name}“ wurden geladen.`);
    await page.context().close();
  });
});
