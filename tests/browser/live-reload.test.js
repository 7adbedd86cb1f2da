// `formwerk serve` in a real browser: a saved edit reloads the open page, a bad edit shows the
// error overlay with file and line, the fix removes it, and nothing of this is in site/.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { after, before, it } from "node:test";
import * as h from "./helpers.js";

let browser;
let server;
let lines;
let root;
/** The server's address, once it has said it. */
let served;
before(async () => {
  h.sites.fixture(); // builds target/browser-sites/fixture from the fixture and the theme
  root = path.join(h.repo, "target", "browser-sites", "fixture");
  server = spawn(h.binary, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  lines = readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  browser = await h.launch();
});
after(async () => {
  server?.kill("SIGINT");
  await browser?.close();
});

async function nextLine(pattern) {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`server ended before ${pattern}`);
    if (pattern.test(value)) return value;
  }
}

it("reloads on save, shows build errors as an overlay until fixed", async () => {
  const serving = await nextLine(/^Serving /);
  const url = serving.match(/http:\/\/127\.0\.0\.1:\d+\//)[0];
  served = url;
  await nextLine(/^start: /);
  const page = await h.openPage(browser, `${url}hilfe/tabellen/index.html`);
  await page.waitForFunction(() => window.performance.getEntriesByType("navigation").length > 0);
  const file = path.join(root, "content/hilfe/tabellen.md");
  const original = fs.readFileSync(file, "utf8");

  const reloaded = page.waitForEvent("load");
  fs.writeFileSync(file, original.replace("Ein Satz mit Fußnote.", "Live geändert."));
  await reloaded;
  assert.match(await page.textContent("article"), /Live geändert\./);

  fs.writeFileSync(file, original.replace("title = ", "titel = "));
  await page.waitForSelector("#formwerk-overlay", { timeout: 15000 });
  const overlay = await page.textContent("#formwerk-overlay");
  assert.match(overlay, /content\/hilfe\/tabellen\.md:2:1/);
  assert.match(overlay, /did you mean `title`/);
  // Pages opened now show it too.
  const other = await h.openPage(browser, `${url}index.html`);
  await other.waitForSelector("#formwerk-overlay");

  const fixed = page.waitForEvent("load");
  fs.writeFileSync(file, original);
  await fixed;
  assert.equal(await page.$("#formwerk-overlay"), null);
  await page.waitForFunction(() => !document.getElementById("formwerk-overlay"));
  for (const html of h.htmlFiles(path.join(root, "site"))) {
    assert.doesNotMatch(fs.readFileSync(html, "utf8"), /EventSource|formwerk-overlay/, html);
  }
  await page.context().close();
  await other.context().close();
});

it("restyles in place when a style sheet changes: the new hashed name, no reload, no policy violation", async () => {
  const url = served;
  const page = await h.openPage(browser, `${url}hilfe/index.html`);
  const violations = [];
  page.on("console", (m) => /Content Security Policy/.test(m.text()) && violations.push(m.text()));
  await page.evaluate(() => (window.notReloaded = true));
  const before = (await page.getAttribute('head > link[rel="stylesheet"]', "href")).split("/").pop();
  // The site overrides the built-in style sheet with a copy of its own, changed.
  const file = path.join(root, "static/formwerk.css");
  const original = fs.readFileSync(path.join(h.repo, "crates/render/theme/static/formwerk.css"), "utf8");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${original}\n.site-title { letter-spacing: 0.1em; }\n`);
  try {
    await page.waitForFunction(
      (old) => !document.querySelector('head > link[rel="stylesheet"]').getAttribute("href").includes(old),
      before,
      { timeout: 15000 },
    );
    await page.waitForFunction(() => getComputedStyle(document.querySelector(".site-title")).letterSpacing !== "normal");
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    assert.match(await page.getAttribute('head > link[rel="stylesheet"]', "href"), /formwerk\.[0-9a-f]{8}\.css\?formwerk=\d+$/);
    assert.deepEqual(violations, []);
  } finally {
    fs.rmSync(file);
  }
  await page.context().close();
});
