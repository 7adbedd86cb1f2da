/* Formwerk inbox ("Posteingang"): the receiving office drops answers files and filled PDF
 * forms onto the page or picks them; each file is opened with answers-file.js (checksum), each
 * PDF read with pdf-answers.js (its fields), and checked with form-rules.js (the
 * form page's own rules and messages) against the form model the build put into the page,
 * listed, and merged into one table that can be filtered, sorted and exported as CSV for
 * German Excel. Any application opens as a read-only, print-ready filled form. Works from
 * file://, sends nothing anywhere. */
(function () {
  "use strict";

  var A = window.FormwerkAnswers;
  var R = window.FormwerkRules;
  var modelElement = document.getElementById("formwerk-model");
  if (!A || !R || !modelElement) {
    return;
  }
  var model = JSON.parse(modelElement.textContent);
  var S = model.strings;
  var byId = R.index(model);
  var fmt = R.fmt;
  var identifyField = model.identify ? byId[model.identify] : null;
  var apps = [];
  var rows = [];
  document.documentElement.classList.add("js");

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function when(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) {
      return iso || "";
    }
    return pad(d.getDate()) + "." + pad(d.getMonth() + 1) + "." + d.getFullYear() + ", " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  /* ---- reading and checking one file ---------------------------------------------- */

  /** The message for a file answers-file.js refused (its codes: malformed,
   * unsupported_version, mismatch), as specific as `formwerk answers` is. */
  function reason(result) {
    var d = result.data;
    var object = d !== null && typeof d === "object" && !Array.isArray(d);
    if (result.error === "unsupported_version") {
      return fmt(S.reason_format_version, { version: String(d.format_version) });
    }
    if (/^pdf_/.test(result.error)) {
      return S["reason_" + result.error];
    }
    if (result.error === "mismatch") {
      return object && !("checksum" in d) ? S.reason_checksum_missing : S.reason_checksum_mismatch;
    }
    if (object && "format" in d && d.format !== window.FormwerkAnswers.FORMAT) {
      return S.reason_format;
    }
    return S.reason_malformed;
  }

  function refused(app, message) {
    app.status = "invalid";
    app.problems.push(message);
    return app;
  }

  function check(name, result) {
    var app = {
      file: name,
      status: "invalid",
      integrity: result.integrity,
      problems: [],
      identify: "",
      version: "",
      saved_at: "",
      answers: Object.create(null),
      extra: Object.create(null),
      duplicate: false,
    };
    var data = result.data;
    if (data && typeof data === "object" && !Array.isArray(data)) {
      app.version = typeof data.version === "string" ? data.version : "";
      app.saved_at = typeof data.saved_at === "string" ? data.saved_at : "";
    }
    if (!result.ok) {
      return refused(app, reason(result));
    }
    if (data.form !== model.id) {
      return refused(app, fmt(S.reason_foreign, { form: data.form }));
    }
    var same = data.version === model.version;
    var placed = R.place(byId, data.answers, S);
    var wrong = false;
    var missing = false;
    placed.keys.forEach(function (k, i) {
      app.extra[k.key] = data.answers[k.key];
      if (!k.unknown || same) {
        wrong = true;
        app.problems.push(placed.unplaced[i]);
      }
    });
    app.answers = placed.placed;
    // Computed values calculated again, and the checks (src/answers/read.rs does the same).
    R.recompute(byId, app.answers, S).forEach(function (m) {
      wrong = true;
      app.problems.push(m);
    });
    if (!app.problems.length) {
      R.failedChecks(model, R.numbers.answersEnv(byId, app.answers)).forEach(function (c) {
        wrong = true;
        app.problems.push(c.message);
      });
    }
    function get(f) {
      return R.answered(app.answers[f.id]);
    }
    model.fields.forEach(function (f) {
      if (!R.visible(byId, f, get)) {
        return;
      }
      var message = R.problem(f, get(f), S);
      if (message) {
        if (get(f) === undefined) {
          missing = true;
        } else {
          wrong = true;
        }
        app.problems.push(message);
      }
    });
    if (identifyField && app.answers[identifyField.id] !== undefined) {
      var v = app.answers[identifyField.id];
      app.identify = typeof v === "string" ? v.trim() : String(v);
    }
    app.status = wrong ? "wrong" : missing ? "incomplete" : "complete";
    return app;
  }

  /** „Label“ (key): how a problem names an answer, as `formwerk answers` does. */
  function described(key) {
    return R.describe(byId, key, S);
  }

  /** A file's bytes, at most the size budget's: read as a stream and given up one byte past
   * the budget (rejected with `formwerkBudget`), so that a file of gigabytes costs no more
   * than the budget. Its size is not asked first: that is a synchronous question to the
   * browser for each file (0.7 ms each, a third of reading 500 small files). */
  function boundedBytes(file) {
    var limit = model.budgets.size.limit;
    var reader = file.stream().getReader();
    var chunks = [];
    var total = 0;
    function more() {
      return reader.read().then(function (r) {
        if (r.done) {
          if (chunks.length === 1) return chunks[0].buffer.byteLength === total ? chunks[0].buffer : chunks[0].slice().buffer;
          var all = new Uint8Array(total);
          var at = 0;
          chunks.forEach(function (c) {
            all.set(c, at);
            at += c.byteLength;
          });
          return all.buffer;
        }
        total += r.value.byteLength;
        if (total > limit) {
          reader.cancel();
          var e = new Error("over the size budget");
          e.formwerkBudget = "size";
          throw e;
        }
        chunks.push(r.value);
        return more();
      });
    }
    return more();
  }

  /** The bytes of a dropped or picked file as the reader gets them: the one place where a
   * file's bytes go to the reader. */
  function bytesOf(file) {
    return boundedBytes(file).then(function (buffer) {
      // An encrypted submission (.jwe) is decrypted first, here (inbox-keys.js); a refusal
      // carries its reason (`formwerkReason`).
      var K = window.FormwerkInboxKeys;
      return K ? K.unseal(file.name, new Uint8Array(buffer)).then(function (bytes) {
        return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
      }) : buffer;
    });
  }

  /** A refused file with one message (a budget it broke, or unreadable). */
  function refusedWith(name, integrity, message) {
    var app = check(name, { ok: false, integrity: integrity, error: "malformed" });
    app.problems = [message];
    return app;
  }

  /** A filled PDF form as pdf-answers.js read it in the worker: its answers checked like an
   * answers file's; a PDF has no checksum, and a field text that is no answer (a date that
   * is none) is wrong. */
  function pdfApp(name, r) {
    if (!r.ok) {
      return check(name, { ok: false, integrity: "pdf", error: "pdf_" + r.error });
    }
    // A PDF whose reader dropped the document information is read as the current version.
    var data = { form: r.form || model.id, version: r.version || model.version, saved_at: "", answers: r.answers };
    var app = check(name, { ok: true, integrity: "pdf", data: data });
    if (app.status !== "invalid" && r.problems.length) {
      r.problems.forEach(function (key) {
        app.problems.push(fmt(S.unplaced_invalid, { field: described(key) }));
      });
      app.status = "wrong";
    }
    return app;
  }

  var PDF_BUDGETS = { pdf_fields: true, pdf_objects: true, inflated: true };

  /** What the worker's result for one file means as a row of the file list. */
  function fromResult(name, result) {
    if (result.unreadable) {
      return refusedWith(name, "missing", result.reason || S.reason_unreadable);
    }
    if (result.budget) {
      return refusedWith(name, PDF_BUDGETS[result.budget] ? "pdf" : "missing", model.budgets[result.budget].message);
    }
    return result.pdf ? pdfApp(name, result.pdf) : check(name, result);
  }

  /** An identifying answer as duplicates are compared, as crates/text/src/slug.rs
   * identity_key does: NFC, without the invisible characters the model names, white space as
   * one space, trimmed, lowercase ("Landkreis\u200b Göttingen" is "landkreis göttingen"). */
  function identityKey(text) {
    var invisible = model.invisible || "";
    var out = "";
    for (var c of String(text).normalize("NFC")) {
      if (invisible.indexOf(c) < 0) out += c;
    }
    return out.split(/\s+/).filter(Boolean).join(" ").toLowerCase();
  }

  function markDuplicates() {
    var counts = Object.create(null);
    apps.forEach(function (a) {
      if (a.status !== "invalid" && a.identify) {
        var k = identityKey(a.identify);
        counts[k] = (counts[k] || 0) + 1;
      }
    });
    apps.forEach(function (a) {
      a.duplicate = a.status !== "invalid" && !!a.identify && counts[identityKey(a.identify)] > 1;
    });
  }

  /* ---- the table's columns and cells (columns come from the build) ----------------- */

  var FIXED = [
    { label: S.col_file, id: "file", get: function (a) { return a.file; } },
    { label: identifyField ? identifyField.label : S.col_identify, id: "identify", get: function (a) { return a.identify; } },
    { label: S.col_version, id: "version", get: function (a) { return a.version; } },
    { label: S.col_saved, id: "saved_at", get: function (a) { return a.saved_at; } },
    { label: S.col_integrity, id: "checksum", get: integrityText },
    { label: S.col_status, id: "status", get: statusText },
  ].filter(function (c) {
    return c.id !== "identify" || identifyField;
  });

  function integrityText(a) {
    return S["integrity_" + a.integrity];
  }

  function statusText(a) {
    return S["status_" + a.status] + (a.duplicate ? ", " + S.status_duplicate : "");
  }

  /** Any value as text (extra columns), numbers with a decimal comma. */
  function plain(v) {
    if (typeof v === "string") {
      return v;
    }
    if (typeof v === "number") {
      return String(v).replace(".", ",");
    }
    if (Array.isArray(v) && v.some(function (x) { return x && typeof x === "object" && "content" in x; })) {
      // Attachments (of a question the form no longer has): listed, not their content.
      return v.map(R.listedFile).join("\n");
    }
    if (Array.isArray(v)) {
      return v.map(plain).join("\n");
    }
    return v === null || v === undefined ? "" : JSON.stringify(v);
  }

  /** A value of a column or a row's part: numbers German with their decimals and unit,
   * dates as day.month.year. */
  function shown(p, v) {
    var n = p.kind === "number" || p.kind === "computed" ? R.numbers.fromNumber(v) : null;
    if (n !== null) {
      return R.numbers.german(n, p.decimals, p.unit);
    }
    if (p.kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      return v.slice(8, 10) + "." + v.slice(5, 7) + "." + v.slice(0, 4);
    }
    return plain(v);
  }

  function cell(c, a) {
    var v = a.answers[c.key];
    if (v === undefined) {
      return "";
    }
    if (c.cell === "option") {
      return Array.isArray(v) && v.indexOf(c.option) >= 0 ? "x" : "";
    }
    if (c.cell === "rows") {
      // A table or group in one cell: a row per line, "Kostenart: Miete; Betrag: 1.200,00 €".
      return (Array.isArray(v) ? v : [])
        .map(function (row) {
          return c.parts
            .filter(function (p) {
              return row[p.id] !== undefined && String(row[p.id]).trim() !== "";
            })
            .map(function (p) {
              return p.label + ": " + shown(p, row[p.id]);
            })
            .join("; ");
        })
        .join("\n");
    }
    if (c.cell === "files") {
      // An attachment: its files by name, size and SHA-256, never their content.
      return (Array.isArray(v) ? v : []).map(R.listedFile).join("\n");
    }
    if (c.kind === "computed") {
      return shown(c, v);
    }
    if (c.cell === "lines") {
      var lines = v.slice();
      while (lines.length && String(lines[lines.length - 1]).trim() === "") {
        lines.pop();
      }
      return lines.join("\n");
    }
    var key = typeof v === "boolean" || typeof v === "string" ? String(v) : null;
    if (key !== null && Object.prototype.hasOwnProperty.call(c.labels, key)) {
      return c.labels[key];
    }
    if (c.kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      return v.slice(8, 10) + "." + v.slice(5, 7) + "." + v.slice(0, 4);
    }
    return plain(v);
  }

  function extraKeys() {
    var seen = Object.create(null);
    var keys = [];
    apps.forEach(function (a) {
      Object.keys(a.extra).forEach(function (k) {
        if (!seen[k]) {
          seen[k] = true;
          keys.push(k);
        }
      });
    });
    return keys;
  }

  /** Every column of the answers table: fixed, the form's, extra (older versions). */
  function allColumns() {
    var cols = FIXED.slice();
    model.columns.forEach(function (c) {
      cols.push({ label: c.label, id: c.id, get: function (a) { return cell(c, a); } });
    });
    extraKeys().forEach(function (k) {
      cols.push({
        label: fmt(S.extra_column, { version: model.version, key: k }),
        id: k,
        extra: true,
        get: function (a) { return a.extra[k] === undefined ? "" : plain(a.extra[k]); },
      });
    });
    return cols;
  }

  /* ---- showing ----------------------------------------------------------------------- */

  function summary() {
    var count = function (st) {
      return apps.filter(function (a) { return a.status === st; }).length;
    };
    return fmt(S.inbox_summary, {
      n: apps.length,
      complete: count("complete"),
      incomplete: count("incomplete"),
      wrong: count("wrong"),
      invalid: count("invalid"),
      duplicates: apps.filter(function (a) { return a.duplicate; }).length,
    });
  }

  /* ---- drawing long tables -------------------------------------------------------- */

  /** Rows of a table drawn at once; the rest follow LATER_ROWS at a time (with their
   * layout) whenever the page is idle, so that the summary and the first rows are there at
   * once and the page answers while 500 applications are drawn: a row of the table of
   * answers costs about 1 ms of layout, 35 cells, whatever the CSS (issue 28: 500 files
   * shown after 0.71 s instead of 1.53 s, the last row in after 1.38 s; bench/inbox.mjs). */
  var FIRST_ROWS = 50;
  var LATER_ROWS = 100;
  /** When the page is idle (after the frame that shows what was drawn, and after input). */
  var whenIdle = window.requestIdleCallback
    ? function (f) {
        var id = window.requestIdleCallback(f);
        return function () {
          window.cancelIdleCallback(id);
        };
      }
    : function (f) {
        var id = setTimeout(f, 0);
        return function () {
          clearTimeout(id);
        };
      };
  /** The rows of the answers table not drawn yet: {stop() drops them, now() draws them}. */
  var rest = null;

  /** Draws `items` as the rows of `table`'s body, `row(item)` each: the first FIRST_ROWS
   * now, the rest when idle, the table `aria-busy` until its last row is in. The rows a
   * call before had not drawn are dropped. */
  function fillRows(table, items, row) {
    var body = table.tBodies[0];
    var at = 0;
    function more(n) {
      var fragment = document.createDocumentFragment();
      for (var end = Math.min(items.length, at + n); at < end; at++) {
        fragment.appendChild(row(items[at]));
      }
      body.appendChild(fragment);
      rest = null;
      if (at < items.length) {
        table.setAttribute("aria-busy", "true");
        var stop = whenIdle(function () {
          more(LATER_ROWS);
          // Laid out now, in the idle time, rather than in the next frame.
          void table.offsetHeight;
        });
        rest = {
          stop: stop,
          now: function () {
            stop();
            more(Infinity);
          },
        };
      } else {
        table.removeAttribute("aria-busy");
      }
    }
    if (rest) {
      rest.stop();
    }
    body.textContent = "";
    more(FIRST_ROWS);
  }

  /** Printing the page while the table fills: every row first. */
  window.addEventListener("beforeprint", function () {
    if (rest) {
      rest.now();
    }
  });

  function rowClass(a) {
    return "status-" + a.status + (a.duplicate ? " duplicate" : "");
  }

  /** A file's row in the file list; `i` is its place in `apps`. */
  function fileRow(a, i) {
    var tr = el("tr", null, rowClass(a));
    var th = el("th", a.file);
    th.scope = "row";
    tr.appendChild(th);
    if (identifyField) {
      tr.appendChild(el("td", a.identify));
    }
    [a.version, when(a.saved_at), integrityText(a), statusText(a)].forEach(function (t) {
      tr.appendChild(el("td", t));
    });
    var problems = el("td");
    if (a.problems.length) {
      var ul = el("ul");
      a.problems.forEach(function (p) {
        ul.appendChild(el("li", p));
      });
      problems.appendChild(ul);
    }
    tr.appendChild(problems);
    var action = el("td");
    if (a.status !== "invalid") {
      var b = el("button", S.inbox_view, "button button-secondary");
      b.type = "button";
      b.setAttribute("data-view", String(i));
      b.setAttribute("aria-label", fmt(S.inbox_view_label, { name: a.identify || a.file }));
      action.appendChild(b);
    }
    tr.appendChild(action);
    return tr;
  }

  /** The file list, drawn as files come: rows are added for the files read since, and a
   * row drawn before is drawn again only when a later file made it a duplicate (drawing
   * the whole list again each time grew with the list; issue 28). */
  function renderFiles() {
    var body = $("inbox-file-list").tBodies[0];
    if (body.rows.length > apps.length) {
      body.textContent = "";
    }
    for (var i = 0; i < body.rows.length; i++) {
      if (body.rows[i].className !== rowClass(apps[i])) {
        body.replaceChild(fileRow(apps[i], i), body.rows[i]);
      }
    }
    var fragment = document.createDocumentFragment();
    for (i = body.rows.length; i < apps.length; i++) {
      fragment.appendChild(fileRow(apps[i], i));
    }
    body.appendChild(fragment);
    var identifyHead = $("inbox-identify-head");
    if (identifyHead && !identifyField) {
      identifyHead.remove();
    } else if (identifyHead) {
      identifyHead.textContent = identifyField.label;
    }
  }

  var columns = [];

  function renderHead() {
    columns = allColumns();
    var head = $("inbox-answers").tHead;
    head.textContent = "";
    var labels = el("tr");
    var ids = el("tr", null, "column-ids");
    columns.forEach(function (c) {
      var th = el("th", c.label, c.extra ? "extra" : "");
      th.scope = "col";
      labels.appendChild(th);
      var id = el("th", c.id);
      id.scope = "col";
      ids.appendChild(id);
    });
    head.appendChild(labels);
    head.appendChild(ids);
    var sort = $("inbox-sort");
    var chosen = sort.value;
    sort.textContent = "";
    columns.forEach(function (c, i) {
      var o = el("option", c.label);
      o.value = String(i);
      sort.appendChild(o);
    });
    sort.value = chosen && Number(chosen) < columns.length ? chosen : "0";
  }

  /** Text as the filter compares it: lowercase, Latin letters folded with the site's one
   * folding table (model.fold, from crates/text/src/slug.rs), so that "Aysegul" finds
   * "Ayşegül" and "Lodz" finds "Łódź"; umlauts are also compared as plain vowels. */
  function folded(text) {
    var map = model.fold || {};
    var out = "";
    for (var c of String(text).normalize("NFC").toLowerCase()) {
      if (c >= "\u0300" && c <= "\u036f") continue;
      var f = Object.prototype.hasOwnProperty.call(map, c) ? map[c] : c;
      out += f;
    }
    return out;
  }

  function withoutUmlauts(text) {
    return String(text).toLowerCase().replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
  }

  /** The rows shown: not refused, matching the filter, in the chosen order. */
  function shownRows() {
    var words = folded($("inbox-filter").value).split(/\s+/).filter(Boolean);
    var by = columns[Number($("inbox-sort").value) || 0];
    var desc = $("inbox-direction").value === "desc";
    var list = apps
      .filter(function (a) { return a.status !== "invalid"; })
      .map(function (a) {
        return { app: a, cells: columns.map(function (c) { return c.get(a); }) };
      })
      .filter(function (r) {
        if (!words.length) return true;
        var cells = r.cells.join(" ");
        var text = folded(cells) + " " + folded(withoutUmlauts(cells));
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    var at = columns.indexOf(by);
    var collator = new Intl.Collator("de", { numeric: true, sensitivity: "base" });
    list.sort(function (x, y) {
      var d = collator.compare(x.cells[at], y.cells[at]);
      return desc ? -d : d;
    });
    return list;
  }

  function renderRows() {
    rows = shownRows();
    var shownColumns = columns;
    fillRows($("inbox-answers"), rows, function (r) {
      var tr = el("tr", null, rowClass(r.app));
      r.cells.forEach(function (text, i) {
        var td = el(i === 0 ? "th" : "td", text, shownColumns[i].extra ? "extra" : "");
        if (i === 0) {
          td.scope = "row";
        }
        tr.appendChild(td);
      });
      return tr;
    });
    var valid = apps.filter(function (a) { return a.status !== "invalid"; }).length;
    $("inbox-shown").textContent = fmt(S.inbox_shown, { shown: rows.length, n: valid });
  }

  /** The status line: how many files are read while files are read, then the summary. */
  function statusLine() {
    if (reader.busy()) {
      return fmt(S.inbox_progress, { done: reader.done(), n: reader.total() });
    }
    return apps.length ? summary() : "";
  }

  /** Draws the file list and the table of answers; `listOnly` (while files are read): the
   * file list, which shows each file's status as it comes; the table waits for the end. */
  function render(listOnly) {
    var started = performance.now();
    // A render drawn now makes the one scheduled redundant (a wide table costs seconds each).
    if (renderTimer) {
      clearTimeout(renderTimer);
      renderTimer = 0;
    }
    markDuplicates();
    renderFiles();
    if (listOnly !== true) {
      renderHead();
      renderRows();
    }
    // While files are read, the controls (and the clear button) stay at hand.
    $("inbox-results").hidden = apps.length === 0 && !reader.busy();
    $("inbox-status").textContent = statusLine();
    // Style and layout of the new tables now rather than at the next frame, so that their
    // cost is counted in the render's (scheduleRender).
    void document.body.offsetHeight;
    renderCost = performance.now() - started;
  }

  function addFiles(list) {
    var files = Array.prototype.slice.call(list || []);
    return files.length ? reader.add(files) : Promise.resolve();
  }

  /** Drops what was read and what waits to be read. */
  function clearAll() {
    apps = [];
    // Draws the empty page (the reader says it is done).
    reader.cancel();
  }

  /* ---- CSV for German Excel ------------------------------------------------------- */

  function csvCell(text) {
    var t = String(text);
    if (/^[=+\-@\t\r]/.test(t)) {
      t = "'" + t;
    }
    return /[;"\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }

  function csv() {
    var lines = [
      columns.map(function (c) { return csvCell(c.label); }).join(";"),
      columns.map(function (c) { return csvCell(c.id); }).join(";"),
    ];
    rows.forEach(function (r) {
      lines.push(r.cells.map(csvCell).join(";"));
    });
    return "\uFEFF" + lines.join("\r\n") + "\r\n";
  }

  function download() {
    R.download(model.id + "-antworten.csv", csv(), "text/csv;charset=utf-8");
  }

  /* ---- the filled, read-only view of one application ------------------------------ */

  var reader = window.FormwerkInboxReader({
    model: model,
    bytes: bytesOf,
    result: fromResult,
    gaveUp: function (name) {
      return refusedWith(name, "missing", model.budgets.time.message);
    },
    progress: function (name) {
      var status = $("inbox-status");
      if (name) {
        // The count is drawn with the file list (scheduleRender), not for every file: each
        // change of text is a frame to lay out and paint.
        if (!status.hasAttribute("data-reading")) {
          status.textContent = statusLine();
        }
        status.setAttribute("data-reading", name);
        $("inbox-results").hidden = false;
      } else {
        status.removeAttribute("data-reading");
        render();
      }
    },
    each: function (app) {
      apps.push(app);
      scheduleRender();
    },
  });

  var renderTimer = 0;
  /** What the last render took (building the tables, their style and layout), in ms. */
  var renderCost = 0;

  /** Draws the file list while files are read: at most ten times a second, and never sooner
   * than four times the last render's cost, so that drawing takes at most a fifth of the
   * page's time. Redrawn every 100 ms regardless, with the table of answers (whose layout
   * costs about 1 ms a row), the redraws took most of the time and held up reading (issue
   * 28: 500 files 8.5 s, 500 encrypted ones 29 s); the table waits for the end now, and the
   * file list only adds the rows of the files read since. */
  function scheduleRender() {
    if (renderTimer) return;
    renderTimer = setTimeout(function () {
      renderTimer = 0;
      render(true);
    }, Math.max(100, 4 * renderCost));
  }

  var viewForm = $("formular");
  var controls = R.controls(viewForm, model);
  var opener = null;

  function openView(a, button) {
    opener = button;
    model.fields.forEach(function (f) {
      controls.write(f, a.answers[f.id]);
      if (f.other) {
        controls.otherText(f).value = typeof a.answers[f.id + ".other"] === "string" ? a.answers[f.id + ".other"] : "";
        var chosen = a.answers[f.id];
        $(f.id + model.ids.other_wrap).hidden = !(chosen === "other" || (Array.isArray(chosen) && chosen.indexOf("other") >= 0));
      }
      if (f.show_if) {
        $(f.id + model.ids.field).hidden = !R.visible(byId, f, function (d) { return R.answered(a.answers[d.id]); });
      }
    });
    controls.mirrors();
    $("inbox-view-version").textContent = a.version;
    $("inbox-view-file").textContent = fmt(S.inbox_view_title, { file: a.file });
    $("inbox-main").hidden = true;
    $("inbox-view").hidden = false;
    $("inbox-close").focus();
  }

  function closeView() {
    $("inbox-view").hidden = true;
    $("inbox-main").hidden = false;
    if (opener) {
      opener.focus();
    }
  }

  /* ---- wiring --------------------------------------------------------------------- */

  var input = $("inbox-input");
  var zone = $("drop-zone");
  input.addEventListener("change", function () {
    addFiles(input.files).then(function () {
      input.value = "";
    });
  });
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("dragging");
    });
  });
  document.addEventListener("dragleave", function () {
    zone.classList.remove("dragging");
  });
  document.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("dragging");
    addFiles(e.dataTransfer && e.dataTransfer.files);
  });
  $("inbox-filter").addEventListener("input", renderRows);
  $("inbox-sort").addEventListener("change", renderRows);
  $("inbox-direction").addEventListener("change", renderRows);
  $("inbox-csv").addEventListener("click", download);
  $("inbox-clear").addEventListener("click", clearAll);
  $("inbox-file-list").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-view]");
    if (b) {
      openView(apps[Number(b.getAttribute("data-view"))], b);
    }
  });
  $("inbox-close").addEventListener("click", closeView);
  $("inbox-print").addEventListener("click", function () {
    window.print();
  });
  zone.hidden = false;
})();
