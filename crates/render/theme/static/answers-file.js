/* Formwerk answers file, format 2: canonical JSON, SHA-256 checksum, seal and open.
 * The contract shared by the form page, the inbox and `formwerk answers`; documented in
 * docs/antwortdatei.md. No dependencies; inlined into offline copies, so it never contains a
 * closing-tag sequence. Works in browsers (window.FormwerkAnswers) and, for unit tests, in
 * any JavaScript context that provides a `window` object.
 *
 *   canonical(value) -> string        keys sorted by UTF-16 code units, no whitespace
 *   sha256Hex(string) -> Promise<hex>  of the string's UTF-8 bytes; WebCrypto or pure JS
 *   bytesSha256(Uint8Array) -> Promise<hex>  of the bytes (an attachment's `sha256`)
 *   toBase64(Uint8Array) -> string      standard base64 (an attachment's `content`)
 *   fromBase64(string) -> Uint8Array or null when it is not standard base64
 *   seal(obj) -> Promise<obj>          adds format, format_version and checksum
 *   open(text) -> Promise<{ok, data, integrity: "valid"|"missing"|"mismatch", error?}>
 *     error codes: "malformed" (not an answers file), "unsupported_version" (format_version
 *     above 2; data.format_version names it), "mismatch" (altered or damaged).
 */
