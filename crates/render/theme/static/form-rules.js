/* Formwerk form rules, shared by the form page (formwerk.js) and the inbox (inbox.js): which
 * answer fits which question, which questions are shown (show_if), and what is wrong with an
 * answer (required, number range, length). One copy of these rules for both pages; the form
 * model and the messages (theme strings) come from the build.
 * window.FormwerkRules = {controls, describe, download, fmt, index, fits, place, visible, problem, answered,
 *   numbers, recompute, failedChecks, shapeOf};
 * `controls(form, model).kinds` is the table of field kinds (read/write/fits/controls/problem),
 * each kind its answer shape (SHAPES: a text, a number, a yes or no, one option, ticks, lines,
 * rows, a calculated number, files) plus what is its own (KINDS); `shapeOf(kind)` names the shape.
 * `numbers` evaluates the expressions of computed fields and checks: the build parses them
 * (src/form/expr.rs) and hands the tree over in the model; numbers are exact (BigInt
 * millionths), German as shown and typed.
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

  /* ---- numbers and expressions (the rules of src/form/expr.rs; a parity test holds them) --- */

  var SCALE = BigInt(1000000);
  var PLACES = 6;
  /* The range of Rust's i128 (src/form/eval.rs): a step beyond it has no value, on both sides. */
  var I128_MAX = (BigInt(1) << BigInt(127)) - BigInt(1);
  var I128_MIN = -(BigInt(1) << BigInt(127));

  /** `n`, or null beyond the range of i128. */
  function inRange(n) {
    return n === null || n > I128_MAX || n < I128_MIN ? null : n;
  }

  /** `{num: n}`, or null beyond the range of i128. */
  function num(n) {
    return inRange(n) === null ? null : { num: n };
  }

  /** A plain decimal ("12", "-0.5", at most six places) in millionths, or null. */
  function parseDecimal(raw) {
    var m = /^(-?)(\d{1,24})(?:\.(\d{1,6}))?$/.exec(raw);
    if (!m) {
      return null;
    }
    var frac = (m[3] || "").padEnd(PLACES, "0");
    var n = BigInt(m[2]) * SCALE + BigInt(frac);
    return m[1] ? -n : n;
  }

  /** A JSON number in millionths (rounded to six places), or null. */
  function fromNumber(v) {
    if (typeof v !== "number" || !isFinite(v) || Math.abs(v) >= 1e21) {
      return null;
    }
    return parseDecimal(v.toFixed(PLACES));
  }

  function abs(n) {
    return n < 0 ? -n : n;
  }

  /** Millionths as a plain decimal without trailing zeros ("1335.5"). */
  function plain(n) {
    var sign = n < 0 ? "-" : "";
    var a = abs(n);
    var frac = String(a % SCALE).padStart(PLACES, "0").replace(/0+$/, "");
    return sign + String(a / SCALE) + (frac ? "." + frac : "");
  }

  function toNumber(n) {
    return Number(plain(n));
  }

  /** Rounds millionths to `places` decimals, half away from zero. */
  function roundTo(n, places) {
    var step = BigInt(Math.pow(10, PLACES - Math.min(places, PLACES)));
    var half = step / BigInt(2);
    return n >= 0 ? ((n + half) / step) * step : -((-n + half) / step) * step;
  }

  /** German: "1.234,56", with `decimals` places (as needed when null) and the unit. */
  function german(n, decimals, unit) {
    if (decimals !== null && decimals !== undefined) {
      n = roundTo(n, decimals);
    }
    var sign = n < 0 ? "-" : "";
    var a = abs(n);
    var whole = String(a / SCALE).replace(/\B(?=(\d{3})+$)/g, ".");
    var frac = String(a % SCALE).padStart(PLACES, "0");
    frac = decimals !== null && decimals !== undefined ? frac.slice(0, Math.min(decimals, PLACES)) : frac.replace(/0+$/, "");
    return sign + whole + (frac ? "," + frac : "") + (unit ? " " + unit : "");
  }

  /** A number as typed: "1234,56", "1.234,56", "1234.56", "1.234" (dots in threes are
   * thousands); null for anything else. */
  function parseGerman(text) {
    var t = String(text).trim();
    var neg = t.charAt(0) === "-";
    var body = neg ? t.slice(1).trim() : t;
    var digits = /^\d+$/;
    var whole = body;
    var frac = "";
    var comma = body.indexOf(",");
    if (comma >= 0) {
      whole = body.slice(0, comma);
      frac = body.slice(comma + 1);
      if (!digits.test(frac)) {
        return null;
      }
    } else {
      var parts = body.split(".");
      if (parts.length === 2 && !(parts[1].length === 3 && parts[0].length <= 3)) {
        if (!digits.test(parts[0]) || !digits.test(parts[1])) {
          return null;
        }
        whole = parts[0];
        frac = parts[1];
      }
    }
    var groups = whole.split(".");
    var ok =
      groups.length === 1
        ? digits.test(whole)
        : groups[0].length >= 1 &&
          groups[0].length <= 3 &&
          digits.test(groups[0]) &&
          groups.slice(1).every(function (g) {
            return g.length === 3 && digits.test(g);
          });
    if (!ok) {
      return null;
    }
    var n = parseDecimal(groups.join("") + (frac ? "." + frac : ""));
    return n === null ? null : neg ? -n : n;
  }

  /** Evaluates a tree from the build. `env`: number(id) → millionths or null,
   * column(table, column) → [millionths], computed(id) → tree or null. Returns
   * {num}, {bool}, {list} or null where there is no value. */
  function evaluate(e, env, depth) {
    depth = depth || 0;
    if (depth > 64 || !e) {
      return null;
    }
    if (e.num !== undefined) {
      return { num: parseDecimal(e.num) };
    }
    if (e.ref !== undefined) {
      var inner = env.computed(e.ref);
      if (inner) {
        return evaluate(inner, env, depth + 1);
      }
      var n = env.number(e.ref);
      return { num: n === null || n === undefined ? BigInt(0) : n };
    }
    if (e.col) {
      return { list: env.column(e.col[0], e.col[1]) };
    }
    if (e.neg) {
      var x = numberOf(e.neg, env, depth);
      return x === null ? null : num(-x);
    }
    if (e.op) {
      return e.op === "and" || e.op === "or" ? logical(e, env, depth) : binary(e, env, depth);
    }
    if (e.fn === "if") {
      var c = evaluate(e.args[0], env, depth);
      return !c || c.bool === undefined ? null : evaluate(e.args[c.bool ? 1 : 2], env, depth);
    }
    if (e.fn === "round") {
      var r = numberOf(e.args[0], env, depth);
      var places = e.args[1] ? numberOf(e.args[1], env, depth) : BigInt(0);
      if (r === null || places === null) {
        return null;
      }
      var pl = Number(places / SCALE);
      return { num: roundTo(r, Math.max(0, Math.min(6, pl))) };
    }
    if (e.fn === "sum" || e.fn === "min" || e.fn === "max") {
      return aggregate(e, env, depth);
    }
    return null;
  }

  /** A subtree's number (millionths), or null where it has none. */
  function numberOf(x, env, depth) {
    var v = evaluate(x, env, depth);
    return v && v.num !== undefined ? v.num : null;
  }

  /** `and`, `or`: both sides must be conditions. */
  function logical(e, env, depth) {
    var p = evaluate(e.a, env, depth);
    var q = evaluate(e.b, env, depth);
    if (!p || !q || p.bool === undefined || q.bool === undefined) {
      return null;
    }
    return { bool: e.op === "and" ? p.bool && q.bool : p.bool || q.bool };
  }

  /** Arithmetic (products and quotients rounded half away from zero to millionths) and
   * comparisons of two numbers. */
  function binary(e, env, depth) {
    var a = numberOf(e.a, env, depth);
    var b = numberOf(e.b, env, depth);
    if (a === null || b === null) {
      return null;
    }
    switch (e.op) {
      case "+":
        return num(a + b);
      case "-":
        return num(a - b);
      case "*":
        // The exact product before rounding must fit, as Rust's checked_mul and checked_abs.
        var prod = a * b;
        if (inRange(abs(prod)) === null) {
          return null;
        }
        var pq = (abs(prod) + SCALE / BigInt(2)) / SCALE;
        return { num: prod < 0 ? -pq : pq };
      case "/":
        if (b === BigInt(0) || inRange(abs(a * SCALE)) === null || inRange(abs(b)) === null) {
          return null;
        }
        var top = abs(a * SCALE);
        var dq = (top + abs(b) / BigInt(2)) / abs(b);
        return { num: a < 0 !== b < 0 ? -dq : dq };
      case "==":
        return { bool: a === b };
      case "!=":
        return { bool: a !== b };
      case "<":
        return { bool: a < b };
      case "<=":
        return { bool: a <= b };
      case ">":
        return { bool: a > b };
      case ">=":
        return { bool: a >= b };
    }
    return null;
  }

  /** sum, min, max over numbers and columns (a column's values each count). */
  function aggregate(e, env, depth) {
    var all = [];
    for (var i = 0; i < e.args.length; i++) {
      var v = evaluate(e.args[i], env, depth);
      if (!v || v.bool !== undefined) {
        return null;
      }
      all = all.concat(v.list || [v.num]);
    }
    if (e.fn === "sum") {
      var total = all.reduce(function (s, x) {
        return s === null ? null : inRange(s + x);
      }, BigInt(0));
      return total === null ? null : { num: total };
    }
    if (!all.length) {
      return null;
    }
    return {
      num: all.reduce(function (m, x) {
        return (e.fn === "min" ? x < m : x > m) ? x : m;
      }),
    };
  }

  /** An environment over answers as stored (files, drafts). */
  function answersEnv(byId, answers) {
    return {
      number: function (id) {
        return fromNumber(answers[id]);
      },
      column: function (t, c) {
        var rows = Array.isArray(answers[t]) ? answers[t] : [];
        return rows
          .map(function (row) {
            return row && typeof row === "object" ? fromNumber(row[c]) : null;
          })
          .filter(function (n) {
            return n !== null;
          });
      },
      computed: function (id) {
        var f = byId[id];
        return f && f.expr ? f.expr : null;
      },
    };
  }

  /** A computed field's value (millionths, rounded to its decimals) in `env`, or null. */
  function computedValue(f, env) {
    var v = evaluate(f.expr, env);
    if (!v || v.num === undefined) {
      return null;
    }
    return f.decimals === null || f.decimals === undefined ? v.num : roundTo(v.num, f.decimals);
  }

  var numbers = {
    parseGerman: parseGerman,
    german: german,
    fromNumber: fromNumber,
    toNumber: toNumber,
    plain: plain,
    evaluate: evaluate,
    answersEnv: answersEnv,
    computedValue: computedValue,
  };

  /** Computed values stored in `answers` that the calculation does not give: messages. */
  function recompute(byId, answers, S) {
    var env = answersEnv(byId, answers);
    var out = [];
    Object.keys(byId).forEach(function (id) {
      var f = byId[id];
      if (!f.expr || answers[id] === undefined) {
        return;
      }
      var stored = fromNumber(answers[id]);
      var computed = computedValue(f, env);
      if (stored !== computed) {
        var shown = function (n) {
          return n === null ? "–" : german(n, f.decimals, f.unit);
        };
        out.push(fmt(S.computed_mismatch, { label: f.label, stored: shown(stored), computed: shown(computed) }));
      }
    });
    return out;
  }

  /** The model's checks that do not hold in `env`. */
  function failedChecks(model, env) {
    return (model.checks || []).filter(function (c) {
      var v = evaluate(c.rule, env);
      return v && v.bool === false;
    });
  }

  /* ---- field kinds: each an answer shape plus what is its own ----------------------------
   * An answer shape (SHAPES) is one way an answer looks in the answers file
   * (docs/antwortdatei.md) and sits in the form's controls. It states once how such an answer
   * is read from the page (`read`) and put into it (`write`), whether a value read back from
   * a file or draft fits (`fits`), which controls hold it (`controls`), what is wrong with it
   * (`problem`: the theme string key, or {key, values}; `el` the control where there is one),
   * and how two tabs' drafts of it merge (`merge`, draft-merge.js; none: as one value).
   * `choose`: answered by choosing; `calculated`: no question, the page calculates it.
   * A field kind (KINDS) names its shape and adds only what is its own; `kinds()` makes the
   * table of both, by kind, for a page. */

  var EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
  var TEL = /^\+?[0-9 ()\/-]+$/;

  /** Every field kind: its answer shape, and what is its own. A text's `format` is the shape
   * a filled answer must have, checked by "Eingaben prüfen" with the message `error`;
   * `strict` when an answer of another shape cannot be put into the control at all (dates).
   * Rows have theme strings announcing a change ({row}, {item}: `added`, `removed`, and
   * `confirm` where a filled one goes only after asking) and naming a required cell left
   * empty (`missing`), and their layout: `body`, the element holding the rows, and
   * `labelCell`, how a cell (row `n`) is labelled. */
  var KINDS = {
    text: { shape: "text" },
    textarea: { shape: "text" },
    email: {
      shape: "text",
      format: function (v) {
        return EMAIL.test(v.trim());
      },
      error: "error_email",
    },
    tel: {
      shape: "text",
      format: function (v) {
        return TEL.test(v.trim()) && v.replace(/\D/g, "").length >= 3;
      },
      error: "error_tel",
    },
    date: {
      shape: "text",
      format: function (v) {
        return /^\d{4}-\d{2}-\d{2}$/.test(v);
      },
      error: "error_date",
      strict: true,
    },
    number: { shape: "number" },
    computed: { shape: "calculated" },
    yes_no: { shape: "yes_no" },
    choice: { shape: "choice" },
    multi_choice: { shape: "ticks" },
    entry_list: { shape: "lines" },
    table: {
      shape: "rows",
      // A row goes without asking.
      added: "row_added",
      removed: "row_removed",
      missing: "error_required_row",
      body: function (el) {
        return el.tBodies[0];
      },
      // Each cell is labelled by its column's head and its row's head.
      labelCell: function (f, row, c, el, n, ID) {
        el.setAttribute("aria-labelledby", f.id + ID.col + c.id + " " + f.id + ID.row + n);
      },
    },
    attachment: { shape: "files" },
    group: {
      shape: "rows",
      added: "item_added",
      removed: "item_removed",
      confirm: "item_remove_confirm",
      missing: "error_required_item",
      // With a minimum (min_items), the first instance is asked for even when empty.
      needsFirst: true,
      body: function (el) {
        return el.querySelector(".group-items");
      },
      // Each field of an instance has its own label.
      labelCell: function (f, row, c, el) {
        row.querySelector('label[data-col-label="' + c.id + '"]').htmlFor = el.id;
      },
    },
  };

  /** The answer shape of a field kind ("text", "rows" …: a key of SHAPES), or undefined. */
  function shapeOf(kind) {
    return Object.prototype.hasOwnProperty.call(KINDS, kind) ? KINDS[kind].shape : undefined;
  }

  function fitsNumber(f, v) {
    return typeof v === "number" && isFinite(v);
  }

  /** The values a choice may have: its options' and, with „Sonstiges“, "other". */
  function allowed(f) {
    return f.options.concat(f.other ? ["other"] : []);
  }

  /* ---- attachments: the rules the model hands over (formwerk_form::attachment) ---- */

  var SHA256 = /^[0-9a-f]{64}$/;
  var FILE_KEYS = { name: true, type: true, size: true, sha256: true, content: true };

  /** A file size the German way, as formwerk_text::size::human_size writes it. */
  function humanSize(bytes) {
    if (bytes < 1024) {
      return bytes + " Byte";
    }
    if (bytes < 1024 * 1024) {
      return Math.max(1, Math.round(bytes / 1024)) + " KB";
    }
    return (bytes / 1024 / 1024).toFixed(1).replace(".", ",") + " MB";
  }

  /** Whether a file of this name and MIME type is one the field takes (`accept`). */
  function fitsType(rules, name, type) {
    var lower = String(name).toLowerCase();
    var mime = String(type).toLowerCase();
    return (
      !rules.accept.length ||
      rules.accept.some(function (a) {
        if (a.charAt(0) === ".") {
          return lower.slice(-a.length) === a;
        }
        if (/\/\*$/.test(a)) {
          return mime.split("/")[0] === a.slice(0, -2);
        }
        return a === mime;
      })
    );
  }

  /** One attached file as paper and the table list it: "Plan.pdf (1,2 MB, SHA-256 …)". */
  function listedFile(file) {
    return file.name + " (" + humanSize(file.size) + ", SHA-256 " + file.sha256 + ")";
  }

  /** Whether `v` is an attachment answer: files with name, type, size and SHA-256, and their
   * content (standard base64) in an answers file; a draft keeps the bytes in IndexedDB. */
  function filesFit(f, v) {
    return (
      Array.isArray(v) &&
      v.every(function (x) {
        return (
          x !== null &&
          typeof x === "object" &&
          Object.keys(x).every(function (k) {
            return FILE_KEYS[k];
          }) &&
          isString(x.name) &&
          x.name !== "" &&
          isString(x.type) &&
          typeof x.size === "number" &&
          x.size >= 0 &&
          x.size === Math.floor(x.size) &&
          isString(x.sha256) &&
          SHA256.test(x.sha256) &&
          (x.content === undefined || isString(x.content))
        );
      })
    );
  }

  /** What is wrong with a field's files: too many, or one of a type or size it does not take. */
  function filesProblem(f, v) {
    var rules = f.attachment;
    if (!v || !rules) {
      return null;
    }
    if (v.length > rules.max_files) {
      return { key: "error_file_count", values: { label: f.label, max: rules.max_files } };
    }
    for (var i = 0; i < v.length; i++) {
      var file = { file: v[i].name, label: f.label, types: rules.types, size: humanSize(v[i].size), max: rules.size };
      if (!fitsType(rules, v[i].name, v[i].type)) {
        return { key: "error_file_type", values: file };
      }
      if (v[i].size > rules.max_size) {
        return { key: "error_file_size", values: file };
      }
    }
    return null;
  }

  /* The answer shapes, each made for a page (pageOf) and a kind's own facts (KINDS). */
  var SHAPES = {
    /** A string in one control (text, textarea, email, tel, date). */
    text: function (page, own) {
      return {
        read: function (f) {
          var v = page.$(f.id).value;
          return v.trim() === "" ? undefined : v;
        },
        write: function (f, v) {
          page.$(f.id).value = v === undefined ? "" : v;
        },
        fits: function (f, v) {
          return isString(v) && (!own.strict || own.format(v));
        },
        controls: page.one,
        problem: function (f, v, el) {
          if (el && el.validity && el.validity.badInput) {
            return own.error;
          }
          return own.format && v !== undefined && !own.format(v) ? own.error : null;
        },
      };
    },

    /** A number typed into one control, within `min` and `max` where the field has them. */
    number: function (page) {
      return {
        read: function (f) {
          var el = page.$(f.id);
          var n = Number(el.value);
          return el.value === "" || !isFinite(n) ? undefined : n;
        },
        write: function (f, v) {
          page.$(f.id).value = v === undefined ? "" : String(v);
        },
        fits: fitsNumber,
        controls: page.one,
        problem: function (f, v, el) {
          if (el && el.validity && el.validity.badInput) {
            return "error_number";
          }
          if (v !== undefined && f.min !== null && v < f.min) {
            return "error_min";
          }
          return v !== undefined && f.max !== null && v > f.max ? "error_max" : null;
        },
      };
    },

    /** A number the page calculates from the other answers (`expr`) and shows; never typed. */
    calculated: function (page) {
      return {
        calculated: true,
        read: function (f) {
          var n = computedValue(f, pageEnv(page));
          return n === null ? undefined : toNumber(n);
        },
        write: function () {
          /* calculated, never written */
        },
        fits: fitsNumber,
        controls: page.one,
        show: function (f) {
          var n = computedValue(f, pageEnv(page));
          page.$(f.id).textContent = n === null ? "" : german(n, f.decimals);
        },
      };
    },

    /** Yes or no, by two radio buttons: true or false. */
    yes_no: function (page) {
      return {
        read: function (f) {
          var on = page.ticked(f);
          return on.length ? on[0].value === "true" : undefined;
        },
        write: page.tick,
        fits: function (f, v) {
          return typeof v === "boolean";
        },
        controls: page.options,
        choose: true,
      };
    },

    /** One option, by radio buttons: its value, "other" for „Sonstiges“ (whose text is an
     * answer of its own, `<id>.other`). */
    choice: function (page) {
      return {
        read: function (f) {
          var on = page.ticked(f);
          return on.length ? on[0].value : undefined;
        },
        write: page.tick,
        fits: function (f, v) {
          return isString(v) && allowed(f).indexOf(v) >= 0;
        },
        controls: page.options,
        choose: true,
      };
    },

    /** Options ticked in check boxes: their values, each once ("other" as for a choice). Two
     * tabs' drafts merge tick by tick. */
    ticks: function (page) {
      return {
        read: function (f) {
          var on = page.ticked(f);
          return on.length
            ? on.map(function (i) {
                return i.value;
              })
            : undefined;
        },
        write: page.tick,
        fits: function (f, v) {
          return (
            Array.isArray(v) &&
            v.every(function (x, i) {
              return isString(x) && allowed(f).indexOf(x) >= 0 && v.indexOf(x) === i;
            })
          );
        },
        controls: page.options,
        choose: true,
        merge: "set",
      };
    },

    /** Lines one under another (`lines` of them): all lines, empty ones too, once any is
     * filled. Two tabs' drafts merge line by line. */
    lines: function (page) {
      return {
        read: function (f) {
          var lines = page.lines(f).map(function (i) {
            return i.value;
          });
          return lines.some(function (l) {
            return l.trim() !== "";
          })
            ? lines
            : undefined;
        },
        write: function (f, v) {
          page.lines(f).forEach(function (i, n) {
            i.value = Array.isArray(v) && isString(v[n]) ? v[n] : "";
          });
        },
        fits: function (f, v) {
          return Array.isArray(v) && v.length <= f.lines && v.every(isString);
        },
        controls: page.lines,
        merge: "lines",
      };
    },

    /** Files chosen to go with the answers (`attachment`): each {name, type, size, sha256}
     * on the page and in the draft, whose bytes formwerk.js keeps in IndexedDB and puts into
     * the answers file as `content`. Listed under the picker; two tabs' drafts merge file by
     * file. */
    files: function (page) {
      var chosen = {};
      function meta(x) {
        return { name: x.name, type: x.type, size: x.size, sha256: x.sha256 };
      }
      function render(f) {
        var list = page.$(f.id + page.ID.files);
        var S = page.S || {};
        if (!list) {
          return;
        }
        list.textContent = "";
        (chosen[f.id] || []).forEach(function (file, i) {
          var item = document.createElement("li");
          var text = document.createElement("span");
          text.className = "file-listed";
          text.textContent = listedFile(file);
          item.appendChild(text);
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "button-secondary file-remove";
          remove.setAttribute("data-file-remove", String(i));
          remove.textContent = S.attachment_remove;
          remove.setAttribute("aria-label", fmt(S.attachment_remove_label || "", { file: file.name }));
          item.appendChild(document.createTextNode(" "));
          item.appendChild(remove);
          list.appendChild(item);
        });
      }
      return {
        read: function (f) {
          var files = chosen[f.id] || [];
          return files.length ? files.map(meta) : undefined;
        },
        write: function (f, v) {
          chosen[f.id] = Array.isArray(v) ? v.map(meta) : [];
          render(f);
        },
        fits: filesFit,
        controls: page.one,
        problem: filesProblem,
        merge: "set",
        /** Adds a file (no twice the same bytes); whether it was added. */
        add: function (f, file) {
          var files = chosen[f.id] || (chosen[f.id] = []);
          if (files.some(function (x) { return x.sha256 === file.sha256; })) {
            return false;
          }
          files.push(meta(file));
          render(f);
          return true;
        },
        /** Removes the file at `index`; the file removed. */
        remove: function (f, index) {
          var removed = (chosen[f.id] || []).splice(index, 1)[0];
          render(f);
          return removed;
        },
      };
    },

    /** Rows of cells (a table's rows, a group's instances): the filled rows, each an object
     * of its cells by column id. Rows are added and removed on the page (`rows`, `add`,
     * `remove`); two tabs' drafts merge row by row, matched by the rows' `keys`. */
    rows: function (page, own) {
      var grid = new Rows(page, own);
      return {
        read: function (f) {
          var out = grid.filled(f).map(function (r) {
            return r.value;
          });
          return out.length ? out : undefined;
        },
        /** The keys of the rows `read` returns, in the same order. */
        keys: function (f) {
          return grid.filled(f).map(function (r) {
            return page.rowKey(r.row);
          });
        },
        /** Writes the rows; `keys`, where given, are their identities (as `keys` read them). */
        write: function (f, v, keys) {
          grid.write(f, v, keys);
        },
        fits: rowsFit,
        controls: function (f) {
          return grid.cells(f);
        },
        problem: function (f, v) {
          return missingInRows(own, f, v);
        },
        /** Problems at single cells ("Zeile 2, Betrag"), as {message, control}. */
        problems: function (f, S) {
          return grid.badNumbers(f, S).concat(grid.missingCells(f, S));
        },
        show: function (f) {
          grid.totals(f);
        },
        rows: function (f) {
          return grid.all(f);
        },
        add: function (f) {
          return grid.add(f);
        },
        remove: function (f, row) {
          return grid.remove(f, row);
        },
      };
    },
  };

  /** What the shapes need of a rendered form inside `form` (partials/form-sections.html);
   * `form` null: no page, for the parts that need none (fits, problem). `ids`: the element-id
   * suffixes of the form model (a field's id + ids.error is its error's id, as the templates
   * write it). `kinds`, the table of kinds, is set once it is made. */
  function pageOf(form, byId, ids, strings) {
    var page = { byId: byId, ID: ids || {}, S: strings || null, kinds: null, rowKey: rowKeys() };
    page.$ = function (id) {
      return document.getElementById(id);
    };
    /** The field's one control, which has the field's id. */
    page.one = function (f) {
      return [page.$(f.id)];
    };
    /** A choice's radio buttons or check boxes. */
    page.options = function (f) {
      return Array.prototype.slice.call(form.querySelectorAll('input[name="' + f.id + '"]'));
    };
    page.ticked = function (f) {
      return page.options(f).filter(function (i) {
        return i.checked;
      });
    };
    /** Ticks the options `v` names (one value, or a list of them) and unticks the others. */
    page.tick = function (f, v) {
      page.options(f).forEach(function (i) {
        i.checked = Array.isArray(v) ? v.indexOf(i.value) >= 0 : v !== undefined && String(v) === i.value;
      });
    };
    /** An entry list's line inputs. */
    page.lines = function (f) {
      var list = [];
      for (var i = 1; i <= f.lines; i++) {
        list.push(page.$(f.id + page.ID.item + i));
      }
      return list;
    };
    return page;
  }

  /** The answers on the page as an expression environment. */
  function pageEnv(page) {
    var byId = page.byId;
    return {
      number: function (id) {
        var f = byId && byId[id];
        return f ? fromNumber(page.kinds[f.kind].read(f)) : null;
      },
      column: function (t, c) {
        var f = byId && byId[t];
        var rows = (f && page.kinds[f.kind].read(f)) || [];
        return rows
          .map(function (row) {
            return fromNumber(row[c]);
          })
          .filter(function (n) {
            return n !== null;
          });
      },
      computed: function (id) {
        var f = byId && byId[id];
        return f && f.expr ? f.expr : null;
      },
    };
  }

  /* ---- rows of tables and instances of groups ---------------------------------------- */

  /* A row's identity for merging drafts of several tabs (draft-merge.js): kept on the row as
   * data-row-key, made up here for rows that have none yet, distinct on the page. */
  function rowKeys() {
    var prefix = Math.random().toString(36).slice(2, 8) + "-";
    var count = 0;
    return function (row) {
      var k = row.getAttribute("data-row-key");
      if (!k) {
        count += 1;
        k = prefix + count;
        row.setAttribute("data-row-key", k);
      }
      return k;
    };
  }

  /* Cells hold text: a number is typed and shown the German way ("1.234,50"), anything else
   * as it is. */
  var CELLS = {
    read: function (c, el) {
      var v = el.value;
      if (v.trim() === "") {
        return undefined;
      }
      if (shapeOf(c.kind) === "number") {
        var n = parseGerman(v);
        return n === null ? undefined : toNumber(n);
      }
      return v;
    },
    write: function (c, el, v) {
      if (shapeOf(c.kind) === "number") {
        var n = fromNumber(v);
        el.value = n === null ? "" : german(n, c.decimals);
      } else {
        el.value = isString(v) ? v : "";
      }
    },
    /** Whether a value read back fits the cell: a number one in range, else as its kind says. */
    fits: function (c, v) {
      return shapeOf(c.kind) === "number" ? fromNumber(v) !== null : fits(c, v);
    },
    /** Whether the cell holds a number typed that is none. */
    unreadable: function (c, el) {
      return shapeOf(c.kind) === "number" && el.value.trim() !== "" && parseGerman(el.value) === null;
    },
  };

  function cellOf(row, c) {
    return row.querySelector('[data-col="' + c.id + '"]');
  }

  /** Whether rows read back fit: at most `max_items`, each an object of cells the field has.
   * Rows of an older version may lack columns added since. */
  function rowsFit(f, v) {
    return (
      Array.isArray(v) &&
      v.length <= f.max_items &&
      v.every(function (row) {
        return (
          row !== null &&
          typeof row === "object" &&
          !Array.isArray(row) &&
          Object.keys(row).every(function (k) {
            var c = f.columns.filter(function (x) {
              return x.id === k;
            })[0];
            return c && CELLS.fits(c, row[k]);
          })
        );
      })
    );
  }

  /** Required cells of the rows given: the first missing, as {key, values}. A group with a
   * minimum needs its first instance. */
  function missingInRows(own, f, v) {
    var required = f.columns.filter(function (c) {
      return c.required;
    });
    var rows = v === undefined && own.needsFirst && f.min_items > 0 ? [{}] : v || [];
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < required.length; j++) {
        var x = rows[i][required[j].id];
        if (x === undefined || (isString(x) && x.trim() === "")) {
          return {
            key: own.missing,
            values: { item: f.label + " " + (i + 1), row: i + 1, table: f.label, label: required[j].label },
          };
        }
      }
    }
    return null;
  }

  function clearRow(row) {
    row.removeAttribute("data-row-key");
    Array.prototype.forEach.call(row.querySelectorAll("input, textarea"), function (el) {
      el.value = "";
      el.removeAttribute("aria-invalid");
      el.style.minHeight = "";
      el.style.height = "";
    });
    Array.prototype.forEach.call(row.querySelectorAll(".print-value > span"), function (m) {
      m.textContent = "";
    });
  }

  /** The rows of a table or group on the page; `own`: its kind's layout (KINDS). */
  function Rows(page, own) {
    this.page = page;
    this.own = own;
  }

  /** The element holding the rows, or null where the page lacks the field. */
  Rows.prototype.box = function (f) {
    var el = this.page.$(f.id);
    return el ? this.own.body(el) : null;
  };

  Rows.prototype.all = function (f) {
    var box = this.box(f);
    return box ? Array.prototype.slice.call(box.children) : [];
  };

  /** Gives each row its number: ids, names, labels and the remove button's text. */
  Rows.prototype.renumber = function (f) {
    var ID = this.page.ID;
    var own = this.own;
    this.all(f).forEach(function (row, i) {
      var n = i + 1;
      var head = row.querySelector("[data-row-head]");
      if (head) {
        head.id = f.id + ID.row + n;
        head.lastChild.textContent = String(n);
      }
      var legend = row.querySelector("legend");
      if (legend) {
        legend.id = f.id + ID.item + n + "-legend";
        legend.textContent = f.label + " " + n;
      }
      f.columns.forEach(function (c) {
        var el = cellOf(row, c);
        el.id = f.id + ID.item + n + "-" + c.id;
        el.name = f.id + "." + n + "." + c.id;
        own.labelCell(f, row, c, el, n, ID);
      });
      var remove = row.querySelector("[data-row-remove], [data-item-remove]");
      remove.textContent = fmt(remove.getAttribute("data-label"), { row: n, item: f.label + " " + n });
    });
  };

  /** The rows that hold any value, each as {row, value}: the answer is their values. */
  Rows.prototype.filled = function (f) {
    var out = [];
    this.all(f).forEach(function (row) {
      var o = {};
      f.columns.forEach(function (c) {
        var v = CELLS.read(c, cellOf(row, c));
        if (v !== undefined) {
          o[c.id] = v;
        }
      });
      if (Object.keys(o).length) {
        out.push({ row: row, value: o });
      }
    });
    return out;
  };

  /** Adds an empty row at the end; returns it, or null at `max_items`. */
  Rows.prototype.add = function (f) {
    var rows = this.all(f);
    if (rows.length >= f.max_items || !rows.length) {
      return null;
    }
    var row = rows[0].cloneNode(true);
    clearRow(row);
    this.box(f).appendChild(row);
    this.renumber(f);
    return row;
  };

  Rows.prototype.remove = function (f, row) {
    if (this.all(f).length <= Math.max(f.min_items, 1)) {
      return false;
    }
    row.remove();
    this.renumber(f);
    return true;
  };

  Rows.prototype.setCount = function (f, n) {
    n = Math.max(1, Math.min(n, f.max_items));
    while (this.all(f).length < n && this.add(f)) {
      /* added */
    }
    var rows = this.all(f);
    for (var i = rows.length - 1; i >= n; i--) {
      rows[i].remove();
    }
  };

  Rows.prototype.write = function (f, v, keys) {
    var rows = Array.isArray(v) ? v : [];
    this.setCount(f, Math.max(rows.length, f.start));
    this.all(f).forEach(function (row, i) {
      var given = rows[i] || {};
      f.columns.forEach(function (c) {
        CELLS.write(c, cellOf(row, c), given[c.id]);
      });
      if (keys && i < rows.length && typeof keys[i] === "string") {
        row.setAttribute("data-row-key", keys[i]);
      } else {
        row.removeAttribute("data-row-key");
      }
    });
  };

  /** Every cell's control, row by row. */
  Rows.prototype.cells = function (f) {
    var out = [];
    this.all(f).forEach(function (row) {
      f.columns.forEach(function (c) {
        out.push(cellOf(row, c));
      });
    });
    return out;
  };

  /** Numbers typed that are none, as {message, control}. */
  Rows.prototype.badNumbers = function (f, S) {
    var out = [];
    this.all(f).forEach(function (row, i) {
      f.columns.forEach(function (c) {
        var el = cellOf(row, c);
        if (CELLS.unreadable(c, el)) {
          out.push({ message: fmt(S.error_cell_number, { label: f.label, row: i + 1, column: c.label }), control: el });
        }
      });
    });
    return out;
  };

  /** Required cells left empty, at the cell: {message, control}, for rows that have any value
   * (and a group's first instance when it has a minimum). */
  Rows.prototype.missingCells = function (f, S) {
    var own = this.own;
    var out = [];
    this.all(f).forEach(function (row, i) {
      var filled = f.columns.some(function (c) {
        return cellOf(row, c).value.trim() !== "";
      });
      if (!filled && !(i === 0 && own.needsFirst && f.min_items > 0)) {
        return;
      }
      f.columns.forEach(function (c) {
        var el = cellOf(row, c);
        if (c.required && el.value.trim() === "") {
          out.push({ message: fmt(S[own.missing], { item: f.label + " " + (i + 1), row: i + 1, table: f.label, label: c.label }), control: el });
        }
      });
    });
    return out;
  };

  /** The totals the page drew for the field (a table's totals row; a group has none): each
   * shows the value of the computed field that sums its column. */
  Rows.prototype.totals = function (f) {
    var page = this.page;
    Array.prototype.forEach.call(page.$(f.id).querySelectorAll("output[data-total]"), function (out) {
      var c = page.byId[out.getAttribute("data-total")];
      var n = c ? computedValue(c, pageEnv(page)) : null;
      out.textContent = n === null ? "" : german(n, c.decimals, c.unit);
    });
  };

  /* ---- the table of kinds ------------------------------------------------------------ */

  /** The field kinds for a page (`form` null: none), by kind: its shape made for the page,
   * with what is the kind's own. */
  function kinds(form, byId, ids, strings) {
    var page = pageOf(form, byId, ids, strings);
    var table = {};
    Object.keys(KINDS).forEach(function (name) {
      var own = KINDS[name];
      var kind = SHAPES[own.shape](page, own);
      Object.keys(own).forEach(function (k) {
        kind[k] = own[k];
      });
      table[name] = kind;
    });
    page.kinds = table;
    return table;
  }

  /* The kinds' page-free parts (fits, problem, choose), for the inbox and answers files. */
  var PAGE_FREE = kinds(null);

  /** Whether a value fits the field, for answers read back from files and drafts. */
  function fits(f, v) {
    var kind = PAGE_FREE[f.kind];
    return kind ? kind.fits(f, v) : false;
  }

  /** How a problem names an answer: its question's label and its key, "Name (name)"; a
   * table's cell as "Kostenplan, Zeile 2: Betrag (kosten.2.betrag)" (the messages add the
   * quotes; crates/answers/src/read.rs `described` does the same for `formwerk answers`). */
  function describe(byId, key, S) {
    var id = key.replace(/\.other$/, "");
    var f = byId[id];
    if (f) return f.label + " (" + key + ")";
    var parts = id.split(".");
    var table = parts.length === 3 && /^[0-9]+$/.test(parts[1]) ? byId[parts[0]] : null;
    var column = table && (table.columns || []).filter(function (c) { return c.id === parts[2]; })[0];
    if (column) return table.label + ", " + ((S && S.row) || "Zeile") + " " + parts[1] + ": " + column.label + " (" + key + ")";
    return key;
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
        unplaced.push(fmt(S.unplaced_invalid, { field: applicant ? f.label : describe(byId, key, S) }));
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
    var kind = PAGE_FREE[f.kind];
    var label = { label: f.label, min: f.min, max: f.max };
    var key = kind.problem ? kind.problem(f, v, el) : null;
    if (key && typeof key === "object") {
      return fmt(S[key.key], key.values);
    }
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
  function controls(form, model) {
    var table = kinds(form, model ? index(model) : null, model && model.ids, model && model.strings);

    function otherText(f) {
      return document.getElementById(f.id + model.ids.other_text);
    }

    /** Writes a field's answer; `rowKeys` are the identities of a table's or group's rows. */
    function write(f, value, rowKeys) {
      table[f.kind].write(f, value, rowKeys);
    }

    function printable(control) {
      if (control.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(control.value)) {
        var p = control.value.split("-");
        return p[2] + "." + p[1] + "." + p[0];
      }
      return control.value;
    }

    /** Copies every control's text into its print mirror (printed instead of the control),
     * and shows computed values and totals. */
    function mirrors() {
      (model ? model.fields : []).forEach(function (f) {
        if (table[f.kind].show) {
          table[f.kind].show(f);
        }
      });
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
    describe: describe,
    download: download,
    fmt: fmt,
    index: index,
    fits: fits,
    place: place,
    visible: visible,
    problem: problem,
    answered: answered,
    numbers: numbers,
    recompute: recompute,
    failedChecks: failedChecks,
    shapeOf: shapeOf,
    humanSize: humanSize,
    fitsType: fitsType,
    listedFile: listedFile,
  };
})();
