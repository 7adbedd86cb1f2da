// Applicants' flows on real form pages opened from file://: fill every field kind, reload,
// crash, export, clear, import (good and bad files), check, print filled and blank, keyboard
// only; the same on the self-contained offline copy.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import * as h from "./helpers.js";

// pdftotext joins a word broken at a line-end hyphen, so the marker has none.
const LONG_END = "Das ist das Ende des langen Textes.";
const LONG = ("Lorem ipsum dolor sit amet, Bevölkerung und Teilhabe. ".repeat(40) + LONG_END).slice(-2000);
assert.equal(LONG.length, 2000);

/** The fixture form (every field kind), filled by mouse-free calls that fire real events. */
async function fillFixture(page) {
  await page.fill("#name", "Landkreis Testhausen");
  await page.fill("#beschreibung", LONG);
  await page.fill("#datum", "2026-03-01");
  await page.fill("#betrag", "12345.5");
  await page.check("#zustimmung-true");
  await page.check("#art-stadt");
  await page.check("#bereiche-bevoelkerung");
  await page.check("#bereiche-other");
  await page.fill("#bereiche-other-text", "Wohnen");
  await page.fill("#eintraege-1", "Erster Eintrag");
  await page.fill("#eintraege-3", "Dritter Eintrag");
  await page.fill("#begruendung", "Weil es gut ist");
  await page.fill("#stadtname", "Hildesheim");
}

const EXPECTED_ANSWERS = {
  name: "Landkreis Testhausen",
  beschreibung: LONG,
  datum: "2026-03-01",
  betrag: 12345.5,
  zustimmung: true,
  art: "stadt",
  bereiche: ["bevoelkerung", "other"],
  "bereiche.other": "Wohnen",
  eintraege: ["Erster Eintrag", "", "Dritter Eintrag"],
  begruendung: "Weil es gut ist",
  stadtname: "Hildesheim",
};

function validator(siteDir, formDir, id) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(siteDir, formDir, `${id}.schema.json`), "utf8")));
}

let browser;
let fixture;
let bundled;
before(async () => {
  fixture = h.sites.fixture();
  bundled = h.sites.bundled();
  browser = await h.launch();
});
after(async () => browser && (await browser.close()));

