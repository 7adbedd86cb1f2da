/* Formwerk seal: encrypted submissions as JWE Compact Serialization (RFC 7516), with the
 * browser's Web Crypto only. The contract shared with `formwerk answers --key` (crates/seal)
 * and the inbox:
 *
 *   an encrypted submission: protected header exactly
 *     {"alg":"RSA-OAEP-256","enc":"A256GCM","kid":<the public key's kid>,"cty":"application/json"}
 *     (no "zip"), a fresh random 256-bit content key wrapped with RSA-OAEP (SHA-256), a fresh
 *     96-bit IV, AES-256-GCM over the answers file's UTF-8 bytes, the additional data the
 *     ASCII of the base64url protected header (RFC 7516 §5.1);
 *   a private key file (.key.jwe): the private JWK, JWE Compact with
 *     {"alg":"PBES2-HS512+A256KW","enc":"A256GCM","p2s":…,"p2c":…,"cty":"jwk+json","kid":…}:
 *     PBKDF2-SHA-512 over the passphrase with salt UTF8(alg) || 0x00 || p2s (RFC 7518
 *     §4.8.1.1) derives the AES key wrap key (RFC 3394) of the content key.
 *
 *   available() -> boolean                  whether this page has Web Crypto (a secure context)
 *   encrypt(jwk, bytes) -> Promise<string>  the compact JWE of bytes for the public JWK
 *   openKeyFile(text, passphrase) -> Promise<{kid, key}>   the private key (not extractable)
 *   decrypt(opened, text) -> Promise<Uint8Array>           the plaintext of a submission
 *
 * Refusals reject with an Error whose `reason` is one of: "malformed" (no JWE), "foreign_alg"
 * (another algorithm; `alg` names it), "zip" (compressed), "other_key" (`kid` names the
 * file's key), "tampered" (the authentication failed), "wrong_passphrase", "not_key_file".
 * Inlined into offline copies, so it never contains a closing-tag sequence. */
