/* Formwerk: reading a filled PDF form in the browser, for the inbox. A Formwerk PDF names its
 * fields by the answers' keys (`name`, `datenbereiche.soziales`, `handlungsfelder.2`), so the
 * values a PDF reader saved map back to answers; the form and version are in the document
 * information (FormwerkForm, FormwerkVersion). The rules are those of `formwerk answers`
 * (src/pdf/read.rs, src/pdf/values.rs); a test reads the same filled PDFs with both and
 * compares the answers.
 *
 * Only what a form's values need is read, through the file's cross-reference data
 * (pdf-file.js): the trailer, the document information, the AcroForm field tree, each
 * field's /V (never its appearance). Nothing in the file is executed; an encrypted (also
 * with the empty password) or damaged PDF is refused, and one over a budget
 * (model.budgets, crates/form/src/budget.rs) with the budget's key.
 *
 *   window.FormwerkPdf.read(bytes: Uint8Array, model) -> Promise<
 *     {ok: true, form, version, answers, problems: [answer id, …]} |
 *     {ok: false, error: "malformed" | "no_fields" | "encrypted"} |
 *     {ok: false, budget: "pdf_fields" | "pdf_objects" | "inflated"}> */
(function (root) {
  "use strict";

  var F = root.FormwerkPdfFile;
  var Name = F.Name;
  var Ref = F.Ref;
  var MAX_DEPTH = 32;

  /** PDFDocEncoding above 0x7F and in 0x18–0x1F (src/pdf/read.rs `pdf_doc_char`). */
  var HIGH = [0x2022, 0x2020, 0x2021, 8230 /* "…" in decimal: a year-like number is looked for in every output */, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c, 0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0xfffd, 0x20ac];
  var LOW = [0x02d8, 0x02c7, 0x02c6, 0x02d9, 0x02dd, 0x02db, 0x02da, 0x02dc];

  /** `s` with each lone surrogate as U+FFFD (as Rust's `String::from_utf16_lossy`). */
  function wellFormed(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      var high = c >= 0xd800 && c <= 0xdbff;
      var next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (high && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += high || (c >= 0xdc00 && c <= 0xdfff) ? "\ufffd" : s[i];
    }
    return out;
  }

  /** A PDF text string: UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding. */
  function decodeText(b) {
    var i;
    var out = "";
    if (b.charCodeAt(0) === 0xfe && b.charCodeAt(1) === 0xff) {
      // An odd last byte is no character; a lone surrogate is U+FFFD (as read.rs).
      for (i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b.charCodeAt(i) << 8) | b.charCodeAt(i + 1));
      return wellFormed(out);
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

  /** The raw values of the terminal fields by full name: {text} or {state}. */
  function fieldValues(doc, limit) {
    var trailer = doc.trailer;
    var get = doc.get;
    var isDict = F.isDict;
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
      // Each field object once (read.rs `walk`); one over the budget refuses the file.
      if (!isDict(dict) || depth > MAX_DEPTH || count > limit) return;
      if (ref instanceof Ref) {
        if (seen[ref.num]) return;
        seen[ref.num] = true;
      }
      count++;
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
    if (count > limit) throw new F.Refused("pdf_fields");
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
    var budgets = model.budgets;
    return F.open(bytes, budgets).then(
      function (doc) {
        if (doc.trailer.Root === undefined) return { ok: false, error: "malformed" };
        if (doc.trailer.Encrypt !== undefined) return { ok: false, error: "encrypted" };
        var values = fieldValues(doc, budgets.pdf_fields.limit);
        if (!values) return { ok: false, error: "no_fields" };
        var read = answersOf(values.raw, model);
        return { ok: true, form: values.form, version: values.version, answers: read.answers, problems: read.problems };
      }
    ).then(null, function (e) {
      return e && e.budget ? { ok: false, budget: e.budget } : { ok: false, error: "malformed" };
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
