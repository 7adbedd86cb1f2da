// Encrypted submission (issue 27) on the fixture form with `[submission] encrypt_to`: the page
// encrypts the answers file to the ministry's key and jwcrypto (tests/jose/jose_tool.py)
// decrypts it; jwcrypto-encrypted files open in the inbox with a jwcrypto-made PBES2 key
// file and its password, and every foreign or damaged file is refused with its reason; a
// page without Web Crypto says so. From file://, as the page, the offline copy and the inbox.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import * as h from "./helpers.js";

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const PASSPHRASE = "Korrekt Pferd Batterie Heftklammer";
const KID = "ms-test-2026";
const FORM = "antraege/alle-felder";
const jose = (...args) =>
  execFileSync("python3", [path.join(h.repo, "tests", "jose", "jose_tool.py"), ...args], { stdio: ["ignore", "pipe", "pipe"] });

let browser;
let site;
let work;
let keys;
let otherKeys;

/** The valid fixture with the ministry's public key as `encrypt_to` of the form with a
 * [submission] block, built with the real binary; the key pairs made by jwcrypto. */
function buildEncryptedSite() {
  const root = path.join(h.repo, "target", "browser-sites", "encrypted");
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(path.join(h.repo, "tests", "fixtures", "valid"), root, { recursive: true });
  fs.rmSync(path.join(root, "site"), { recursive: true, force: true });
  work = path.join(root, "..", "encrypted-work");
  fs.rmSync(work, { recursive: true, force: true });
  keys = path.join(work, "keys");
  otherKeys = path.join(work, "other");
  fs.mkdirSync(keys, { recursive: true });
  fs.mkdirSync(otherKeys, { recursive: true });
  jose("keys", keys, KID, PASSPHRASE);
  jose("keys", otherKeys, "ms-other", PASSPHRASE);
  fs.mkdirSync(path.join(root, "schluessel"));
  fs.copyFileSync(path.join(keys, "public.jwk"), path.join(root, "schluessel", "ministerium.jwk"));
  const formFile = path.join(root, "content", "antraege", "alle-felder.form.toml");
  const text = fs.readFileSync(formFile, "utf8");
  assert.ok(text.includes("signature = true\n"));
  fs.writeFileSync(formFile, text.replace("signature = true\n", 'signature = true\nencrypt_to = "schluessel/ministerium.jwk"\n'));
  execFileSync(h.binary, ["build", "--root", root], { stdio: "pipe" });
  return path.join(root, "site");
}

before(async () => {
  site = buildEncryptedSite();
  browser = await h.launch();
});
after(async () => {
  await browser?.close();
});

/** Fills the identifying answer and saves both files: {plain, sealed} as text, with names. */
async function saveBoth(page) {
  await page.waitForSelector('#abschluss button[data-sealed]:not([disabled])');
  await page.fill("#name", "Landkreis Göttingen");
  const [plain] = await Promise.all([page.waitForEvent("download"), page.click('#abschluss button[data-action="export"]')]);
  const [sealed] = await Promise.all([page.waitForEvent("download"), page.click("#abschluss button[data-sealed]")]);
  const read = async (d) => {
    const file = path.join(work, d.suggestedFilename());
    await d.saveAs(file);
    return { name: d.suggestedFilename(), file, text: fs.readFileSync(file, "utf8") };
  };
  return { plain: await read(plain), sealed: await read(sealed) };
}

/** The answers file without what differs between two saves (time and checksum). */
function content(text) {
  const data = JSON.parse(text);
  delete data.saved_at;
  delete data.checksum;
  return data;
}

function decryptWithJwcrypto(file) {
  const out = execFileSync("python3", [path.join(h.repo, "tests", "jose", "jose_tool.py"), "decrypt", path.join(keys, "private.jwk"), file], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out.toString("utf8");
}

/** WCAG 2.1 A/AA violations axe-core finds on the page as it is now. */
async function axe(page) {
  // Evaluated by the test, not added as an inline script: the pages' policy refuses those.
  await page.evaluate(`${AXE}\n;0`);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  });
}

function header(compact) {
  return JSON.parse(Buffer.from(compact.split(".")[0], "base64url").toString("utf8"));
}

