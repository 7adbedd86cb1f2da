/* Formwerk drafts: the three-way merge that lets several tabs of one form save into one draft
 * without losing what another tab typed. No DOM; formwerk.js calls it, tests run it in node.
 *
 * A draft's state is {answers, rows}: `answers` as in the answers file, `rows` the identity of
 * each row of a table or instance of a group ({field id: [key per row of answers[id]]}), kept
 * only in the draft. Given what another tab stored (`theirs`), what this tab last agreed with
 * (`base`) and what it shows now (`mine`), the merge keeps their state and lays over it what
 * changed here since `base`:
 * - an ordinary answer: mine where I changed it, else theirs (the later edit of one answer wins);
 * - rows, matched by key, cell by cell the same way; rows I added go in after the row they
 *   follow here; a row I removed goes unless they changed it meanwhile, and a row they removed
 *   stays when I changed it meanwhile, so no typed cell is lost to a removal in another tab;
 * - the options ticked of a multiple choice and the files of an attachment ("set"): theirs,
 *   with what I ticked (attached) since `base` added and what I unticked (removed) taken
 *   away, so ticks and files added in two tabs are both kept;
 * - the lines of an entry list ("lines"), line by line as ordinary answers.
 * No closing-tag sequence here: the file is inlined into offline copies. */
