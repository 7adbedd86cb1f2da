// The kinds table of form-rules.js (each kind an answer shape) without a page: what fits a
// table, group and computed field, what is wrong with a group's answer, how answers files
// are placed and computed values recalculated. German numbers and expressions are checked
// against tests/vectors/ (german-numbers.json, expressions.json), with Rust's side too
// (tests/vectors.rs).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import * as h from "./helpers.js";

// The script as the page runs it: it sets window.FormwerkRules.
globalThis.window = {};
new Function(fs.readFileSync(path.join(h.repo, "crates/render/theme/static/form-rules.js"), "utf8"))();
const R = globalThis.window.FormwerkRules;
const N = R.numbers;
const S = Object.fromEntries(
  fs
    .readFileSync(path.join(h.repo, "crates/render/theme/i18n/de.toml"), "utf8")
    .split("\n")
    .map((l) => /^(\w+) = "(.*)"$/.exec(l))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);

const kosten = {
  id: "kosten",
  kind: "table",
  label: "Kostenplan",
  max_items: 3,
  min_items: 1,
  columns: [
    { id: "position", kind: "text", label: "Kostenart" },
    { id: "betrag", kind: "number", label: "Betrag", decimals: 2, unit: "€" },
    { id: "datum", kind: "date", label: "Datum" },
  ],
};
const massnahmen = {
  id: "massnahmen",
  kind: "group",
  label: "Maßnahme",
  min_items: 1,
  max_items: 10,
  columns: [
    { id: "titel", kind: "text", label: "Bezeichnung", required: true },
    { id: "ziel", kind: "textarea", label: "Ziel" },
  ],
};
const gesamt = { id: "gesamt", kind: "computed", label: "Gesamtkosten", decimals: 2, unit: "€", expr: { fn: "sum", args: [{ col: ["kosten", "betrag"] }] } };
const model = {
  fields: [kosten, massnahmen, gesamt],
  checks: [{ rule: { op: ">", a: { ref: "gesamt" }, b: { num: "0" } }, message: "Es muss Kosten geben.", fields: ["gesamt"] }],
};
const byId = R.index(model);

describe("the kinds table covers the form model", () => {
  // The kinds as the Rust loader declares them (schemas/form.schema.json, kept current by
  // tests/toml_schema.rs): a new kind without its entry here fails now, not on a page.
  const schema = JSON.parse(fs.readFileSync(path.join(h.repo, "schemas/form.schema.json"), "utf8"));
  const kinds = schema.$defs.FieldFile.properties.kind.enum.filter((k) => k !== "info");

  it("gives every field kind the loader knows an answer shape with read, write, fits and controls", () => {
    const table = R.controls(null).kinds;
    assert.deepEqual(Object.keys(table).sort(), [...kinds].sort());
    for (const k of kinds) {
      assert.equal(typeof R.shapeOf(k), "string", `${k} has an answer shape`);
      assert.equal(table[k].shape, R.shapeOf(k), k);
      for (const part of ["read", "write", "fits", "controls"]) {
        assert.equal(typeof table[k][part], "function", `${k} (shape ${R.shapeOf(k)}).${part}`);
      }
    }
    assert.equal(R.shapeOf("info"), undefined, "info asks nothing");
    assert.equal(R.shapeOf("constructor"), undefined);
  });

  it("has a reader of its PDF fields in the inbox's pdf-answers.js for every kind's shape", () => {
    new Function(fs.readFileSync(path.join(h.repo, "crates/render/theme/static/pdf-file.js"), "utf8"))();
    new Function(fs.readFileSync(path.join(h.repo, "crates/render/theme/static/pdf-answers.js"), "utf8"))();
    const readers = globalThis.window.FormwerkPdf.readers;
    // One reader per answer shape, none for a shape no kind has.
    const shapes = [...new Set(kinds.map((k) => R.shapeOf(k)))].sort();
    assert.deepEqual(Object.keys(readers).sort(), shapes);
    for (const k of kinds) {
      assert.equal(typeof readers[R.shapeOf(k)], "function", k);
    }
  });
});

