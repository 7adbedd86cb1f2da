// The inbox in Chromium: how long from handing it N answers files (the file picker) until
// every file is listed and the table of all answers is shown, measured in the page
// (performance.now() around the change event until the summary appears). Not a test.
//
// usage: node bench/inbox.mjs [FILES=500] [RUNS=5]
// needs: a build of the bundled site's tools (cargo build), tests/browser/node_modules.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const require = createRequire(path.join(repo, "tests/browser/package.json"));
const { chromium } = require("playwright-core");
const { generate } = await import(pathToFileURL(path.join(repo, "tests/answers/generate.mjs")).href);

const count = Number(process.argv[2] || 500);
const runs = Number(process.argv[3] || 5);
const bin = process.env.FORMWERK || path.join(repo, "target/release/formwerk");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "formwerk-inbox-"));
execFileSync(bin, ["build", "--root", repo, "--output", path.join(work, "site")]);
const manifest = await generate(path.join(work, "site/projektbeschreibung/index.html"), path.join(work, "answers"), { count });
const files = manifest.map((m) => path.join(work, "answers", m.file));
const url = pathToFileURL(path.join(work, "site/projektbeschreibung/projektbeschreibung-posteingang.html")).href;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const times = [];
for (let r = 0; r < runs; r++) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate(() => {
    const input = document.getElementById("inbox-input");
    input.addEventListener("change", () => (window.__start = performance.now()), { capture: true });
    new MutationObserver(() => {
      if (/ Dateien: /.test(document.getElementById("inbox-status").textContent) && !window.__end) {
        window.__end = performance.now();
      }
    }).observe(document.getElementById("inbox-status"), { childList: true, characterData: true, subtree: true });
  });
  await page.setInputFiles("#inbox-input", files);
  await page.waitForFunction(() => window.__end);
  const ms = await page.evaluate(() => window.__end - window.__start);
  const rows = await page.$$eval("#inbox-answers tbody tr", (t) => t.length);
  times.push(ms);
  console.log(`run ${r + 1}: ${files.length} files, ${rows} rows in the table: ${(ms / 1000).toFixed(2)} s`);
  await page.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)} s, max ${(times[times.length - 1] / 1000).toFixed(2)} s`);
fs.rmSync(work, { recursive: true, force: true });
