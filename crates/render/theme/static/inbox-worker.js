/* Formwerk inbox: the Web Worker that reads the files, one at a time in the order they
 * came, off the page's main thread (inbox-reader.js makes it from the page's inline text,
 * after answers-file.js, form-rules.js, pdf-file.js and pdf-answers.js). A file is counted
 * against the budgets per file (model.budgets, crates/form/src/budget.rs) before it is
 * parsed: its size, and for an answers file its nesting, keys and list items in one pass
 * over the text, as `formwerk answers` counts them (budget.rs `answers_text_over`). The page
 * stops this worker when one file takes longer than the time budget and starts another for
 * the files after it.
 *
 * Messages in: {model} once, then {id, name, bytes: ArrayBuffer}. Out: {id, result}, the
 * result of answers-file.js `open` or {pdf: FormwerkPdf.read's result}, or {budget: key}. */
(function () {
  "use strict";

  var model = null;

  /** The first budget an answers file's text breaks (depth, keys, rows), or null. */
  function textOver(text) {
    var b = model.budgets;
    var open = [];
    var keys = 0;
    var inString = false;
    var escaped = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x5b || c === 0x7b) {
        if (open.length >= b.depth.limit) return "depth";
        open.push(c === 0x5b ? 1 : 0);
      } else if (c === 0x5d || c === 0x7d) open.pop();
      else if (c === 0x3a) {
        if (++keys > b.keys.limit) return "keys";
      } else if (c === 0x2c && open.length && open[open.length - 1] > 0) {
        if (++open[open.length - 1] > b.rows.limit) return "rows";
      }
    }
    return null;
  }

  function read(bytes) {
    if (bytes.length > model.budgets.size.limit) return Promise.resolve({ budget: "size" });
    var head = String.fromCharCode.apply(null, bytes.subarray(0, 5));
    if (head === "%PDF-") {
      return self.FormwerkPdf.read(bytes, model).then(function (r) {
        return r.budget ? { budget: r.budget } : { pdf: r };
      });
    }
    // Bytes that are not UTF-8 (a file saved as Latin-1) are no answers file, as for
    // formwerk answers (serde_json reads UTF-8 only): never text with U+FFFD in it whose
    // checksum then fails.
    var text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (e) {
      return Promise.resolve({ ok: false, data: null, integrity: "missing", error: "malformed" });
    }
    var over = textOver(text);
    if (over) return Promise.resolve({ budget: over });
    return self.FormwerkAnswers.open(text);
  }

  /** The files in the order they came, one after the other: the page times the first file
   * it has not had an answer for. */
  var line = Promise.resolve();

  self.onmessage = function (e) {
    var m = e.data;
    if (m.model) {
      model = m.model;
      return;
    }
    line = line
      .then(function () {
        return read(new Uint8Array(m.bytes));
      })
      .then(null, function () {
        return { unreadable: true };
      })
      .then(function (result) {
        self.postMessage({ id: m.id, result: result });
      });
  };
})();
