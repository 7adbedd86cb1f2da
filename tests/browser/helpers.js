// Shared helpers for the browser tests: build the sites with the real formwerk binary,
// drive Debian's chromium through playwright-core, read PDFs with pdftotext.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const artifacts = path.join(repo, "target", "browser-artifacts");
fs.mkdirSync(artifacts, { recursive: true });

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
export const binary = process.env.FORMWERK_BIN || path.join(repo, "target", "debug", "formwerk");

/** Builds a site folder (with the built-in theme unless it has one) and returns its output. */
export function buildSite(name, source) {
  const root = path.join(repo, "target", "browser-sites", name);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  for (const entry of ["formwerk.toml", "content", "templates", "static", "themes"]) {
    const from = path.join(source, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(root, entry), { recursive: true });
  }
  execFileSync(binary, ["build", "--root", root], { stdio: "pipe" });
  return path.join(root, "site");
}

export const sites = {
  bundled: () => buildSite("bundled", repo),
  fixture: () => buildSite("fixture", path.join(repo, "tests", "fixtures", "valid")),
};

export function fileUrl(...parts) {
  return pathToFileURL(path.join(...parts)).href;
}

export function htmlFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(".html"))
    .sort()
    .map((f) => path.join(dir, f));
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** A page that accepts every confirm() and records every request it makes. */
export async function openPage(browser, url, options = {}) {
  const context = options.context || (await browser.newContext({ acceptDownloads: true, ...options.contextOptions }));
  const page = await context.newPage();
  page.requests = [];
  page.on("request", (r) => page.requests.push(r.url()));
  page.dialogs = [];
  page.on("dialog", (d) => {
    page.dialogs.push(d.message());
    return options.dismissDialogs ? d.dismiss() : d.accept();
  });
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  await page.goto(url);
  return page;
}

/** Starts chromium itself with a profile folder, so that the test can kill it like a crash. */
export async function launchKillable(profile) {
  fs.mkdirSync(profile, { recursive: true });
  const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise((r) => child.on("exit", r));
  try {
    // Chromium says where it listens on stderr once it does ("DevTools listening on ws://…"):
    // waited for as an event, not polled for a file that may exist before it is written.
    const endpoint = await new Promise((resolve, reject) => {
      let seen = "";
      child.stderr.on("data", (chunk) => {
        seen += chunk;
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`chromium exited (${code}) before listening:\n${seen}`)));
    });
    child.stderr.resume();
    const browser = await chromium.connectOverCDP(endpoint);
    return { browser, kill: () => child.kill("SIGKILL"), exited };
  } catch (e) {
    // A browser that cannot be reached must not outlive the test file.
    child.kill("SIGKILL");
    throw e;
  }
}

/** A LevelDB log file's records joined again: the log cuts records at its 32 KiB blocks,
 * each piece behind a 7-byte header (checksum, length, type). */
function logRecords(log) {
  const parts = [];
  for (let block = 0; block < log.length; block += 32768) {
    let at = block;
    while (at + 7 <= Math.min(block + 32768, log.length)) {
      const length = log.readUInt16LE(at + 4);
      if (length === 0 && log[at + 6] === 0) break;
      parts.push(log.subarray(at + 7, at + 7 + length));
      at += 7 + length;
    }
  }
  return Buffer.concat(parts);
}

/**
 * Waits until Chromium has written the page's localStorage to the profile on disk: every
 * stored value, as Chromium encodes it (Latin-1 or UTF-16LE), found in a file of the
 * profile's "Local Storage" folder. Chromium commits in batches; this waits for that event
 * rather than for a guessed number of seconds, and fails naming what never arrived.
 */
export async function localStorageOnDisk(page, profile, deadlineMs = 60000) {
  const values = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)));
  assert.ok(values.length, "nothing in localStorage to wait for");
  const encodings = (v) => {
    const out = [Buffer.from(v, "utf16le")];
    if (/^[\x00-\xff]*$/.test(v)) out.push(Buffer.from(v, "latin1"));
    return out;
  };
  const folder = path.join(profile, "Default", "Local Storage");
  const until = Date.now() + deadlineMs;
  for (;;) {
    const files = fs.existsSync(folder) ? fs.readdirSync(folder, { recursive: true }).map((f) => path.join(folder, f)) : [];
    const bytes = files.filter((f) => fs.statSync(f).isFile()).map((f) => (f.endsWith(".log") ? logRecords(fs.readFileSync(f)) : fs.readFileSync(f)));
    const missing = values.filter((v) => !encodings(v).some((e) => bytes.some((b) => b.includes(e))));
    if (!missing.length) return;
    assert.ok(Date.now() < until, `localStorage never reached the disk: ${missing.map((v) => v.slice(0, 80)).join(" | ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Renders the page to PDF as the browser prints it, saves it and returns its text. */
export async function printToText(page, name) {
  const file = path.join(artifacts, `${name}.pdf`);
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: "screen" });
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

export function squash(text) {
  return text.replace(/\s+/g, " ").trim();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Clicks a form-tool button and returns the download it starts, parsed as JSON. */
export async function exportAnswers(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-action="export"]')]);
  const file = path.join(artifacts, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), data: JSON.parse(fs.readFileSync(file, "utf8")) };
}

/** Loads an answers file through the "Antworten laden" button. */
export async function importAnswers(page, name, content) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click('button[data-action="import"]')]);
  await chooser.setFiles({ name, mimeType: "application/json", buffer: Buffer.from(content) });
  await page.waitForFunction(() => !document.getElementById("form-notice").hidden);
  return (await page.textContent("#form-notice")).trim();
}

/** Every control's value, for comparing states of a form. */
export async function formState(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("form.fw-form input, form.fw-form textarea")).map((el) =>
      el.type === "checkbox" || el.type === "radio" ? `${el.id}:${el.checked}` : `${el.id}=${el.value}`,
    ),
  );
}

/** Test-file set-up: builds the bundled site and launches the browser before the tests,
 * closes it after. Returns an object whose `browser` and `bundled` are set by then. */
export function withBundledSite(hooks) {
  const env = {};
  hooks.before(async () => {
    env.bundled = sites.bundled();
    env.browser = await launch();
  });
  hooks.after(async () => env.browser && (await env.browser.close()));
  return env;
}

/** Like withBundledSite, with the fixture site (every field kind) built too. */
export function withSites(hooks) {
  const env = withBundledSite(hooks);
  hooks.before(() => {
    env.fixture = sites.fixture();
  });
  return env;
}

/** Lets the test make `page` stop hearing other tabs, as a tab the browser has frozen: with
 * `window.deaf = true` its storage, focus and pageshow handlers do nothing. Call before
 * `goto`. */
export async function canGoDeaf(page) {
  await page.addInitScript(() => {
    const listen = window.addEventListener;
    window.addEventListener = function (type, handler, options) {
      const hearing = ["storage", "focus", "pageshow"].includes(type);
      return listen.call(this, type, hearing ? (e) => window.deaf || handler.call(this, e) : handler, options);
    };
  });
}
