// Tables with rows, repeatable groups, computed values and checks, on the Kosten- und
// Finanzierungsplan example of the editors' guide (docs/formulare.md), built as written:
// keyboard, totals as typed, checks, drafts, answers files (also an older version's), print,
// without a script, axe and 320 px.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import * as h from "./helpers.js";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The guide's example, as an editor would copy it. */
function guideExample() {
  const guide = fs.readFileSync(path.join(h.repo, "docs/formulare.md"), "utf8");
  return guide.split("### Beispiel: Kosten- und Finanzierungsplan")[1].split("```toml\n")[1].split("```")[0];
}

let browser;
let site;
before(async () => {
  const src = h.tempDir("formwerk-plan-");
  fs.cpSync(path.join(h.repo, "tests/fixtures/valid"), src, { recursive: true });
  fs.writeFileSync(path.join(src, "content/finanzplan.form.toml"), guideExample());
  site = h.buildSite("plan", src);
  browser = await h.launch();
});
after(async () => browser && (await browser.close()));

function open(options) {
  return h.openPage(browser, h.fileUrl(site, "finanzplan/index.html"), options);
}

async function focused(page) {
  return page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim());
}

/** Fills the plan by keyboard: Tab into cells, type, Enter on the buttons. */
async function fillPlan(page) {
  await page.fill("#name", "Landkreis Testhausen");
  await page.fill("#massnahmen-1-titel", "Sprachcafé");
  await page.fill("#kosten-1-position", "Miete");
  await page.fill("#kosten-1-betrag", "1.234,5");
  await page.fill("#kosten-2-position", "Honorare");
  await page.fill("#kosten-2-betrag", "100");
  await page.fill("#kosten-3-position", "Material");
  await page.fill("#kosten-3-betrag", "0,5");
  await page.fill("#finanzierung-1-quelle", "Land");
  await page.fill("#finanzierung-1-betrag", "1335");
}