(function (root) {
  "use strict";

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function has(o, k) {
    return Object.prototype.hasOwnProperty.call(o, k);
  }

  function distinctStrings(keys) {
    var seen = Object.create(null);
    return keys.every(function (k) {
      if (typeof k !== "string" || seen[k]) {
        return false;
      }
      seen[k] = true;
      return true;
    });
  }

  /** The rows of `state.answers[id]` with their keys; rows without a recorded key (drafts
   * saved before keys existed) are keyed by position, the same in every tab. */
  function keyedRows(state, id) {
    var values = state.answers[id];
    if (!Array.isArray(values)) {
      return [];
    }
    var keys = state.rows && Array.isArray(state.rows[id]) && state.rows[id].length === values.length ? state.rows[id] : null;
    if (keys && !distinctStrings(keys)) {
      keys = null;
    }
    return values.map(function (v, i) {
      return { key: keys ? keys[i] : "#" + i, value: v };
    });
  }

  function byKey(rows) {
    var out = Object.create(null);
    rows.forEach(function (r) {
      out[r.key] = r;
    });
    return out;
  }

  /** A row's cells: theirs, with each cell I changed since `base` laid over them. */
  function mergeCells(theirs, base, mine) {
    var out = {};
    Object.keys(theirs).forEach(function (c) {
      out[c] = theirs[c];
    });
    Object.keys(base)
      .concat(Object.keys(mine))
      .forEach(function (c) {
        if (!same(base[c], mine[c])) {
          if (has(mine, c)) {
            out[c] = mine[c];
          } else {
            delete out[c];
          }
        }
      });
    return out;
  }

  /** A list answer (absent: none) as an array. */
  function listOf(v) {
    return Array.isArray(v) ? v : [];
  }

  /** One multiple choice or entry list merged (`how`: "set" or "lines"); undefined when
   * nothing is ticked or written. */
  function mergeList(how, theirs, base, mine) {
    var t = listOf(theirs);
    var b = listOf(base);
    var m = listOf(mine);
    var out;
    if (how === "set") {
      // Values compared as JSON: option values, or an attachment's files ({name, sha256 …}).
      var within = function (list, v) {
        return list.some(function (x) {
          return same(x, v);
        });
      };
      out = t.filter(function (v) {
        return !(within(b, v) && !within(m, v));
      });
      m.forEach(function (v) {
        if (!within(b, v) && !within(out, v)) {
          out.push(v);
        }
      });
    } else {
      var line = function (list, n) {
        return typeof list[n] === "string" ? list[n] : "";
      };
      out = [];
      for (var n = 0; n < Math.max(t.length, b.length, m.length); n++) {
        out.push(line(m, n) !== line(b, n) ? line(m, n) : line(t, n));
      }
      if (
        out.every(function (l) {
          return l.trim() === "";
        })
      ) {
        out = [];
      }
    }
    return out.length ? out : undefined;
  }

  /** The rows of one table or group merged; `max` caps the count as the form does. */
  function mergeRows(theirs, base, mine, max) {
    var b = byKey(base);
    var m = byKey(mine);
    var t = byKey(theirs);
    var out = [];
    theirs.forEach(function (r) {
      var was = b[r.key];
      var now = m[r.key];
      if (now) {
        out.push({ key: r.key, value: mergeCells(r.value, was ? was.value : {}, now.value) });
      } else if (!was || !same(r.value, was.value)) {
        // Not removed here, or changed there after it was: kept.
        out.push(r);
      }
    });
    mine.forEach(function (r, i) {
      if (t[r.key]) {
        return;
      }
      var was = b[r.key];
      if (was && same(r.value, was.value)) {
        return; // removed there, untouched here
      }
      // Added here, or changed here after they removed it: after the row it follows here.
      var at = 0;
      for (var j = i - 1; j >= 0; j--) {
        var before = -1;
        for (var k = 0; k < out.length; k++) {
          if (out[k].key === mine[j].key) {
            before = k;
          }
        }
        if (before >= 0) {
          at = before + 1;
          break;
        }
      }
      out.splice(at, 0, r);
    });
    out = out.filter(function (r) {
      return Object.keys(r.value).length > 0;
    });
    return typeof max === "number" ? out.slice(0, max) : out;
  }

  /**
   * Their state with my changes since `base` laid over it. `rowFields` maps the id of every
   * table and group to its most rows (max_items), `listFields` the id of every multiple
   * choice and entry list to how it merges ("set", "lines"). Returns {answers, rows}.
   */
  function merge(theirs, base, mine, rowFields, listFields) {
    var answers = {};
    var rows = {};
    Object.keys(theirs.answers).forEach(function (k) {
      answers[k] = theirs.answers[k];
    });
    var keys = Object.keys(theirs.answers).concat(Object.keys(base.answers), Object.keys(mine.answers));
    keys.forEach(function (k) {
      if (rowFields && has(rowFields, k)) {
        if (has(rows, k)) {
          return;
        }
        var merged = mergeRows(keyedRows(theirs, k), keyedRows(base, k), keyedRows(mine, k), rowFields[k]);
        rows[k] = merged.map(function (r) {
          return r.key;
        });
        if (merged.length) {
          answers[k] = merged.map(function (r) {
            return r.value;
          });
        } else {
          delete answers[k];
          delete rows[k];
        }
      } else if (listFields && has(listFields, k)) {
        var list = mergeList(listFields[k], theirs.answers[k], base.answers[k], mine.answers[k]);
        if (list === undefined) {
          delete answers[k];
        } else {
          answers[k] = list;
        }
      } else if (!same(base.answers[k], mine.answers[k])) {
        if (has(mine.answers, k)) {
          answers[k] = mine.answers[k];
        } else {
          delete answers[k];
        }
      }
    });
    return { answers: answers, rows: rows };
  }

  /** The row keys of a draft's tables and groups, made up by position where the draft has
   * none that fit (drafts saved before keys existed), so every tab reads the same keys. */
  function withKeys(state, rowFields) {
    var rows = {};
    Object.keys(rowFields).forEach(function (id) {
      var keyed = keyedRows(state, id);
      if (keyed.length) {
        rows[id] = keyed.map(function (r) {
          return r.key;
        });
      }
    });
    return { answers: state.answers, rows: rows };
  }

  root.FormwerkDraftMerge = { merge: merge, withKeys: withKeys };
})(typeof window !== "undefined" ? window : globalThis);