(function (global) {
  "use strict";

  var FORMAT = "formwerk-answers";
  var FORMAT_VERSION = 2;

  function canonical(value) {
    if (value === null || typeof value !== "object") {
      return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
      return (
        "[" +
        value
          .map(function (item) {
            var text = canonical(item);
            return text === undefined ? "null" : text;
          })
          .join(",") +
        "]"
      );
    }
    var parts = [];
    Object.keys(value)
      .sort()
      .forEach(function (key) {
        var text = canonical(value[key]);
        if (text !== undefined) {
          parts.push(JSON.stringify(key) + ":" + text);
        }
      });
    return "{" + parts.join(",") + "}";
  }

  function utf8(text) {
    if (typeof TextEncoder !== "undefined") {
      return new TextEncoder().encode(text);
    }
    var bytes = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        var low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      } else if (c >= 0xd800 && c < 0xe000) {
        c = 0xfffd;
      }
      if (c < 0x80) {
        bytes.push(c);
      } else if (c < 0x800) {
        bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      } else if (c < 0x10000) {
        bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      } else {
        bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
    }
    return new Uint8Array(bytes);
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return out;
  }

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];

  /** SHA-256 in plain JavaScript (FIPS 180-4), for contexts without WebCrypto. */
  function sha256Bytes(message) {
    var length = message.length;
    var blocks = Math.ceil((length + 9) / 64);
    var data = new Uint8Array(blocks * 64);
    data.set(message);
    data[length] = 0x80;
    var bits = length * 8;
    var view = new DataView(data.buffer);
    view.setUint32(data.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(data.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    function rotr(x, n) {
      return (x >>> n) | (x << (32 - n));
    }
    for (var b = 0; b < blocks; b++) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          w[t] = view.getUint32(b * 64 + t * 4);
        } else {
          var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
          var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
          w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
        }
      }
      var a = h[0], c1 = h[1], c2 = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (var r = 0; r < 64; r++) {
        var S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        var ch = (e & f) ^ (~e & g);
        var temp1 = (k + S1 + ch + K[r] + w[r]) | 0;
        var S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        var maj = (a & c1) ^ (a & c2) ^ (c1 & c2);
        var temp2 = (S0 + maj) | 0;
        k = g;
        g = f;
        f = e;
        e = (d + temp1) | 0;
        d = c2;
        c2 = c1;
        c1 = a;
        a = (temp1 + temp2) | 0;
      }
      h[0] = (h[0] + a) | 0;
      h[1] = (h[1] + c1) | 0;
      h[2] = (h[2] + c2) | 0;
      h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0;
      h[5] = (h[5] + f) | 0;
      h[6] = (h[6] + g) | 0;
      h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    for (var i = 0; i < 8; i++) {
      outView.setUint32(i * 4, h[i] >>> 0);
    }
    return out;
  }

  function subtle() {
    var c = global.crypto;
    return c && c.subtle && typeof c.subtle.digest === "function" ? c.subtle : null;
  }

  function sha256Hex(text) {
    return bytesSha256(utf8(String(text)));
  }

  function bytesSha256(bytes) {
    var s = subtle();
    if (!s) {
      return Promise.resolve(hex(sha256Bytes(bytes)));
    }
    return s.digest("SHA-256", bytes).then(
      function (digest) {
        return hex(new Uint8Array(digest));
      },
      function () {
        return hex(sha256Bytes(bytes));
      },
    );
  }

  /* Standard base64: the browser's own encoder where it has one (Uint8Array.prototype.toBase64,
   * the same text as btoa), else in pieces, so that a 10 MB attachment does not overflow the
   * call stack. */
  function toBase64(bytes) {
    if (typeof bytes.toBase64 === "function") {
      return bytes.toBase64();
    }
    var parts = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return global.btoa(parts.join(""));
  }

  function fromBase64(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9+\/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      return null;
    }
    try {
      var binary = global.atob(text);
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
      }
      return bytes;
    } catch (e) {
      return null;
    }
  }

  /** Sets an own member: also a key "__proto__", which an assignment would drop (the
   * checksum covers it, as in formwerk answers). */
  function put(obj, key, value) {
    Object.defineProperty(obj, key, { value: value, enumerable: true, writable: true, configurable: true });
  }

  function withoutChecksum(obj) {
    var copy = {};
    Object.keys(obj).forEach(function (key) {
      if (key !== "checksum") {
        put(copy, key, obj[key]);
      }
    });
    return copy;
  }

  /* The most levels of nested objects and arrays a file may have, the file itself the first:
   * formwerk answers reads JSON with serde_json, which refuses more (its recursion limit). */
  var MAX_DEPTH = 127;
  var LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  /** Whether parsed JSON is what formwerk answers reads too: no number beyond the double range
   * (1e400 parses to Infinity here), no lone surrogate in a string or key ("\ud800"), at most
   * MAX_DEPTH levels. Walked without recursion, so that a deep file cannot exhaust the stack. */
  function readable(data) {
    var todo = [[data, 1]];
    while (todo.length) {
      var top = todo.pop();
      var v = top[0];
      if (typeof v === "number" && !isFinite(v)) return false;
      if (typeof v === "string" && LONE_SURROGATE.test(v)) return false;
      if (v === null || typeof v !== "object") continue;
      if (top[1] > MAX_DEPTH) return false;
      var keys = Object.keys(v);
      for (var i = 0; i < keys.length; i++) {
        if (LONE_SURROGATE.test(keys[i])) return false;
        todo.push([v[keys[i]], top[1] + 1]);
      }
    }
    return true;
  }

  function seal(obj) {
    var sealed = { format: FORMAT, format_version: FORMAT_VERSION };
    Object.keys(obj).forEach(function (key) {
      if (key !== "checksum" && key !== "format" && key !== "format_version") {
        put(sealed, key, obj[key]);
      }
    });
    return sha256Hex(canonical(sealed)).then(function (digest) {
      sealed.checksum = "sha256:" + digest;
      return sealed;
    });
  }

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  /* A refused file: nothing was checked ("missing") unless its checksum was wrong. */
  function refuse(error, data) {
    return Promise.resolve({ ok: false, data: data, integrity: error === "mismatch" ? "mismatch" : "missing", error: error });
  }

  function open(text) {
    var data;
    try {
      // A byte order mark (Windows editors) is not part of the JSON; formwerk answers skips it too.
      data = JSON.parse(String(text).replace(/^\uFEFF/, ""));
    } catch (e) {
      return refuse("malformed", null);
    }
    if (!isObject(data) || !readable(data)) {
      return refuse("malformed", null);
    }
    if ("format_version" in data) {
      var v = data.format_version;
      if (typeof v !== "number" || v !== Math.floor(v) || v < 2) {
        return refuse("malformed", data);
      }
      if (v > FORMAT_VERSION) {
        return refuse("unsupported_version", data);
      }
    }
    var shaped =
      ("format" in data ? data.format === FORMAT && "format_version" in data : !("format_version" in data)) &&
      typeof data.form === "string" &&
      typeof data.version === "string" &&
      isObject(data.answers) &&
      (!("checksum" in data) || typeof data.checksum === "string");
    if (!shaped) {
      return refuse("malformed", data);
    }
    if (!("checksum" in data)) {
      // Format 1 had no checksum; a format 2 file without one has lost it.
      return "format_version" in data ? refuse("mismatch", data) : Promise.resolve({ ok: true, data: data, integrity: "missing" });
    }
    return sha256Hex(canonical(withoutChecksum(data))).then(function (digest) {
      if (data.checksum === "sha256:" + digest) {
        return { ok: true, data: data, integrity: "valid" };
      }
      return { ok: false, data: data, integrity: "mismatch", error: "mismatch" };
    });
  }

  global.FormwerkAnswers = {
    canonical: canonical,
    sha256Hex: sha256Hex,
    bytesSha256: bytesSha256,
    toBase64: toBase64,
    fromBase64: fromBase64,
    seal: seal,
    open: open,
    FORMAT: FORMAT,
    FORMAT_VERSION: FORMAT_VERSION,
  };
})(typeof window !== "undefined" ? window : this);
