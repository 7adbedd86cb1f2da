/* Formwerk answers file, format 2: the contract between the form page, the inbox and
 * `formwerk answers` (docs/antwortdatei.md).
 *   {"format": "formwerk-answers", "format_version": 2, "form": …, "version": …,
 *    "saved_at": …, "answers": {…}, "checksum": "sha256:<64 hex>"}
 * checksum = SHA-256 of the UTF-8 bytes of the canonical JSON of the object without
 * "checksum": keys sorted, no whitespace, strings and numbers as JSON.stringify writes them.
 * window.FormwerkAnswers = {canonical, sha256Hex, seal, open}. open() never throws; its
 * `error` is a key ("malformed", "format", "format_version", "checksum_missing",
 * "checksum_mismatch") that callers turn into their own theme string.
 * No dependencies; also inlined into offline copies, so it never contains a closing-tag
 * sequence. */
(function () {
  "use strict";

  var FORMAT = "formwerk-answers";
  var FORMAT_VERSION = 2;

  function canonical(value) {
    if (value === null || typeof value !== "object") {
      var s = JSON.stringify(value);
      return s === undefined ? "null" : s;
    }
    if (Array.isArray(value)) {
      return "[" + value.map(canonical).join(",") + "]";
    }
    var parts = [];
    Object.keys(value)
      .sort()
      .forEach(function (key) {
        if (value[key] !== undefined) {
          parts.push(JSON.stringify(key) + ":" + canonical(value[key]));
        }
      });
    return "{" + parts.join(",") + "}";
  }

  /* ---- SHA-256: crypto.subtle where the page may use it, else this small version ----- */

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ];

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return out;
  }

  /** SHA-256 in plain JavaScript, for pages where crypto.subtle is not available. */
  function sha256Bytes(data) {
    var n = data.length;
    var padded = new Uint8Array(((n + 9 + 63) >> 6) << 6);
    padded.set(data);
    padded[n] = 0x80;
    var bits = n * 8;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var off = 0; off < padded.length; off += 64) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          w[t] = view.getUint32(off + t * 4);
        } else {
          var a = w[t - 15];
          var b = w[t - 2];
          var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
          var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
          w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
        }
      }
      var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var ch = (E & F) ^ (~E & G);
        var t1 = (H + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var maj = (A & B) ^ (A & C) ^ (B & C);
        var t2 = (S0 + maj) | 0;
        H = G;
        G = F;
        F = E;
        E = (D + t1) | 0;
        D = C;
        C = B;
        B = A;
        A = (t1 + t2) | 0;
      }
      h = [A + h[0], B + h[1], C + h[2], D + h[3], E + h[4], F + h[5], G + h[6], H + h[7]].map(function (x) {
        return x | 0;
      });
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    h.forEach(function (x, i) {
      outView.setUint32(i * 4, x >>> 0);
    });
    return out;
  }

  var subtle = typeof crypto !== "undefined" && crypto.subtle && (typeof isSecureContext === "undefined" || isSecureContext) ? crypto.subtle : null;

  function sha256Hex(text) {
    var bytes = utf8(text);
    if (!subtle) {
      return Promise.resolve(hex(sha256Bytes(bytes)));
    }
    return subtle.digest("SHA-256", bytes).then(
      function (digest) {
        return hex(new Uint8Array(digest));
      },
      function () {
        return hex(sha256Bytes(bytes));
      }
    );
  }

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  /* Objects without a prototype, so that a key "__proto__" read from a file stays a key. */
  function withoutChecksum(data) {
    var copy = Object.create(null);
    Object.keys(data).forEach(function (k) {
      if (k !== "checksum") {
        copy[k] = data[k];
      }
    });
    return copy;
  }

  /** The object as a format-2 answers file: format, format_version and checksum added. */
  function seal(obj) {
    var body = Object.create(null);
    body.format = FORMAT;
    body.format_version = FORMAT_VERSION;
    body.form = obj.form;
    body.version = obj.version;
    body.saved_at = obj.saved_at;
    body.answers = obj.answers;
    Object.keys(obj).forEach(function (k) {
      if (!(k in body) && k !== "checksum") {
        body[k] = obj[k];
      }
    });
    return sha256Hex(canonical(body)).then(function (digest) {
      body.checksum = "sha256:" + digest;
      return body;
    });
  }

  /** Reads a file's text: {ok, data, integrity: "valid"|"missing"|"mismatch", error?}. */
  function open(text) {
    var data;
    try {
      data = JSON.parse(String(text).replace(/^\uFEFF/, ""));
    } catch (e) {
      return Promise.resolve({ ok: false, data: null, integrity: "missing", error: "malformed" });
    }
    var wellFormed =
      isObject(data) &&
      typeof data.form === "string" &&
      typeof data.version === "string" &&
      isObject(data.answers) &&
      (data.saved_at === undefined || typeof data.saved_at === "string");
    if (!wellFormed) {
      return Promise.resolve({ ok: false, data: data, integrity: "missing", error: "malformed" });
    }
    var fv = data.format_version;
    if (fv !== undefined && (typeof fv !== "number" || fv > FORMAT_VERSION)) {
      return Promise.resolve({ ok: false, data: data, integrity: "missing", error: "format_version", version: String(fv) });
    }
    if (data.format !== undefined && data.format !== FORMAT) {
      return Promise.resolve({ ok: false, data: data, integrity: "missing", error: "format" });
    }
    if (data.checksum === undefined) {
      if (fv === FORMAT_VERSION) {
        return Promise.resolve({ ok: false, data: data, integrity: "mismatch", error: "checksum_missing" });
      }
      return Promise.resolve({ ok: true, data: data, integrity: "missing" });
    }
    var claimed = typeof data.checksum === "string" ? data.checksum.toLowerCase() : "";
    return sha256Hex(canonical(withoutChecksum(data))).then(function (digest) {
      return claimed === "sha256:" + digest
        ? { ok: true, data: data, integrity: "valid" }
        : { ok: false, data: data, integrity: "mismatch", error: "checksum_mismatch" };
    });
  }

  window.FormwerkAnswers = { canonical: canonical, sha256Hex: sha256Hex, seal: seal, open: open };
})();
