/* Formwerk: computed fields recalculated in the PDF reader, as src/form/eval.rs does on
   import. Numbers are whole millionths kept exact within 2^53 (about nine billion); beyond
   that a value is left empty. null: no value; true/false: a comparison; an array: a column. */
var FW = {
  M: 9007199254740991,
  k: function (n) {
    return typeof n === "number" && Math.abs(n) <= FW.M ? (n === 0 ? 0 : n) : null;
  },
  N: function (x) {
    return typeof x === "number";
  },
  B: function (x) {
    return typeof x === "boolean";
  },
  trim: function (s) {
    return String(s).replace(/^\s+|\s+$/g, "");
  },
  /* "-12.5", at most six places, in millionths */
  dec: function (s) {
    var m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(s), f;
    if (!m) return null;
    f = m[3] || "";
    m[2] = FW.k(Number(m[2]) * 1e6 + Number(f + "000000".slice(f.length)));
    return m[2] === null ? null : FW.k(m[1] ? -m[2] : m[2]);
  },
  /* a number as an answers file stores it, in millionths (six places) */
  fix: function (x) {
    return isFinite(x) && Math.abs(x) < 1e21 ? FW.dec(x.toFixed(6)) : null;
  },
  /* a table cell as typed: "1.234,56", "1234,5", "1234.5", "1.234" (dots in threes are
     thousands) */
  de: function (t) {
    var neg, body, i, a, b, g, j, frac = "", d = /^\d+$/;
    t = FW.trim(t);
    neg = t.charAt(0) === "-";
    body = neg ? FW.trim(t.slice(1)) : t;
    i = body.indexOf(",");
    if (i >= 0) {
      frac = body.slice(i + 1);
      body = body.slice(0, i);
      if (!d.test(frac)) return null;
    } else {
      i = body.indexOf(".");
      a = body.slice(0, i);
      b = body.slice(i + 1);
      if (i >= 0 && !(b.indexOf(".") >= 0 || (b.length === 3 && a.length <= 3))) {
        if (!d.test(a) || !d.test(b)) return null;
        body = a;
        frac = b;
      }
    }
    g = body.split(".");
    if (g.length === 1 ? !d.test(body) : !/^\d{1,3}$/.test(g[0])) return null;
    for (j = 1; j < g.length; j++) if (!/^\d{3}$/.test(g[j])) return null;
    a = FW.dec(g.join("") + (frac ? "." + frac : ""));
    return a === null ? null : FW.k(neg ? -a : a);
  },
  /* a number field or cell as typed, as the import reads it (src/pdf/values.rs
     parse_number): German, spaces ignored */
  pn: function (t) {
    return FW.de(String(t).replace(/[\s\u00a0]/g, ""));
  },
  /* the text of each table cell as typed (its keystroke action on commit) or shown (its
     format action, also when the document opens): pdf.js turns "1.500" into the number 1.5
     and keeps the text from scripts, but hands it to these actions */
  t: {},
  keep: function (e) {
    if (typeof e.value === "string" && (e.name !== "Keystroke" || e.willCommit)) FW.t[e.target.name] = e.value;
  },
  /* a field's text, or the number a reader made of it ("1,5" in pdf.js); null when empty */
  get: function (d, name) {
    var f = d.getField(name), v, s, t = FW.t[name];
    if (!f) return null;
    v = f.value;
    s = f.valueAsString;
    if (FW.N(v) && typeof t === "string" && parseFloat(FW.trim(t).replace(",", ".")) === v) return t;
    if (FW.N(v) && (typeof s !== "string" || s === String(v))) return v;
    s = typeof s === "string" ? s : String(v);
    return FW.trim(s) === "" ? null : s;
  },
  /* a number field: empty or unreadable counts 0 */
  n: function (d, name) {
    var v = FW.get(d, name);
    v = v === null ? null : FW.N(v) ? FW.fix(v) : FW.pn(v);
    return v === null ? 0 : v;
  },
  /* a column: the readable cells of rows 1 to `rows` */
  col: function (d, t, c, rows) {
    var out = [], r, v;
    for (r = 1; r <= rows; r++) {
      v = FW.get(d, t + "." + r + "." + c);
      v = v === null ? null : FW.N(v) ? FW.fix(v) : FW.pn(v);
      if (v !== null) out.push(v);
    }
    return out;
  },
  /* whether a field shows: its choice, box or text is `eq` */
  is: function (d, name, eq) {
    var f = d.getField(name);
    return !!f && (String(f.value) === eq || f.valueAsString === eq);
  },
  neg: function (a) {
    return FW.N(a) ? FW.k(-a) : null;
  },
  add: function (a, b) {
    return FW.N(a) && FW.N(b) ? FW.k(a + b) : null;
  },
  sub: function (a, b) {
    return FW.N(a) && FW.N(b) ? FW.k(a - b) : null;
  },
  /* a * b / 10^6, half away from zero, from parts that stay exact */
  mul: function (a, b) {
    var x, y, x0, y0, x1, y1, p;
    if (!FW.N(a) || !FW.N(b)) return null;
    x = Math.abs(a);
    y = Math.abs(b);
    x0 = x % 1e6;
    y0 = y % 1e6;
    x1 = (x - x0) / 1e6;
    y1 = (y - y0) / 1e6;
    p = x0 * y0;
    p = x1 * y1 * 1e6 + x1 * y0 + x0 * y1 + (p - (p % 1e6)) / 1e6 + (p % 1e6 >= 5e5 ? 1 : 0);
    return FW.k(a < 0 !== b < 0 ? -p : p);
  },
  /* a * 10^6 / b, half away from zero, by long division with remainders below b */
  div: function (a, b) {
    var x, y, r, q, i, j, t, dg;
    if (!FW.N(a) || !FW.N(b) || b === 0) return null;
    x = Math.abs(a);
    y = Math.abs(b);
    r = x % y;
    q = (x - r) / y;
    for (i = 0; i < 6; i++) {
      t = 0;
      dg = 0;
      for (j = 0; j < 10; j++) {
        if (t >= y - r) {
          t -= y - r;
          dg++;
        } else t += r;
      }
      q = q * 10 + dg;
      r = t;
    }
    if (r >= y - r) q++;
    return FW.k(a < 0 !== b < 0 ? -q : q);
  },
  cmp: function (op, a, b) {
    if (!FW.N(a) || !FW.N(b)) return null;
    return op === "==" ? a === b : op === "!=" ? a !== b : op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
  },
  and: function (a, b) {
    return FW.B(a) && FW.B(b) ? a && b : null;
  },
  or: function (a, b) {
    return FW.B(a) && FW.B(b) ? a || b : null;
  },
  iff: function (c, a, b) {
    return c === true ? a() : c === false ? b() : null;
  },
  /* to `p` places, half away from zero */
  round: function (n, p) {
    var s = Math.pow(10, 6 - p), h = (s - (s % 2)) / 2, m;
    if (!FW.N(n)) return null;
    m = Math.abs(n) + h;
    m = m - (m % s);
    return FW.k(n < 0 ? -m : m);
  },
  /* sum, min or max of numbers and columns */
  agg: function (f, args) {
    var all = [], i, j, v;
    for (i = 0; i < args.length; i++) {
      v = args[i];
      if (FW.N(v)) all.push(v);
      else if (v instanceof Array) for (j = 0; j < v.length; j++) all.push(v[j]);
      else return null;
    }
    if (f === "sum") {
      v = 0;
      for (i = 0; i < all.length && v !== null; i++) v = FW.add(v, all[i]);
      return v;
    }
    if (!all.length) return null;
    v = all[0];
    for (i = 1; i < all.length; i++) v = f === "min" ? Math.min(v, all[i]) : Math.max(v, all[i]);
    return v;
  },
  /* ---- what is typed, checked as the form page checks it (form-rules.js); the messages
     come from the theme's strings, handed in by each field's action ---- */
  E: /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/,
  T: /^\+?[0-9 ()\/-]+$/,
  /* a message in the reader's dialog (Acrobat, Chromium, Firefox; a reader without one
     still refuses the value) */
  say: function (msg) {
    try {
      app.alert({ cMsg: msg, nIcon: 1 });
    } catch (x) {
      /* no dialog in this reader */
    }
  },
  /* a keystroke: the characters `ok` allows while typing; on commit `done(text)` gives the
     value to keep, or null to refuse it with `msg` */
  key: function (e, ok, done, msg) {
    var v, r;
    if (!e.willCommit) {
      e.rc = ok.test(e.change);
      return;
    }
    v = e.value === undefined || e.value === null ? "" : String(e.value);
    if (FW.trim(v) === "") return;
    r = done(v);
    if (r === null) {
      FW.say(typeof msg === "function" ? msg() : msg);
      e.rc = false;
      return;
    }
    e.value = r;
    if (e.target && e.target.name !== undefined) FW.t[e.target.name] = r;
  },
  /* a number field or cell: digits, sign, separators; kept as "1234,5". With `places`
     (not null) more decimal places are refused with `many` ("12,345" for 12.345 €). */
  numK: function (e, msg, places, many) {
    var err = msg;
    FW.key(
      e,
      /^[0-9.,\- \u00a0]*$/,
      function (v) {
        var n = FW.pn(v);
        if (n === null) return null;
        if (places !== null && FW.round(n, places) !== n) {
          err = many;
          return null;
        }
        return FW.show(n, null).replace(/\./g, "");
      },
      function () {
        return err;
      }
    );
  },
  /* within min and max (numbers as written in the form; null: no bound) */
  range: function (e, min, max, low, high) {
    var v = e.value, n;
    if (v === undefined || v === null || FW.trim(String(v)) === "") return;
    n = FW.N(v) ? FW.fix(v) : FW.pn(String(v));
    if (n === null) return;
    if (min !== null && n < FW.fix(min)) {
      FW.say(low);
      e.rc = false;
    } else if (max !== null && n > FW.fix(max)) {
      FW.say(high);
      e.rc = false;
    }
  },
  /* a number shown the German way with its places ("1.234,50"); the unit stands beside */
  numF: function (e, places) {
    var v, t, n;
    FW.keep(e);
    v = e.value;
    t = e.target ? FW.t[e.target.name] : undefined;
    if (FW.N(v) && typeof t === "string" && FW.pn(t) === FW.fix(v)) v = t;
    if (v === undefined || v === null || FW.trim(String(v)) === "") return;
    n = FW.N(v) ? FW.fix(v) : FW.pn(String(v));
    if (n !== null) e.value = FW.show(n, places);
  },
  /* a date TT.MM.JJJJ (or 2026-03-01) that is in the calendar; kept as 01.03.2026 */
  date: function (v) {
    var m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(FW.trim(v)), d, mo, y, days;
    if (!m) {
      m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(FW.trim(v));
      if (!m) return null;
      m = [m[0], m[3], m[2], m[1]];
    }
    d = Number(m[1]);
    mo = Number(m[2]);
    y = Number(m[3]);
    days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1]) return null;
    return (d < 10 ? "0" : "") + d + "." + (mo < 10 ? "0" : "") + mo + "." + m[3];
  },
  dateK: function (e, msg) {
    FW.key(e, /^[0-9.\-]*$/, FW.date, msg);
  },
  /* an e-mail address or a telephone number, as the page checks them */
  mailK: function (e, msg) {
    FW.key(
      e,
      /^/,
      function (v) {
        return FW.E.test(FW.trim(v)) ? FW.trim(v) : null;
      },
      msg
    );
  },
  telK: function (e, msg) {
    FW.key(
      e,
      /^[0-9 ()\/+\-]*$/,
      function (v) {
        return FW.T.test(FW.trim(v)) && v.replace(/\D/g, "").length >= 3 ? FW.trim(v) : null;
      },
      msg
    );
  },
  /* the messages of the [[checks]] whose rule is false: [[rule value, message], …] */
  failed: function (list) {
    var out = [], i;
    for (i = 0; i < list.length; i++) if (list[i][0] === false) out.push(list[i][1]);
    return out;
  },
  /* whether one of the fields `names` has a value (a text, a chosen box) */
  filled: function (d, names) {
    var i, f, v;
    for (i = 0; i < names.length; i++) {
      f = d.getField(names[i]);
      v = f ? f.valueAsString : "";
      if (v !== undefined && v !== null && FW.trim(String(v)) !== "" && v !== "Off") return true;
    }
    return false;
  },
  /* before printing or saving: the required fields left empty ([names, message], and for a
     row or entry the form does not ask for, the names of its fields: required only once one
     of them is filled) and the failed checks (the text of the check field `checks`), in one
     message */
  missing: function (d, required, title, checks) {
    var out = [], i, c, r;
    for (i = 0; i < required.length; i++) {
      r = required[i];
      if (r[2] && !FW.filled(d, r[2])) continue;
      if (!FW.filled(d, r[0])) out.push(r[1]);
    }
    c = checks ? d.getField(checks) : null;
    if (c && c.valueAsString) out = out.concat(String(c.valueAsString).split("\n"));
    if (out.length) FW.say(title + "\n\n" + out.join("\n"));
  },
  /* shown the German way: "1.234,56"; empty without a value */
  show: function (n, places) {
    var a, r, i, f;
    if (!FW.N(n)) return "";
    if (places !== null) n = FW.round(n, places);
    if (n === null) return "";
    a = Math.abs(n);
    r = a % 1e6;
    i = String((a - r) / 1e6).replace(/\B(?=(\d{3})+$)/g, ".");
    f = String(1e6 + r).slice(1);
    f = places !== null ? f.slice(0, places) : f.replace(/0+$/, "");
    return (n < 0 ? "-" : "") + i + (f ? "," + f : "");
  }
};
