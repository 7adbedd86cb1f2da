/* Formwerk forms: progressive enhancement of a plain HTML form.
 * Autosave to localStorage shared safely by every tab, answers file export and import
 * (format 2 through answers-file.js), show_if conditions, "other" texts, growing text
 * areas, print mirrors, and a GOV.UK-style check of the answers that says what is open.
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

  /* ---- reading and writing answers: one entry per field kind ----------------------- */

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

  function checked(f) {
    return choiceInputs(f).filter(function (i) {
      return i.checked;
    });
  }

  function isString(x) {
    return typeof x === "string";
  }

  var EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
  var TEL = /^\+?[0-9 ()\/-]+$/;

  /* A single control holding text. `format`, when given, is the shape a filled answer must
   * have, checked by "Eingaben prüfen" with the message `error`; `strict` when an answer of
   * another shape cannot be put into the control at all (dates). */
  function textKind(format, error, strict) {
    return {
      read: function (f) {
        var v = $(f.id).value;
        return v.trim() === "" ? undefined : v;
      },
      write: function (f, v) {
        $(f.id).value = v === undefined ? "" : v;
      },
      fits: function (f, v) {
        return isString(v) && (!strict || format(v));
      },
      controls: function (f) {
        return [$(f.id)];
      },
      problem: function (f, v, el) {
        if (el.validity && el.validity.badInput) {
          return error;
        }
        return format && v !== undefined && !format(v) ? error : null;
      },
    };
  }

  function choiceKind(pick, fits) {
    return {
      read: function (f) {
        var on = checked(f);
        return on.length ? pick(on) : undefined;
      },
      write: function (f, v) {
        choiceInputs(f).forEach(function (i) {
          i.checked = Array.isArray(v) ? v.indexOf(i.value) >= 0 : v !== undefined && String(v) === i.value;
        });
      },
      fits: fits,
      controls: choiceInputs,
      choose: true,
    };
  }

  function allowed(f) {
    return f.options.concat(f.other ? ["other"] : []);
  }

  var KINDS = {
    text: textKind(),
    textarea: textKind(),
    date: textKind(function (v) {
      return /^\d{4}-\d{2}-\d{2}$/.test(v);
    }, "error_date", true),
    email: textKind(function (v) {
      return EMAIL.test(v.trim());
    }, "error_email"),
    tel: textKind(function (v) {
      return TEL.test(v.trim()) && v.replace(/\D/g, "").length >= 3;
    }, "error_tel"),
    number: {
      read: function (f) {
        var el = $(f.id);
        var n = Number(el.value);
        return el.value === "" || !isFinite(n) ? undefined : n;
      },
      write: function (f, v) {
        $(f.id).value = v === undefined ? "" : String(v);
      },
      fits: function (f, v) {
        return typeof v === "number" && isFinite(v);
      },
      controls: function (f) {
        return [$(f.id)];
      },
      problem: function (f, v, el) {
        if (el.validity && el.validity.badInput) {
          return "error_number";
        }
        if (v !== undefined && f.min !== null && v < f.min) {
          return "error_min";
        }
        return v !== undefined && f.max !== null && v > f.max ? "error_max" : null;
      },
    },
    yes_no: choiceKind(
      function (on) {
        return on[0].value === "true";
      },
      function (f, v) {
        return typeof v === "boolean";
      },
    ),
    choice: choiceKind(
      function (on) {
        return on[0].value;
      },
      function (f, v) {
        return isString(v) && allowed(f).indexOf(v) >= 0;
      },
    ),
    multi_choice: choiceKind(
      function (on) {
        return on.map(function (i) {
          return i.value;
        });
      },
      function (f, v) {
        return (
          Array.isArray(v) &&
          v.every(function (x, i) {
            return isString(x) && allowed(f).indexOf(x) >= 0 && v.indexOf(x) === i;
          })
        );
      },
    ),
    entry_list: {
      read: function (f) {
        var lines = lineInputs(f).map(function (i) {
          return i.value;
        });
        return lines.some(function (l) {
          return l.trim() !== "";
        })
          ? lines
          : undefined;
      },
      write: function (f, v) {
        lineInputs(f).forEach(function (i, n) {
          i.value = Array.isArray(v) && isString(v[n]) ? v[n] : "";
        });
      },
      fits: function (f, v) {
        return Array.isArray(v) && v.length <= f.lines && v.every(isString);
      },
      controls: lineInputs,
    },
  };

  /** The answer of a field, or undefined when it has none. */
  function read(f) {
    return KINDS[f.kind].read(f);
  }

  function write(f, value) {
    KINDS[f.kind].write(f, value);
  }

  /** Whether a value fits the field, for answers read back from files and drafts. */
  function fits(f, v) {
    return KINDS[f.kind].fits(f, v);
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

  /** A value as the applicant typed or chose it, for naming an answer without a question. */
  function shown(v) {
    var text = Array.isArray(v)
      ? v.filter(function (x) {
          return String(x).trim() !== "";
        }).join(", ")
      : typeof v === "boolean"
        ? v
          ? S.yes
          : S.no
        : String(v);
    return text.length > 60 ? text.slice(0, 59) + "…" : text;
  }

  /** The questions' labels by answer key, kept with drafts to name answers of old versions. */
  function labels() {
    var out = {};
    fields.forEach(function (f) {
      out[f.id] = f.label;
    });
    return out;
  }

  /** Sorts answers into those this form can take and, named by question, the others.
   * `known` holds labels of the version the answers come from, where that is known. */
  function place(answers, known) {
    var placed = {};
    var unplaced = [];
    Object.keys(answers).forEach(function (key) {
      var v = answers[key];
      var isOther = /\.other$/.test(key);
      var id = isOther ? key.slice(0, -6) : key;
      var f = byId[id];
      if (!f || (isOther && !f.other)) {
        var label = known && isString(known[id]) ? known[id] : null;
        unplaced.push(label ? fmt(S.unplaced_unknown, { field: label }) : fmt(S.unplaced_unnamed, { value: shown(v) }));
      } else if (isOther ? !isString(v) : !fits(f, v)) {
        unplaced.push(fmt(S.unplaced_invalid, { field: f.label }));
      } else {
        placed[key] = v;
      }
    });
    return { placed: placed, unplaced: unplaced };
  }

  /** Puts answers into the form; the caret stays where the person types. */
  function apply(placed) {
    var active = document.activeElement;
    var caret = null;
    try {
      caret = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    } catch (e) {
      caret = null;
    }
    clearAll();
    Object.keys(placed).forEach(function (key) {
      if (/\.other$/.test(key)) {
        otherText(byId[key.slice(0, -6)]).value = placed[key];
      } else {
        write(byId[key], placed[key]);
      }
    });
    if (caret) {
      try {
        active.setSelectionRange(Math.min(caret[0], active.value.length), Math.min(caret[1], active.value.length));
      } catch (e) {
        /* controls without a caret */
      }
    }
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

  /** Fills a list with items: texts, or {text, href} for links to questions. */
  function fillList(ul, items) {
    ul.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      if (typeof item === "string") {
        li.textContent = item;
      } else {
        var a = document.createElement("a");
        a.href = item.href;
        a.textContent = item.text;
        li.appendChild(a);
      }
      ul.appendChild(li);
    });
    ul.hidden = !items.length;
  }

  function showNotice(kind, text, items, extra) {
    notice.hidden = false;
    notice.className = "notice notice-" + kind;
    notice.textContent = "";
    var p = document.createElement("p");
    p.textContent = extra ? text + " " + extra : text;
    notice.appendChild(p);
    if (items && items.length) {
      var ul = document.createElement("ul");
      fillList(ul, items);
      notice.appendChild(ul);
    }
    notice.focus();
  }

  function longDay(d) {
    return fmt(S.date_long, { day: d.getDate(), month: S.months[d.getMonth()], year: d.getFullYear() });
  }

  /** Saves a text as a file through the browser's download. */
  function download(name, text, type) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  }

  /* ---- drafts: autosave, shared by every tab and window -------------------------------
   * One draft per form version in localStorage: {rev, saved_at, version, answers, labels}.
   * Each save raises `rev`. A tab remembers the draft it last agreed with (`base`); before
   * writing it reads the stored draft, and if another tab wrote since, it keeps that tab's
   * answers and lays only its own changes since `base` over them. Tabs hear each other's
   * saves through storage events and take them over. Nothing is written on closing, so a
   * tab that is closed, reloaded or crashes never writes an older state over a newer one.
   * The offline copy opened from disk shares the same keys and follows the same rules. */

  var DRAFT_PREFIX = "formwerk:" + model.id + ":";
  var DRAFT_KEY = DRAFT_PREFIX + model.version;
  var base = { rev: 0, answers: {} };

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

  function parseDraft(text) {
    try {
      var d = JSON.parse(text);
      if (!d || typeof d.answers !== "object" || d.answers === null || Array.isArray(d.answers)) {
        return null;
      }
      d.rev = typeof d.rev === "number" && isFinite(d.rev) ? d.rev : 0;
      return d;
    } catch (e) {
      return null;
    }
  }

  function storedDraft() {
    var text = storage.getItem(DRAFT_KEY);
    return text === null ? null : parseDraft(text);
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /** Their answers with my changes since `since` laid over them. */
  function merge(theirs, since, mine) {
    var out = {};
    Object.keys(theirs).forEach(function (k) {
      out[k] = theirs[k];
    });
    Object.keys(since)
      .concat(Object.keys(mine))
      .forEach(function (k) {
        if (!same(since[k], mine[k])) {
          if (mine[k] === undefined) {
            delete out[k];
          } else {
            out[k] = mine[k];
          }
        }
      });
    return out;
  }

  function saveDraft() {
    if (!storage) {
      setStatus(S.draft_unavailable);
      return;
    }
    try {
      var stored = storedDraft();
      var answers = readAll(false);
      // What other tabs left: their draft, or nothing if one cleared everything since.
      var theirs = stored ? stored.answers : base.rev > 0 ? {} : null;
      if (theirs && (!stored || stored.rev !== base.rev)) {
        var merged = merge(theirs, base.answers, answers);
        if (!same(merged, answers)) {
          apply(place(merged).placed);
          answers = readAll(false);
        }
      }
      var now = new Date();
      var rev = Math.max(stored ? stored.rev : 0, base.rev) + 1;
      storage.setItem(
        DRAFT_KEY,
        JSON.stringify({ rev: rev, saved_at: now.toISOString(), version: model.version, answers: answers, labels: labels() }),
      );
      base = { rev: rev, answers: answers };
      setStatus(fmt(S.draft_saved, { time: clock(now) }));
    } catch (e) {
      setStatus(S.draft_unavailable);
    }
  }

  /** Takes over a newer draft another tab or window saved. */
  function follow() {
    if (!storage) {
      return;
    }
    var stored = storedDraft();
    if (!stored) {
      if (base.rev > 0 && storage.getItem(DRAFT_KEY) === null) {
        // Another tab cleared everything.
        clearAll();
        clearErrors();
        refresh();
        base = { rev: 0, answers: {} };
        setStatus("");
      }
      return;
    }
    if (stored.rev <= base.rev) {
      return;
    }
    var mine = readAll(false);
    var merged = merge(stored.answers, base.answers, mine);
    apply(place(merged).placed);
    base = { rev: stored.rev, answers: stored.answers };
    setStatus(fmt(S.draft_synced, { time: clock(new Date()) }));
    if (!same(merged, stored.answers)) {
      saveDraft();
    }
  }

  /** Drafts of other versions of this form, newest first. */
  function olderDrafts() {
    var found = [];
    for (var i = 0; i < storage.length; i++) {
      var k = storage.key(i);
      if (k && k.indexOf(DRAFT_PREFIX) === 0 && k !== DRAFT_KEY) {
        var d = parseDraft(storage.getItem(k));
        if (d) {
          found.push({ key: k, version: k.slice(DRAFT_PREFIX.length), draft: d });
        }
      }
    }
    found.sort(function (a, b) {
      return String(b.draft.saved_at).localeCompare(String(a.draft.saved_at));
    });
    return found;
  }

  function removeDrafts(all) {
    var keys = [];
    for (var i = 0; i < storage.length; i++) {
      var k = storage.key(i);
      if (k && k.indexOf(DRAFT_PREFIX) === 0 && (all || k !== DRAFT_KEY)) {
        keys.push(k);
      }
    }
    keys.forEach(function (k) {
      storage.removeItem(k);
    });
  }

  /* Carrying answers to a new version is the applicant's decision. */
  var versionNotice = $("version-notice");
  var offered = null;

  function offerOlder() {
    var older = olderDrafts();
    offered = older[0] || null;
    if (!offered || storedDraft()) {
      versionNotice.hidden = true;
      offered = null;
      return;
    }
    var saved = new Date(offered.draft.saved_at);
    $("version-notice-text").textContent = fmt(S.older_draft_found, {
      version: offered.version,
      date: isNaN(saved.getTime()) ? "" : longDay(saved),
      current: model.version,
    });
    fillList($("version-notice-list"), []);
    versionNotice.hidden = false;
  }

  function takeOlder() {
    if (!offered) {
      return;
    }
    var result = place(offered.draft.answers, offered.draft.labels);
    var answers = readAll(false);
    Object.keys(result.placed).forEach(function (k) {
      answers[k] = result.placed[k];
    });
    apply(answers);
    saveDraft();
    removeDrafts(false);
    versionNotice.hidden = true;
    var text = fmt(result.unplaced.length ? S.older_draft_taken_partly : S.older_draft_taken, { version: offered.version });
    showNotice(result.unplaced.length ? "warning" : "success", text, result.unplaced);
    offered = null;
  }

  function dropOlder() {
    if (!offered) {
      return;
    }
    removeDrafts(false);
    versionNotice.hidden = true;
    showNotice("success", fmt(S.older_draft_dropped, { version: offered.version }));
    offered = null;
  }

  function restoreDraft() {
    if (!storage) {
      setStatus(S.draft_unavailable);
      return;
    }
    var text = storage.getItem(DRAFT_KEY);
    var draft = text === null ? null : parseDraft(text);
    if (text !== null && !draft) {
      setStatus(S.draft_damaged);
    }
    if (draft) {
      apply(place(draft.answers).placed);
      base = { rev: draft.rev, answers: draft.answers };
      var saved = new Date(draft.saved_at);
      setStatus(fmt(S.draft_restored, isNaN(saved.getTime()) ? {} : { date: day(saved), time: clock(saved) }));
    }
    offerOlder();
  }

  window.addEventListener("storage", function (e) {
    if (e.key === null || e.key === DRAFT_KEY) {
      follow();
    }
    if (e.key === null || e.key.indexOf(DRAFT_PREFIX) === 0) {
      offerOlder();
    }
  });
  // A page back from the back-forward cache, or a window coming to the front, catches up.
  window.addEventListener("pageshow", follow);
  window.addEventListener("focus", follow);

  /* ---- answers file --------------------------------------------------------------- */

  function exportAnswers() {
    var now = new Date();
    var data = { form: model.id, version: model.version, saved_at: now.toISOString(), answers: readAll(true) };
    var name = model.id + "-antworten-" + isoDay(now) + ".json";
    return window.FormwerkAnswers.seal(data).then(function (sealed) {
      download(name, JSON.stringify(sealed, null, 2) + "\n", "application/json");
      showNotice("success", fmt(S.saved_file, { file: name }));
    });
  }

  function importText(name, text) {
    return window.FormwerkAnswers.open(text).then(function (opened) {
      var data = opened.data;
      if (!opened.ok) {
        var refusal = {
          unsupported_version: S.load_unsupported,
          mismatch: S.load_mismatch,
        };
        showNotice("error", fmt(refusal[opened.error] || S.load_malformed, { file: name, version: data && data.format_version }));
        return;
      }
      if (data.form !== model.id) {
        showNotice("error", fmt(S.load_foreign, { file: name, form: data.form }));
        return;
      }
      var unchecked = opened.integrity === "missing" ? S.load_unchecked : "";
      var result = place(data.answers);
      if (data.version === model.version && result.unplaced.length) {
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
        showNotice("warning", fmt(S.loaded_partly, { file: name, version: data.version }), result.unplaced, unchecked);
      } else {
        showNotice("success", fmt(S.loaded, { file: name }), null, unchecked);
      }
    });
  }

  /* ---- checking the answers ------------------------------------------------------- */

  var summary = $("error-summary");

  function firstControl(f) {
    return KINDS[f.kind].controls(f)[0];
  }

  function problem(f) {
    var kind = KINDS[f.kind];
    var v = read(f);
    var label = { label: f.label, min: f.min, max: f.max };
    var key = kind.problem ? kind.problem(f, v, $(f.id)) : null;
    if (key) {
      return fmt(S[key], label);
    }
    if (v === undefined) {
      return f.required ? fmt(kind.choose ? S.error_required_choice : S.error_required, label) : null;
    }
    if (f.max_length) {
      var tooLong = (Array.isArray(v) ? v : [v]).some(function (t) {
        return isString(t) && t.length > f.max_length;
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
    KINDS[f.kind].controls(f).forEach(function (c) {
      c.setAttribute("aria-invalid", "true");
    });
  }

  /** Errors as a GOV.UK error summary; otherwise how many questions are still open. */
  function check() {
    clearErrors();
    notice.hidden = true;
    var problems = [];
    var open = [];
    var total = 0;
    fields.forEach(function (f) {
      if (!isVisible(f)) {
        return;
      }
      total++;
      var message = problem(f);
      if (message) {
        problems.push({ field: f, message: message });
      } else if (read(f) === undefined) {
        open.push({ text: f.label, href: "#" + firstControl(f).id });
      }
    });
    if (!problems.length) {
      if (open.length) {
        showNotice("warning", fmt(open.length === 1 ? S.check_open_one : S.check_open, { open: open.length, total: total }), open);
      } else {
        showNotice("success", S.check_ok);
      }
      return true;
    }
    var title = document.createElement("h2");
    title.id = "error-summary-title";
    title.textContent = S.error_summary_title;
    var list = document.createElement("ul");
    fillList(
      list,
      problems.map(function (p) {
        markInvalid(p.field, p.message);
        return { text: p.message, href: "#" + firstControl(p.field).id };
      }),
    );
    summary.appendChild(title);
    summary.appendChild(list);
    summary.setAttribute("aria-labelledby", title.id);
    summary.hidden = false;
    summary.focus();
    return false;
  }

  /* Links to questions move focus to the control, its question in view. */
  function goToQuestion(e) {
    var a = e.target.closest("a");
    var control = a && a.getAttribute("href").charAt(0) === "#" ? $(a.getAttribute("href").slice(1)) : null;
    if (control && form.contains(control)) {
      e.preventDefault();
      var wrapper = control.closest(".field");
      (wrapper || control).scrollIntoView();
      control.focus({ preventScroll: true });
    }
  }
  summary.addEventListener("click", goToQuestion);
  notice.addEventListener("click", goToQuestion);

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

  /* ---- the offline copy from disk ------------------------------------------------- *
   * Browsers do not download a linked file:// document; there the page loads the copy as a
   * script (written beside it) and saves it itself. */
  var offlineLink = document.querySelector("a[data-offline-script]");
  if (offlineLink && window.location.protocol === "file:") {
    offlineLink.addEventListener("click", function (e) {
      e.preventDefault();
      var saveCopy = function () {
        var copy = window.formwerkOfflineCopy;
        download(copy.name, copy.html, "text/html");
      };
      if (window.formwerkOfflineCopy) {
        saveCopy();
        return;
      }
      var script = document.createElement("script");
      script.src = offlineLink.getAttribute("data-offline-script");
      script.onload = saveCopy;
      script.onerror = function () {
        window.location.href = offlineLink.href;
      };
      document.body.appendChild(script);
    });
  }

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
    "take-draft": takeOlder,
    "drop-draft": dropOlder,
    clear: function () {
      if (!window.confirm(S.clear_confirm)) {
        return;
      }
      clearAll();
      clearErrors();
      if (storage) {
        removeDrafts(true);
      }
      base = { rev: 0, answers: {} };
      versionNotice.hidden = true;
      offered = null;
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

  restoreDraft();
  refresh();
  // The tools are in the page from the start (hidden by noscript.css without a script), so
  // nothing moves now: they only become usable.
  Array.prototype.forEach.call($("form-tools").querySelectorAll("button[data-action]"), function (b) {
    b.disabled = false;
  });
})();
