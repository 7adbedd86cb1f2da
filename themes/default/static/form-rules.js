/* Formwerk form rules, shared by the form page (formwerk.js) and the inbox (inbox.js): which
 * answer fits which question, which questions are shown (show_if), and what is wrong with an
 * answer (required, number range, length). One copy of these rules for both pages; the form
 * model and the messages (theme strings) come from the build.
 * window.FormwerkRules = {controls, download, fmt, index, fits, place, visible, problem, answered}.
 * No dependencies; also inlined into offline copies, so it never contains a closing-tag
 * sequence. */
(function () {
  "use strict";

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }

  /** The model's questions by id. */
  function index(model) {
    // No prototype: a file's key such as "__proto__" or "constructor" finds nothing here.
    var byId = Object.create(null);
    model.fields.forEach(function (f) {
      byId[f.id] = f;
    });
    return byId;
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

  function describe(byId, key) {
    var f = byId[key.replace(/\.other$/, "")];
    return f ? "„" + f.label + "“ (" + key + ")" : key;
  }

  /** Sorts answers into those this form can take and reasons for the others
   * (`unplaced`: messages; `keys`: the keys that did not fit, with `unknown` true for keys
   * the form does not have). */
  function place(byId, answers, S) {
    var placed = Object.create(null);
    var unplaced = [];
    var keys = [];
    Object.keys(answers).forEach(function (key) {
      var v = answers[key];
      var isOther = /\.other$/.test(key);
      var f = byId[isOther ? key.slice(0, -6) : key];
      if (!f || (isOther && !f.other)) {
        unplaced.push(fmt(S.unplaced_unknown, { field: key }));
        keys.push({ key: key, unknown: true });
      } else if (isOther ? typeof v !== "string" : !fits(f, v)) {
        unplaced.push(fmt(S.unplaced_invalid, { field: describe(byId, key) }));
        keys.push({ key: key, unknown: false });
      } else {
        placed[key] = v;
      }
    });
    return { placed: placed, unplaced: unplaced, keys: keys };
  }

  /** The answer as the form page reads it: undefined when there is none. */
  function answered(v) {
    if (typeof v === "string") {
      return v.trim() === "" ? undefined : v;
    }
    if (Array.isArray(v)) {
      return v.some(function (x) {
        return typeof x !== "string" || x.trim() !== "";
      })
        ? v
        : undefined;
    }
    return v === null ? undefined : v;
  }

  /** Whether a field is shown, given `get(field)` → its answer (show_if, nested). */
  function visible(byId, f, get, depth) {
    if (!f.show_if) {
      return true;
    }
    var dep = byId[f.show_if.field];
    depth = depth || 0;
    if (!dep || depth > 32) {
      return true;
    }
    if (!visible(byId, dep, get, depth + 1)) {
      return false;
    }
    var v = get(dep);
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

  var GROUPS = { yes_no: true, choice: true, multi_choice: true };

  /** What is wrong with the answer `v` (undefined: none given), as a message, or null. */
  function problem(f, v, S) {
    var label = { label: f.label, min: f.min, max: f.max };
    if (v === undefined) {
      return f.required ? fmt(GROUPS[f.kind] ? S.error_required_choice : S.error_required, label) : null;
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

  /** The controls of a rendered form (partials/form-sections.html) inside `form`: reading
   * them is the form page's business; writing answers into them and filling the print
   * mirrors serves the form page and the inbox's filled view alike. */
  function controls(form) {
    function $(id) {
      return document.getElementById(id);
    }

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

    function printable(control) {
      if (control.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(control.value)) {
        var p = control.value.split("-");
        return p[2] + "." + p[1] + "." + p[0];
      }
      return control.value;
    }

    /** Copies every control's text into its print mirror (printed instead of the control). */
    function mirrors() {
      Array.prototype.forEach.call(form.querySelectorAll(".print-value"), function (mirror) {
        var control = mirror.previousElementSibling;
        mirror.firstElementChild.textContent = control ? printable(control) : "";
      });
    }

    return { choiceInputs: choiceInputs, lineInputs: lineInputs, otherText: otherText, write: write, mirrors: mirrors };
  }

  /** Offers `text` as a file download named `name` (the answers file, the inbox's CSV). */
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

  window.FormwerkRules = {
    controls: controls,
    download: download,
    fmt: fmt,
    index: index,
    fits: fits,
    place: place,
    visible: visible,
    problem: problem,
    answered: answered,
  };
})();
