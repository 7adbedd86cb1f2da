// Unit tests of crates/render/theme/static/answers-file.js (answers file format 2): SHA-256 against
// known vectors (WebCrypto and the pure-JS fallback) and seal. Canonical JSON, checksums and
// what open makes of valid, altered and malformed files are checked against
// tests/vectors/answers-files.json, with Rust's reader too (tests/vectors.rs).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { describe, it } from "node:test";
import { repo } from "./helpers.js";

const source = fs.readFileSync(path.join(repo, "crates/render/theme/static/answers-file.js"), "utf8");

/** Loads the script as a browser would, with or without WebCrypto. */
function load({ webCrypto }) {
  const window = {};
  if (webCrypto) window.crypto = globalThis.crypto;
  vm.runInNewContext(source, { window, TextEncoder, Uint8Array, DataView, Promise, JSON, Math, Object, Array, String });
  return window.FormwerkAnswers;
}

const VECTORS = [
  ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
  ["a".repeat(1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
];

for (const webCrypto of [true, false]) {
  const A = load({ webCrypto });
  describe(`answers-file.js ${webCrypto ? "with WebCrypto" : "pure-JS fallback"}`, () => {
    it("hashes the FIPS 180-4 test vectors", async () => {
      for (const [input, expected] of VECTORS) assert.equal(await A.sha256Hex(input), expected);
    });

    it("hashes UTF-8 bytes like node's crypto, at every padding length", async () => {
      for (let n = 0; n < 130; n++) {
        const text = "Größe ä€😀".repeat(3).slice(0, n % 25) + "x".repeat(n);
        assert.equal(await A.sha256Hex(text), crypto.createHash("sha256").update(text, "utf8").digest("hex"), `length ${n}`);
      }
    });

    it("seals a file that opens as valid", async () => {
      const sealed = await A.seal({ form: "f", version: "1", saved_at: "2026-03-03T10:00:00.000Z", answers: { b: 1.5, a: ["x", "y"], "c.other": "Ü" } });
      assert.deepEqual(Object.keys(sealed), ["format", "format_version", "form", "version", "saved_at", "answers", "checksum"]);
      assert.equal(sealed.format, "formwerk-answers");
      assert.equal(sealed.format_version, 2);
      const { checksum, ...rest } = sealed;
      assert.equal(checksum, "sha256:" + crypto.createHash("sha256").update(A.canonical(rest), "utf8").digest("hex"));
      const text = JSON.stringify(sealed, null, 2);
      const opened = await A.open(text);
      assert.equal(opened.ok, true);
      assert.equal(opened.integrity, "valid");
      assert.deepEqual(opened.data, JSON.parse(text));
    });
  });
}
