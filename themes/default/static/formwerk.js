/* Formwerk forms: progressive enhancement of a plain HTML form.
 * Autosave to localStorage, answers file export and import, show_if conditions, "other"
 * texts, growing text areas, print mirrors, and a GOV.UK-style check of the answers.
 * The form model comes from <script type="application/json" id="formwerk-model">.
 * No dependencies; this file is also inlined into offline copies, so it never contains
 * a closing-tag sequence. */
(function () {
  "use strict";

  var form = document.querySelector("form.fw-form");
  var modelElement = document.getElementById("formwerk-model");
  if (!form || !modelElement) {
    return;
  }
  var model = JSON.parse(modelElement.textContent);
  var S = model.strings;
  var fields = model.fields;
  var byId = {};
  fields.forEach(function (f) {
    byId[f.id] = f;
  });
  var DRAFT_PREFIX = "formwerk:" + model.id + ":";
  var DRAFT_KEY = DRAFT_PREFIX + model.version;
  var GROUPS = { yes_no: true, choice: true, multi_choice: true, entry_list: true };
  document.documentElement.classList.add("js");

  function $(id) {
    return document.getElementById(id);
  }

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function clock(d) {
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function day(d) {
    return pad(d.getDate()) + "." + pad(d.getMonth() + 1) + "." + d.getFullYear();
  }

  function isoDay(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* ---- reading and writing answers ------------------------------------------------ */

  function choiceInputs(f) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + f.id + '"]'));
  }

  function lineInputs(f) {
    var list = [];
    for (var i = 1; i <= f.lines; i++) {
      list.push($(f.id + "-" + i));
    }
    return list;
  }

  function otherText(f) {
    return $(f.id + "-other-text");
  }

  /** The answer of a field, or undefined when it has none. */
  function read(f) {
    var el = $(f.id);
    switch (f.kind) {
      case "text":
      case "textarea":
      case "date":
        return el.value.trim() === "" ? undefined : el.value;
      case "number":
        if (el.value === "") {
          return undefined;
        }
        var n = Number(el.value);
        return isFinite(n) ? n : undefined;
      case "yes_no":
      case "choice":
        var checked = choiceInputs(f).filter(function (i) {
          return i.checked;
        })[0];
        if (!checked) {
          return undefined;
        }
        return f.kind === "yes_no" ? checked.value === "true" : checked.value;
      case "multi_choice":
        var values = choiceInputs(f)
          .filter(function (i) {
            return i.checked;
          })
          .map(function (i) {
            return i.value;
          });
        return values.length ? values : undefined;
      case "entry_list":
        var lines = lineInputs(f).map(function (i) {
          return i.value;
        });
        return lines.some(function (l) {
          return l.trim() !== "";
        })
          ? lines
          : undefined;
    }
    return undefined;
  }

  function write(f, value) {
    var el = $(f.id);
    switch (f.kind) {
      case "text":
      case "textarea":
      case "date":
        el.value = value === undefined ? "" : value;
        break;
      case "number":
        el.value = value === undefined ? "" : String(value);
        break;
      case "yes_no":
      case "choice":
        choiceInputs(f).forEach(function (i) {
          i.checked = value !== undefined && String(value) === i.value;
        });
        break;
      case "multi_choice":
        choiceInputs(f).forEach(function (i) {
          i.checked = Array.isArray(value) && value.indexOf(i.value) >= 0;
        });
        break;
      case "entry_list":
        lineInputs(f).forEach(function (i, n) {
          i.value = Array.isArray(value) && typeof value[n] === "string" ? value[n] : "";
        });
        break;
    }
  }

  function otherSelected(f) {
    var v = read(f);
    return v === "other" || (Array.isArray(v) && v.indexOf("other") >= 0);
  }

  /** All answers; for export only those of visible fields and chosen "other" texts. */
  function readAll(forExport) {
    var answers = {};
    fields.forEach(function (f) {
      if (forExport && !isVisible(f)) {
        return;
      }
      var v = read(f);
      if (v !== undefined) {
        answers[f.id] = v;
      }
      if (f.other) {
        var text = otherText(f).value;
        if (text.trim() !== "" && (!forExport || otherSelected(f))) {
          answers[f.id + ".other"] = text;
        }
      }
    });
    return answers;
  }

  function hasAnswers() {
    return Object.keys(readAll(false)).length > 0;
  }

  function clearAll() {
    fields.forEach(function (f) {
      write(f, undefined);
      if (f.other) {
        otherText(f).value = "";
      }
    });
  }

  /** Whether a value fits the field, for answers read back from files and drafts. */
  function fits(f, v) {
    var allowed = f.options.concat(f.other ? ["other"] : []);
    switch (f.kind) {
      case "text":
      case "textarea":
        return typeof v === "string";
      case "date":
        return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);
      case "number":
        return typeof v === "number" && isFinite(v);
      case "yes_no":
        return typeof v === "boolean";
      case "choice":
        return typeof v === "string" && allowed.indexOf(v) >= 0;
      case "multi_choice":
        return (
          Array.isArray(v) &&
          v.every(function (x, i) {
            return typeof x === "string" && allowed.indexOf(x) >= 0 && v.indexOf(x) === i;
          })
        );
      case "entry_list":
        return (
          Array.isArray(v) &&
          v.length <= f.lines &&
          v.every(function (x) {
            return typeof x === "string";
          })
        );
    }
    return false;
  }

  function describe(key) {
    var f = byId[key.replace(/\.other$/, "")];
    return f ? "„" + f.label + "“ (" + key + ")" : key;
  }

  /** Sorts answers into those this form can take and reasons for the others. */
  function place(answers) {
    var placed = {};
    var unplaced = [];
    Object.keys(answers).forEach(function (key) {
      var v = answers[key];
      var isOther = /\.other$/.test(key);
      var f = byId[isOther ? key.slice(0, -6) : key];
      if (!f || (isOther && !f.other)) {
        unplaced.push(fmt(S.unplaced_unknown, { field: key }));
      } else if (isOther ? typeof v !== "string" : !fits(f, v)) {
        unplaced.push(fmt(S.unplaced_invalid, { field: describe(key) }));
      } else {
        placed[key] = v;
      }
    });
    return { placed: placed, unplaced: unplaced };
  }

  function apply(placed) {
    clearAll();
    Object.keys(placed).forEach(function (key) {
      if (/\.other$/.test(key)) {
        otherText(byId[key.slice(0, -6)]).value = placed[key];
      } else {
        write(byId[key], placed[key]);
      }
    });
    refresh();
  }

  /* ---- conditions, "other" texts, growing areas, print mirrors -------------------- */

  function isVisible(f, depth) {
    if (!f.show_if) {
      return true;
    }
    var dep = byId[f.show_if.field];
    depth = depth || 0;
    if (!dep || depth > 32) {
      return true;
    }
    if (!isVisible(dep, depth + 1)) {
      return false;
    }
    var v = read(dep);
    var want = f.show_if.equals;
    if (v === undefined) {
      return false;
    }
    if (Array.isArray(v)) {
      return v.indexOf(want) >= 0;
    }
    if (typeof v === "number") {
      return v === Number(want);
    }
    return String(v) === want;
  }

  /* Text areas grow with their content: by CSS field-sizing where the browser has it (set
   * here, as older checkers reject the property in style sheets), else by measuring. */
  var growByScript = !(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"));

  function grow(area) {
    // Never smaller than the rows the page was drawn with: starting the script moves nothing.
    if (!area.style.minHeight && area.offsetHeight) {
      area.style.minHeight = area.offsetHeight + "px";
    }
    if (growByScript) {
      area.style.height = "auto";
      area.style.height = area.scrollHeight + 4 + "px";
    } else {
      area.style.setProperty("field-sizing", "content");
    }
  }

  function printable(control) {
    if (control.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(control.value)) {
      var p = control.value.split("-");
      return p[2] + "." + p[1] + "." + p[0];
    }
    return control.value;
  }

  function refresh() {
    fields.forEach(function (f) {
      if (f.show_if) {
        $(f.id + "-field").hidden = !isVisible(f);
      }
      if (f.other) {
        $(f.id + "-other-wrap").hidden = !otherSelected(f);
      }
    });
    Array.prototype.forEach.call(form.querySelectorAll(".print-value"), function (mirror) {
      var control = mirror.previousElementSibling;
      mirror.firstElementChild.textContent = control ? printable(control) : "";
    });
    Array.prototype.forEach.call(form.querySelectorAll("textarea.grow"), grow);
  }

  /* ---- messages ------------------------------------------------------------------- */

  var status = $("save-status");
  var notice = $("form-notice");

  function setStatus(text) {
    status.textContent = text;
  }

  function showNotice(kind, text, items) {
    notice.hidden = false;
    notice.className = "notice notice-" + kind;
    notice.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    notice.appendChild(p);
    if (items && items.length) {
      var ul = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item;
        ul.appendChild(li);
      });
      notice.appendChild(ul);
    }
    notice.focus();
  }

  /* ---- autosave ------------------------------------------------------------------- */

  var storage = (function () {
    try {
      var probe = "formwerk:probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();

  function saveDraft() {
    if (!storage) {
      setStatus(S.draft_unavailable);
      return;
    }
    try {
      var now = new Date();
      storage.setItem(DRAFT_KEY, JSON.stringify({ saved_at: now.toISOString(), answers: readAll(false) }));
      setStatus(fmt(S.draft_saved, { time: clock(now) }));
    } catch (e) {
      setStatus(S.draft_unavailable);
    }
  }

  function parseDraft(text) {
    try {
      var d = JSON.parse(text);
      return d && typeof d.answers === "object" && d.answers !== null && !Array.isArray(d.answers) ? d : null;
    } catch (e) {
      return null;
    }
  }

  /** Restores this version's draft, or else what fits of the newest older version's. */
  function restoreDraft() {
    if (!storage) {
      setStatus(S.draft_unavailable);
      return;
    }
    var key = DRAFT_KEY;
    if (storage.getItem(key) === null) {
      var older = [];
      for (var i = 0; i < storage.length; i++) {
        var k = storage.key(i);
        if (k && k.indexOf(DRAFT_PREFIX) === 0) {
          older.push({ key: k, draft: parseDraft(storage.getItem(k)) });
        }
      }
      older = older.filter(function (o) {
        return o.draft;
      });
      older.sort(function (a, b) {
        return String(b.draft.saved_at).localeCompare(String(a.draft.saved_at));
      });
      if (!older.length) {
        return;
      }
      key = older[0].key;
    }
    var draft = parseDraft(storage.getItem(key));
    if (!draft) {
      setStatus(S.draft_damaged);
      return;
    }
    var result = place(draft.answers);
    apply(result.placed);
    var saved = new Date(draft.saved_at);
    var when = isNaN(saved.getTime()) ? {} : { date: day(saved), time: clock(saved) };
    setStatus(fmt(S.draft_restored, when));
    if (key !== DRAFT_KEY) {
      saveDraft();
    }
  }

  /* ---- answers file --------------------------------------------------------------- */

  function exportAnswers() {
    var now = new Date();
    var data = { form: model.id, version: model.version, saved_at: now.toISOString(), answers: readAll(true) };
    var name = model.id + "-antworten-" + isoDay(now) + ".json";
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
    showNotice("success", fmt(S.saved_file, { file: name }));
  }

  function importText(name, text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
    var wellFormed =
      data &&
      typeof data === "object" &&
      !Array.isArray(data) &&
      typeof data.form === "string" &&
      typeof data.version === "string" &&
      data.answers &&
      typeof data.answers === "object" &&
      !Array.isArray(data.answers);
    if (!wellFormed) {
      showNotice("error", fmt(S.load_malformed, { file: name }));
      return;
    }
    if (data.form !== model.id) {
      showNotice("error", fmt(S.load_foreign, { file: name, form: data.form }));
      return;
    }
    var result = place(data.answers);
    var sameVersion = data.version === model.version;
    if (sameVersion && result.unplaced.length) {
      showNotice("error", fmt(S.load_rejected, { file: name }), result.unplaced);
      return;
    }
    if (!Object.keys(result.placed).length && result.unplaced.length) {
      showNotice("error", fmt(S.load_nothing, { file: name, version: data.version }), result.unplaced);
      return;
    }
    if (hasAnswers() && !window.confirm(S.load_confirm)) {
      return;
    }
    clearErrors();
    apply(result.placed);
    saveDraft();
    if (result.unplaced.length) {
      showNotice("warning", fmt(S.loaded_partly, { file: name, version: data.version }), result.unplaced);
    } else {
      showNotice("success", fmt(S.loaded, { file: name }));
    }
  }

  /* ---- checking the answers ------------------------------------------------------- */

  var summary = $("error-summary");

  function firstControl(f) {
    if (f.kind === "entry_list") {
      return $(f.id + "-1");
    }
    if (GROUPS[f.kind]) {
      return choiceInputs(f)[0];
    }
    return $(f.id);
  }

  function problem(f) {
    var el = $(f.id);
    var label = { label: f.label, min: f.min, max: f.max };
    if (f.kind === "number" && el.validity && el.validity.badInput) {
      return fmt(S.error_number, label);
    }
    if (f.kind === "date" && el.validity && el.validity.badInput) {
      return fmt(S.error_date, label);
    }
    var v = read(f);
    if (v === undefined) {
      return f.required ? fmt(GROUPS[f.kind] && f.kind !== "entry_list" ? S.error_required_choice : S.error_required, label) : null;
    }
    if (f.kind === "number" && f.min !== null && v < f.min) {
      return fmt(S.error_min, label);
    }
    if (f.kind === "number" && f.max !== null && v > f.max) {
      return fmt(S.error_max, label);
    }
    if (f.max_length) {
      var texts = Array.isArray(v) ? v : [v];
      var tooLong = texts.some(function (t) {
        return typeof t === "string" && t.length > f.max_length;
      });
      if (tooLong) {
        return fmt(S.error_length, { label: f.label, max: f.max_length });
      }
    }
    return null;
  }

  /* The element that carries aria-describedby: the control itself, or a group's fieldset;
   * both have the field's id. */
  function clearErrors() {
    summary.hidden = true;
    summary.removeAttribute("aria-labelledby");
    summary.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll(".error-message"), function (m) {
      m.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (w) {
      w.classList.remove("field-error");
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (c) {
      c.removeAttribute("aria-invalid");
    });
    fields.forEach(function (f) {
      var target = $(f.id);
      var ids = (target.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== f.id + "-error";
      });
      if (ids.length) {
        target.setAttribute("aria-describedby", ids.join(" "));
      } else {
        target.removeAttribute("aria-describedby");
      }
    });
  }

  function markInvalid(f, message) {
    var wrapper = $(f.id + "-field");
    wrapper.classList.add("field-error");
    var p = document.createElement("p");
    p.className = "error-message";
    p.id = f.id + "-error";
    var prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = S.error_prefix + " ";
    p.appendChild(prefix);
    p.appendChild(document.createTextNode(message));
    var anchor = wrapper.querySelector(".hint") || wrapper.querySelector(".question");
    anchor.parentNode.insertBefore(p, anchor.nextSibling);
    var target = $(f.id);
    var described = (target.getAttribute("aria-describedby") || "").trim();
    target.setAttribute("aria-describedby", (p.id + " " + described).trim());
    var controls = GROUPS[f.kind] ? (f.kind === "entry_list" ? lineInputs(f) : choiceInputs(f)) : [$(f.id)];
    controls.forEach(function (c) {
      c.setAttribute("aria-invalid", "true");
    });
  }

  function check() {
    clearErrors();
    notice.hidden = true;
    var problems = [];
    fields.forEach(function (f) {
      if (!isVisible(f)) {
        return;
      }
      var message = problem(f);
      if (message) {
        problems.push({ field: f, message: message });
      }
    });
    if (!problems.length) {
      showNotice("success", S.check_ok);
      return true;
    }
    var title = document.createElement("h2");
    title.id = "error-summary-title";
    title.textContent = S.error_summary_title;
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      markInvalid(p.field, p.message);
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + firstControl(p.field).id;
      a.textContent = p.message;
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.appendChild(title);
    summary.appendChild(list);
    summary.setAttribute("aria-labelledby", title.id);
    summary.hidden = false;
    summary.focus();
    return false;
  }

  summary.addEventListener("click", function (e) {
    var a = e.target.closest("a");
    if (!a) {
      return;
    }
    var control = $(a.getAttribute("href").slice(1));
    if (control) {
      e.preventDefault();
      var wrapper = control.closest(".field");
      (wrapper || control).scrollIntoView();
      control.focus({ preventScroll: true });
    }
  });

  /* ---- printing ------------------------------------------------------------------- */

  function printForm(blank) {
    refresh();
    var root = document.documentElement;
    if (blank) {
      root.classList.add("print-blank");
    }
    window.print();
    if (blank) {
      // print() returns once the dialog is closed in most browsers; afterprint covers the rest.
      setTimeout(function () {
        root.classList.remove("print-blank");
      }, 0);
    }
  }

  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove("print-blank");
  });
  window.addEventListener("beforeprint", refresh);

  /* ---- wiring --------------------------------------------------------------------- */

  var fileInput = $("import-file");
  var actions = {
    check: check,
    export: exportAnswers,
    import: function () {
      fileInput.value = "";
      fileInput.click();
    },
    print: function () {
      printForm(false);
    },
    "print-blank": function () {
      printForm(true);
    },
    clear: function () {
      if (!window.confirm(S.clear_confirm)) {
        return;
      }
      clearAll();
      clearErrors();
      if (storage) {
        storage.removeItem(DRAFT_KEY);
      }
      refresh();
      setStatus("");
      showNotice("success", S.cleared);
    },
  };

  $("form-tools").addEventListener("click", function (e) {
    var button = e.target.closest("button[data-action]");
    if (button && actions[button.getAttribute("data-action")]) {
      actions[button.getAttribute("data-action")]();
    }
  });

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) {
      return;
    }
    notice.hidden = true;
    var reader = new FileReader();
    reader.onload = function () {
      importText(file.name, String(reader.result));
    };
    reader.onerror = function () {
      showNotice("error", fmt(S.load_malformed, { file: file.name }));
    };
    reader.readAsText(file);
  });

  function changed(e) {
    if (e.target === fileInput) {
      return;
    }
    refresh();
    saveDraft();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    check();
  });
  window.addEventListener("pagehide", function () {
    if (hasAnswers()) {
      saveDraft();
    }
  });

  restoreDraft();
  refresh();
  // The tools are in the page from the start (hidden by noscript.css without a script), so
  // nothing moves now: they only become usable.
  Array.prototype.forEach.call($("form-tools").querySelectorAll("button[data-action]"), function (b) {
    b.disabled = false;
  });
})();
