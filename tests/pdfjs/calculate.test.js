// The computed fields of Formwerk's PDFs recalculated by a real PDF reader's scripting: the
// PDF opened with pdf.js (Firefox's reader) and its own QuickJS sandbox, values typed into
// the fields as a person commits them, and the totals the reader shows compared with what
// `formwerk answers` computes from the same PDF, typed values and all. A second copy holds
// wrong totals: the import calculates them again and never takes them from the file.
//
// Forms: the guide's Kosten- und Finanzierungsplan (docs/formulare.md) and
// rechenprobe.form.toml beside this file (every part of the expression language: a computed
// value using others, round, if, and/or, min/max of a group, a hidden table, a division by
// 0), also filled at random (seeded; PDFJS_SEED=n picks other fillings). Beyond the reader's
// exact range (2^53 millionths, about nine billion) the PDF leaves a value empty, never
// wrong. The bundled Projektbeschreibung has no computed fields. And the expressions of
// tests/vectors/expressions.json, each as a computed field of a form made from that file,
// shown as the vectors say (the same file Rust's evaluator and form-rules.js are checked
// against: tests/vectors.rs).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fill, typeInPdfjs } from "./reader.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = process.env.FORMWERK_BIN || path.join(repo, "target", "debug", "formwerk");
const work = path.join(repo, "target", "pdfjs");
const pages = path.join(repo, "target", "pdf-pages");

/** The valid fixture site with the guide's plan and the Rechenprobe, built. */
function buildSite() {
  const root = path.join(work, "site-src");
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "tests/fixtures/valid"), root, { recursive: true });
  const guide = fs.readFileSync(path.join(repo, "docs/formulare.md"), "utf8");
  const plan = guide.split("### Beispiel: Kosten- und Finanzierungsplan")[1].split("```toml\n")[1].split("```")[0];
  fs.writeFileSync(path.join(root, "content/finanzplan.form.toml"), plan);
  fs.copyFileSync(path.join(here, "rechenprobe.form.toml"), path.join(root, "content/rechenprobe.form.toml"));
  fs.writeFileSync(path.join(root, "content/vektoren.form.toml"), vectorForm().toml);
  execFileSync(binary, ["build", "--root", root], { stdio: "pipe" });
  return root;
}

/** The expression vectors: the cases a form can have (not refused by the build, numbers). */
const vectors = JSON.parse(fs.readFileSync(path.join(repo, "tests/vectors/expressions.json"), "utf8"));
const own = (c, key) => (key in c ? c[key] : vectors[key]);
const pdfCases = vectors.cases
  .map((c, i) => ({ ...c, id: `v${i + 1}` }))
  .filter((c) => !c.refused && typeof c.value !== "boolean" && c.pdf !== null);

/**
 * A form of the expression vectors: a number field per number answer, a table per table of
 * `columns`, the computed fields the cases use, and a computed field per case (its decimals
 * as the case shows them); and what to type into the PDF: the answers, the German way.
 */
function vectorForm() {
  const field = (lines) => `\n[[sections.fields]]\n${lines.join("\n")}\n`;
  let toml = 'title = "Vektoren"\nversion = "1"\n\n[[sections]]\nid = "werte"\ntitle = "Werte"\n';
  const typed = [];
  const german = (n) => (Math.abs(n) >= 1e21 ? String(n) : n.toFixed(6).replace(/\.?0+$/, "").replace(".", ","));
  for (const [id, v] of Object.entries(vectors.answers)) {
    if (typeof v === "number") {
      toml += field([`id = "${id}"`, 'kind = "number"', `label = "${id}"`]);
      typed.push([id, german(v)]);
    }
  }
  for (const [id, columns] of Object.entries(vectors.columns)) {
    const rows = vectors.answers[id] || [];
    const cols = Object.entries(columns).map(([c, kind]) => `{ id = "${c}", kind = "${kind}", label = "${c}" }`);
    toml += field([`id = "${id}"`, 'kind = "table"', `label = "${id}"`, `min_rows = ${Math.max(rows.length, 1)}`, `columns = [${cols.join(", ")}]`]);
    rows.forEach((row, r) => {
      for (const [c, v] of Object.entries(row)) typed.push([`${id}.${r + 1}.${c}`, typeof v === "number" ? german(v) : v]);
    });
  }
  // The computed fields of the file that the cases use, and those they use in turn.
  const used = new Set();
  const uses = (text) => Object.keys(vectors.computed).filter((id) => new RegExp(`\\b${id}\\b`).test(text));
  const queue = pdfCases.flatMap((c) => uses(c.expr));
  while (queue.length) {
    const id = queue.pop();
    if (!used.has(id)) used.add(id), queue.push(...uses(vectors.computed[id]));
  }
  for (const id of used) toml += field([`id = "${id}"`, 'kind = "computed"', `label = "${id}"`, `expr = "${vectors.computed[id]}"`]);
  toml += '\n[[sections]]\nid = "faelle"\ntitle = "Fälle"\n';
  for (const c of pdfCases) {
    const decimals = own(c, "decimals");
    const lines = [`id = "${c.id}"`, 'kind = "computed"', `label = "${c.expr}"`, `expr = "${c.expr}"`];
    if (decimals !== null) lines.push(`decimals = ${decimals}`);
    toml += field(lines);
  }
  return { toml, typed };
}