for (const variant of ["online", "offline"]) {
  const file = variant === "online" ? "index.html" : "alle_felder-offline.html";
  const url = () => h.fileUrl(fixture, "antraege/alle-felder", file);

  describe(`fixture form, ${variant} page from file://`, () => {
    it("keeps every field kind's answer across a reload", async () => {
      const page = await h.openPage(browser, url());
      await fillFixture(page);
      const filled = await h.formState(page);
      assert.match(await page.textContent("#save-status"), /^Entwurf gespeichert, \d\d:\d\d$/);
      await page.reload();
      assert.deepEqual(await h.formState(page), filled);
      assert.match(await page.textContent("#save-status"), /^Entwurf vom \d\d\.\d\d\.\d{4}, \d\d:\d\d wiederhergestellt$/);
      await h.screenshot(page, `fixture-${variant}-filled`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    it("exports, clears after asking, and imports back identical answers valid by the schema", async () => {
      const page = await h.openPage(browser, url());
      await fillFixture(page);
      const filled = await h.formState(page);
      const { name, data } = await h.exportAnswers(page);
      assert.match(name, /^alle_felder-landkreis-testhausen-antworten-\d{4}-\d\d-\d\d\.json$/);
      assert.equal(data.form, "alle_felder");
      assert.equal(data.format, "formwerk-answers");
      assert.equal(data.format_version, 2);
      assert.match(data.checksum, /^sha256:[0-9a-f]{64}$/);
      assert.equal(data.version, "3");
      assert.ok(!Number.isNaN(Date.parse(data.saved_at)));
      assert.deepEqual(data.answers, EXPECTED_ANSWERS);
      const validate = validator(fixture, "antraege/alle-felder", "alle_felder");
      assert.ok(validate(data), JSON.stringify(validate.errors));

      await page.click('button[data-action="clear"]');
      assert.equal(page.dialogs.at(-1), "Alle Eingaben in diesem Formular löschen, auch gespeicherte Entwürfe früherer Fassungen? Das lässt sich nicht rückgängig machen.");
      assert.equal(await page.inputValue("#name"), "");
      assert.equal(await page.isChecked("#zustimmung-true"), false);
      await page.reload();
      assert.equal(await page.inputValue("#name"), "", "clearing also clears the draft");

      const message = await h.importAnswers(page, name, JSON.stringify(data));
      assert.equal(message, `Die Antworten aus „${name}“ wurden geladen.`);
      assert.deepEqual(await h.formState(page), filled);
      await page.context().close();
    });

    it("refuses malformed, foreign and unknown-field files without changing anything", async () => {
      const page = await h.openPage(browser, url());
      await fillFixture(page);
      const filled = await h.formState(page);
      const cases = [
        ["kaputt.json", "{ nicht json", "„kaputt.json“ ist keine gültige Antwortdatei. Ihre Eingaben wurden nicht verändert."],
        ["liste.json", "[1, 2]", "„liste.json“ ist keine gültige Antwortdatei."],
        [
          "fremd.json",
          JSON.stringify({ form: "anderes_formular", version: "3", saved_at: "2026-01-01T00:00:00Z", answers: { name: "X" } }),
          "„fremd.json“ gehört zu einem anderen Formular („anderes_formular“). Ihre Eingaben wurden nicht verändert.",
        ],
        [
          "unbekannt.json",
          JSON.stringify({ form: "alle_felder", version: "3", saved_at: "2026-01-01T00:00:00Z", answers: { name: "X", hobby: "Y" } }),
          "„unbekannt.json“ enthält Angaben, die nicht zu diesem Formular passen. Ihre Eingaben wurden nicht verändert:Die Angabe „Y“ gehört zu keiner Frage dieses Formulars",
        ],
        [
          "falsch.json",
          JSON.stringify({ form: "alle_felder", version: "3", saved_at: "2026-01-01T00:00:00Z", answers: { art: "dorf" } }),
          "„falsch.json“ enthält Angaben, die nicht zu diesem Formular passen.",
        ],
      ];
      for (const [name, content, expected] of cases) {
        const message = await h.importAnswers(page, name, content);
        assert.ok(message.startsWith(expected), `${name}: ${message}`);
        assert.deepEqual(await h.formState(page), filled, `${name} changed the form`);
        assert.equal(await page.evaluate(() => document.activeElement.id), "form-notice");
      }
      await page.reload();
      assert.deepEqual(await h.formState(page), filled, "a refused file changed the draft");
      await page.context().close();
    });

    it("loads what still fits from an older version's file and lists the rest", async () => {
      const page = await h.openPage(browser, url());
      const older = {
        form: "alle_felder",
        version: "2",
        saved_at: "2025-05-01T08:00:00Z",
        answers: { name: "Stadt Alt", art: "dorf", altes_feld: "weg", bereiche: ["soziales"], zustimmung: "ja" },
      };
      const message = await h.importAnswers(page, "alt.json", JSON.stringify(older));
      assert.ok(message.startsWith("Die Antworten aus „alt.json“ (Formularversion 2) wurden geladen. Nicht übernommen:"), message);
      assert.match(message, /Die Angabe „weg“ gehört zu keiner Frage dieses Formulars/);
      assert.match(message, /„Art der Kommune“: die Antwort passt nicht zu dieser Frage/);
      assert.match(message, /„Stimmen Sie zu\?“: die Antwort passt nicht/);
      assert.doesNotMatch(message, /altes_feld|\(art\)|zustimmung/, "questions are named by label, never by id");
      assert.equal(await page.inputValue("#name"), "Stadt Alt");
      assert.equal(await page.isChecked("#bereiche-soziales"), true);
      assert.equal(await page.isChecked("#art-landkreis"), false);
      await page.context().close();
    });

    it("shows conditional fields and other-texts only when they apply, keeps hidden answers in the draft but not in the export", async () => {
      const page = await h.openPage(browser, url());
      assert.equal(await page.isVisible("#begruendung"), false);
      assert.equal(await page.isVisible("#bereiche-other-text"), false);
      await page.check("#zustimmung-true");
      assert.equal(await page.isVisible("#begruendung"), true);
      await page.fill("#begruendung", "Bleibt im Entwurf");
      await page.check("#bereiche-other");
      assert.equal(await page.isVisible("#bereiche-other-text"), true);
      await page.check("#zustimmung-false");
      assert.equal(await page.isVisible("#begruendung"), false);
      const { data } = await h.exportAnswers(page);
      assert.equal(data.answers.begruendung, undefined);
      assert.equal(data.answers.zustimmung, false);
      await page.reload();
      await page.check("#zustimmung-true");
      assert.equal(await page.inputValue("#begruendung"), "Bleibt im Entwurf");
      await page.check("#art-stadt");
      assert.equal(await page.isVisible("#stadtname"), true);
      await page.context().close();
    });

    it("grows text areas with their content", async () => {
      const page = await h.openPage(browser, url());
      const before = await page.evaluate(() => document.getElementById("beschreibung").clientHeight);
      await page.fill("#beschreibung", "Zeile\n".repeat(30));
      const grown = await page.evaluate(() => document.getElementById("beschreibung").clientHeight);
      assert.ok(grown > before * 2, `${before} → ${grown}`);
      await page.context().close();
    });

    it("checks answers with a GOV.UK-style error summary and inline messages", async () => {
      const page = await h.openPage(browser, url());
      await page.fill("#betrag", "2000000");
      await page.click('button[data-action="check"]');
      assert.equal(await page.evaluate(() => document.activeElement.id), "error-summary");
      const links = await page.$$eval("#error-summary a", (as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
      assert.deepEqual(links, [
        ["#name", "Bitte füllen Sie „Name <script>x</script>“ aus."],
        ["#betrag", "Bei „Betrag“ darf die Zahl höchstens 1000000 sein."],
        ["#zustimmung-true", "Bitte wählen Sie bei „Stimmen Sie zu?“ eine Antwort aus."],
      ]);
      assert.equal(await page.textContent("#name-error"), "Fehler: Bitte füllen Sie „Name <script>x</script>“ aus.");
      assert.equal(await page.textContent("#name-error .visually-hidden"), "Fehler: ");
      assert.equal(await page.getAttribute("#name", "aria-describedby"), "name-error name-hint");
      assert.equal(await page.getAttribute("#zustimmung", "aria-describedby"), "zustimmung-error");
      const invalid = await page.$$eval("[aria-invalid]", (els) => els.map((e) => e.id));
      assert.deepEqual(invalid, ["name", "betrag", "zustimmung-true", "zustimmung-false"]);
      await page.click('#error-summary a[href="#betrag"]');
      assert.equal(await page.evaluate(() => document.activeElement.id), "betrag");

      await fillFixture(page);
      await page.click('button[data-action="check"]');
      assert.equal(await page.isVisible("#error-summary"), false);
      assert.equal(await page.$$eval("[aria-invalid]", (els) => els.length), 0);
      assert.equal((await page.textContent("#form-notice")).trim(), "Ihre Eingaben sind vollständig.");
      // Text longer than allowed (possible through a loaded file) is reported too.
      await h.importAnswers(page, "lang.json", JSON.stringify({ form: "alle_felder", version: "3", saved_at: "2026-01-01T00:00:00Z", answers: { name: "x".repeat(81), zustimmung: true } }));
      await page.click('button[data-action="check"]');
      assert.deepEqual(await page.$$eval("#error-summary a", (as) => as.map((a) => a.textContent)), ["„Name <script>x</script>“ darf höchstens 80 Zeichen lang sein."]);
      await page.context().close();
    });

    it("prints the filled form with every label and answer, and the blank form without them", async () => {
      const page = await h.openPage(browser, url());
      await fillFixture(page);
      const text = h.squash(await h.printToText(page, `fixture-${variant}-filled`));
      const labels = await page.$$eval("form .question, form .option label, form .entry-label", (els) =>
        els
          .filter((e) => e.closest(".field:not([hidden])"))
          .map((e) => {
            const copy = e.cloneNode(true);
            copy.querySelectorAll(".required").forEach((r) => r.remove());
            return copy.textContent.replace(/\s+/g, " ").trim();
          }),
      );
      assert.ok(!text.includes("Pflichtfeld"), "the filled copy does not say (Pflichtfeld)");
      // pdftotext drops a hyphen that ends a line ("eintragen -"), so compare without it.
      for (const label of labels) assert.ok(text.includes(label.replace(/ -$/, "")), `label missing in PDF: ${label}`);
      for (const answer of ["Landkreis Testhausen", "01.03.2026", "12345.5", "Wohnen", "Erster Eintrag", "Dritter Eintrag", "Weil es gut ist", "Hildesheim", LONG_END]) {
        assert.ok(text.includes(answer), `answer missing in PDF: ${answer}`);
      }
      assert.ok(text.includes("☒ Bevölkerung") && text.includes("☐ Soziales") && text.includes("☒ ja") && text.includes("☐ nein"));
      assert.match(text, /Seite 1 von \d/);
      assert.match(text, /Alle Felder 2031 · Version 3/);
      for (const tool of ["Antworten speichern", "Eingaben prüfen", "Offline-Version"]) assert.ok(!text.includes(tool), tool);

      // "Leeres Formular drucken" prints the blank form, whatever has been typed.
      await page.evaluate(() => {
        window.print = () => (window.printedWith = document.documentElement.className);
      });
      await page.click('button[data-action="print-blank"]');
      assert.match(await page.evaluate(() => window.printedWith), /print-blank/);
      await page.waitForFunction(() => !document.documentElement.classList.contains("print-blank"));
      await page.evaluate(() => document.documentElement.classList.add("print-blank"));
      const blank = h.squash(await h.printToText(page, `fixture-${variant}-blank`));
      for (const answer of ["Landkreis Testhausen", "Wohnen", "Hildesheim", LONG_END, "☒"]) assert.ok(!blank.includes(answer), `blank print shows ${answer}`);
      for (const label of ["Begründung der Zustimmung", "Name der Stadt", "Weitere Einträge", "Sonstiges – ggfs. eintragen -", "(Pflichtfeld)"]) {
        assert.ok(blank.includes(label), `blank print lacks ${label}`);
      }
      await page.context().close();
    });
  });
}

describe("layout of the controls", () => {
  it("keeps the yes/no labels beside their buttons at 320, 768 and 1280 px", async () => {
    const url = h.fileUrl(fixture, "antraege/alle-felder", "index.html");
    for (const width of [320, 768, 1280]) {
      const page = await h.openPage(browser, url, { contextOptions: { viewport: { width, height: 800 } } });
      for (const answer of ["true", "false"]) {
        const button = await page.locator(`#zustimmung-${answer}`).boundingBox();
        const label = await page.locator(`label[for="zustimmung-${answer}"]`).boundingBox();
        assert.ok(label.x >= button.x + button.width, `${width} px: the label of ${answer} starts after its button`);
        assert.ok(label.y < button.y + button.height, `${width} px: the label of ${answer} is not below its button`);
      }
      await page.context().close();
    }
  });
});

describe("crash safety", () => {
  it("brings answers back after the browser is killed without unload", async () => {
    const profile = h.tempDir("formwerk-profile-");
    const url = h.fileUrl(fixture, "antraege/alle-felder/index.html");
    let run = await h.launchKillable(profile);
    let context = run.browser.contexts()[0];
    let page = await context.newPage();
    await page.goto(url);
    await fillFixture(page);
    const filled = await h.formState(page);
    // Chromium writes localStorage to disk in batches: killed only once the draft is there.
    await h.localStorageOnDisk(page, profile);
    run.kill();
    await run.exited;
    run = await h.launchKillable(profile);
    context = run.browser.contexts()[0];
    page = await context.newPage();
    await page.goto(url);
    assert.deepEqual(await h.formState(page), filled);
    await run.browser.close().catch(() => {});
    run.kill();
  });
});

describe("offline copy", () => {
  it("is one file that makes no request beyond itself", async () => {
    const url = h.fileUrl(fixture, "antraege/alle-felder/alle_felder-offline.html");
    const page = await h.openPage(browser, url);
    await fillFixture(page);
    await page.reload();
    const foreign = page.requests.filter((r) => r !== url);
    assert.deepEqual(foreign, []);
    assert.equal(await page.$$eval("link[rel=stylesheet], script[src], img", (els) => els.length), 0);
    // Only in-page links and the e-mail link of the submission box (it opens a mail program).
    const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(links.filter((href) => !href.startsWith("#") && !href.startsWith("mailto:")), []);
    await page.context().close();
  });

  it("is linked from the online page for download", async () => {
    const page = await h.openPage(browser, h.fileUrl(fixture, "antraege/alle-felder/index.html"));
    const link = page.locator("a[download][href$=\"-offline.html\"]");
    assert.equal((await link.textContent()).trim(), "Offline-Version herunterladen");
    assert.equal(await link.getAttribute("href"), "alle_felder-offline.html");
    await page.context().close();
  });
});

describe("keyboard only", () => {
  /** Presses Tab until the element with `id` has focus; fails if it is never reached.
   * Returns how many elements were passed on the way. */
  async function tabTo(page, id) {
    for (let i = 1; i <= 80; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement.id)) === id) return i;
    }
    assert.fail(`never reached #${id} with Tab`);
  }

  it("fills and exports the form with Tab, Space, Enter and typing", async () => {
    const page = await h.openPage(browser, h.fileUrl(fixture, "antraege/alle-felder/index.html"));
    // Each step moves forward only: focus order follows the form's order.
    assert.ok((await tabTo(page, "name")) < 25);
    await page.keyboard.type("Tastatur Kreis");
    assert.ok((await tabTo(page, "zustimmung-true")) < 10);
    await page.keyboard.press("Space");
    assert.ok((await tabTo(page, "bereiche-soziales")) < 10);
    await page.keyboard.press("Space");
    assert.ok((await tabTo(page, "eintraege-2")) < 10);
    await page.keyboard.type("Zweiter");
    assert.ok((await tabTo(page, "begruendung")) < 10, "the revealed field comes next");
    await page.keyboard.type("Getippt");
    await page.keyboard.press("Shift+Tab");
    await page.evaluate(() => window.scrollTo(0, 0));
    const back = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press("Shift+Tab");
      const label = await page.evaluate(() => document.activeElement.textContent.trim());
      back.push(label);
      if (label === "Antworten speichern") break;
    }
    assert.equal(back.at(-1), "Antworten speichern");
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    const file = path.join(h.artifacts, "keyboard-export.json");
    await download.saveAs(file);
    const data = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.deepEqual(data.answers, { name: "Tastatur Kreis", zustimmung: true, bereiche: ["soziales"], eintraege: ["", "Zweiter", ""], begruendung: "Getippt" });
    await page.context().close();
  });
});

describe("bundled Projektbeschreibung", () => {
  it("fills, exports valid answers, and prints every question and answer", async () => {
    const page = await h.openPage(browser, h.fileUrl(bundled, "projektbeschreibung/index.html"));
    await page.fill("#name", "Landkreis Musterland");
    await page.fill("#anschrift", "Musterstraße 1\n30159 Hannover");
    await page.check("#aktualisierung_geplant-true");
    await page.check("#datenbereiche-soziales");
    await page.check("#datenbereiche-other");
    await page.fill("#datenbereiche-other-text", "Wohnungsmarkt");
    await page.check("#handlungskonzept_vorhaben-fortschreiben");
    await page.fill("#handlungsfelder_relevant-1", "Wohnen");
    await page.fill("#planungen_weitere_aufgaben", LONG);
    const { data } = await h.exportAnswers(page);
    const validate = validator(bundled, "projektbeschreibung", "projektbeschreibung");
    assert.ok(validate(data), JSON.stringify(validate.errors));
    assert.equal(data.version, "2026-1");
    const text = h.squash(await h.printToText(page, "projektbeschreibung-filled"));
    for (const s of [
      "Gliederung für die Projektbeschreibung",
      "Die Aktualisierung der Bestandsaufnahme ist in 2026 geplant.",
      "☒ ja",
      "☒ Soziales",
      "Wohnungsmarkt",
      "Wohnen",
      "Musterstraße 1",
      LONG_END,
      "Bekämpfung von Antisemitismus und Rassismus",
      "Projektbeschreibung · Version 2026-1",
    ]) {
      assert.ok(text.includes(s), `PDF lacks ${s}`);
    }
    await h.screenshot(page, "projektbeschreibung-filled");
    await page.evaluate(() => document.documentElement.classList.add("print-blank"));
    const blank = h.squash(await h.printToText(page, "projektbeschreibung-blank"));
    assert.ok(!blank.includes("Wohnungsmarkt") && !blank.includes("☒"));
    assert.match(blank, /Seite 1 von [2-9]/);
    await page.context().close();
  });
});
