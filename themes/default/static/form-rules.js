/* Formwerk form rules, shared by the form page (formwerk.js) and the inbox (inbox.js): which
 * answer fits which question, which questions are shown (show_if), and what is wrong with an
 * answer (required, number range, length). One copy of these rules for both pages; the form
 * model and the messages (theme strings) come from the build.
 * window.FormwerkRules = {controls, download, fmt, index, fits, place, visible, problem, answered};
 * `controls(form).kinds` is the table of field kinds (read/write/fits/controls/problem).
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

  function isString(x) {
    return typeof x === "string";
  }

  var EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
  var TEL = /^\+?[0-9 ()\/-]+$/;

  /** The field kinds, one entry each: `read`, `write` and `controls` work on the controls of a
   * rendered form inside `form` (partials/form-sections.html); `fits` (whether a value read back
   * from a file or draft fits) and `problem` (the theme string key of what is wrong with an
   * answer, `el` the control where there is one) need no page. `choose`: answered by choosing. */
  function kinds(form) {
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

    function checked(f) {
      return choiceInputs(f).filter(function (i) {
        return i.checked;
      });
    }

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
          if (el && el.validity && el.validity.badInput) {
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

    return {
      text: textKind(),
      textarea: textKind(),
      date: textKind(
        function (v) {
          return /^\d{4}-\d{2}-\d{2}$/.test(v);
        },
        "error_date",
        true,
      ),
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
          if (el && el.validity && el.validity.badInput) {
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
  }

  /* The kinds' page-free parts (fits, problem, choose), for the inbox and answers files. */
  var KINDS = kinds(null);

  /** Whether a value fits the field, for answers read back from files and drafts. */
  function fits(f, v) {
    var kind = KINDS[f.kind];
    return kind ? kind.fits(f, v) : false;
  }

  function describe(byId, key) {
    var f = byId[key.replace(/\.other$/, "")];
    return f ? "„" + f.label + "“ (" + key + ")" : key;
  }

  /** A value as the applicant typed or chose it, for naming an answer without a question. */
  function shown(v, S) {
    var text = Array.isArray(v)
      ? v
          .filter(function (x) {
            return String(x).trim() !== "";
          })
          .join(", ")
      : typeof v === "boolean"
        ? v
          ? S.yes
          : S.no
        : String(v);
    return text.length > 60 ? text.slice(0, 59) + "…" : text;
  }

  /** Sorts answers into those this form can take and reasons for the others
   * (`unplaced`: messages; `keys`: the keys that did not fit, with `unknown` true for keys
   * the form does not have). The inbox names answers by their keys; the form page passes
   * `applicant` = {known: labels of the version the answers come from, or null} and names
   * them by question, or by the value where the question is not known. */
  function place(byId, answers, S, applicant) {
    var placed = Object.create(null);
    var unplaced = [];
    var keys = [];
    Object.keys(answers).forEach(function (key) {
      var v = answers[key];
      var isOther = /\.other$/.test(key);
      var id = isOther ? key.slice(0, -6) : key;
      var f = byId[id];
      if (!f || (isOther && !f.other)) {
        if (applicant) {
          var known = applicant.known;
          var label = known && isString(known[id]) ? known[id] : null;
          unplaced.push(label ? fmt(S.unplaced_unknown, { field: label }) : fmt(S.unplaced_unnamed, { value: shown(v, S) }));
        } else {
          unplaced.push(fmt(S.unplaced_unknown, { field: key }));
        }
        keys.push({ key: key, unknown: true });
      } else if (isOther ? !isString(v) : !fits(f, v)) {
        unplaced.push(fmt(S.unplaced_invalid, { field: applicant ? f.label : describe(byId, key) }));
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

  /** What is wrong with the answer `v` (undefined: none given), as a message, or null;
   * `el` is the field's control on the form page (its unreadable input), absent elsewhere. */
  function problem(f, v, S, el) {
    var kind = KINDS[f.kind];
    var label = { label: f.label, min: f.min, max: f.max };
    var key = kind.problem ? kind.problem(f, v, el) : null;
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

  /** The controls of a rendered form (partials/form-sections.html) inside `form`: reading
   * them is the form page's business; writing answers into them and filling the print
   * mirrors serves the form page and the inbox's filled view alike. */
  function controls(form) {
    var table = kinds(form);

    function otherText(f) {
      return document.getElementById(f.id + "-other-text");
    }

    function write(f, value) {
      table[f.kind].write(f, value);
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

    return { kinds: table, otherText: otherText, write: write, mirrors: mirrors };
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
