// The inbox in Chromium: how long from handing it N answers files (the file picker) until
// every file is listed with its status, the summary is shown and the table of answers has
// its first rows ("shown": performance.now() from the change event until the frame after
// the summary appeared is drawn), and until the table of answers has every row ("whole
// table": it fills while the page is idle and is aria-busy until its last row is in; the
// frame after that). Measured in the page. Not a test.
// Issue 28's budgets: 500 answers files ≤ 1 s; 500 encrypted ones ≤ 5 s.
//
// usage: node bench/inbox.mjs [--encrypted] [FILES=500] [RUNS=5] [WORK_DIR]
//   --encrypted  the files as the page's encrypted submissions (.jwe) of the bundled form with
//                `[submission] encrypt_to` (bench/encrypted_site.sh); each run gives the inbox
//                the key file and its passphrase first, waits until the key is open (600,000
//                rounds of PBKDF2, timed and printed apart), then hands it the files.
// needs: a release build (cargo build --release), tests/browser/node_modules.
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

const args = process.argv.slice(2);
const encrypted = args.includes("--encrypted");
const [countArg, runsArg, workArg] = args.filter((a) => !a.startsWith("--"));
const count = Number(countArg || 500);
const runs = Number(runsArg || 5);
const bin = process.env.FORMWERK || path.join(repo, "target/release/formwerk");
const work = workArg || fs.mkdtempSync(path.join(os.tmpdir(), "formwerk-inbox-"));
fs.mkdirSync(work, { recursive: true });

let site;
let keyFile;
let passphrase;
if (encrypted) {
  keyFile = execFileSync(path.join(here, "encrypted_site.sh"), [work], { env: { ...process.env, FORMWERK: bin } })
    .toString()
    .trim();
  passphrase = fs.readFileSync(path.join(work, "enc", "passphrase"), "utf8").split("\n")[0];
  site = path.join(work, "enc", "root", "site");
} else {
  site = path.join(work, "site");
  fs.rmSync(site, { recursive: true, force: true });
  execFileSync(bin, ["build", "--root", repo, "--output", site]);
}
const answersDir = path.join(work, encrypted ? "inbox-encrypted" : "inbox-plain");
const manifest = await generate(path.join(site, "projektbeschreibung/index.html"), answersDir, { count, encrypted });
const files = manifest.map((m) => path.join(answersDir, m.file));
const url = pathToFileURL(path.join(site, "projektbeschreibung/projektbeschreibung-posteingang.html")).href;

const git = (...a) => execFileSync("git", ["-C", repo, ...a]).toString().trim();
console.log(`date: ${new Date().toISOString()}`);
console.log(`commit: ${git("rev-parse", "--short", "HEAD")}`);
console.log(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0].model}`);
console.log(`${files.length} ${encrypted ? "encrypted (.jwe)" : "plain"} answers files, ${(files.reduce((s, f) => s + fs.statSync(f).size, 0) / 1e6).toFixed(1)} MB`);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const times = [];
const wholeTimes = [];
for (let r = 0; r < runs; r++) {
  const page = await browser.newPage();
  await page.goto(url);
  let keyNote = "";
  if (encrypted) {
    const started = Date.now();
    await page.setInputFiles("#inbox-key-file", keyFile);
    await page.fill("#inbox-key-passphrase", passphrase);
    await page.locator("#inbox-key-passphrase").dispatchEvent("change");
    await page.waitForFunction(() => /ist geöffnet/.test(document.getElementById("inbox-key-status").textContent));
    keyNote = `, key opened in ${((Date.now() - started) / 1000).toFixed(2)} s before`;
  }
  await page.evaluate(() => {
    const input = document.getElementById("inbox-input");
    input.addEventListener("change", () => (window.__start = performance.now()), { capture: true });
    // Shown: the frame after the summary appeared has been drawn (its style, layout and
    // paint done), whether the page laid the tables out before or leaves that to the frame.
    new MutationObserver(() => {
      if (/ Dateien: /.test(document.getElementById("inbox-status").textContent) && !window.__summary) {
        window.__summary = performance.now();
        requestAnimationFrame(() =>
          setTimeout(() => {
            window.__end = performance.now();
            // A table drawn whole at once (no aria-busy: as before 0.3) is whole when shown.
            if (!window.__whole && !document.getElementById("inbox-answers").hasAttribute("aria-busy")) {
              window.__whole = window.__summary;
              window.__wholeEnd = window.__end;
            }
          })
        );
      }
    }).observe(document.getElementById("inbox-status"), { childList: true, characterData: true, subtree: true });
    // Whole: the table of answers has its last row (it fills while the page is idle, and is
    // aria-busy until then), and the frame after that is drawn.
    new MutationObserver(() => {
      if (window.__summary && !document.getElementById("inbox-answers").hasAttribute("aria-busy") && !window.__whole) {
        window.__whole = performance.now();
        requestAnimationFrame(() => setTimeout(() => (window.__wholeEnd = performance.now())));
      }
    }).observe(document.getElementById("inbox-answers"), { attributes: true, attributeFilter: ["aria-busy"] });
  });
  const load = os.loadavg()[0].toFixed(2);
  await page.setInputFiles("#inbox-input", files);
  await page.waitForFunction(() => window.__end && window.__wholeEnd, null, { timeout: 600_000 });
  const [ms, whole] = await page.evaluate(() => [window.__end - window.__start, window.__wholeEnd - window.__start]);
  const rows = await page.$$eval("#inbox-answers tbody tr", (t) => t.length);
  const summary = await page.textContent("#inbox-status");
  times.push(ms);
  wholeTimes.push(whole);
  console.log(
    `run ${r + 1}: ${files.length} files: shown ${(ms / 1000).toFixed(2)} s, whole table (${rows} rows) ${(whole / 1000).toFixed(2)} s (load ${load}${keyNote})`
  );
  if (r === 0) console.log(`  ${summary}`);
  await page.close();
}
await browser.close();
const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(
  `median shown ${(median(times) / 1000).toFixed(2)} s (max ${(Math.max(...times) / 1000).toFixed(2)} s), ` +
    `whole table ${(median(wholeTimes) / 1000).toFixed(2)} s (max ${(Math.max(...wholeTimes) / 1000).toFixed(2)} s)`
);
if (!workArg) fs.rmSync(work, { recursive: true, force: true });