describe("encrypted submission", () => {
  for (const [label, url] of [
    ["the page", () => h.fileUrl(site, FORM, "index.html")],
    ["the offline copy", () => h.fileUrl(site, FORM, "alle_felder-offline.html")],
  ]) {
    it(`${label} encrypts exactly the answers file to the ministry's key; jwcrypto decrypts it`, async () => {
      const page = await h.openPage(browser, url());
      const { plain, sealed } = await saveBoth(page);
      assert.match(sealed.name, /^alle_felder-landkreis-goettingen-antworten-\d{4}-\d{2}-\d{2}\.jwe$/);
      assert.equal(sealed.name.replace(/\.jwe$/, ".json"), plain.name);
      assert.match(sealed.text, /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/, "JWE compact, ASCII");
      assert.deepEqual(Object.entries(header(sealed.text)), [
        ["alg", "RSA-OAEP-256"],
        ["enc", "A256GCM"],
        ["kid", KID],
        ["cty", "application/json"],
      ]);
      const inside = decryptWithJwcrypto(sealed.file);
      assert.equal(inside, JSON.stringify(JSON.parse(inside), null, 2) + "\n", "written as the answers file is");
      assert.deepEqual(content(inside), content(plain.text));
      assert.equal(JSON.parse(inside).answers.name, "Landkreis Göttingen");
      assert.match(await page.textContent("#sealed-status"), /verschlüsselt/);
      // The thumbprint shown is the key's RFC 7638 thumbprint, as jwcrypto computes it.
      const thumbprint = jose("thumbprint", path.join(keys, "public.jwk")).toString().trim();
      assert.equal(await page.textContent("#submission-end .sealed-thumbprint"), thumbprint);
      assert.match(await page.textContent("#submission-top"), /Schlüssel „ms-test-2026“/);
      // What to send names the encrypted file; the answers file is the applicant's own copy.
      assert.match(await page.textContent("#submission-end .attach-note"), /verschlüsselte Datei \(\.jwe\)/);
      assert.match(await page.textContent("#abschluss"), /Ihre eigene Kopie/);
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  it("a fresh content key and IV every time", async () => {
    const page = await h.openPage(browser, h.fileUrl(site, FORM, "index.html"));
    const first = (await saveBoth(page)).sealed.text.split(".");
    const second = (await saveBoth(page)).sealed.text.split(".");
    assert.notEqual(first[1], second[1]);
    assert.notEqual(first[2], second[2]);
    assert.equal(Buffer.from(first[2], "base64url").length, 12, "96-bit IV");
    await page.context().close();
  });

  it("says so where the browser offers no Web Crypto, instead of failing", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    await context.addInitScript(() => {
      Object.defineProperty(window.crypto, "subtle", { value: undefined });
    });
    const page = await h.openPage(browser, h.fileUrl(site, FORM, "index.html"), { context });
    await page.waitForSelector("#sealed-unavailable:not([hidden])");
    assert.match(await page.textContent("#sealed-unavailable"), /^Ihr Browser bietet hier keine Verschlüsselung an/);
    assert.ok(await page.locator("#abschluss button[data-sealed]").isHidden());
    // The applicant's own copy still saves.
    await page.waitForSelector('#abschluss button[data-action="export"]:not([disabled])');
    const [plain] = await Promise.all([page.waitForEvent("download"), page.click('#abschluss button[data-action="export"]')]);
    assert.match(plain.suggestedFilename(), /\.json$/);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});

describe("the inbox opens encrypted submissions", () => {
  /** Files made by jwcrypto from one answers file the page saved: the good one and each
   * kind of file the inbox must refuse. */
  function makeFiles(answersFile) {
    const dir = path.join(work, "inbox");
    fs.mkdirSync(dir, { recursive: true });
    const at = (name) => path.join(dir, name);
    const publicKey = path.join(keys, "public.jwk");
    jose("encrypt", publicKey, answersFile, at("gut.jwe"));
    jose("encrypt", path.join(otherKeys, "public.jwk"), answersFile, at("anderer-schluessel.jwe"));
    jose("encrypt", publicKey, answersFile, at("rsa1_5.jwe"), JSON.stringify({ alg: "RSA1_5", enc: "A256GCM", kid: KID }));
    jose("encrypt", publicKey, answersFile, at("zip.jwe"), JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM", zip: "DEF", kid: KID }));
    const good = fs.readFileSync(at("gut.jwe"), "utf8").split(".");
    // One byte of the ciphertext flipped: the GCM tag no longer matches.
    const ct = Buffer.from(good[3], "base64url");
    ct[Math.floor(ct.length / 2)] ^= 0x01;
    fs.writeFileSync(at("veraendert.jwe"), [good[0], good[1], good[2], ct.toString("base64url"), good[4]].join("."));
    // Headers an attacker may write: no encryption at all, or a shared key.
    const forged = (h) => Buffer.from(JSON.stringify(h)).toString("base64url");
    fs.writeFileSync(at("none.jwe"), [forged({ alg: "none", enc: "A256GCM", kid: KID }), "", good[2], good[3], good[4]].join("."));
    fs.writeFileSync(at("dir.jwe"), [forged({ alg: "dir", enc: "A256GCM", kid: KID }), "", good[2], good[3], good[4]].join("."));
    return {
      good: at("gut.jwe"),
      refused: {
        "anderer-schluessel.jwe": /für einen anderen Schlüssel verschlüsselt \(„ms-other“; geöffnet ist „ms-test-2026“\)/,
        "rsa1_5.jwe": /nicht zugelassenen Verfahren \(„RSA1_5“\)/,
        "zip.jwe": /komprimierte verschlüsselte Datei/,
        "veraendert.jwe": /verändert oder beschädigt/,
        "none.jwe": /nicht zugelassenen Verfahren \(„none“\)/,
        "dir.jwe": /nicht zugelassenen Verfahren \(„dir“\)/,
      },
    };
  }

  async function openInbox(keyFile, passphrase) {
    const page = await h.openPage(browser, h.fileUrl(site, FORM, "alle_felder-posteingang.html"));
    await page.waitForSelector("#drop-zone:not([hidden])");
    await page.setInputFiles("#inbox-key-file", keyFile);
    await page.fill("#inbox-key-passphrase", passphrase);
    await page.locator("#inbox-key-passphrase").dispatchEvent("change");
    return page;
  }

  /** Each file's row of the file list: name → its text. */
  async function rows(page, paths) {
    await page.setInputFiles("#inbox-input", paths);
    await page.waitForFunction((n) => document.querySelectorAll("#inbox-file-list tbody tr").length === n, paths.length);
    const texts = await page.$$eval("#inbox-file-list tbody tr", (trs) => trs.map((tr) => tr.textContent));
    return Object.fromEntries(paths.map((p) => [path.basename(p), texts.find((t) => t.includes(path.basename(p)))]));
  }

  it("decrypts with the PBES2 key file and its password, and names each refusal", async () => {
    const page = await h.openPage(browser, h.fileUrl(site, FORM, "index.html"));
    const { plain } = await saveBoth(page);
    await page.context().close();
    const files = makeFiles(plain.file);
    const inbox = await openInbox(path.join(keys, "private.key.jwe"), PASSPHRASE);
    await inbox.waitForFunction(() => /Schlüssel „ms-test-2026“ ist geöffnet/.test(document.getElementById("inbox-key-status").textContent));
    const names = Object.keys(files.refused).map((n) => path.join(path.dirname(files.good), n));
    // The plain answers file among them is read as always.
    const got = await rows(inbox, [files.good, plain.file, ...names]);
    for (const name of ["gut.jwe", plain.name]) {
      assert.ok(!/ungültig/.test(got[name]), got[name]);
      assert.match(got[name], /Landkreis Göttingen/);
    }
    for (const [name, reason] of Object.entries(files.refused)) {
      assert.match(got[name], reason, `${name}: ${got[name]}`);
    }
    // The key and its password are in no storage of the page.
    const stored = await inbox.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      idb: (await indexedDB.databases()).length,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, idb: 0 });
    assert.deepEqual(await axe(inbox), []);
    assert.deepEqual(inbox.errors, []);
    await inbox.context().close();
  });

  it("refuses every encrypted file with a wrong password, and without a key", async () => {
    const good = path.join(work, "inbox", "gut.jwe");
    const inbox = await openInbox(path.join(keys, "private.key.jwe"), "falsch");
    await inbox.waitForFunction(() => /Passwort des Schlüssels falsch/.test(document.getElementById("inbox-key-status").textContent));
    const got = await rows(inbox, [good]);
    assert.match(got["gut.jwe"], /Passwort des Schlüssels falsch/);
    await inbox.context().close();
    const bare = await h.openPage(browser, h.fileUrl(site, FORM, "alle_felder-posteingang.html"));
    await bare.waitForSelector("#drop-zone:not([hidden])");
    assert.match((await rows(bare, [good]))["gut.jwe"], /Wählen Sie oben die Schlüsseldatei/);
    await bare.context().close();
  });

  it("says so where the browser offers no Web Crypto", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Object.defineProperty(window.crypto, "subtle", { value: undefined });
    });
    const inbox = await h.openPage(browser, h.fileUrl(site, FORM, "alle_felder-posteingang.html"), { context });
    await inbox.waitForSelector("#drop-zone:not([hidden])");
    const got = await rows(inbox, [path.join(work, "inbox", "gut.jwe")]);
    assert.match(got["gut.jwe"], /Dieser Browser bietet hier keine Entschlüsselung an/);
    await context.close();
  });

  it("refuses a file above the size limit before decrypting it", async () => {
    const inbox = await h.openPage(browser, h.fileUrl(site, FORM, "alle_felder-posteingang.html"));
    await inbox.waitForSelector("#drop-zone:not([hidden])");
    const max = await inbox.evaluate(() => JSON.parse(document.getElementById("formwerk-model").textContent).encrypt.max_bytes);
    const big = path.join(work, "gross.jwe");
    fs.writeFileSync(big, "eyJ" + "A".repeat(max));
    assert.match((await rows(inbox, [big]))["gross.jwe"], /zu groß \(mehr als \d+ MB\)/);
    fs.rmSync(big);
    await inbox.context().close();
  });
});
