// Ready for a ministry's web server: served by a small HTTP server with the headers
// docs/deployment.md documents (its Content Security Policy, cache headers), every page type
// keeps still while its scripts start (layout shifts measured at 360 and 1280 px with the CPU
// slowed down four times), and no page breaks the policy while it is filled, saved, printed
// and searched.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

/** The header policy as docs/deployment.md gives it to the web team (Apache example). */
function documentedPolicy() {
  const guide = fs.readFileSync(path.join(h.repo, "docs", "deployment.md"), "utf8");
  const match = guide.match(/Header always set Content-Security-Policy "([^"]+)"/);
  assert.ok(match, "docs/deployment.md documents the policy as a header");
  return match[1];
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".pdf": "application/pdf",
};

/** Serves `dirs` (URL prefix → folder) with the documented headers: the policy on every
 * response but offline copies, a year's caching for hashed names, `no-cache` otherwise. */
function serve(dirs, policy) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const prefix = Object.keys(dirs).find((p) => url.startsWith(p));
    let file = prefix && path.join(dirs[prefix], url.slice(prefix.length));
    if (file && file.endsWith(path.sep)) file = path.join(file, "index.html");
    if (!file || !file.startsWith(dirs[prefix]) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
      return;
    }
    const headers = {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Cache-Control": /\.[0-9a-f]{8}\.(css|js)$/.test(file) ? "public, max-age=31536000, immutable" : "no-cache",
    };
    if (!/-offline\.html$/.test(file)) headers["Content-Security-Policy"] = policy;
    res.writeHead(200, headers);
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let browser;
let base;
let server;
let bundled;
let fixture;
const policy = documentedPolicy();

before(async () => {
  bundled = h.sites.bundled();
  fixture = h.sites.fixture();
  // The bundled site under a subpath, as a web team would put it.
  server = await serve({ "/formulare/": bundled + path.sep, "/fixture/": fixture + path.sep }, policy);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await h.launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

const PAGE_TYPES = [
  ["start page", "/formulare/index.html"],
  ["guidance page", "/formulare/hinweise/bestandsaufnahme/index.html"],
  ["section", "/formulare/hinweise/index.html"],
  ["form page", "/formulare/projektbeschreibung/index.html"],
  ["form with conditions", "/fixture/antraege/alle-felder/index.html"],
  ["offline copy", "/formulare/projektbeschreibung/projektbeschreibung-offline.html"],
  ["sitemap", "/formulare/sitemap.html"],
  ["print-all", "/formulare/gesamtdokument.html"],
];

/** A page in a fresh context whose every policy violation is recorded, from the first
 * script on (the init script runs before the page's own; browser events and console). */
async function watchedPage(url, { width = 1280, throttle = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.violations = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) page.violations.push(`console: ${m.text()}`);
  });
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("dialog", (d) => d.accept());
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  await page.goto(url);
  return page;
}

async function violations(page) {
  return [...page.violations, ...(await page.evaluate(() => window.__violations))];
}

/** The layout shifts so far not caused by input, read with a buffered PerformanceObserver;
 * a mark observed by the same observer tells that every earlier entry has been delivered. */
async function layoutShifts(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const shifts = [];
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (e.entryType === "layout-shift" && !e.hadRecentInput) {
              shifts.push({
                value: e.value,
                sources: (e.sources || []).map((s) => s.node?.id || s.node?.className || s.node?.nodeName || "?"),
              });
            }
            if (e.entryType === "mark" && e.name === "formwerk-shifts") {
              observer.disconnect();
              resolve(shifts);
            }
          }
        });
        observer.observe({ type: "layout-shift", buffered: true });
        observer.observe({ type: "mark" });
        // After two frames every change the scripts made at start has been laid out.
        requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("formwerk-shifts")));
      }),
  );
}

describe("layout stability", () => {
  for (const width of [360, 1280]) {
    it(`no page type moves while it loads, at ${width} px with a 4× slower CPU`, async () => {
      const results = [];
      for (const [type, url] of PAGE_TYPES) {
        const page = await watchedPage(base + url, { width, throttle: true });
        await page.waitForLoadState("load");
        const shifts = await layoutShifts(page);
        const cls = shifts.reduce((sum, s) => sum + s.value, 0);
        results.push(`${type}: ${cls.toFixed(4)}`);
        assert.ok(cls < 0.01, `${type} at ${width} px: CLS ${cls} ${JSON.stringify(shifts)}`);
        assert.deepEqual(page.errors, [], type);
        await page.context().close();
      }
      console.log(`# CLS at ${width} px: ${results.join(", ")}`);
    });
  }

  it("the measurement sees a shift when content is revealed after the first paint", async () => {
    // The control for the test above: what the form page did before, made on purpose.
    const page = await watchedPage(`${base}/formulare/projektbeschreibung/index.html`, { width: 360, throttle: true });
    await page.waitForLoadState("load");
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          requestAnimationFrame(() => {
            const block = document.createElement("p");
            block.textContent = "Nachträglich eingeblendet";
            block.className = "notice";
            document.querySelector("main h1").after(block);
            resolve();
          }),
        ),
    );
    const shifts = await layoutShifts(page);
    assert.ok(shifts.reduce((sum, s) => sum + s.value, 0) > 0.01, JSON.stringify(shifts));
    await page.context().close();
  });

  it("the form tools and the search box are there before the scripts run, usable after", async () => {
    const page = await watchedPage(`${base}/formulare/projektbeschreibung/index.html`);
    assert.ok(await page.evaluate(() => document.getElementById("form-tools").getBoundingClientRect().height > 0));
    assert.equal(await page.isEnabled('button[data-action="check"]'), true);
    assert.equal(await page.isVisible("#formwerk-search-input"), true);
    // The HTML as delivered: visible tools, their buttons waiting for the script.
    const source = await (await fetch(`${base}/formulare/projektbeschreibung/index.html`)).text();
    assert.match(source, /<div class="form-tools" id="form-tools"[^>]*>/);
    assert.doesNotMatch(source, /<div[^>]* id="form-tools"[^>]* hidden[ >]/);
    assert.match(source, /data-action="check" disabled/);
    assert.doesNotMatch(source, /id="formwerk-search"[^>]* hidden/);
    await page.context().close();
    // Without JavaScript noscript.css hides what only a script can make work.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const still = await context.newPage();
    await still.goto(`${base}/formulare/projektbeschreibung/index.html`);
    assert.equal(await still.isVisible("#form-tools"), false);
    assert.equal(await still.isVisible("#formwerk-search"), false);
    await still.goto(`${base}/formulare/gesamtdokument.html`);
    assert.equal(await still.isVisible("[data-print-page]"), false);
    await context.close();
  });
});

