// A 10 MB attachment in Chromium, on the attachments fixture (tests/fixtures/attachments) with
// `[submission] encrypt_to` (the key pair of bench/encrypted_site.sh). Measured in the page,
// per run in a fresh browser context (empty IndexedDB and localStorage). Not a test.
// Issue 28's budget: each ≤ 1 s.
//
//   saved into the draft: from the file picker's change event until the draft (localStorage)
//     names the file: read, hashed (SHA-256), its bytes stored in IndexedDB, the draft written;
//   encrypted: from the click on "Verschlüsselt für die Einreichung speichern" until the page
//     has handed the .jwe (answers file with the attachment as base64, encrypted with Web
//     Crypto) to the download and says so. The first run's .jwe is opened with
//     `formwerk answers --key --attachments` and the attachment compared byte for byte.
//
// usage: node bench/attachment.mjs [RUNS=5] [WORK_DIR]
// needs: a release build (cargo build --release), tests/browser/node_modules.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const require = createRequire(path.join(repo, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

const [runsArg, workArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const bin = process.env.FORMWERK || path.join(repo, "target/release/formwerk");
const work = workArg || fs.mkdtempSync(path.join(os.tmpdir(), "formwerk-attachment-"));
fs.mkdirSync(work, { recursive: true });

// The fixture with the ministry's public key as encrypt_to, built.
const keyFile = execFileSync(path.join(here, "encrypted_site.sh"), [work], { env: { ...process.env, FORMWERK: bin } })
  .toString()
  .trim();
const passphraseFile = path.join(work, "enc", "passphrase");
const root = path.join(work, "attachments-site");
fs.rmSync(root, { recursive: true, force: true });
fs.cpSync(path.join(repo, "tests/fixtures/attachments"), root, { recursive: true });
fs.mkdirSync(path.join(root, "schluessel"));
fs.copyFileSync(path.join(work, "enc/root/schluessel/ministerium.jwk"), path.join(root, "schluessel/ministerium.jwk"));
const formFile = path.join(root, "content/foerderantrag.form.toml");
const form = fs.readFileSync(formFile, "utf8");
assert.ok(form.includes("[submission]\n"));
fs.writeFileSync(formFile, form.replace("[submission]\n", '[submission]\nencrypt_to = "schluessel/ministerium.jwk"\n'));
execFileSync(bin, ["build", "--root", root], { stdio: "pipe" });
const url = pathToFileURL(path.join(root, "site/foerderantrag/index.html")).href;

/** A real PDF of `size` bytes (padded with a comment), as tests/browser/attachments.test.js. */
function pdf(size) {
  const head = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n", "latin1");
  const tail = Buffer.from("\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  return Buffer.concat([head, crypto.randomBytes(size - head.length - tail.length), tail]);
}
// 10 MB (10,485,760 bytes): the contract's cap on one attachment, the same in the page and
// in `formwerk answers --attachments` (formwerk_seal::MAX_ATTACHMENT_BYTES).
const plan = pdf(10 * 1024 * 1024);
const planName = "Haushaltsplan 2026.pdf";

const git = (...a) => execFileSync("git", ["-C", repo, ...a]).toString().trim();
console.log(`date: ${new Date().toISOString()}`);
console.log(`commit: ${git("rev-parse", "--short", "HEAD")}`);
console.log(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0].model}`);
console.log(`attachment: ${plan.length} bytes`);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const draftTimes = [];
const sealTimes = [];
for (let r = 0; r < runs; r++) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.on("dialog", (d) => d.accept());
  await page.goto(url);
  await page.fill("#name", "Landkreis Göttingen");
  await page.evaluate((name) => {
    document.getElementById("haushaltsplan").addEventListener("change", () => (window.__picked = performance.now()), { capture: true, once: true });
    // The moment the draft written to localStorage first names the file.
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      setItem.call(this, key, value);
      if (!window.__drafted && key.startsWith("formwerk:foerderantrag:") && String(value).includes(JSON.stringify(name))) {
        window.__drafted = performance.now();
      }
    };
  }, planName);
  const load = os.loadavg()[0].toFixed(2);
  await page.setInputFiles("#haushaltsplan", { name: planName, mimeType: "application/pdf", buffer: plan });
  await page.waitForFunction(() => window.__drafted, null, { polling: 50, timeout: 60_000 });
  const draftMs = await page.evaluate(() => window.__drafted - window.__picked);

  const button = "#abschluss button[data-sealed]";
  await page.waitForSelector(`${button}:not([disabled])`);
  await page.evaluate((button) => {
    document.querySelector(button).addEventListener("click", () => (window.__clicked = performance.now()), { capture: true, once: true });
    const status = document.getElementById("sealed-status");
    new MutationObserver(() => {
      if (!window.__sealed && /^Gespeichert:/.test(status.textContent)) window.__sealed = performance.now();
    }).observe(status, { childList: true, characterData: true, subtree: true });
  }, button);
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click(button)]);
  await page.waitForFunction(() => window.__sealed, null, { polling: 50, timeout: 60_000 });
  const sealMs = await page.evaluate(() => window.__sealed - window.__clicked);
  const jwe = path.join(work, `run-${r + 1}.jwe`);
  await download.saveAs(jwe);
  draftTimes.push(draftMs);
  sealTimes.push(sealMs);
  console.log(
    `run ${r + 1}: saved into the draft ${draftMs.toFixed(0)} ms, encrypted ${sealMs.toFixed(0)} ms ` +
      `(${download.suggestedFilename()}, ${(fs.statSync(jwe).size / 1e6).toFixed(1)} MB; load ${load})`,
  );
  if (r === 0) {
    // The .jwe opens with the ministry's key and holds exactly the attachment.
    const inbox = path.join(work, "sealed-in");
    const out = path.join(work, "attachments-out");
    fs.rmSync(inbox, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(inbox);
    fs.copyFileSync(jwe, path.join(inbox, download.suggestedFilename()));
    execFileSync(bin, ["answers", "--root", root, "foerderantrag", inbox, "--key", keyFile, "--passphrase-file", passphraseFile, "--attachments", out], {
      stdio: "pipe",
    });
    const saved = fs.readdirSync(out, { recursive: true }).map((f) => path.join(out, f)).filter((f) => fs.statSync(f).isFile());
    assert.equal(saved.length, 1, `one attachment written: ${saved}`);
    assert.ok(fs.readFileSync(saved[0]).equals(plan), "the attachment decrypted is the one chosen");
    console.log("  checked: formwerk answers --key opens it and writes the same bytes");
  }
  for (let i = 1; i <= r + 1; i++) fs.rmSync(path.join(work, `run-${i}.jwe`), { force: true });
  await context.close();
}
await browser.close();
const median = (t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
console.log(`median: saved into the draft ${median(draftTimes).toFixed(0)} ms, encrypted ${median(sealTimes).toFixed(0)} ms`);
console.log(`max: saved into the draft ${Math.max(...draftTimes).toFixed(0)} ms, encrypted ${Math.max(...sealTimes).toFixed(0)} ms`);
if (!workArg) fs.rmSync(work, { recursive: true, force: true });
