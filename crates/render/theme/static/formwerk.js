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
  var R = window.FormwerkRules;
  var model = JSON.parse(modelElement.textContent);
  var S = model.strings;
  var fields = model.fields;
  var byId = R.index(model);
  var fmt = R.fmt;
  var controls = R.controls(form, model);
  var N = R.numbers;
  var KINDS = controls.kinds;
  var otherText = controls.otherText;
  var write = controls.write;
  document.documentElement.classList.add("js");

  function $(id) {
    return document.getElementById(id);
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

  /* ---- reading and writing answers: one entry per field kind (form-rules.js) ------- */

  /** The answer of a field, or undefined when it has none. */
  function read(f) {
    return KINDS[f.kind].read(f);
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
    return R.place(byId, answers, S, { known: known || null });
  }

  /** Puts answers into the form; the caret stays where the person types. `rows`, from a
   * draft, names the rows of tables and groups (draft-merge.js). */
  function apply(placed, rows) {
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
        write(byId[key], placed[key], rows && rows[key]);
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

  function isVisible(f) {
    return R.visible(byId, f, read);
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

  function refresh() {
    fields.forEach(function (f) {
      if (f.show_if) {
        $(f.id + model.ids.field).hidden = !isVisible(f);
      }
      if (f.other) {
        $(f.id + model.ids.other_wrap).hidden = !otherSelected(f);
      }
    });
    controls.mirrors();
    rowButtons();
    Array.prototype.forEach.call(form.querySelectorAll("textarea.grow"), grow);
    updateMailto();
  }

  /** The e-mail's subject: the form's title and the identifying answer (the municipality). */
  function updateMailto() {
    if (!model.email) {
      return;
    }
    var name = model.identify && byId[model.identify] ? read(byId[model.identify]) : undefined;
    var subject = name === undefined ? model.title : fmt(S.mail_subject, { title: model.title, name: name });
    Array.prototype.forEach.call(document.querySelectorAll("a.mailto"), function (a) {
      a.href = "mailto:" + model.email + "?subject=" + encodeURIComponent(subject);
    });
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

  /* ---- drafts: autosave, shared by every tab and window -------------------------------
   * One draft per form version in localStorage: {rev, saved_at, version, answers, labels,
   * rows}. Each save raises `rev`. A tab remembers the draft it last agreed with (`base`);
   * before writing it reads the stored draft, and if another tab wrote since, it keeps that
   * tab's answers and lays only its own changes since `base` over them, rows of tables and
   * groups matched by their keys (`rows`, draft-merge.js). Tabs hear each other's
   * saves through storage events and take them over. Nothing is written on closing, so a
   * tab that is closed, reloaded or crashes never writes an older state over a newer one.
   * The offline copy opened from disk shares the same keys and follows the same rules. */

  var DRAFT_PREFIX = "formwerk:" + model.id + ":";
  var DRAFT_KEY = DRAFT_PREFIX + model.version;
  var base = { rev: 0, answers: {}, rows: {} };
  var MERGE = window.FormwerkDraftMerge;
  // The tables and groups, with their most rows: merged row by row; multiple choices and
  // entry lists tick by tick and line by line (the kinds say how, form-rules.js).
  var rowFields = {};
  var listFields = {};
  fields.forEach(function (f) {
    if (KINDS[f.kind].keys) {
      rowFields[f.id] = f.max_items;
    }
    if (KINDS[f.kind].merge) {
      listFields[f.id] = KINDS[f.kind].merge;
    }
  });

  /** What the page shows, as a draft holds it: answers and the keys of their rows. */
  function readState() {
    var rows = {};
    fields.forEach(function (f) {
      if (KINDS[f.kind].keys) {
        var keys = KINDS[f.kind].keys(f);
        if (keys.length) {
          rows[f.id] = keys;
        }
      }
    });
    return { answers: readAll(false), rows: rows };
  }

  /** Lays `state` into the form where it differs from what is shown. */
  function show(state, shown) {
    if (!same(state, shown)) {
      apply(place(state.answers).placed, state.rows);
    }
  }

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
      d.rows = MERGE.withKeys(d, rowFields).rows;
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

  /** Their state with my changes since `since` laid over it (draft-merge.js). */
  function merge(theirs, since, mine) {
    return MERGE.merge(theirs, since, mine, rowFields, listFields);
  }

  function saveDraft() {
    if (!storage) {
      setStatus(S.draft_unavailable);
      return;
    }
    try {
      var stored = storedDraft();
      var mine = readState();
      // What other tabs left: their draft, or nothing if one cleared everything since.
      var theirs = stored ? stored : base.rev > 0 ? { answers: {}, rows: {} } : null;
      if (theirs && (!stored || stored.rev !== base.rev)) {
        show(merge(theirs, base, mine), mine);
        mine = readState();
      }
      var now = new Date();
      var rev = Math.max(stored ? stored.rev : 0, base.rev) + 1;
      storage.setItem(
        DRAFT_KEY,
        JSON.stringify({
          rev: rev,
          saved_at: now.toISOString(),
          version: model.version,
          answers: mine.answers,
          labels: labels(),
          rows: mine.rows,
        }),
      );
      base = { rev: rev, answers: mine.answers, rows: mine.rows };
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
        base = { rev: 0, answers: {}, rows: {} };
        setStatus("");
      }
      return;
    }
    if (stored.rev <= base.rev) {
      return;
    }
    var merged = merge(stored, base, readState());
    apply(place(merged.answers).placed, merged.rows);
    base = { rev: stored.rev, answers: stored.answers, rows: stored.rows };
    setStatus(fmt(S.draft_synced, { time: clock(new Date()) }));
    if (!same(merged.answers, stored.answers)) {
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
      apply(place(draft.answers).placed, draft.rows);
      base = { rev: draft.rev, answers: draft.answers, rows: draft.rows };
      var saved = new Date(draft.saved_at);
      setStatus(fmt(S.draft_restored, isNaN(saved.getTime()) ? {} : { date: day(saved), time: clock(saved) }));
      checkStoredFiles();
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

  /* ---- attachments: their bytes in IndexedDB, with the draft ------------------------
   * The draft (localStorage) holds each attached file's name, type, size and SHA-256; the
   * bytes, up to 10 MB a file, are kept in IndexedDB under the form's draft prefix and the
   * hash, written before the draft names them, so a reload, a crash or another tab finds
   * them. Clearing everything deletes them. Where IndexedDB is unavailable they stay in
   * memory until the page is closed, and the page says so. */

  var FA = window.FormwerkAnswers;
  var fileFields = fields.filter(function (f) {
    return R.shapeOf(f.kind) === "files";
  });
  var memoryFiles = {};
  var filesDb = new Promise(function (resolve) {
    try {
      var request = window.indexedDB.open("formwerk-attachments", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("files");
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        resolve(null);
      };
    } catch (e) {
      resolve(null);
    }
  });

  /** Runs `work(store)` in a transaction; resolves with its request's result once committed. */
  function filesTx(mode, work) {
    return filesDb.then(function (db) {
      if (!db) {
        return null;
      }
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("files", mode);
        var request = work(tx.objectStore("files"));
        tx.oncomplete = function () {
          resolve(request ? request.result : null);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function putFile(sha, blob) {
    return filesDb.then(function (db) {
      if (!db) {
        memoryFiles[sha] = blob;
        setStatus(S.attachment_unsaved);
        return null;
      }
      return filesTx("readwrite", function (store) {
        return store.put(blob, DRAFT_PREFIX + sha);
      });
    });
  }

  /** The bytes of an attached file, or null when this browser no longer has them. */
  function getFile(sha) {
    if (memoryFiles[sha]) {
      return Promise.resolve(memoryFiles[sha]);
    }
    return filesTx("readonly", function (store) {
      return store.get(DRAFT_PREFIX + sha);
    }).then(
      function (blob) {
        return blob || null;
      },
      function () {
        return null;
      },
    );
  }

  /** Deletes the stored files of this form that `keep` (a SHA-256) does not name. */
  function dropFiles(keep) {
    Object.keys(memoryFiles).forEach(function (sha) {
      if (!keep(sha)) {
        delete memoryFiles[sha];
      }
    });
    return filesTx("readwrite", function (store) {
      var range = window.IDBKeyRange.bound(DRAFT_PREFIX, DRAFT_PREFIX + "\uffff");
      store.openCursor(range).onsuccess = function (e) {
        var cursor = e.target.result;
        if (cursor) {
          if (!keep(String(cursor.key).slice(DRAFT_PREFIX.length))) {
            cursor.delete();
          }
          cursor.continue();
        }
      };
      return null;
    }).catch(function () {});
  }

  /** Deletes stored files no draft names any more (after a file was removed). */
  function dropUnused() {
    var named = {};
    var drafts = storage ? [storedDraft()].concat(olderDrafts().map(function (d) { return d.draft; })) : [];
    drafts.concat([readState()]).forEach(function (d) {
      fileFields.forEach(function (f) {
        ((d && d.answers && d.answers[f.id]) || []).forEach(function (x) {
          named[x && x.sha256] = true;
        });
      });
    });
    return dropFiles(function (sha) {
      return named[sha] === true;
    });
  }

  function clearFieldError(f) {
    var message = $(f.id + model.ids.error);
    if (message) {
      message.remove();
    }
    $(f.id + model.ids.field).classList.remove("field-error");
    var input = $(f.id);
    input.removeAttribute("aria-invalid");
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== f.id + model.ids.error;
    });
    input.setAttribute("aria-describedby", ids.join(" "));
  }

  /** Bytes of all files attached in the form. */
  function attachedBytes() {
    var total = 0;
    fileFields.forEach(function (f) {
      (read(f) || []).forEach(function (x) {
        total += x.size;
      });
    });
    return total;
  }

  /** Files chosen in a field's picker: checked (type, size, count, the answers file's cap),
   * hashed, stored, then listed; what does not fit is said at the field. */
  function attach(f, chosen) {
    var rules = f.attachment;
    var kind = KINDS[f.kind];
    var count = (read(f) || []).length;
    var total = attachedBytes();
    var problems = [];
    var taken = [];
    Array.prototype.forEach.call(chosen, function (file) {
      var values = { file: file.name, label: f.label, types: rules.types, size: R.humanSize(file.size), max: rules.size };
      if (!R.fitsType(rules, file.name, file.type)) {
        problems.push(fmt(S.error_file_type, values));
      } else if (file.size > rules.max_size) {
        problems.push(fmt(S.error_file_size, values));
      } else if (count + taken.length >= rules.max_files) {
        problems.push(fmt(S.error_file_count, { label: f.label, max: rules.max_files }));
      } else if (total + file.size > model.max_attachment_bytes) {
        problems.push(fmt(S.error_file_total, { size: R.humanSize(total + file.size), max: R.humanSize(model.max_attachment_bytes) }));
      } else {
        total += file.size;
        taken.push(file);
      }
    });
    clearFieldError(f);
    if (problems.length) {
      markInvalid(f, problems.filter(function (p, i) { return problems.indexOf(p) === i; }).join(" "));
    }
    $(f.id).value = "";
    return Promise.all(
      taken.map(function (file) {
        return file.arrayBuffer().then(function (buffer) {
          return FA.bytesSha256(new Uint8Array(buffer)).then(function (sha) {
            return putFile(sha, file).then(function () {
              return { name: file.name, type: file.type || "application/octet-stream", size: file.size, sha256: sha };
            });
          });
        });
      }),
    ).then(function (files) {
      var added = files.filter(function (x) {
        return kind.add(f, x);
      });
      if (added.length) {
        announce(f, added.map(function (x) { return fmt(S.attachment_added, { file: x.name }); }).join(" "));
        changed();
      }
    });
  }

  function detach(f, button) {
    var removed = KINDS[f.kind].remove(f, Number(button.getAttribute("data-file-remove")));
    if (!removed) {
      return;
    }
    clearFieldError(f);
    $(f.id).focus();
    announce(f, fmt(S.attachment_removed, { file: removed.name }));
    changed();
    dropUnused();
  }

  /** After a draft is restored: files whose bytes this browser lost are taken off, and said. */
  function checkStoredFiles() {
    fileFields.forEach(function (f) {
      (read(f) || []).forEach(function (x) {
        getFile(x.sha256).then(function (blob) {
          var files = read(f) || [];
          var at = files.map(function (y) { return y.sha256; }).indexOf(x.sha256);
          if (!blob && at >= 0) {
            KINDS[f.kind].remove(f, at);
            showNotice("warning", fmt(S.attachment_missing, { file: x.name, label: f.label }));
            saveDraft();
          }
        });
      });
    });
  }

  /** The answers with each attached file's bytes as `content` (the answers file). */
  function withContent(answers) {
    return Promise.all(
      fileFields
        .filter(function (f) {
          return Array.isArray(answers[f.id]);
        })
        .map(function (f) {
          return Promise.all(
            answers[f.id].map(function (x) {
              return getFile(x.sha256).then(function (blob) {
                return blob ? blob.arrayBuffer() : null;
              }).then(function (buffer) {
                return buffer ? { name: x.name, type: x.type, size: x.size, sha256: x.sha256, content: FA.toBase64(new Uint8Array(buffer)) } : null;
              });
            }),
          ).then(function (files) {
            keepFiles(answers, f.id, files);
          });
        }),
    ).then(function () {
      return answers;
    });
  }

  /** Sets the answer `id` to the files that came through (`null`: left out), or removes it. */
  function keepFiles(answers, id, files) {
    files = files.filter(Boolean);
    if (files.length) {
      answers[id] = files;
    } else {
      delete answers[id];
    }
  }

  /** The files of a loaded answers file: each checked against its size and SHA-256 and
   * stored; damaged ones, and ones beyond the answers file's cap, are left out and named.
   * Resolves with the problems; `answers` keep only what was stored, without content. */
  function takeFiles(answers) {
    var problems = [];
    var total = 0;
    return Promise.all(
      fileFields
        .filter(function (f) {
          return R.fits(f, answers[f.id]);
        })
        .map(function (f) {
          return Promise.all(
            answers[f.id].map(function (x) {
              var bytes = FA.fromBase64(x.content);
              var check = bytes && bytes.length === x.size ? FA.bytesSha256(bytes) : Promise.resolve(null);
              return check.then(function (sha) {
                if (sha !== x.sha256) {
                  problems.push(fmt(S.error_file_damaged, { file: x.name, label: f.label }));
                  return null;
                }
                if (total + x.size > model.max_attachment_bytes) {
                  problems.push(fmt(S.error_file_total, { size: R.humanSize(total + x.size), max: R.humanSize(model.max_attachment_bytes) }));
                  return null;
                }
                total += x.size;
                return putFile(sha, new Blob([bytes], { type: x.type })).then(function () {
                  return { name: x.name, type: x.type, size: x.size, sha256: x.sha256 };
                });
              });
            }),
          ).then(function (files) {
            keepFiles(answers, f.id, files);
          });
        }),
    ).then(function () {
      return problems;
    });
  }

  /* ---- answers file --------------------------------------------------------------- */

  /** The start of a saved file's name: the form, then the identifying answer ("Landkreis
   * Göttingen" → "landkreis-goettingen"), folded with the site's one folding table; letters of
   * other scripts stay as typed, everything else becomes "-". */
  function fileStem(answers) {
    var value = model.identify ? answers[model.identify] : null;
    var fold = model.fold || {};
    var slug = typeof value !== "string" ? "" : Array.from(value.toLowerCase())
      .map(function (c) {
        return Object.prototype.hasOwnProperty.call(fold, c) ? fold[c] : c;
      })
      .join("")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "");
    return model.id + (slug ? "-" + Array.from(slug).slice(0, 60).join("").replace(/-+$/, "") : "");
  }

  /** The answers file as "Antworten speichern" writes it: {name, text}. */
  function answersFile() {
    var now = new Date();
    var answers;
    return withContent(readAll(true))
      .then(function (all) {
        answers = all;
        var data = { form: model.id, version: model.version, saved_at: now.toISOString(), answers: all };
        return window.FormwerkAnswers.seal(data);
      })
      .then(function (sealed) {
        var name = fileStem(answers) + "-antworten-" + isoDay(now) + ".json";
        return { name: name, text: JSON.stringify(sealed, null, 2) + "\n" };
      });
  }

  function exportAnswers() {
    return answersFile().then(function (file) {
      R.download(file.name, file.text, "application/json");
      showNotice("success", fmt(S.saved_file, { file: file.name }));
    });
  }
  // The encrypted submission (sealed-submission.js) encrypts exactly this file.
  window.FormwerkForm = { answersFile: answersFile };

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
      return takeFiles(data.answers).then(function (fileProblems) {
        loadAnswers(name, data, opened, fileProblems);
      });
    });
  }

  /** Puts the answers of an opened answers file into the form, if they fit. */
  function loadAnswers(name, data, opened, fileProblems) {
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
    // Computed values are calculated again; one the file states otherwise is reported.
    result.unplaced = result.unplaced.concat(R.recompute(byId, data.answers, S), fileProblems);
    if (result.unplaced.length) {
      showNotice("warning", fmt(S.loaded_partly, { file: name, version: data.version }), result.unplaced, unchecked);
    } else {
      showNotice("success", fmt(S.loaded, { file: name }), null, unchecked);
    }
  }

  /* ---- checking the answers ------------------------------------------------------- */

  var summary = $("error-summary");

  function firstControl(f) {
    return KINDS[f.kind].controls(f)[0];
  }

  function problem(f) {
    return R.problem(f, read(f), S, $(f.id));
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
        return id && id !== f.id + model.ids.error;
      });
      if (ids.length) {
        target.setAttribute("aria-describedby", ids.join(" "));
      } else {
        target.removeAttribute("aria-describedby");
      }
    });
  }

  /** Marks a field's controls invalid (`control`: only that one, a table's cell) and puts
   * the message above them. */
  function markInvalid(f, message, control) {
    var wrapper = $(f.id + model.ids.field);
    wrapper.classList.add("field-error");
    var p = document.createElement("p");
    p.className = "error-message";
    p.id = f.id + model.ids.error;
    var prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = S.error_prefix + " ";
    p.appendChild(prefix);
    p.appendChild(document.createTextNode(message));
    var slot = wrapper.querySelector(".error-slot");
    var anchor = wrapper.querySelector(".hint") || wrapper.querySelector(".question");
    if (slot) {
      slot.appendChild(p);
    } else {
      anchor.parentNode.insertBefore(p, anchor.nextSibling);
    }
    var target = $(f.id);
    var described = (target.getAttribute("aria-describedby") || "").trim();
    target.setAttribute("aria-describedby", (p.id + " " + described).trim());
    (control ? [control] : KINDS[f.kind].controls(f)).forEach(function (c) {
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
      // Calculated values are no questions: neither counted nor listed as open.
      var asked = !KINDS[f.kind].calculated;
      if (asked) {
        total++;
      }
      // Problems at single cells of a table or group ("Zeile 2, Betrag"), where the kind has them.
      var cells = KINDS[f.kind].problems ? KINDS[f.kind].problems(f, S) : [];
      var message = cells.length ? null : problem(f);
      if (cells.length) {
        cells.forEach(function (c) {
          problems.push({ field: f, message: c.message, control: c.control });
        });
      } else if (message) {
        problems.push({ field: f, message: message });
      } else if (read(f) === undefined && asked) {
        open.push({ text: f.label, href: "#" + firstControl(f).id });
      }
    });
    // The [[checks]]: linked to the first field they name.
    R.failedChecks(model, N.answersEnv(byId, readAll(false))).forEach(function (c) {
      var f = byId[c.fields[0]];
      if (f) {
        problems.push({ field: f, message: c.message, control: firstControl(f) });
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
    var marked = {};
    fillList(
      list,
      problems.map(function (p) {
        if (!marked[p.field.id]) {
          marked[p.field.id] = true;
          markInvalid(p.field, p.message, p.control);
        } else if (p.control) {
          p.control.setAttribute("aria-invalid", "true");
        }
        return { text: p.message, href: "#" + (p.control || firstControl(p.field)).id };
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

  /* ---- rows of tables and instances of groups --------------------------------------- */

  /** The field (table or group) a button or cell belongs to. */
  function fieldOf(el) {
    var wrapper = el.closest(".field");
    return wrapper ? byId[wrapper.id.replace(/-field$/, "")] : null;
  }

  function announce(f, text) {
    $(f.id + model.ids.status).textContent = text;
  }

  /** The values of a row's theme strings: its number, and "Maßnahme 2" for a group's. */
  function rowWords(f, n) {
    return { row: n, item: f.label + " " + n };
  }

  function addRow(f) {
    var kind = KINDS[f.kind];
    var row = kind.add(f);
    if (!row) {
      announce(f, fmt(S.rows_full, { max: f.max_items }));
      return;
    }
    row.querySelector("input, textarea").focus();
    announce(f, fmt(S[kind.added], rowWords(f, kind.rows(f).length)));
    changed();
  }

  function removeRow(f, button) {
    var kind = KINDS[f.kind];
    var row = button.closest("tr, fieldset");
    var n = kind.rows(f).indexOf(row) + 1;
    var filled = Array.prototype.some.call(row.querySelectorAll("input, textarea"), function (el) {
      return el.value.trim() !== "";
    });
    if (kind.confirm && filled && !window.confirm(fmt(S[kind.confirm], rowWords(f, n)))) {
      return;
    }
    if (!kind.remove(f, row)) {
      return;
    }
    // Focus stays where the person works: the same place in the next row, else the previous.
    var left = kind.rows(f);
    left[Math.min(n - 1, left.length - 1)].querySelector("[data-row-remove], [data-item-remove]").focus();
    announce(f, fmt(S[kind.removed], rowWords(f, n)));
    changed();
  }

  /** Rows and buttons that fit the count: no removing below the minimum, no adding above. */
  function rowButtons() {
    fields.forEach(function (f) {
      if (!KINDS[f.kind].rows) {
        return;
      }
      var count = KINDS[f.kind].rows(f).length;
      Array.prototype.forEach.call($(f.id + model.ids.field).querySelectorAll("[data-row-remove], [data-item-remove]"), function (b) {
        b.disabled = count <= Math.max(f.min_items, 1);
      });
      $(f.id + model.ids.field).querySelector("[data-row-add], [data-item-add]").disabled = count >= f.max_items;
    });
  }

  form.addEventListener("click", function (e) {
    var remove = e.target.closest("[data-file-remove]");
    if (remove && fieldOf(remove)) {
      detach(fieldOf(remove), remove);
      return;
    }
    var button = e.target.closest("[data-row-add], [data-item-add], [data-row-remove], [data-item-remove]");
    var f = button && fieldOf(button);
    if (!f) {
      return;
    }
    if (button.hasAttribute("data-row-add") || button.hasAttribute("data-item-add")) {
      addRow(f);
    } else {
      removeRow(f, button);
    }
  });

  /** A number typed into a cell is shown the German way once left ("1.234,50"); anything
   * else is flagged at the cell. */
  function tidyNumber(el) {
    var f = fieldOf(el);
    var c = f && f.columns
      ? f.columns.filter(function (x) {
          return x.id === el.getAttribute("data-col");
        })[0]
      : null;
    if (!c || c.kind !== "number") {
      return;
    }
    var n = N.parseGerman(el.value);
    if (el.value.trim() === "" || n !== null) {
      el.removeAttribute("aria-invalid");
      if (n !== null) {
        el.value = N.german(n, c.decimals);
      }
    } else {
      el.setAttribute("aria-invalid", "true");
    }
  }

  /* ---- printing ------------------------------------------------------------------- */

  function printForm(blank) {
    refresh();
    var root = document.documentElement;
    if (blank) {
      root.classList.add("print-blank");
    }
    // Blank paper has as many ruled rows as the page without a script: never fewer.
    var added = [];
    if (blank) {
      fields.forEach(function (f) {
        var kind = KINDS[f.kind];
        while (kind.rows && kind.rows(f).length < f.start) {
          added.push(kind.add(f));
        }
      });
    }
    window.print();
    added.forEach(function (row) {
      row.remove();
    });
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
        R.download(copy.name, copy.html, "text/html");
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
      dropFiles(function () {
        return false;
      });
      base = { rev: 0, answers: {} };
      versionNotice.hidden = true;
      offered = null;
      refresh();
      setStatus("");
      showNotice("success", S.cleared);
    },
  };

  document.addEventListener("click", function (e) {
    var button = e.target.closest("#form-tools button[data-action], #abschluss button[data-action]");
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
    if (e && e.target === fileInput) {
      return;
    }
    if (e && e.target.type === "file") {
      // An attachment's picker: its files are listed (and the draft saved) once stored.
      if (e.type === "change" && byId[e.target.id]) {
        attach(byId[e.target.id], e.target.files || []);
      }
      return;
    }
    if (e && e.type === "change" && e.target.matches(".cell")) {
      tidyNumber(e.target);
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

  /* Whether the deadline has passed is decided here, on the applicant's day, never at build
   * time: a build stays the same whatever the date. */
  Array.prototype.forEach.call(document.querySelectorAll(".deadline-passed[data-deadline]"), function (p) {
    p.hidden = !(isoDay(new Date()) > p.getAttribute("data-deadline"));
  });
  restoreDraft();
  refresh();
  // The tools are in the page from the start (hidden by noscript.css without a script), so
  // nothing moves now: they only become usable.
  Array.prototype.forEach.call(document.querySelectorAll("#form-tools button[data-action], #abschluss button[data-action]"), function (b) {
    b.disabled = false;
  });
})();
