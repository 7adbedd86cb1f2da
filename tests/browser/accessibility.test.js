// BITV 2.0 / WCAG 2.1 AA on every page of both sites: axe-core with no violations, our own
// DOM checks, the Nu HTML Checker with no errors, small screens and zoom, visible focus.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const VNU = path.join(path.dirname(require.resolve("vnu-jar/package.json")), "build", "dist", "vnu.jar");

let browser;
const sites = {};
before(async () => {
  sites.bundled = h.sites.bundled();
  sites.fixture = h.sites.fixture();
  browser = await h.launch();
});
after(async () => browser && (await browser.close()));

async function axe(page) {
  // Evaluated by the test, not added as an inline script: the pages' policy refuses those.
  await page.evaluate(`${AXE}\n;0`);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  });
}

function pages() {
  return Object.entries(sites).flatMap(([name, dir]) => h.htmlFiles(dir).map((file) => ({ name, dir, file })));
}

describe("axe-core on every page", () => {
  it("finds no WCAG 2.1 A/AA violations on any page of either site", async () => {
    const problems = [];
    const all = pages();
    assert.ok(all.length >= 12, `only ${all.length} pages`);
    for (const { name, dir, file } of all) {
      const page = await h.openPage(browser, h.fileUrl(file));
      for (const v of await axe(page)) problems.push(`${name}/${path.relative(dir, file)}: ${v}`);
      await page.context().close();
    }
    assert.deepEqual(problems, []);
  });

  it("finds none on a form showing its error summary, notices and revealed fields", async () => {
    const page = await h.openPage(browser, h.fileUrl(sites.fixture, "antraege/alle-felder/index.html"));
    await page.check("#zustimmung-true");
    await page.check("#bereiche-other");
    await page.fill("#betrag", "-5");
    await page.click('button[data-action="check"]');
    assert.deepEqual(await axe(page), []);
    await h.importAnswers(page, "x.json", "kaputt");
    assert.deepEqual(await axe(page), []);
    await page.context().close();
  });
});

describe("form structure", () => {
  it("groups every radio and checkbox in a fieldset with a legend, labels every control, resolves every reference", async () => {
    for (const file of [
      h.fileUrl(sites.fixture, "antraege/alle-felder/index.html"),
      h.fileUrl(sites.bundled, "projektbeschreibung/index.html"),
      h.fileUrl(sites.bundled, "projektbeschreibung/projektbeschreibung-offline.html"),
    ]) {
      const page = await h.openPage(browser, file);
      const problems = await page.evaluate(() => {
        const out = [];
        for (const input of document.querySelectorAll("input[type=radio], input[type=checkbox]")) {
          const fs = input.closest("fieldset");
          if (!fs || !fs.querySelector(":scope > legend")?.textContent.trim()) out.push(`#${input.id} not in a fieldset with a legend`);
        }
        for (const c of document.querySelectorAll("input:not([type=file]), textarea, select")) {
          const labelled = c.labels?.length || (c.getAttribute("aria-labelledby") || "").split(" ").every((id) => id && document.getElementById(id));
          if (!labelled) out.push(`#${c.id} has no label`);
        }
        for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby]")) {
          for (const a of ["aria-describedby", "aria-labelledby"]) {
            for (const id of (el.getAttribute(a) || "").split(/\s+/).filter(Boolean)) {
              if (!document.getElementById(id)) out.push(`${a} of #${el.id} names missing #${id}`);
            }
          }
        }
        for (const hint of document.querySelectorAll(".hint")) {
          if (!document.querySelector(`[aria-describedby~="${hint.id}"]`)) out.push(`hint #${hint.id} is not referenced`);
        }
        if (document.documentElement.lang !== "de") out.push("lang is not de");
        if (!document.querySelector("form.fw-form").noValidate) out.push("form lacks novalidate");
        return out;
      });
      assert.deepEqual(problems, [], file);
      await page.context().close();
    }
  });

  it("works without JavaScript: every control present and fillable, tools hidden", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await h.openPage(browser, h.fileUrl(sites.fixture, "antraege/alle-felder/index.html"), { context });
    assert.equal(await page.isVisible("#form-tools"), false);
    assert.equal(await page.isVisible("noscript p, .noscript").catch(() => true), true);
    for (const id of ["name", "beschreibung", "datum", "betrag", "zustimmung-true", "art-region", "bereiche-other", "bereiche-other-text", "eintraege-3", "begruendung", "stadtname"]) {
      assert.equal(await page.isVisible(`#${id}`), true, `#${id} hidden without script`);
    }
    await page.fill("#name", "Ohne Skript");
    await page.check("#bereiche-soziales");
    const text = h.squash(await h.printToText(page, "fixture-noscript-filled"));
    assert.ok(text.includes("Ohne Skript") && text.includes("☒ Soziales"));
    await context.close();
  });
});

describe("small screens, zoom and focus", () => {
  it("has no horizontal scrolling at 320 px and at 200 % zoom of 1280 px", async () => {
    for (const width of [320, 640]) {
      for (const { dir, file } of pages().filter((p) => /index\.html$/.test(p.file))) {
        const page = await h.openPage(browser, h.fileUrl(file), { contextOptions: { viewport: { width, height: 800 } } });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${path.relative(dir, file)} scrolls sideways by ${overflow}px at ${width}px`);
        await page.context().close();
      }
    }
  });

  it("shows where the keyboard focus is", async () => {
    const page = await h.openPage(browser, h.fileUrl(sites.fixture, "antraege/alle-felder/index.html"));
    for (const selector of ["#name", "#zustimmung-true", 'button[data-action="export"]', ".site-nav a"]) {
      await page.focus(selector);
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      const style = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
      });
      assert.ok((style.outline !== "none" && style.width >= 2) || style.shadow !== "none", `${selector}: ${JSON.stringify(style)}`);
    }
    await page.context().close();
  });
});

describe("Nu HTML Checker", () => {
  it("reports no errors on any page of either site", () => {
    const files = pages().map((p) => p.file);
    let out;
    try {
      out = execFileSync("java", ["-jar", VNU, "--errors-only", "--format", "json", ...files], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      out = e.stderr || e.stdout;
    }
    const messages = JSON.parse(out || '{"messages":[]}').messages.map((m) => `${m.url}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(messages, []);
  });
});