describe("how a problem names an answer", () => {
  it("names a question by its label and key, a cell by table, row and column, as formwerk answers does", () => {
    assert.equal(R.describe(byId, "gesamt", S), "Gesamtkosten (gesamt)");
    assert.equal(R.describe(byId, "kosten.1.betrag", S), "Kostenplan, Zeile 1: Betrag (kosten.1.betrag)");
    assert.equal(R.describe(byId, "unbekannt.1.x", S), "unbekannt.1.x");
    // The message quotes it once.
    assert.equal(
      R.fmt(S.unplaced_invalid, { field: R.describe(byId, "kosten.2.betrag", S) }),
      "„Kostenplan, Zeile 2: Betrag (kosten.2.betrag)“: die Antwort passt nicht zu dieser Frage",
    );
  });
});

describe("the kinds table: tables, groups, computed values", () => {
  it("says which values fit", () => {
    assert.equal(R.fits(kosten, [{ position: "Miete", betrag: 1200 }, { datum: "2026-01-31" }]), true);
    assert.equal(R.fits(kosten, [{ betrag: 1 }]), true, "an older version's rows with fewer columns");
    assert.equal(R.fits(kosten, [{ betrag: "1200" }]), false, "a number as text");
    assert.equal(R.fits(kosten, [{ unbekannt: "x" }]), false, "a column the table does not have");
    assert.equal(R.fits(kosten, [{ datum: "31.01.2026" }]), false);
    assert.equal(R.fits(kosten, [{}, {}, {}, {}]), false, "more rows than max_rows");
    assert.equal(R.fits(kosten, { betrag: 1 }), false);
    assert.equal(R.fits(kosten, [null]), false);
    assert.equal(R.fits(massnahmen, [{ titel: "A", ziel: "B" }]), true);
    assert.equal(R.fits(gesamt, 1335), true);
    assert.equal(R.fits(gesamt, "1335"), false);
  });

  it("checks required fields per instance of a group", () => {
    assert.equal(R.problem(massnahmen, [{ titel: "A" }, { ziel: "ohne Titel" }], S), "Maßnahme 2: Bitte füllen Sie „Bezeichnung“ aus.");
    assert.equal(R.problem(massnahmen, undefined, S), "Maßnahme 1: Bitte füllen Sie „Bezeichnung“ aus.");
    assert.equal(R.problem(massnahmen, [{ titel: "A" }], S), null);
    const plan = { ...kosten, columns: kosten.columns.map((c) => ({ ...c, required: c.id === "betrag" })) };
    assert.equal(R.problem(plan, [{ betrag: 1 }, { position: "Miete" }], S), "Kostenplan, Zeile 2: Bitte füllen Sie „Betrag“ aus.");
    assert.equal(R.problem(plan, undefined, S), null, "an empty table that is not required");
  });

  it("places answers files and recalculates computed values", () => {
    const placed = R.place(byId, { kosten: [{ betrag: 1234.5 }, { betrag: 100.5 }], gesamt: 1335 }, S);
    assert.deepEqual(Object.keys(placed.placed), ["kosten", "gesamt"]);
    assert.deepEqual(R.recompute(byId, placed.placed, S), []);
    assert.deepEqual(R.recompute(byId, { kosten: [{ betrag: 1 }], gesamt: 2 }, S), [
      "„Gesamtkosten“: in der Datei steht 2,00 €, berechnet sind 1,00 €; es gilt der berechnete Wert",
    ]);
    assert.deepEqual(
      R.failedChecks(model, N.answersEnv(byId, {})).map((c) => c.message),
      ["Es muss Kosten geben."],
    );
    assert.deepEqual(R.failedChecks(model, N.answersEnv(byId, { kosten: [{ betrag: 0.01 }] })), []);
  });
});
