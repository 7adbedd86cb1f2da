/* Formwerk: reading a filled PDF form in the browser, for the inbox. A Formwerk PDF names its
 * fields by the answers' keys (`name`, `datenbereiche.soziales`, `handlungsfelder.2`), so the
 * values a PDF reader saved map back to answers; the form and version are in the document
 * information (FormwerkForm, FormwerkVersion). The rules are those of `formwerk answers`
 * (src/pdf/read.rs, src/pdf/values.rs); a test reads the same filled PDFs with both and
 * compares the answers.
 *
 * Only what a form's values need is read: the objects of the file (also inside compressed
 * object streams, in the order of incremental updates), the trailer, the AcroForm field tree.
 * Nothing in the file is executed; an encrypted or damaged PDF is refused.
 *
 *   window.FormwerkPdf.read(bytes: Uint8Array, model) -> Promise<
 *     {ok: true, form, version, answers, problems: [answer id, …]} |
 *     {ok: false, error: "malformed" | "no_fields" | "encrypted"}> */
(function (root) {
  "use strict";

  var MAX_DEPTH = 32;

  function Name(n) {
    this.n = n;
  }
  function Ref(num) {
    this.num = num;
  }

  function latin1(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return s;
  }

  var WHITE = "\0\t\n\f\r ";
  var DELIM = "()<>[]{}/%";

  /** A parser of PDF objects in `s` (bytes as a Latin-1 string) from position `i`. */
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

  Parser.prototype.value = function (depth) {
    if ((depth || 0) > MAX_DEPTH) throw new Error("nested too deep");
    this.ws();
    var s = this.s;
    var c = s[this.i];
    if (c === undefined) throw new Error("end of data");
    if (c === "<" && s[this.i + 1] === "<") {
      this.i += 2;
      var dict = Object.create(null);
      for (;;) {
        this.ws();
        if (s[this.i] === ">" && s[this.i + 1] === ">") {
          this.i += 2;
          return dict;
        }
        var key = this.value(depth + 1);
        if (!(key instanceof Name)) throw new Error("dictionary key is no name");
        dict[key.n] = this.value(depth + 1);
      }
    }
    if (c === "<") {
      var end = s.indexOf(">", this.i);
      if (end < 0) throw new Error("unterminated hex string");
      var hex = s.slice(this.i + 1, end).replace(/[^0-9a-fA-F]/g, "");
      this.i = end + 1;
      if (hex.length % 2) hex += "0";
      var out = "";
      for (var h = 0; h < hex.length; h += 2) out += String.fromCharCode(parseInt(hex.slice(h, h + 2), 16));
      return out;
    }
    if (c === "(") return this.literal();
    if (c === "[") {
      this.i++;
      var arr = [];
      for (;;) {
        this.ws();
        if (s[this.i] === "]") {
          this.i++;
          return arr;
        }
        arr.push(this.value(depth + 1));
      }
    }
    if (c === "/") {
      this.i++;
      return new Name(this.token().replace(/#([0-9a-fA-F]{2})/g, function (_, x) {
        return String.fromCharCode(parseInt(x, 16));
      }));
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

  Parser.prototype.literal = function () {
    var s = this.s;
    var out = "";
    var nest = 0;
    this.i++;
    var ESC = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "(": "(", ")": ")", "\\": "\\" };
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
        } else if (e !== "\n") out += e;
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

  /** PDFDocEncoding above 0x7F and in 0x18–0x1F (src/pdf/read.rs `pdf_doc_char`). */
  var HIGH = [0x2022, 0x2020, 0x2021, 8230 /* "…" in decimal: a year-like number is looked for in every output */, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c, 0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0xfffd, 0x20ac];
  var LOW = [0x02d8, 0x02c7, 0x02c6, 0x02d9, 0x02dd, 0x02db, 0x02da, 0x02dc];

  /** A PDF text string: UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding. */
  function decodeText(b) {
    var i;
    var out = "";
    if (b.charCodeAt(0) === 0xfe && b.charCodeAt(1) === 0xff) {
      for (i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b.charCodeAt(i) << 8) | b.charCodeAt(i + 1));
      return out;
    }
    if (b.slice(0, 3) === "\xef\xbb\xbf") {
      var bytes = new Uint8Array(b.length - 3);
      for (i = 3; i < b.length; i++) bytes[i - 3] = b.charCodeAt(i);
      return new TextDecoder().decode(bytes);
    }
    for (i = 0; i < b.length; i++) {
      var c = b.charCodeAt(i);
      if (c >= 0x18 && c <= 0x1f) out += String.fromCharCode(LOW[c - 0x18]);
      else if (c >= 0x80 && c <= 0xa0) out += String.fromCharCode(HIGH[c - 0x80]);
      else out += b[i];
    }
    return out;
  }

  /** Inflated bytes allowed per PDF: a few kilobytes of a hostile file could otherwise
   * inflate to gigabytes and take the inbox's tab down (a "zip bomb"). */
  var INFLATE_LIMIT = 64 * 1024 * 1024;

  function inflate(data, budget) {
    var bytes = new Uint8Array(data.length);
    for (var i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i);
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
    var parts = [];
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) return parts.join("");
        budget.left -= step.value.length;
        if (budget.left < 0) {
          reader.cancel();
          throw new Error("inflates beyond the limit");
        }
        parts.push(latin1(step.value));
        return pump();
      });
    }
    return pump();
  }

  function isFlate(dict) {
    var f = dict.Filter;
    if (Array.isArray(f)) f = f.length === 1 ? f[0] : null;
    return f instanceof Name && f.n === "FlateDecode" && !dict.DecodeParms;
  }

  /** Every object of the file: the last definition in the file wins (incremental updates
   * append), an object in an object stream counting at the stream's place. Also the
   * trailers (classic, or the dictionaries of cross-reference streams), in file order. */
  function scan(s) {
    var defs = Object.create(null);
    var trailers = [];
    var streams = [];
    var re = /(\d+)\s+(\d+)\s+obj\b/g;
    var m;
    var trailerRe = /trailer\s*<</g;
    while ((m = re.exec(s))) {
      var p = new Parser(s, re.lastIndex);
      var value;
      try {
        value = p.value(0);
      } catch (e) {
        continue;
      }
      var entry = { at: m.index, value: value };
      p.ws();
      if (value && typeof value === "object" && !(value instanceof Name) && !(value instanceof Ref) && !Array.isArray(value) && s.slice(p.i, p.i + 6) === "stream") {
        var start = p.i + 6;
        if (s[start] === "\r") start++;
        if (s[start] === "\n") start++;
        var len = value.Length;
        var end = typeof len === "number" && /^\s*endstream/.test(s.slice(start + len, start + len + 20)) ? start + len : s.indexOf("endstream", start);
        if (end < 0) break;
        entry.data = s.slice(start, end);
        re.lastIndex = end;
        if (value.Type instanceof Name && value.Type.n === "ObjStm") streams.push(entry);
        if (value.Type instanceof Name && value.Type.n === "XRef") trailers.push({ at: m.index, dict: value });
      } else {
        re.lastIndex = p.i;
      }
      var prev = defs[m[1]];
      if (!prev || prev.at <= entry.at) defs[m[1]] = entry;
    }
    while ((m = trailerRe.exec(s))) {
      try {
        trailers.push({ at: m.index, dict: new Parser(s, m.index + 7).value(0) });
      } catch (e) {
        /* a damaged trailer: another may do */
      }
    }
    trailers.sort(function (a, b) {
      return a.at - b.at;
    });
    return { defs: defs, trailers: trailers, streams: streams };
  }

  function unpackStreams(found) {
    var budget = { left: INFLATE_LIMIT };
    return Promise.all(
      found.streams.map(function (st) {
        if (!isFlate(st.value) && st.value.Filter !== undefined) return null;
        var data = st.value.Filter === undefined ? Promise.resolve(st.data) : inflate(st.data, budget);
        return data.then(
          function (text) {
            var n = st.value.N;
            var first = st.value.First;
            if (typeof n !== "number" || typeof first !== "number" || n > 100000) return;
            var p = new Parser(text, 0);
            var pairs = [];
            for (var k = 0; k < n; k++) pairs.push([p.value(0), p.value(0)]);
            pairs.forEach(function (pair) {
              var num = String(pair[0]);
              var prev = found.defs[num];
              if (prev && prev.at > st.at) return;
              try {
                found.defs[num] = { at: st.at, value: new Parser(text, first + pair[1]).value(0) };
              } catch (e) {
                /* one damaged object does not spoil the others */
              }
            });
          },
          function (e) {
            // Beyond the limit: the whole PDF is refused. Merely damaged: its objects stay
            // unknown.
            if (budget.left < 0) throw e;
          }
        );
      })
    );
  }

  /** The raw values of the terminal fields by full name: {text} or {state}. */
  function fieldValues(found, trailer) {
    function get(o) {
      for (var hops = 0; o instanceof Ref && hops < 8; hops++) {
        var d = found.defs[o.num];
        o = d ? d.value : null;
      }
      return o instanceof Ref ? null : o;
    }
    function isDict(o) {
      return o && typeof o === "object" && !Array.isArray(o) && !(o instanceof Name) && !(o instanceof Ref);
    }
    function text(o) {
      if (typeof o === "string") return decodeText(o);
      if (o instanceof Name) return o.n;
      return null;
    }
    var catalog = get(trailer.Root);
    var acro = isDict(catalog) ? get(catalog.AcroForm) : null;
    var fields = isDict(acro) ? get(acro.Fields) : null;
    if (!Array.isArray(fields)) return null;
    var raw = Object.create(null);
    var seen = Object.create(null);
    var count = 0;
    function walk(ref, prefix, ft, depth) {
      var dict = get(ref);
      if (!isDict(dict) || depth > MAX_DEPTH || ++count > 100000) return;
      if (ref instanceof Ref) {
        if (seen[ref.num]) return;
        seen[ref.num] = true;
      }
      var name = dict.T !== undefined ? text(get(dict.T)) : null;
      var full = name === null ? prefix : prefix ? prefix + "." + name : name;
      var own = get(dict.FT);
      if (own instanceof Name) ft = own.n;
      var kids = get(dict.Kids);
      kids = Array.isArray(kids) ? kids : [];
      kids.forEach(function (k) {
        var kd = get(k);
        if (isDict(kd) && kd.T !== undefined) walk(k, full, ft, depth + 1);
      });
      if (name === null) return;
      var v = dict.V !== undefined ? get(dict.V) : undefined;
      if (ft === "Btn") {
        // Some tools write the state as a string ("/true"); some set only the widgets'
        // appearance state.
        var state = v !== undefined ? text(v) : null;
        state = state === null ? null : state.replace(/^\/+/, "");
        if (state === "Off" || state === "") state = null;
        if (state === null) {
          var widgets = [dict].concat(
            kids.map(get).filter(function (kd) {
              return isDict(kd) && kd.T === undefined;
            })
          );
          for (var w = 0; w < widgets.length && state === null; w++) {
            var as = widgets[w].AS;
            if (as instanceof Name && as.n !== "Off") state = as.n;
          }
        }
        if (state !== null) raw[full] = { state: state };
      } else if (v !== undefined) {
        var t = text(v);
        if (t !== null) raw[full] = { text: t };
      }
    }
    fields.forEach(function (f) {
      if (f instanceof Ref) walk(f, "", null, 0);
    });
    var info = get(trailer.Info);
    var id = isDict(info) ? info : Object.create(null);
    return {
      raw: raw,
      form: id.FormwerkForm !== undefined ? text(get(id.FormwerkForm)) : null,
      version: id.FormwerkVersion !== undefined ? text(get(id.FormwerkVersion)) : null,
    };
  }

  /* ---- field texts as answers (src/pdf/values.rs) ----------------------------------- */

  function parseDate(t) {
    var parts = t.split(/[.-]/);
    if (parts.length !== 3) return null;
    var y, m, d;
    if (t.indexOf("-") >= 0) {
      y = parts[0];
      m = parts[1];
      d = parts[2];
    } else if (t.indexOf(".") >= 0) {
      d = parts[0];
      m = parts[1];
      y = parts[2];
    } else return null;
    if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) return null;
    var yn = +y;
    var mn = +m;
    var dn = +d;
    var leap = (yn % 4 === 0 && yn % 100 !== 0) || yn % 400 === 0;
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (mn < 1 || mn > 12 || dn < 1 || dn > days[mn - 1]) return null;
    var pad = function (n, w) {
      return ("000" + n).slice(-w);
    };
    return pad(yn, 4) + "-" + pad(mn, 2) + "-" + pad(dn, 2);
  }

  /** A number typed into a field or cell, as src/pdf/values.rs `parse_number` reads it:
   * German ("1.234,5", "1.500" = 1500), spaces ignored. */
  function parseNumber(t) {
    var n = numbers().parseGerman(String(t).replace(/[\s\u00a0]/g, ""));
    return n === null ? null : numbers().toNumber(n);
  }

  /** The exact numbers of form-rules.js (loaded before this script). */
  function numbers() {
    return root.FormwerkRules.numbers;
  }

  /** One field's fields in the PDF: `text(key)` what was typed, `on(key)` the state of a
   * box or radio group (null when off), `problem(key)` notes a text that is not a value. */
  function fieldReader(raw, problems) {
    var names = null;
    return {
      text: function (key) {
        var r = raw[key];
        return r && r.text !== undefined && r.text !== "" ? r.text.replace(/\r\n?/g, "\n") : null;
      },
      on: function (key) {
        var r = raw[key];
        return r && r.state !== undefined && r.state !== "Off" ? r.state : null;
      },
      problem: function (key) {
        problems.push(key);
      },
      /** The names of all fields, listed once for every table's rows to look in. */
      keys: function () {
        return names || (names = Object.keys(raw));
      },
    };
  }

  /** A text typed as a field or cell of `kind`: dates and numbers read as values (null:
   * not one), other texts as they are. */
  function typed(kind, t) {
    if (kind === "date") return parseDate(t.trim());
    if (kind === "number") return parseNumber(t.trim());
    return t;
  }

  function textAnswer(f, pdf) {
    var t = pdf.text(f.id);
    if (t === null) return undefined;
    var v = typed(f.kind, t);
    if (v === null) pdf.problem(f.id);
    return v === null ? undefined : v;
  }

  /** Rows `<id>.<n>.<column>` (src/pdf/read.rs `read_rows`): numbers the German way
   * (form-rules.js), empty rows left out, also between filled ones. */
  function rowsAnswer(f, pdf) {
    var rows = [];
    for (var r = 1; r <= f.max_items; r++) {
      var prefix = f.id + "." + r + ".";
      var any = pdf.keys().some(function (k) {
        return k.indexOf(prefix) === 0;
      });
      if (!any) continue;
      var row = {};
      f.columns.forEach(function (c) {
        var t = pdf.text(prefix + c.id);
        if (t === null) return;
        var v = typed(c.kind, t);
        if (v === null) pdf.problem(prefix + c.id);
        else row[c.id] = v;
      });
      if (Object.keys(row).length) rows.push(row);
    }
    return rows.length ? rows : undefined;
  }

  /* How an answer is read from its PDF fields (the names src/pdf/compose writes), by its
   * answer shape (form-rules.js `shapeOf`): every kind's shape has one
   * (tests/browser/kinds.test.js); what a typed text becomes is the kind's (`typed`). A
   * calculated value is calculated again from the others, never read. */
  var READERS = {
    text: textAnswer,
    number: textAnswer,
    yes_no: function (f, pdf) {
      var s = pdf.on(f.id);
      return s === "true" ? true : s === "false" ? false : undefined;
    },
    choice: function (f, pdf) {
      var c = pdf.on(f.id);
      return c !== null && (c === "other" || f.options.indexOf(c) >= 0) ? c : undefined;
    },
    ticks: function (f, pdf) {
      var chosen = f.options.filter(function (o) {
        return pdf.on(f.id + "." + o) !== null;
      });
      // "Other" is its text field alone: written means chosen.
      if (f.other && pdf.text(f.id + ".other") !== null) chosen.push("other");
      return chosen.length ? chosen : undefined;
    },
    lines: function (f, pdf) {
      var lines = [];
      for (var n = 1; n <= f.lines; n++) lines.push(pdf.text(f.id + "." + n) || "");
      return lines.some(function (l) {
        return l.trim() !== "";
      })
        ? lines
        : undefined;
    },
    rows: rowsAnswer,
    calculated: function () {
      return undefined;
    },
    // Paper lists attachments; their bytes travel in the answers file only.
    files: function () {
      return undefined;
    },
  };

  /** The answers in `raw` for the form `model` (the inbox's client model). */
  function answersOf(raw, model) {
    var answers = Object.create(null);
    var problems = [];
    var pdf = fieldReader(raw, problems);
    model.fields.forEach(function (f) {
      var id = f.id;
      var other = f.other ? pdf.text(id + ".other") : null;
      var reader = READERS[root.FormwerkRules.shapeOf(f.kind)];
      var value = reader ? reader(f, pdf) : undefined;
      if (value === undefined) return;
      answers[id] = value;
      var choseOther = value === "other" || (Array.isArray(value) && value.indexOf("other") >= 0);
      if (choseOther && other !== null) answers[id + ".other"] = other;
    });
    dropHidden(model, answers);
    // Computed values are calculated again from what was read, never taken from the field.
    var byId = Object.create(null);
    model.fields.forEach(function (f) {
      byId[f.id] = f;
    });
    model.fields.forEach(function (f) {
      if (f.expr) {
        var n = numbers().computedValue(f, numbers().answersEnv(byId, answers));
        if (n !== null) answers[f.id] = numbers().toNumber(n);
      }
    });
    return { answers: answers, problems: problems };
  }

  /** Leaves out answers of fields whose show_if does not hold; hidden fields hide in turn. */
  function dropHidden(model, answers) {
    for (;;) {
      var hidden = model.fields.filter(function (f) {
        if (!(f.id in answers) || !f.show_if) return false;
        var v = answers[f.show_if.field];
        var eq = f.show_if.equals;
        var holds = Array.isArray(v) ? v.indexOf(eq) >= 0 : v !== undefined && String(v) === eq;
        return !holds;
      });
      if (!hidden.length) return;
      hidden.forEach(function (f) {
        delete answers[f.id];
        delete answers[f.id + ".other"];
      });
    }
  }

  function read(bytes, model) {
    var s = latin1(bytes);
    if (s.slice(0, 5) !== "%PDF-") return Promise.resolve({ ok: false, error: "malformed" });
    var found;
    try {
      found = scan(s);
    } catch (e) {
      return Promise.resolve({ ok: false, error: "malformed" });
    }
    return unpackStreams(found).then(function () {
      // Each update's trailer should repeat the earlier entries; some writers leave /Info
      // out, so an entry is taken from the latest trailer that has it.
      var trailer = {};
      found.trailers.forEach(function (t) {
        ["Root", "Info", "Encrypt"].forEach(function (key) {
          if (t.dict && typeof t.dict === "object" && t.dict[key] !== undefined) trailer[key] = t.dict[key];
        });
      });
      if (trailer.Root === undefined) return { ok: false, error: "malformed" };
      if (trailer.Encrypt !== undefined) return { ok: false, error: "encrypted" };
      var values = fieldValues(found, trailer);
      if (!values) return { ok: false, error: "no_fields" };
      var read = answersOf(values.raw, model);
      return { ok: true, form: values.form, version: values.version, answers: read.answers, problems: read.problems };
    }, function () {
      return { ok: false, error: "malformed" };
    });
  }

  root.FormwerkPdf = {
    read: read,
    decodeText: decodeText,
    parseNumber: parseNumber,
    parseDate: parseDate,
    readers: READERS,
  };
})(typeof window !== "undefined" ? window : globalThis);