(function (global) {
  "use strict";

  var KEY_ALG = "RSA-OAEP-256";
  var ENC = "A256GCM";
  var PBES2 = "PBES2-HS512+A256KW";
  /* PBKDF2 iterations a key file may ask for: contract 600 000; far more only slows the
   * clerk's browser down (a hostile file could ask for billions). */
  var MIN_P2C = 1000;
  var MAX_P2C = 10000000;

  function subtle() {
    return global.crypto && global.crypto.subtle ? global.crypto.subtle : null;
  }

  function refusal(reason, extra) {
    var e = new Error(reason);
    e.reason = reason;
    Object.keys(extra || {}).forEach(function (k) {
      e[k] = extra[k];
    });
    return e;
  }

  function ascii(text) {
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      out[i] = text.charCodeAt(i) & 0xff;
    }
    return out;
  }

  function b64url(bytes) {
    // The browser's own encoder where it has one (Uint8Array.prototype.toBase64): a
    // submission with a 10 MB attachment is 17.8 MB of base64url, which the string building
    // below takes about 0.2 s for.
    if (typeof bytes.toBase64 === "function") {
      return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
    }
    var parts = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return btoa(parts.join("")).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function unb64url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
      throw refusal("malformed");
    }
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      out[i] = binary.charCodeAt(i);
    }
    return out;
  }

  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  /** The five parts of a compact JWE and its protected header; throws "malformed". */
  function parse(text) {
    var parts = String(text).trim().split(".");
    if (parts.length !== 5) {
      throw refusal("malformed");
    }
    var header;
    try {
      header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unb64url(parts[0])));
    } catch (e) {
      throw refusal("malformed");
    }
    if (header === null || typeof header !== "object" || Array.isArray(header)) {
      throw refusal("malformed");
    }
    return {
      header: header,
      protected: parts[0],
      ek: unb64url(parts[1]),
      iv: unb64url(parts[2]),
      ct: unb64url(parts[3]),
      tag: unb64url(parts[4]),
    };
  }

  /** Refuses what this contract does not allow: another alg or enc, zip, critical headers. */
  function expect(jwe, alg) {
    var h = jwe.header;
    if (h.alg !== alg || h.enc !== ENC || "crit" in h) {
      throw refusal("foreign_alg", { alg: String(h.alg) + (h.enc === ENC ? "" : " / " + String(h.enc)) });
    }
    if ("zip" in h) {
      throw refusal("zip");
    }
    if (jwe.iv.length !== 12 || jwe.tag.length !== 16) {
      throw refusal("malformed");
    }
  }

  /** AES-256-GCM over the ciphertext and tag with the header as additional data. */
  function gcmOpen(cek, jwe) {
    return subtle()
      .decrypt({ name: "AES-GCM", iv: jwe.iv, additionalData: ascii(jwe.protected), tagLength: 128 }, cek, concat(jwe.ct, jwe.tag))
      .then(
        function (plain) {
          return new Uint8Array(plain);
        },
        function () {
          throw refusal("tampered");
        }
      );
  }

  function encrypt(jwk, bytes) {
    var s = subtle();
    var header = JSON.stringify({ alg: KEY_ALG, enc: ENC, kid: jwk.kid, cty: "application/json" });
    var protectedHeader = b64url(new TextEncoder().encode(header));
    var raw = global.crypto.getRandomValues(new Uint8Array(32));
    var iv = global.crypto.getRandomValues(new Uint8Array(12));
    var publicKey = s.importKey("jwk", jwk, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
    var cek = s.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt"]);
    return Promise.all([publicKey, cek]).then(function (keys) {
      return Promise.all([
        s.encrypt({ name: "RSA-OAEP" }, keys[0], raw),
        s.encrypt({ name: "AES-GCM", iv: iv, additionalData: ascii(protectedHeader), tagLength: 128 }, keys[1], bytes),
      ]).then(function (out) {
        raw.fill(0);
        var sealed = new Uint8Array(out[1]);
        var ct = sealed.subarray(0, sealed.length - 16);
        var tag = sealed.subarray(sealed.length - 16);
        return [protectedHeader, b64url(new Uint8Array(out[0])), b64url(iv), b64url(ct), b64url(tag)].join(".");
      });
    });
  }

  /** The PBES2 key wrap key (RFC 7518 §4.8.1.1) of a key file's header and the passphrase. */
  function wrapKey(h, passphrase) {
    var s = subtle();
    var p2s = unb64url(String(h.p2s || ""));
    if (p2s.length < 8 || typeof h.p2c !== "number" || h.p2c % 1 !== 0 || h.p2c < MIN_P2C || h.p2c > MAX_P2C) {
      throw refusal("not_key_file");
    }
    var salt = concat(concat(new TextEncoder().encode(PBES2), new Uint8Array([0])), p2s);
    return s
      .importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"])
      .then(function (base) {
        return s.deriveKey({ name: "PBKDF2", salt: salt, iterations: h.p2c, hash: "SHA-512" }, base, { name: "AES-KW", length: 256 }, false, ["unwrapKey"]);
      });
  }

  function openKeyFile(text, passphrase) {
    var s = subtle();
    var jwe;
    try {
      jwe = parse(text);
      expect(jwe, PBES2);
    } catch (e) {
      return Promise.reject(refusal("not_key_file"));
    }
    return Promise.resolve()
      .then(function () {
        return wrapKey(jwe.header, passphrase);
      })
      .then(function (kw) {
        return s.unwrapKey("raw", jwe.ek, kw, "AES-KW", { name: "AES-GCM" }, false, ["decrypt"]).then(null, function () {
          throw refusal("wrong_passphrase");
        });
      })
      .then(function (cek) {
        return gcmOpen(cek, jwe).then(null, function () {
          throw refusal("not_key_file");
        });
      })
      .then(function (plain) {
        var jwk = JSON.parse(new TextDecoder().decode(plain));
        plain.fill(0);
        var kid = typeof jwk.kid === "string" ? jwk.kid : jwe.header.kid;
        var usable = { kty: jwk.kty, n: jwk.n, e: jwk.e, d: jwk.d, p: jwk.p, q: jwk.q, dp: jwk.dp, dq: jwk.dq, qi: jwk.qi, alg: KEY_ALG, ext: false };
        return s.importKey("jwk", usable, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["decrypt"]).then(function (key) {
          return { kid: kid, key: key };
        });
      })
      .then(null, function (e) {
        throw e && e.reason ? e : refusal("not_key_file");
      });
  }

  function decrypt(opened, text) {
    var jwe;
    try {
      jwe = parse(text);
      expect(jwe, KEY_ALG);
    } catch (e) {
      return Promise.reject(e);
    }
    if (jwe.header.kid !== opened.kid) {
      return Promise.reject(refusal("other_key", { kid: String(jwe.header.kid) }));
    }
    var s = subtle();
    return s
      .decrypt({ name: "RSA-OAEP" }, opened.key, jwe.ek)
      .then(function (raw) {
        if (raw.byteLength !== 32) {
          throw refusal("tampered");
        }
        return s.importKey("raw", raw, { name: "AES-GCM" }, false, ["decrypt"]);
      })
      .then(null, function () {
        throw refusal("tampered");
      })
      .then(function (cek) {
        return gcmOpen(cek, jwe);
      });
  }

  global.FormwerkSeal = {
    available: function () {
      return subtle() !== null && typeof TextEncoder !== "undefined";
    },
    encrypt: encrypt,
    openKeyFile: openKeyFile,
    decrypt: decrypt,
  };
})(window);
