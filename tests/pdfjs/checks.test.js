// What the fillable PDF checks while it is filled in, in pdf.js's own scripting sandbox
// (Firefox's reader): the checks of the form page (form-rules.js) with its messages (the
// theme's strings). An amount refuses letters and shows "1.234,50" right-aligned, min and
// max and the places are kept, a date must be in the calendar, e-mail and telephone have
// their form, totals add up formatted amounts, the [[checks]] are listed in the check
// area, and printing names the required fields left empty. Form: pruefprobe.form.toml.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { CHECKS, typeInPdfjs } from "./reader.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = process.env.FORMWERK_BIN || path.join(repo, "target", "debug", "formwerk");

/** The valid fixture site with the Prüfprobe, built; the path of its PDF. */
function buildPdf() {
  const root = path.join(repo, "target", "pdfjs", "checks-src");
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "tests/fixtures/valid"), root, { recursive: true });
  fs.copyFileSync(path.join(here, "pruefprobe.form.toml"), path.join(root, "content/pruefprobe.form.toml"));
  execFileSync(binary, ["build", "--root", root], { stdio: "pipe" });
  return path.join(root, "site", "pruefprobe", "pruefprobe.pdf");
}

const pdf = buildPdf();

test("an amount refuses letters, says why, and shows the German way", async () => {
  const { shown, kept, alerts, letIn } = await typeInPdfjs(
    pdf,
    [
      ["betrag", "abc"],
      ["personen", "-5"],
      ["betrag", "12,345"],
      ["betrag", "300000"],
      ["personen", "13"],
      ["personen", "3"],
      ["betrag", "1234,5"],
    ],
    [
      ["betrag", "a"],
      ["betrag", "7"],
      ["betrag", ","],
      ["beginn", "x"],
      ["beginn", "3"],
      ["telefon", "q"],
      ["telefon", "+"],
    ],
  );
  assert.deepEqual(letIn, [
    ["betrag", "a", false],
    ["betrag", "7", true],
    ["betrag", ",", true],
    ["beginn", "x", false],
    ["beginn", "3", true],
    ["telefon", "q", false],
    ["telefon", "+", true],
  ]);
  assert.deepEqual(alerts, [
    ["betrag", "abc", "Bei „Beantragter Betrag“ muss eine Zahl stehen."],
    ["personen", "-5", "Bei „Personen“ muss die Zahl mindestens 1 sein."],
    ["betrag", "12,345", "Bei „Beantragter Betrag“ sind höchstens 2 Nachkommastellen möglich."],
    ["betrag", "300000", "Bei „Beantragter Betrag“ darf die Zahl höchstens 250.000 sein."],
    ["personen", "13", "Bei „Personen“ darf die Zahl höchstens 12 sein."],
  ]);
  assert.equal(shown.betrag, "1.234,50", "the amount as pdf.js shows it (the € stands beside the box)");
  assert.equal(shown.personen, "3");
  assert.equal(kept.betrag, "1234,5");
});

test("a date must be in the calendar and is written TT.MM.JJJJ", async () => {
  const { shown, alerts } = await typeInPdfjs(pdf, [
    ["beginn", "31.02.2026"],
    ["beginn", "29.02.2026"],
    ["beginn", "2026-13-01"],
    ["beginn", "29.02.2028"],
  ]);
  const msg = "Bei „Beginn“ muss ein gültiges Datum stehen.";
  assert.deepEqual(alerts, [
    ["beginn", "31.02.2026", msg],
    ["beginn", "29.02.2026", msg],
    ["beginn", "2026-13-01", msg],
  ]);
  assert.equal(shown.beginn, "29.02.2028", "a leap day of a leap year");
  const again = await typeInPdfjs(pdf, [["beginn", "1.3.2026"]]);
  assert.deepEqual(again.alerts, []);
  assert.equal(again.shown.beginn, "01.03.2026");
});

test("e-mail addresses and telephone numbers are checked as on the page", async () => {
  const { shown, alerts } = await typeInPdfjs(pdf, [
    ["mail", "name@"],
    ["mail", "name@beispiel.de"],
    ["telefon", "12"],
    ["telefon", "+49 (30) 1234-5"],
  ]);
  assert.deepEqual(alerts, [
    ["mail", "name@", "Bei „E-Mail“ muss eine E-Mail-Adresse stehen, zum Beispiel name@beispiel.de."],
    ["telefon", "12", "Bei „Telefon“ muss eine Telefonnummer stehen: Ziffern, dazu nur Leerzeichen, +, -, / und Klammern."],
  ]);
  assert.equal(shown.mail, "name@beispiel.de");
  assert.equal(shown.telefon, "+49 (30) 1234-5");
});

test("totals add up formatted amounts, and the check area says when the rule fails", async () => {
  const typed = [
    ["kosten.1.betrag", "1.234,56"],
    ["kosten.2.betrag", "100"],
    ["betrag", "1000"],
  ];
  const first = await typeInPdfjs(pdf, typed);
  assert.equal(first.shown["kosten.1.betrag"], "1.234,56");
  assert.equal(first.shown["kosten.2.betrag"], "100,00");
  assert.equal(first.shown.kosten_gesamt, "1.334,56");
  assert.equal(first.shown[CHECKS], "Förderbetrag und Kosten stimmen nicht überein.");
  const fixed = await typeInPdfjs(pdf, [...typed, ["betrag", "1.334,56"]]);
  assert.equal(fixed.shown.betrag, "1.334,56");
  assert.equal(fixed.shown[CHECKS], "", "nothing to say once the rule holds");
  assert.deepEqual(fixed.alerts, []);
});

test("printing names the required fields left empty and the failed checks", async () => {
  const { alerts } = await typeInPdfjs(pdf, [["betrag", "5"]], [], ["WillPrint"]);
  assert.deepEqual(alerts, [
    [
      "doc",
      "WillPrint",
      [
        "Bitte prüfen Sie Ihre Eingaben",
        "",
        "Bitte füllen Sie „Bezeichnung“ aus.",
        "Bitte füllen Sie „Beginn“ aus.",
        "Maßnahme 1: Bitte füllen Sie „Titel“ aus.",
        "Förderbetrag und Kosten stimmen nicht überein.",
      ].join("\n"),
    ],
  ]);
  const done = await typeInPdfjs(
    pdf,
    [
      ["bezeichnung", "Dorfladen"],
      ["beginn", "01.03.2026"],
      ["massnahmen.1.titel", "Laden"],
      ["kosten.1.betrag", "5"],
      ["betrag", "5,00"],
    ],
    [],
    ["WillPrint"],
  );
  assert.deepEqual(done.alerts, [], "nothing to say when all is filled and fits");
});