describe("tables, groups and computed values", () => {
  it("totals follow what is typed, the German way", async () => {
    const page = await open();
    await page.focus("#kosten-1-betrag");
    await page.keyboard.type("1.234,5");
    await page.focus("#kosten-2-betrag");
    await page.keyboard.type("100");
    await page.focus("#kosten-3-betrag");
    await page.keyboard.type("0,5");
    assert.equal((await page.textContent("#kosten_gesamt")).trim(), "1.335,00");
    assert.equal((await page.textContent("#kosten-total-betrag")).trim(), "1.335,00 €");
    // Leaving a cell shows its number the German way; other input is flagged at the cell.
    await page.keyboard.press("Tab");
    assert.equal(await page.inputValue("#kosten-3-betrag"), "0,50");
    await page.fill("#kosten-4-betrag", "12,3,4");
    await page.focus("#kosten-5-betrag");
    assert.equal(await page.getAttribute("#kosten-4-betrag", "aria-invalid"), "true");
    await page.fill("#kosten-4-betrag", "1234.56");
    assert.equal((await page.textContent("#kosten-total-betrag")).trim(), "2.569,56 €");
    assert.equal((await page.textContent("#eigenanteil")).trim(), "0,0");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("adds and removes rows and group instances with the keyboard, focus kept, changes announced", async () => {
    const page = await open();
    assert.equal(await page.locator("#kosten tbody tr").count(), 5);
    await page.focus("#kosten-field [data-row-add]");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "kosten-6-position");
    assert.equal(await page.textContent("#kosten-status"), "Zeile 6 hinzugefügt.");
    await page.keyboard.type("Reisekosten");
    await page.keyboard.press("Tab");
    await page.keyboard.type("50");
    assert.equal(await page.getAttribute("#kosten-6-betrag", "aria-labelledby"), "kosten-col-betrag kosten-row-6");
    // Remove row 2: row 3 moves up, focus stays on the remove button at that place.
    await page.fill("#kosten-2-position", "Weg damit");
    await page.fill("#kosten-3-position", "Bleibt");
    await page.focus("#kosten-2-position");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "Zeile 2 entfernen");
    await page.keyboard.press("Enter");
    assert.equal(await page.textContent("#kosten-status"), "Zeile 2 entfernt.");
    assert.equal(await focused(page), "Zeile 2 entfernen");
    assert.equal(await page.inputValue("#kosten-2-position"), "Bleibt");
    assert.equal(await page.inputValue("#kosten-5-position"), "Reisekosten");
    assert.equal(await page.locator("#kosten tbody tr").count(), 5);

    // Groups: "Maßnahme 2" added, filled, removed after confirming.
    await page.focus("#massnahmen-field [data-item-add]");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "massnahmen-2-titel");
    assert.equal(await page.textContent("#massnahmen-2-legend"), "Maßnahme 2");
    assert.equal(await page.textContent("#massnahmen-status"), "Maßnahme 2 hinzugefügt.");
    await page.keyboard.type("Beratung");
    await page.focus('#massnahmen-field fieldset:nth-child(2) [data-item-remove]');
    await page.keyboard.press("Enter");
    assert.deepEqual(page.dialogs, ["Maßnahme 2 mit allen Angaben entfernen?"]);
    assert.equal(await page.locator("#massnahmen .group-item").count(), 1);
    assert.equal(await page.textContent("#massnahmen-status"), "Maßnahme 2 entfernt.");
    // The minimum stays: the last instance cannot be removed.
    assert.equal(await page.isDisabled("#massnahmen-field [data-item-remove]"), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("checks per instance and across fields with \"Eingaben prüfen\", linked to the first field", async () => {
    const page = await open();
    await fillPlan(page);
    await page.fill("#massnahmen-1-titel", "");
    await page.fill("#finanzierung-1-betrag", "1000");
    await page.click('button[data-action="check"]');
    const summary = await page.locator("#error-summary li a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    assert.deepEqual(summary, [
      ["Maßnahme 1: Bitte füllen Sie „Bezeichnung“ aus.", "#massnahmen-1-titel"],
      ["Die Finanzierung muss die Gesamtkosten genau decken.", "#finanzierung-1-quelle"],
    ]);
    await page.click("#error-summary li:nth-child(2) a");
    assert.equal(await focused(page), "finanzierung-1-quelle");
    await page.fill("#massnahmen-1-titel", "Sprachcafé");
    await page.fill("#finanzierung-1-betrag", "1.335,00");
    await page.click('button[data-action="check"]');
    assert.equal(await page.isVisible("#error-summary"), false);
    assert.match(await page.textContent("#form-notice"), /beantwortet|vollständig/);
    await page.context().close();
  });

  it("keeps rows and groups over a reload and through an answers file, checked against its schema", async () => {
    const page = await open();
    await fillPlan(page);
    await page.click("#massnahmen-field [data-item-add]");
    await page.fill("#massnahmen-2-titel", "Beratung");
    await page.fill("#massnahmen-2-beginn", "2027-01-15");
    const before = await h.formState(page);
    await page.reload();
    assert.deepEqual(await h.formState(page), before);
    assert.equal((await page.textContent("#kosten_gesamt")).trim(), "1.335,00");

    const { data } = await h.exportAnswers(page);
    assert.deepEqual(data.answers.kosten, [
      { position: "Miete", betrag: 1234.5 },
      { position: "Honorare", betrag: 100 },
      { position: "Material", betrag: 0.5 },
    ]);
    assert.deepEqual(data.answers.massnahmen, [{ titel: "Sprachcafé" }, { titel: "Beratung", beginn: "2027-01-15" }]);
    assert.equal(data.answers.kosten_gesamt, 1335);
    assert.equal(data.answers.finanzierung_gesamt, 1335);
    assert.equal(data.answers.eigenanteil, 100);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(site, "finanzplan", "finanzplan.schema.json"), "utf8")));
    assert.ok(validate(data), JSON.stringify(validate.errors));

    page.on("dialog", () => {});
    await page.click('button[data-action="clear"]');
    assert.equal(await page.inputValue("#kosten-1-betrag"), "");
    const text = JSON.stringify(data);
    assert.match(await h.importAnswers(page, "plan.json", text), /geladen/);
    assert.deepEqual(await h.formState(page), before);

    // A computed value edited by hand is calculated again, and the difference reported.
    const edited = { ...data, answers: { ...data.answers, kosten_gesamt: 999 } };
    delete edited.checksum;
    delete edited.format;
    delete edited.format_version;
    const notice = await h.importAnswers(page, "bearbeitet.json", JSON.stringify(edited));
    assert.match(notice, /„Gesamtkosten“: in der Datei steht 999,00 €, berechnet sind 1\.335,00 €/);
    assert.equal((await page.textContent("#kosten_gesamt")).trim(), "1.335,00");
    await page.context().close();
  });

  it("keeps every row typed in two tabs when one saved while the other had not heard of it", async () => {
    const context = await browser.newContext();
    const a = await context.newPage();
    await a.goto(h.fileUrl(site, "finanzplan/index.html"));
    await fillPlan(a);
    const b = await context.newPage();
    // B can be made to stop hearing other tabs, as a tab the browser has frozen.
    await h.canGoDeaf(b);
    await b.goto(h.fileUrl(site, "finanzplan/index.html"));
    assert.equal(await b.inputValue("#kosten-3-position"), "Material");
    await b.evaluate(() => (window.deaf = true));
    // … while A changes the first row's amount, and B then removes the second row and adds one.
    await a.fill("#kosten-1-betrag", "2.000");
    await b.click("#kosten tbody tr:nth-child(2) [data-row-remove]");
    await b.click("#kosten-field [data-row-add]");
    await b.fill("#kosten-5-position", "Fahrtkosten");
    await b.fill("#kosten-5-betrag", "80");
    // Both tabs come to show the rows and amounts of both, in B's order.
    const positions = () =>
      Array.from(document.querySelectorAll("#kosten tbody tr"))
        .map((tr) => tr.querySelector("input").value)
        .filter((v) => v !== "")
        .join(" | ");
    const want = "Miete | Material | Fahrtkosten";
    for (const [name, page] of [["B", b], ["A", a]]) {
      await page
        .waitForFunction(`(${positions})() === ${JSON.stringify(want)}`)
        .catch(async () => assert.fail(`tab ${name} shows ${await page.evaluate(positions)}`));
      assert.equal((await page.textContent("#kosten_gesamt")).trim(), "2.080,50", `total in tab ${name}`);
    }
    await context.close();
  });

  it("loads an older version's file whose rows have fewer columns", async () => {
    const page = await open();
    const older = {
      form: "finanzplan",
      version: "0",
      saved_at: "2026-01-01T10:00:00Z",
      answers: { name: "Stadt Alt", kosten: [{ betrag: 200 }, { betrag: 300.25 }] },
    };
    const notice = await h.importAnswers(page, "alt.json", JSON.stringify(older));
    assert.match(notice, /geladen/);
    assert.equal(await page.inputValue("#kosten-2-betrag"), "300,25");
    assert.equal(await page.inputValue("#kosten-2-position"), "");
    assert.equal((await page.textContent("#kosten-total-betrag")).trim(), "500,25 €");
    await page.context().close();
  });

  it("prints blank with ruled empty rows and filled with the rows given and totals", async () => {
    const page = await open();
    await page.evaluate(() => document.documentElement.classList.add("print-blank"));
    const blank = h.squash(await h.printToText(page, "plan-blank"));
    assert.ok(blank.includes("Kostenplan") && blank.includes("Kostenart") && blank.includes("Betrag (€)"), blank);
    assert.ok(!blank.includes("Eingaben prüfen") && !blank.includes("Zeile hinzufügen"), blank);
    assert.ok(!blank.includes("Die Finanzierung muss"), "checks are printed nowhere");
    await page.evaluate(() => document.documentElement.classList.remove("print-blank"));
    assert.equal(await page.locator("#kosten tbody tr").count(), 5);

    await fillPlan(page);
    const filled = h.squash(await h.printToText(page, "plan-filled"));
    for (const text of ["Miete", "1.234,50", "Honorare", "0,50", "1.335,00 €", "Maßnahme 1", "Sprachcafé", "Land"]) {
      assert.ok(filled.includes(text), `${text} missing: ${filled}`);
    }
    await page.context().close();
  });

  it("computes in the offline copy and prints in the whole document (print-all) as ruled rows", async () => {
    const page = await h.openPage(browser, h.fileUrl(site, "finanzplan/finanzplan-offline.html"));
    await page.fill("#kosten-1-betrag", "1.234,5");
    await page.fill("#kosten-2-betrag", "100");
    await page.fill("#kosten-3-betrag", "0,5");
    assert.equal((await page.textContent("#kosten-total-betrag")).trim(), "1.335,00 €");
    await page.click("#kosten-field [data-row-add]");
    assert.equal(await page.locator("#kosten tbody tr").count(), 6);
    assert.deepEqual(page.errors, []);
    await page.context().close();

    const all = await h.openPage(browser, h.fileUrl(site, "gesamtdokument.html"));
    assert.equal(await all.locator("table.fw-table").first().locator("tbody tr").count(), 5);
    const text = h.squash(await h.printToText(all, "plan-print-all"));
    assert.ok(text.includes("Kostenart") && text.includes("Maßnahme 1") && text.includes("Gesamtkosten"), text);
    assert.ok(!text.includes("Zeile hinzufügen") && !text.includes("entfernen"), text);
    await all.context().close();
  });

  it("shows a table in one inbox cell, computed values recalculated and checks applied", async () => {
    const dir = h.tempDir("formwerk-plan-inbox-");
    const answers = {
      name: "Landkreis Testhausen",
      massnahmen: [{ titel: "Sprachcafé", beginn: "2027-01-15" }],
      kosten: [{ position: "Miete", betrag: 1234.5 }, { betrag: 0.5 }],
      kosten_gesamt: 1235,
      finanzierung: [{ quelle: "Land", betrag: 1235 }],
      finanzierung_gesamt: 1235,
      eigenanteil: 100,
    };
    const write = (name, a) =>
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ form: "finanzplan", version: "1", saved_at: "2026-05-01T10:00:00Z", answers: a }));
    write("gut.json", answers);
    write("bearbeitet.json", { ...answers, kosten_gesamt: 999 });
    write("unterdeckt.json", { ...answers, finanzierung: [{ quelle: "Land", betrag: 1000 }], finanzierung_gesamt: 1000, eigenanteil: 81 });
    const page = await h.openPage(browser, h.fileUrl(site, "finanzplan/finanzplan-posteingang.html"));
    await page.waitForSelector("#drop-zone:not([hidden])");
    await page.setInputFiles("#inbox-input", ["gut.json", "bearbeitet.json", "unterdeckt.json"].map((f) => path.join(dir, f)));
    // The inbox reads in a worker and shows its results as they come: wait for all three.
    await page.waitForFunction(() => document.querySelectorAll("#inbox-file-list tbody tr").length === 3 && !document.querySelector("#inbox-status[data-reading]"));
    const files = await page.$$eval("#inbox-file-list tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    const byFile = Object.fromEntries(files.map((r) => [r[0], r]));
    assert.ok(byFile["gut.json"][4].startsWith("vollständig"), byFile["gut.json"].join(" | "));
    assert.match(byFile["bearbeitet.json"][5], /„Gesamtkosten“: in der Datei steht 999,00 €, berechnet sind 1\.235,00 €/);
    assert.match(byFile["unterdeckt.json"][5], /Die Finanzierung muss die Gesamtkosten genau decken\./);
    const heads = await page.$$eval("#inbox-answers thead tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    const body = await page.$$eval("#inbox-answers tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    const good = body.find((r) => r[0] === "gut.json");
    assert.equal(good[heads[1].indexOf("kosten")], "Kostenart: Miete; Betrag: 1.234,50 €\nBetrag: 0,50 €");
    assert.equal(good[heads[1].indexOf("kosten_gesamt")], "1.235,00 €");
    assert.equal(good[heads[1].indexOf("massnahmen")], "Bezeichnung: Sprachcafé; Beginn: 15.01.2027");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("works without JavaScript: five empty rows that take input, submit by name and print", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await h.openPage(browser, h.fileUrl(site, "finanzplan/index.html"), { context });
    assert.equal(await page.locator("#kosten tbody tr").count(), 5);
    assert.equal(await page.isVisible("#kosten-field [data-row-add]"), false);
    assert.equal(await page.isVisible("#kosten-1-betrag"), true);
    await page.fill("#kosten-5-position", "Ohne Skript");
    await page.fill("#kosten-5-betrag", "42");
    const names = await page.evaluate(() => Array.from(new FormData(document.getElementById("formular")).entries()).filter(([, v]) => v));
    assert.deepEqual(names, [
      ["kosten.5.position", "Ohne Skript"],
      ["kosten.5.betrag", "42"],
    ]);
    const text = h.squash(await h.printToText(page, "plan-noscript"));
    assert.ok(text.includes("Ohne Skript") && text.includes("42"), text);
    await context.close();
  });

  it("has no axe violations and no sideways page scrolling at 320 px", async () => {
    const page = await open({ contextOptions: { viewport: { width: 320, height: 800 } } });
    await fillPlan(page);
    await page.click('button[data-action="check"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    const region = await page.evaluate(() => {
      const r = document.querySelector("#kosten-field .fw-table-scroll");
      return { role: r.getAttribute("role"), tab: r.tabIndex, name: document.getElementById(r.getAttribute("aria-labelledby")).textContent };
    });
    assert.deepEqual(region, { role: "region", tab: 0, name: "Kostenplan (Pflichtfeld)" });
    await page.evaluate(`${AXE}\n;0`);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
    });
    assert.deepEqual(violations, []);
    await page.context().close();
  });
});
