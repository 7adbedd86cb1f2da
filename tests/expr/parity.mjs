// Evaluates expression trees (as the build hands them to the page) with form-rules.js, for the
// parity test in tests/tables.rs: reads [{tree, answers, computed}] on stdin, writes the
// results as strings ("plain|german" for numbers, "true"/"false", "–" for no value).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, "../../themes/default/static/form-rules.js"), "utf8");
const sandbox = { window: {}, BigInt };
vm.runInNewContext(source, sandbox);
const N = sandbox.window.FormwerkRules.numbers;

const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const out = cases.map((c) => {
  const byId = {};
  for (const [id, tree] of Object.entries(c.computed)) byId[id] = { kind: "computed", expr: tree };
  const v = N.evaluate(c.tree, N.answersEnv(byId, c.answers));
  if (!v) return "–";
  if (v.bool !== undefined) return String(v.bool);
  if (v.num !== undefined) return `${N.plain(v.num)}|${N.german(v.num, 2, "€")}`;
  return "list";
});
process.stdout.write(JSON.stringify(out));