describe("content security policy", () => {
  it("the documented header is sent, and hashed assets are cached for a year", async () => {
    const page = await fetch(`${base}/formulare/index.html`);
    assert.equal(page.headers.get("content-security-policy"), policy);
    const html = await page.text();
    const script = html.match(/src="(formwerk|search)\.[0-9a-f]{8}\.js"/)[0].slice(5, -1);
    const asset = await fetch(`${base}/formulare/${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("cache-control"), /max-age=31536000/);
  });

  it("every page type loads without a violation, online and from disk", async () => {
    for (const [type, url] of PAGE_TYPES) {
      for (const address of [base + url, h.fileUrl(url.startsWith("/fixture/") ? fixture : bundled, url.replace(/^\/\w+\//, ""))]) {
        const page = await watchedPage(address);
        await page.waitForLoadState("load");
        await layoutShifts(page); // two frames: late styles and scripts have run
        assert.deepEqual(await violations(page), [], `${type}: ${address}`);
        assert.deepEqual(page.errors, [], `${type}: ${address}`);
        await page.context().close();
      }
    }
  });

  it("a violation would be seen: an inline style attribute is refused and counted", async () => {
    const page = await watchedPage(`${base}/formulare/index.html`);
    await page.evaluate(() => {
      const box = document.createElement("div");
      box.innerHTML = '<p style="color: red">rot</p>';
      document.body.append(box);
    });
    await page.waitForFunction(() => window.__violations.length > 0);
    assert.match((await violations(page)).join("\n"), /style-src/);
    await page.context().close();
  });

  it("filling, saving, loading, checking and printing a form breaks no rule", async () => {
    for (const url of ["/fixture/antraege/alle-felder/index.html", "/formulare/projektbeschreibung/projektbeschreibung-offline.html"]) {
      const page = await watchedPage(base + url);
      await page.fill("#name", "Landkreis Sicher");
      if (url.startsWith("/fixture/")) {
        await page.check("#bereiche-other");
        await page.fill("#bereiche-other-text", "Anderes");
        await page.check("#art-region");
        await page.fill("#beschreibung", "Zeile 1\nZeile 2\nZeile 3\nZeile 4\nZeile 5\nZeile 6\nZeile 7");
      }
      await page.click('button[data-action="check"]');
      await page.waitForSelector("#error-summary:not([hidden]), #form-notice:not([hidden])");
      const { data } = await h.exportAnswers(page);
      assert.equal(data.answers.name, "Landkreis Sicher");
      const notice = await h.importAnswers(page, "antworten.json", JSON.stringify(data));
      assert.match(notice, /geladen/);
      await page.evaluate(() => {
        window.print = () => (window.printedWith = document.documentElement.className || "printed");
      });
      await page.click('button[data-action="print"]');
      await page.click('button[data-action="print-blank"]');
      assert.ok(await page.evaluate(() => window.printedWith));
      const text = h.squash(await h.printToText(page, `csp-${path.basename(url, ".html")}`));
      assert.ok(text.includes("Landkreis Sicher"), "the print shows the answer");
      assert.match(text, /· Version \S+/, "the print header comes from the form's print style sheet");
      await page.reload();
      assert.equal(await page.inputValue("#name"), "Landkreis Sicher", "the draft came back");
      assert.deepEqual(await violations(page), [], url);
      assert.deepEqual(page.errors, [], url);
      await page.context().close();
    }
  });

  it("searching and printing the print-all document break no rule", async () => {
    const page = await watchedPage(`${base}/formulare/hinweise/index.html`);
    await page.fill("#formwerk-search-input", "Bevoelkerung");
    await page.waitForSelector("#formwerk-search-results a");
    await page.keyboard.press("ArrowDown");
    assert.deepEqual(await violations(page), []);
    await page.goto(`${base}/formulare/gesamtdokument.html`);
    await page.evaluate(() => {
      window.print = () => (window.printed = true);
    });
    await page.click("[data-print-page]");
    assert.equal(await page.evaluate(() => window.printed), true);
    assert.deepEqual(await violations(page), []);
    await page.context().close();
  });
});
