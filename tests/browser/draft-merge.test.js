// The three-way merge of drafts (crates/render/theme/static/draft-merge.js), run in node as the
// form page runs it: two tabs that changed different rows, cells, or removed and added rows
// of a table since they last agreed keep everything either typed.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { repo } from "./helpers.js";

await import(path.join(repo, "crates/render/theme/static/draft-merge.js"));
const { merge, withKeys } = globalThis.FormwerkDraftMerge;
const ROWS = { kosten: 200 };

/** A state with the table `kosten` as [key, {cells}] pairs and other answers. */
function state(rows, answers = {}) {
  const out = { answers: { ...answers }, rows: {} };
  if (rows.length) {
    out.answers.kosten = rows.map(([, v]) => v);
    out.rows.kosten = rows.map(([k]) => k);
  }
  return out;
}

const base = state(
  [
    ["a", { art: "Personal", betrag: 1000 }],
    ["b", { art: "Miete", betrag: 200 }],
    ["c", { art: "Reisen", betrag: 50 }],
  ],
  { name: "Stadt" },
);

describe("merging drafts of two tabs", () => {
  it("keeps edits of different rows made in each tab", () => {
    const theirs = state([
      ["a", { art: "Personal", betrag: 1100 }],
      ["b", { art: "Miete", betrag: 200 }],
      ["c", { art: "Reisen", betrag: 50 }],
    ], { name: "Stadt" });
    const mine = state([
      ["a", { art: "Personal", betrag: 1000 }],
      ["b", { art: "Miete", betrag: 200 }],
      ["c", { art: "Reisen und Fahrten", betrag: 50 }],
    ], { name: "Stadt" });
    const out = merge(theirs, base, mine, ROWS);
    assert.deepEqual(out.answers.kosten, [
      { art: "Personal", betrag: 1100 },
      { art: "Miete", betrag: 200 },
      { art: "Reisen und Fahrten", betrag: 50 },
    ]);
    assert.deepEqual(out.rows.kosten, ["a", "b", "c"]);
  });

  it("keeps edits of different cells of one row; the same cell takes this tab's edit", () => {
    const theirs = state([["a", { art: "Personal (TV-L)", betrag: 1000 }], ["b", { art: "Miete", betrag: 300 }], ["c", { art: "Reisen", betrag: 50 }]]);
    const mine = state([["a", { art: "Personal", betrag: 1200 }], ["b", { art: "Miete", betrag: 250 }], ["c", { art: "Reisen", betrag: 50 }]]);
    const out = merge(theirs, base, mine, ROWS);
    assert.deepEqual(out.answers.kosten.slice(0, 2), [
      { art: "Personal (TV-L)", betrag: 1200 },
      { art: "Miete", betrag: 250 },
    ]);
  });

  it("puts a row added here after the row it follows here, beside their edits", () => {
    const theirs = state([["a", { art: "Personal", betrag: 1000 }], ["b", { art: "Miete", betrag: 222 }], ["c", { art: "Reisen", betrag: 50 }]]);
    const mine = state([
      ["a", { art: "Personal", betrag: 1000 }],
      ["x-1", { art: "Honorare", betrag: 70 }],
      ["b", { art: "Miete", betrag: 200 }],
      ["c", { art: "Reisen", betrag: 50 }],
    ]);
    const out = merge(theirs, base, mine, ROWS);
    assert.deepEqual(out.rows.kosten, ["a", "x-1", "b", "c"]);
    assert.deepEqual(out.answers.kosten[2], { art: "Miete", betrag: 222 });
  });

  it("keeps rows both tabs added", () => {
    const theirs = state([...rowsOf(base), ["y-1", { art: "Druck", betrag: 5 }]]);
    const mine = state([...rowsOf(base), ["x-1", { art: "Honorare", betrag: 70 }]]);
    const out = merge(theirs, base, mine, ROWS);
    assert.deepEqual(out.rows.kosten, ["a", "b", "c", "x-1", "y-1"]);
    assert.deepEqual(out.answers.kosten.slice(3), [{ art: "Honorare", betrag: 70 }, { art: "Druck", betrag: 5 }]);
  });

  it("removes a row removed in either tab that the other left alone", () => {
    const theirs = state([["a", { art: "Personal", betrag: 1000 }], ["c", { art: "Reisen", betrag: 50 }]]);
    const mine = state([["a", { art: "Personal", betrag: 1000 }], ["b", { art: "Miete", betrag: 200 }], ["c", { art: "Reisen", betrag: 55 }]]);
    assert.deepEqual(merge(theirs, base, mine, ROWS).answers.kosten, [
      { art: "Personal", betrag: 1000 },
      { art: "Reisen", betrag: 55 },
    ]);
    // The other way round: removed here, edited elsewhere in another row.
    const out = merge(mine, base, theirs, ROWS);
    assert.deepEqual(out.rows.kosten, ["a", "c"]);
  });

  it("keeps a row one tab changed while the other removed it", () => {
    const removed = state([["a", { art: "Personal", betrag: 1000 }], ["c", { art: "Reisen", betrag: 50 }]]);
    const changed = state([["a", { art: "Personal", betrag: 1000 }], ["b", { art: "Miete", betrag: 260 }], ["c", { art: "Reisen", betrag: 50 }]]);
    for (const [theirs, mine] of [[removed, changed], [changed, removed]]) {
      const out = merge(theirs, base, mine, ROWS);
      assert.deepEqual(out.answers.kosten, changed.answers.kosten);
    }
  });

  it("merges ordinary answers as before: this tab's changes over theirs", () => {
    const theirs = state(rowsOf(base), { name: "Stadt", telefon: "0511" });
    const mine = state(rowsOf(base), { name: "Stadt Neu" });
    assert.deepEqual(merge(theirs, base, mine, ROWS).answers, { ...theirs.answers, name: "Stadt Neu" });
    const cleared = state(rowsOf(base), {});
    assert.equal(merge(theirs, base, cleared, ROWS).answers.name, undefined);
  });

  it("drops the table when every row is gone, and caps rows at the form's most", () => {
    const none = state([], { name: "Stadt" });
    const out = merge(none, base, base, ROWS);
    assert.equal(out.answers.kosten, undefined);
    assert.equal(out.rows.kosten, undefined);
    const theirs = state([...rowsOf(base), ["y-1", { betrag: 1 }]]);
    const mine = state([...rowsOf(base), ["x-1", { betrag: 2 }]]);
    assert.equal(merge(theirs, base, mine, { kosten: 4 }).answers.kosten.length, 4);
  });

  it("gives drafts without row keys the same positional keys in every tab", () => {
    const old = { answers: { kosten: [{ betrag: 1 }, { betrag: 2 }] } };
    assert.deepEqual(withKeys(old, ROWS).rows, { kosten: ["#0", "#1"] });
    // Keys that do not fit (wrong count, repeated, not strings) are replaced the same way.
    for (const rows of [{ kosten: ["a"] }, { kosten: ["a", "a"] }, { kosten: [1, 2] }, "x", null]) {
      assert.deepEqual(withKeys({ ...old, rows }, ROWS).rows, { kosten: ["#0", "#1"] });
    }
    const theirs = { answers: { kosten: [{ betrag: 10 }, { betrag: 2 }] } };
    const mine = { answers: { kosten: [{ betrag: 1 }, { betrag: 20 }] } };
    const out = merge(withKeys(theirs, ROWS), withKeys(old, ROWS), withKeys(mine, ROWS), ROWS);
    assert.deepEqual(out.answers.kosten, [{ betrag: 10 }, { betrag: 20 }]);
  });

  it("keeps the options ticked and unticked in each tab of a multiple choice", () => {
    const LISTS = { felder: "set" };
    const was = { answers: { felder: ["sprache"] }, rows: {} };
    const theirs = { answers: { felder: ["sprache", "arbeit"] }, rows: {} };
    const mine = { answers: { felder: ["sprache", "wohnen"] }, rows: {} };
    assert.deepEqual(merge(theirs, was, mine, ROWS, LISTS).answers.felder, ["sprache", "arbeit", "wohnen"]);
    // Unticked here while they ticked another: theirs stays, mine goes.
    const unticked = { answers: {}, rows: {} };
    assert.deepEqual(merge(theirs, was, unticked, ROWS, LISTS).answers.felder, ["arbeit"]);
    // Unticked in both: nothing is left, and the answer goes.
    assert.equal(merge(unticked, was, unticked, ROWS, LISTS).answers.felder, undefined);
    // Ticked first in this tab, when the other had none.
    assert.deepEqual(merge(unticked, unticked, was, ROWS, LISTS).answers.felder, ["sprache"]);
  });

  it("keeps the lines written in each tab of an entry list", () => {
    const LISTS = { relevant: "lines" };
    const was = { answers: {}, rows: {} };
    const theirs = { answers: { relevant: ["Sprache", "", ""] }, rows: {} };
    const mine = { answers: { relevant: ["", "Wohnen", ""] }, rows: {} };
    assert.deepEqual(merge(theirs, was, mine, ROWS, LISTS).answers.relevant, ["Sprache", "Wohnen", ""]);
    // The same line changed in both: mine, the later edit, wins; theirs elsewhere stays.
    const both = { answers: { relevant: ["Sprachkurse", "Wohnen", ""] }, rows: {} };
    assert.deepEqual(merge(theirs, was, both, ROWS, LISTS).answers.relevant, ["Sprachkurse", "Wohnen", ""]);
    // Emptied here what they never touched: gone.
    assert.equal(merge(theirs, theirs, was, ROWS, LISTS).answers.relevant, undefined);
  });
});

function rowsOf(s) {
  return s.answers.kosten.map((v, i) => [s.rows.kosten[i], v]);
}
