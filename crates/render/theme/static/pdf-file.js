/* Formwerk: the objects of a PDF file, for the inbox's reader (pdf-answers.js). The file is
 * read as a PDF reader reads it, never by a text search over its bytes: `startxref` leads to
 * the last cross-reference section (a table or a stream), its /Prev (and /XRefStm) to the
 * earlier ones, the newest entry of an object wins, and an object is parsed at its offset or
 * in its object stream when it is asked for, once (a cache by object number; an object
 * asked for while it is being built — a cycle — is null). Text after %%EOF, in comments or
 * between objects is never looked at.
 *
 * The same budgets as `formwerk answers` (crates/form/src/budget.rs, handed in by the page;
 * crates/pdf/src/guard.rs is the Rust side): the objects listed plus the members of object
 * streams (pdf_objects), the bytes object and cross-reference streams inflate to, each
 * object-stream member counting from its start to the stream's end (inflated). A file over
 * one is refused with `{budget: key}`; a file whose cross-reference data does not lead to
 * its objects is malformed, as lopdf's repaired files are for `formwerk answers`.
 *
 *   FormwerkPdfFile.open(bytes: Uint8Array, budgets) -> Promise<{trailer, get(object)}>,
 *   rejected with Error (malformed) or {budget: key}. */
(function (root) {
  "use strict";

  var MAX_DEPTH = 32;
  var WHITE = "\0\t\n\f\r ";
  var DELIM = "()<>[]{}/%";

  function Name(n) {
    this.n = n;
  }
  function Ref(num) {
    this.num = num;
  }
  function Stream(dict, data) {
    this.dict = dict;
    this.data = data;
  }

  function latin1(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return s;
  }

  function isDict(o) {
    return o !== null && typeof o === "object" && !Array.isArray(o) && !(o instanceof Name) && !(o instanceof Ref) && !(o instanceof Stream);
  }

  /** A parser of PDF objects in `s` (bytes as a Latin-1 string) from position `i`. Every
   * step moves forward: parsing is linear in what it reads. */
  function Parser(s, i) {
    this.s = s;
    this.i = i || 0;
  }

  Parser.prototype.ws = function () {
    var s = this.s;
    while (this.i < s.length) {
      var c = s[this.i];
      if (WHITE.indexOf(c) >= 0) {
        this.i++;
      } else if (c === "%") {
        while (this.i < s.length && s[this.i] !== "\n" && s[this.i] !== "\r") this.i++;
      } else {
        break;
      }
    }
  };

  Parser.prototype.token = function () {
    var start = this.i;
    var s = this.s;
    while (this.i < s.length && WHITE.indexOf(s[this.i]) < 0 && DELIM.indexOf(s[this.i]) < 0) this.i++;
    return s.slice(start, this.i);
  };

  /** The next token without moving. */
  Parser.prototype.peek = function () {
    var at = this.i;
    this.ws();
    var t = this.token();
    this.i = at;
    return t;
  };

  Parser.prototype.value = function (depth) {
    if ((depth || 0) > MAX_DEPTH) throw new Error("nested too deep");
    this.ws();
    var s = this.s;
    var c = s[this.i];
    if (c === undefined) throw new Error("end of data");
    if (c === "<" && s[this.i + 1] === "<") return this.dict(depth);
    if (c === "<") return this.hex();
    if (c === "(") return this.literal();
    if (c === "[") {
      this.i++;
      var arr = [];
      for (;;) {
        this.ws();
        if (this.i >= s.length) throw new Error("unterminated array");
        if (s[this.i] === "]") {
          this.i++;
          return arr;
        }
        arr.push(this.value(depth + 1));
      }
    }
    if (c === "/") {
      this.i++;
      return new Name(utf8(this.token().replace(/#([0-9a-fA-F]{2})/g, function (_, x) {
        return String.fromCharCode(parseInt(x, 16));
      })));
    }
    var word = this.token();
    if (word === "") throw new Error("unexpected " + JSON.stringify(c));
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    var n = Number(word);
    if (isNaN(n)) throw new Error("unexpected " + JSON.stringify(word));
    // "12 0 R": a reference.
    var m = /^\s+(\d+)\s+R(?=[\s\/\[\]<>()%]|$)/.exec(s.slice(this.i, this.i + 24));
    if (/^\d+$/.test(word) && m) {
      this.i += m[0].length;
      return new Ref(n);
    }
    return n;
  };

  /** A name's bytes as UTF-8 where they are (as lopdf's names read in `formwerk answers`),
   * else one character per byte. */
  function utf8(bytes) {
    if (!/[\x80-\xff]/.test(bytes)) return bytes;
    var b = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) b[i] = bytes.charCodeAt(i);
    return new TextDecoder().decode(b);
  }

  Parser.prototype.dict = function (depth) {
    var s = this.s;
    this.i += 2;
    var dict = Object.create(null);
    for (;;) {
      this.ws();
      if (this.i >= s.length) throw new Error("unterminated dictionary");
      if (s[this.i] === ">" && s[this.i + 1] === ">") {
        this.i += 2;
        return dict;
      }
      var key = this.value(depth + 1);
      if (!(key instanceof Name)) throw new Error("dictionary key is no name");
      dict[key.n] = this.value(depth + 1);
    }
  };

  Parser.prototype.hex = function () {
    var s = this.s;
    var end = s.indexOf(">", this.i);
    if (end < 0) throw new Error("unterminated hex string");
    var hex = s.slice(this.i + 1, end).replace(/[^0-9a-fA-F]/g, "");
    this.i = end + 1;
    if (hex.length % 2) hex += "0";
    var out = "";
    for (var h = 0; h < hex.length; h += 2) out += String.fromCharCode(parseInt(hex.slice(h, h + 2), 16));
    return out;
  };

  var ESC = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "(": "(", ")": ")", "\\": "\\" };

  Parser.prototype.literal = function () {
    var s = this.s;
    var out = "";
    var nest = 0;
    this.i++;
    while (this.i < s.length) {
      var c = s[this.i++];
      if (c === "\\") {
        var e = s[this.i++];
        if (ESC[e] !== undefined) out += ESC[e];
        else if (e >= "0" && e <= "7") {
          var oct = e;
          while (oct.length < 3 && s[this.i] >= "0" && s[this.i] <= "7") oct += s[this.i++];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else if (e === "\r") {
          if (s[this.i] === "\n") this.i++;
        } else if (e !== "\n" && e !== undefined) out += e;
      } else if (c === "(") {
        nest++;
        out += c;
      } else if (c === ")") {
        if (nest === 0) return out;
        nest--;
        out += c;
      } else out += c;
    }
    throw new Error("unterminated string");
  };

  /** `N G obj <value> [stream … endstream]` at the parser's place: the value, or a Stream
   * whose data ends at its /Length (`length` resolves a reference) or its `endstream`. */
  Parser.prototype.indirect = function (num, length) {
    this.ws();
    var n = this.token();
    this.ws();
    this.token();
    this.ws();
    if ((num !== null && Number(n) !== num) || this.token() !== "obj") throw new Error("no object " + num + " here");
    var value = this.value(0);
    var s = this.s;
    var at = this.i;
    this.ws();
    if (!isDict(value) || s.slice(this.i, this.i + 6) !== "stream") {
      this.i = at;
      return value;
    }
    var start = this.i + 6;
    if (s[start] === "\r") start++;
    if (s[start] === "\n") start++;
    var len = length(value.Length);
    var end = typeof len === "number" && len >= 0 && /^\s*endstream/.test(s.slice(start + len, start + len + 20)) ? start + len : s.indexOf("endstream", start);
    if (end < 0) throw new Error("unterminated stream");
    return new Stream(value, s.slice(start, end));
  };

  /* ---- streams ------------------------------------------------------------------------ */

  function filterOf(dict) {
    var f = dict.Filter;
    if (Array.isArray(f)) f = f.length === 1 ? f[0] : f.length === 0 ? undefined : null;
    if (f === undefined) return "none";
    return f instanceof Name && f.n === "FlateDecode" ? "flate" : null;
  }

  /** A stream's data inflated, at most `limit` bytes (else rejected with the budget). */
  function decoded(stream, limit) {
    var kind = filterOf(stream.dict);
    if (kind === null) return Promise.reject(new Error("a filter the inbox does not read"));
    var data = stream.data;
    var plain = kind === "none" ? Promise.resolve(data) : inflate(data, limit);
    return plain.then(function (text) {
      if (text.length > limit) throw { budget: "inflated" };
      var parms = stream.dict.DecodeParms;
      if (Array.isArray(parms)) parms = parms[0];
      return isDict(parms) && parms.Predictor >= 10 ? unpredict(text, parms.Columns || 1) : text;
    });
  }

  function inflate(data, limit) {
    var bytes = new Uint8Array(data.length);
    for (var i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i);
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
    var parts = [];
    var left = limit;
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) return parts.join("");
        left -= step.value.length;
        if (left < 0) {
          reader.cancel();
          throw { budget: "inflated" };
        }
        parts.push(latin1(step.value));
        return pump();
      });
    }
    return pump();
  }

  /** PNG predictors (cross-reference streams): each row begins with its filter byte. */
  function unpredict(text, columns) {
    var out = [];
    var prev = new Array(columns).fill(0);
    for (var at = 0; at + columns < text.length + 1; at += columns + 1) {
      var type = text.charCodeAt(at);
      var row = new Array(columns);
      for (var c = 0; c < columns; c++) {
        var x = text.charCodeAt(at + 1 + c) || 0;
        var left = c > 0 ? row[c - 1] : 0;
        var up = prev[c];
        var upLeft = c > 0 ? prev[c - 1] : 0;
        var add = type === 1 ? left : type === 2 ? up : type === 3 ? (left + up) >> 1 : type === 4 ? paeth(left, up, upLeft) : 0;
        row[c] = (x + add) & 0xff;
      }
      out.push(String.fromCharCode.apply(null, row));
      prev = row;
    }
    return out.join("");
  }

  function paeth(a, b, c) {
    var p = a + b - c;
    var pa = Math.abs(p - a);
    var pb = Math.abs(p - b);
    var pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  /* ---- the cross-reference sections and the objects -------------------------------------- */

  function Refused(budget) {
    this.budget = budget;
  }

  /** The file `s`: its entries by object number ({off} or {stm, index} or {free}), the
   * trailer's entries (the newest section's win), objects built on demand. */
  function Doc(s, budgets) {
    this.s = s;
    this.budgets = budgets;
    this.entries = Object.create(null);
    this.listed = 0;
    this.trailer = Object.create(null);
    this.cache = Object.create(null);
    this.building = Object.create(null);
    this.containers = Object.create(null);
    this.inflated = 0;
  }

  Doc.prototype.limit = function (key) {
    return this.budgets[key].limit;
  };

  Doc.prototype.enter = function (num, entry) {
    if (!(num in this.entries)) {
      this.entries[num] = entry;
      if (!entry.free && ++this.listed > this.limit("pdf_objects")) throw new Refused("pdf_objects");
    }
  };

  Doc.prototype.takeTrailer = function (dict) {
    for (var k in dict) {
      if (!(k in this.trailer)) this.trailer[k] = dict[k];
    }
  };

  /** The sections from `startxref` on, newest first, each once (a /Prev cycle ends). */
  Doc.prototype.sections = function () {
    var s = this.s;
    var at = s.lastIndexOf("startxref");
    if (at < 0 || s.length - at > 1024) return Promise.reject(new Error("no startxref at the end"));
    var p = new Parser(s, at + 9);
    p.ws();
    var queue = [Number(p.token())];
    var seen = Object.create(null);
    var self = this;
    function next() {
      if (!queue.length) return Promise.resolve();
      var off = queue.shift();
      if (typeof off !== "number" || !(off >= 0 && off < s.length) || seen[off]) return next();
      seen[off] = true;
      return self.section(off).then(function (dict) {
        self.takeTrailer(dict);
        if (typeof dict.XRefStm === "number") queue.push(dict.XRefStm);
        if (typeof dict.Prev === "number") queue.push(dict.Prev);
        return next();
      });
    }
    return next();
  };

  /** One section at `off`: a table with its trailer, or a cross-reference stream. */
  Doc.prototype.section = function (off) {
    var p = new Parser(this.s, off);
    // The section begins where the offset says (white space aside), as lopdf wants it.
    while (WHITE.indexOf(this.s[p.i]) >= 0 && p.i < this.s.length) p.i++;
    if (this.s.slice(p.i, p.i + 4) === "xref") {
      p.i += 4;
      return Promise.resolve(this.table(p));
    }
    var self = this;
    var stream = p.indirect(null, function (l) {
      return l;
    });
    if (!(stream instanceof Stream) || !(stream.dict.Type instanceof Name) || stream.dict.Type.n !== "XRef") {
      return Promise.reject(new Error("startxref leads to no cross-reference section"));
    }
    return decoded(stream, this.limit("inflated")).then(function (data) {
      self.xrefStream(stream.dict, data);
      return stream.dict;
    });
  };

  Doc.prototype.table = function (p) {
    for (;;) {
      p.ws();
      if (p.peek() === "trailer") {
        p.ws();
        p.i += 7;
        var dict = p.value(0);
        if (!isDict(dict)) throw new Error("no trailer dictionary");
        return dict;
      }
      var first = Number(p.token());
      p.ws();
      var count = Number(p.token());
      if (!(first >= 0) || !(count >= 0)) throw new Error("a damaged cross-reference table");
      for (var k = 0; k < count; k++) {
        p.ws();
        var off = Number(p.token());
        p.ws();
        p.token();
        p.ws();
        var type = p.token();
        if (type !== "n" && type !== "f") throw new Error("a damaged cross-reference entry");
        this.enter(first + k, type === "n" ? { off: off } : { free: true });
      }
    }
  };

  Doc.prototype.xrefStream = function (dict, data) {
    var w = dict.W;
    if (!Array.isArray(w) || w.length !== 3) throw new Error("a cross-reference stream without /W");
    var index = Array.isArray(dict.Index) ? dict.Index : [0, dict.Size];
    var width = w[0] + w[1] + w[2];
    var at = 0;
    function field(n, fallback) {
      if (!n) return fallback;
      var v = 0;
      for (var i = 0; i < n; i++) v = v * 256 + data.charCodeAt(at++);
      return v;
    }
    for (var r = 0; r + 1 < index.length; r += 2) {
      for (var k = 0; k < index[r + 1]; k++) {
        if (at + width > data.length) throw new Error("a short cross-reference stream");
        var type = field(w[0], 1);
        var a = field(w[1], 0);
        var b = field(w[2], 0);
        var num = index[r] + k;
        if (type === 1) this.enter(num, { off: a });
        else if (type === 2) this.enter(num, { stm: a, index: b });
        else this.enter(num, { free: true });
      }
    }
  };

  /** Every object stream of the file, inflated and checked against the budgets (as
   * crates/pdf/src/guard.rs checks them while lopdf loads every object): its members count
   * as objects, each member the bytes from its start to the stream's end. So every object
   * the sections list is built here, once (lopdf builds them all too). */
  Doc.prototype.checkObjectStreams = function () {
    var self = this;
    var numbers = [];
    var known = Object.create(null);
    for (var num in this.entries) {
      var e = this.entries[num];
      var n = e.stm !== undefined ? e.stm : Number(num);
      var o = e.stm !== undefined || e.off !== undefined ? this.object(new Ref(n)) : null;
      if (o instanceof Stream && o.dict.Type instanceof Name && o.dict.Type.n === "ObjStm" && !known[n]) {
        known[n] = true;
        numbers.push(n);
      }
    }
    var members = this.listed;
    return numbers.reduce(function (done, c) {
      return done.then(function () {
        var stream = self.object(new Ref(c));
        if (!(stream instanceof Stream)) return;
        var left = self.limit("inflated") - self.inflated;
        return decoded(stream, left).then(function (text) {
          var first = typeof stream.dict.First === "number" && stream.dict.First <= text.length ? stream.dict.First : text.length;
          var header = text.slice(0, first).split(/[\0\t\n\f\r ]+/).filter(Boolean);
          var body = text.length - first;
          var cost = 0;
          var offsets = [];
          for (var i = 0; i + 1 < header.length; i += 2) {
            if (++members > self.limit("pdf_objects")) throw new Refused("pdf_objects");
            // A member the sections do not list is an object too (lopdf adds it, never
            // replacing a listed one).
            var num = Number(header[i]);
            if (/^\d+$/.test(header[i]) && !(num in self.entries)) self.entries[num] = { stm: c, index: i / 2 };
            var off = /^\d+$/.test(header[i + 1]) ? Number(header[i + 1]) : body;
            offsets.push(off);
            cost += Math.max(0, body - off);
          }
          self.inflated += text.length + cost;
          if (self.inflated > self.limit("inflated")) throw new Refused("inflated");
          self.containers[c] = { text: text, first: first, offsets: offsets };
        }, function (e) {
          if (e && e.budget) throw new Refused(e.budget);
          // A damaged object stream: its objects stay unknown, as for lopdf.
        });
      });
    }, Promise.resolve());
  };

  /** The object `o` names (itself when it is no reference), built once; null when unknown
   * or when asked for while it is being built (a cycle). */
  Doc.prototype.object = function (o) {
    if (!(o instanceof Ref)) return o;
    var num = o.num;
    if (num in this.cache) return this.cache[num];
    if (this.building[num]) return null;
    this.building[num] = true;
    var value = null;
    try {
      value = this.build(num);
    } catch (e) {
      value = null;
    }
    delete this.building[num];
    this.cache[num] = value;
    return value;
  };

  Doc.prototype.build = function (num) {
    var e = this.entries[num];
    if (!e || e.free) return null;
    var self = this;
    if (e.off !== undefined) {
      return new Parser(this.s, e.off).indirect(num, function (l) {
        return self.object(l);
      });
    }
    var c = this.containers[e.stm];
    if (!c || e.index >= c.offsets.length) return null;
    return new Parser(c.text, c.first + c.offsets[e.index]).value(0);
  };

  /** The file of `bytes` with its sections read and its object streams checked. */
  function open(bytes, budgets) {
    var s = latin1(bytes);
    if (s.slice(0, 5) !== "%PDF-") return Promise.reject(new Error("no PDF header"));
    var doc = new Doc(s, budgets);
    return Promise.resolve()
      .then(function () {
        return doc.sections();
      })
      .then(function () {
        return doc.checkObjectStreams();
      })
      .then(function () {
        return {
          trailer: doc.trailer,
          get: function (o) {
            return doc.object(o);
          },
        };
      });
  }

  root.FormwerkPdfFile = {
    open: open,
    Refused: Refused,
    Name: Name,
    Ref: Ref,
    Stream: Stream,
    Parser: Parser,
    isDict: isDict,
    latin1: latin1,
    decoded: decoded,
  };
})(typeof window !== "undefined" ? window : globalThis);