const root = buildSite();

/** A minimal reader of the CSV `formwerk answers` writes (`;`, quotes, CRLF, BOM). */
function parseCsv(text) {
  const rows = [[]];
  let cell = "";
  let quoted = false;
  text = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") rows.at(-1).push(cell), (cell = "");
    else if (c === "\n") rows.at(-1).push(cell.replace(/\r$/, "")), (cell = ""), rows.push([]);
    else cell += c;
  }
  if (cell !== "" || rows.at(-1).length) rows.at(-1).push(cell);
  return rows.filter((r) => r.length > 1);
}

/** What `formwerk answers` shows for each computed field of `form` read from `pdf`. */
function formwerkAnswers(form, pdf) {
  const csv = pdf + ".csv";
  fs.rmSync(csv, { force: true });
  const run = spawnSync(binary, ["answers", "--root", root, form, pdf, "--csv", csv], { encoding: "utf8" });
  assert.ok(fs.existsSync(csv), `formwerk answers wrote no table: ${run.stderr}${run.stdout}`);
  const [, ids, row] = parseCsv(fs.readFileSync(csv, "utf8"));
  // A cell that starts like a spreadsheet formula ("-778,267") gets an apostrophe before it.
  return Object.fromEntries(ids.map((id, i) => [id, row[i].replace(/^'(?=[-+=@])/, "")]));
}

/** The units beside the computed fields' boxes; the table shows them after the value. */
const units = { kosten_gesamt: "€", finanzierung_gesamt: "€", eigenanteil: "%", honorar: "€", reise_summe: "€", gesamt: "€", anteil: "%" };

const cases = [
  {
    name: "Rechenprobe beyond the reader's exact range (about nine billion): left empty, never wrong",
    form: "rechenprobe",
    typed: { stunden: "123456", satz: "123456" },
    expect: { honorar: "", gesamt: "", anteil: "", probe: "" },
    beyondReader: ["honorar", "gesamt", "anteil"],
  },
  {
    name: "plan with German amounts, thousands, an empty and an unreadable cell",
    form: "finanzplan",
    pageImages: true,
    typed: {
      "kosten.1.betrag": "1.500",
      "kosten.2.betrag": "0,125",
      "kosten.4.betrag": "2.345,67",
      "kosten.5.betrag": "viel",
      "finanzierung.1.betrag": "1.234,56",
      "finanzierung.3.betrag": "1000",
    },
    // An amount has two places: "0,125" (for 125 €?) and "viel" are refused, each with the
    // page's message; the total adds up what was kept.
    expect: { kosten_gesamt: "3.845,67", finanzierung_gesamt: "2.234,56", eigenanteil: "58,1" },
    refused: [
      ["kosten.2.betrag", "0,125", "Bei „Kostenplan, Zeile 2: Betrag“ sind höchstens 2 Nachkommastellen möglich."],
      ["kosten.5.betrag", "viel", "Kostenplan, Zeile 5, Betrag: Bitte eine Zahl eintragen, zum Beispiel 1.234,56."],
    ],
  },
  {
    name: "plan with every amount removed again",
    form: "finanzplan",
    typed: [
      ["kosten.1.betrag", "12"],
      ["kosten.1.betrag", ""],
    ],
    expect: { kosten_gesamt: "0,00", finanzierung_gesamt: "0,00", eigenanteil: "0,0" },
  },
  {
    name: "Rechenprobe: computed values using computed values, travel costs shown",
    form: "rechenprobe",
    preset: { mit_reise: "/true" },
    typed: {
      stunden: "12,5",
      satz: "80",
      "reise.1.betrag": "100",
      "reise.2.betrag": "1.234,5",
      "reise.3.betrag": "0,3",
      "posten.1.menge": "3",
      "posten.2.menge": "-2,5",
    },
    expect: {
      honorar: "1.000,00",
      reise_summe: "1.334,80",
      gesamt: "2.334,80",
      anteil: "57,2",
      spanne: "5,5",
      probe: "-778,267",
    },
  },
  {
    name: "Rechenprobe: a number field typed with a thousands dot, as the import reads it",
    form: "rechenprobe",
    preset: { mit_reise: "/false" },
    typed: { stunden: "2", satz: "1.500" },
    expect: { honorar: "3.000,00", gesamt: "3.000,00", reise_summe: "0,00" },
  },
  {
    name: "Rechenprobe: the hidden table counts nothing, no Posten has no spread",
    form: "rechenprobe",
    preset: { mit_reise: "/false" },
    typed: { satz: "1.234,5", "reise.1.betrag": "100", "posten.1.name": "ohne Menge" },
    expect: { honorar: "0,00", reise_summe: "0,00", gesamt: "0,00", anteil: "0,0", spanne: "", probe: "0,000" },
  },
  {
    name: "Rechenprobe: a division by 0 leaves the field empty",
    form: "rechenprobe",
    typed: { stunden: "2", satz: "1000", "posten.2.menge": "4" },
    expect: { honorar: "2.000,00", reise_summe: "0,00", anteil: "0,0", spanne: "0", probe: "" },
  },
];

for (const [n, c] of cases.entries()) {
  test(`pdf.js calculates as formwerk answers does: ${c.name}`, async () => {
    const blank = path.join(root, "site", c.form, `${c.form}.pdf`);
    const dir = path.join(work, `case-${n + 1}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // Choices are made with another program first; pdf.js reads them when it opens the file.
    const start = path.join(dir, "start.pdf");
    fill(blank, start, c.preset || {});
    const steps = Array.isArray(c.typed) ? c.typed : Object.entries(c.typed);
    const { shown, kept: typed, alerts, calculated } = await typeInPdfjs(start, steps);
    for (const [id, value] of Object.entries(c.expect)) {
      assert.equal(shown[id], value, `pdf.js shows ${id}`);
    }
    // What the reader refuses, it says why, as the form page does; it keeps the rest.
    assert.deepEqual(alerts, c.refused || [], "the values refused, with their messages");
    for (const [name] of c.refused || []) assert.equal(typed[name], "", `pdf.js keeps nothing of ${name}`);
    // The file as the reader saves it: the typed values it kept and its totals.
    const filled = path.join(dir, "filled.pdf");
    const totals = Object.fromEntries(calculated.map((id) => [id, shown[id] ?? ""]));
    fill(start, filled, { ...typed, ...totals });
    const read = formwerkAnswers(c.form, filled);
    for (const id of calculated) {
      const withUnit = shown[id] && units[id] ? `${shown[id]} ${units[id]}` : shown[id] ?? "";
      if (c.beyondReader?.includes(id)) assert.notEqual(read[id], "", `formwerk answers computes ${id}`);
      else assert.equal(withUnit, read[id], `formwerk answers computes ${id} as pdf.js showed it`);
    }
    // A hostile or damaged copy with wrong totals reads the same.
    const forged = path.join(dir, "forged.pdf");
    fill(start, forged, { ...typed, ...Object.fromEntries(calculated.map((id) => [id, "999.999,99 €"])) });
    const again = formwerkAnswers(c.form, forged);
    for (const id of calculated) assert.equal(again[id], read[id], `the stored ${id} is never trusted`);
    // The inbox's reader (pdf-answers.js) calculates the same and trusts no stored total either.
    const page = path.join(root, "site", c.form, "index.html");
    const [inboxFilled, inboxForged] = JSON.parse(
      execFileSync("node", [path.join(repo, "tests/pdf/read_pdf.mjs"), page, filled, forged], { encoding: "utf8" }),
    );
    assert.deepEqual(inboxForged.answers, inboxFilled.answers);
    for (const id of calculated.filter((id) => !c.beyondReader?.includes(id))) {
      const table = read[id].replace(/ (€|%)$/, "").replace(/\./g, "").replace(",", ".");
      assert.equal(inboxFilled.answers[id], table === "" ? undefined : Number(table), `the inbox reads ${id}`);
    }
    if (c.pageImages) {
      fs.mkdirSync(pages, { recursive: true });
      execFileSync("pdftoppm", ["-png", "-r", "60", filled, path.join(pages, `${c.form}-pdfjs-calculated`)]);
    }
  });
}

test("pdf.js shows the expression vectors as tests/vectors/expressions.json says", async () => {
  const { shown } = await typeInPdfjs(path.join(root, "site", "vektoren", "vektoren.pdf"), vectorForm().typed);
  const wrong = [];
  for (const c of pdfCases) {
    const unit = own(c, "unit");
    const want = "pdf" in c ? c.pdf : c.value === null ? "" : unit ? c.german.slice(0, -(unit.length + 1)) : c.german;
    const got = shown[c.id] ?? "";
    if (got !== want) wrong.push(`${c.expr}: pdf.js shows ${JSON.stringify(got)}, the vector says ${JSON.stringify(want)}`);
  }
  assert.deepEqual(wrong, [], `of ${pdfCases.length} expressions`);
});

test("a blank PDF opened in pdf.js runs its scripts without a message or an error", async () => {
  const { messages } = await typeInPdfjs(path.join(root, "site", "finanzplan", "finanzplan.pdf"), []);
  assert.deepEqual(
    messages.filter((m) => m.command),
    [],
  );
});

/** A small seeded generator, so that a failure can be run again. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test("pdf.js and formwerk answers agree on 24 random fillings of the Rechenprobe", async () => {
  const next = random(Number(process.env.PDFJS_SEED || 14));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const typings = [
    "",
    "",
    "0",
    "7",
    "-3",
    "1.500",
    "12.345.678,9",
    "0,125",
    "0,005",
    "-0,005",
    "2,5",
    "99,995",
    "1234.5",
    "1.234,56",
    "123456",
    "1,",
    "abc",
    "0,000001",
    "-12.345,67",
    "95.000",
  ];
  const blank = path.join(root, "site", "rechenprobe", "rechenprobe.pdf");
  const dir = path.join(work, "random");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const shownBy = {};
  for (let n = 1; n <= 24; n++) {
    const start = path.join(dir, `start-${n}.pdf`);
    fill(blank, start, { mit_reise: pick(["/true", "/false", "/true"]) });
    // Hours times rate stays within the reader's exact range (about nine billion).
    const factor = () => pick(typings.filter((t) => !/12\.345\.678|123456/.test(t)));
    const typed = [
      ["stunden", factor()],
      ["satz", factor()],
      ...[1, 2, 3].map((r) => [`reise.${r}.betrag`, pick(typings)]),
      ...[1, 2].map((r) => [`posten.${r}.menge`, pick(typings)]),
    ];
    const { shown, kept, calculated } = await typeInPdfjs(start, typed);
    const totals = Object.fromEntries(calculated.map((id) => [id, shown[id] ?? ""]));
    const file = path.join(dir, `filled-${n}.pdf`);
    // Saved as the reader keeps it: a refused value is not in the file.
    fill(start, file, { ...kept, ...totals });
    fs.rmSync(start);
    shownBy[file] = { shown: totals, typed };
  }
  const csv = path.join(dir, "table.csv");
  spawnSync(binary, ["answers", "--root", root, "rechenprobe", dir, "--csv", csv], { encoding: "utf8" });
  const [, ids, ...rows] = parseCsv(fs.readFileSync(csv, "utf8"));
  assert.equal(rows.length, 24);
  for (const row of rows) {
    const read = Object.fromEntries(ids.map((id, i) => [id, row[i].replace(/^'(?=[-+=@])/, "")]));
    const { shown, typed } = shownBy[read.file];
    for (const [id, value] of Object.entries(shown)) {
      const withUnit = value && units[id] ? `${value} ${units[id]}` : value;
      assert.equal(withUnit, read[id], `${id} for ${JSON.stringify(typed)}`);
    }
  }
});
