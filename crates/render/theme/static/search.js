/* Formwerk offline search: searches window.FORMWERK_SEARCH, which the index's shards
 * (named by the build in the form's data-shard-name; scripts because pages opened from disk may not fetch JSON) fill when
 * they are loaded, on the first use of the search box. Queries are folded and stemmed
 * exactly like the index (src/search.rs): "Bevoelkerung" finds "Bevölkerung", "Maßnahmen"
 * finds "Maßnahme". Every query word must begin a word of the page. */
(function () {
  "use strict";
  // The print-all document's button (hidden by noscript.css where no script can print).
  var printButton = document.querySelector("[data-print-page]");
  if (printButton) {
    printButton.disabled = false;
    printButton.addEventListener("click", function () {
      window.print();
    });
  }
  // For tests/search_parity.rs, which folds a word list here and in Rust.
  window.FormwerkSearchText = { fold: fold, stem: stem, words: words };
  var form = document.getElementById("formwerk-search");
  if (!form) {
    return;
  }
  var rows = [];
  var terms = [];
  var titles = [];
  var state = "idle";
  var input = document.getElementById("formwerk-search-input");
  var status = document.getElementById("formwerk-search-status");
  var list = document.getElementById("formwerk-search-results");
  var root = form.getAttribute("data-root") || "";
  var hitsText = form.getAttribute("data-hits") || "{n} Treffer";
  var noneText = form.getAttribute("data-none") || "Keine Treffer für „{q}“";
  /* Folding and stemming as the index was made: the table and endings come with the
   * index's first shard (window.FORMWERK_FOLD, written by the build from src/slug.rs and
   * src/search.rs), so there is no second copy of them here. */
  function rules() {
    return window.FORMWERK_FOLD || { map: {}, endings: [] };
  }

  function fold(word) {
    var map = rules().map;
    var out = "";
    for (var c of word.normalize("NFC").toLowerCase()) {
      if (Object.prototype.hasOwnProperty.call(map, c)) {
        out += map[c];
      } else if (/[\p{L}\p{N}]/u.test(c)) {
        out += c;
      }
    }
    return out;
  }

  function stem(w) {
    var endings = rules().endings;
    var n = Array.from(w).length;
    for (var i = 0; i < endings.length; i++) {
      var e = endings[i];
      if (n > e.length + 3 && w.slice(-e.length) === e) {
        return w.slice(0, -e.length);
      }
    }
    if (n > 4 && w.slice(-1) === "n") {
      return w.slice(0, -1);
    }
    return w;
  }

  function words(text) {
    return text
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map(function (w) { return stem(fold(w)); })
      .filter(function (w) { return w.length > 1; });
  }

  /* Loads every shard of the index once; `then` runs when all are there. */
  function load(then) {
    if (state === "ready") {
      then();
      return;
    }
    form.addEventListener("formwerk-index", then, { once: true });
    if (state === "loading") {
      return;
    }
    state = "loading";
    var shards = parseInt(form.getAttribute("data-shards"), 10) || 1;
    // The build names the shards (src/names.rs), as "search-index-{n}.js".
    var shardName = form.getAttribute("data-shard-name");
    var pending = shards;
    window.FORMWERK_SEARCH = window.FORMWERK_SEARCH || [];
    function done() {
      pending -= 1;
      if (pending > 0) {
        return;
      }
      rows = window.FORMWERK_SEARCH;
      terms = rows.map(function (r) { return r[3].split(" "); });
      titles = rows.map(function (r) { return words(r[0]); });
      state = "ready";
      form.dispatchEvent(new Event("formwerk-index"));
    }
    for (var n = 0; n < shards; n++) {
      var script = document.createElement("script");
      script.src = root + shardName.replace("{n}", String(n));
      script.onload = done;
      script.onerror = done;
      document.head.appendChild(script);
    }
  }

  function matches(list, q) {
    return list.some(function (t) { return t.indexOf(q) === 0; });
  }

  function search(query) {
    var qs = words(query);
    if (!qs.length) {
      return [];
    }
    var hits = [];
    for (var i = 0; i < rows.length; i++) {
      if (qs.every(function (q) { return matches(terms[i], q); })) {
        var score = qs.filter(function (q) { return matches(titles[i], q); }).length;
        hits.push({ row: rows[i], score: score, order: i });
      }
    }
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits.slice(0, 20);
  }

  function show() {
    var query = input.value.trim();
    list.textContent = "";
    if (!query) {
      status.textContent = "";
      return;
    }
    var hits = search(query);
    status.textContent = hits.length
      ? hitsText.replace("{n}", String(hits.length))
      : noneText.replace("{q}", query);
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + hit.row[1].split("/").map(encodeURIComponent).join("/");
      a.textContent = hit.row[0];
      var p = document.createElement("p");
      p.textContent = hit.row[2];
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  var timer;
  input.addEventListener("focus", function () {
    load(function () {});
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      load(show);
    }, 80);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    load(function () {
      show();
      var first = list.querySelector("a");
      if (first) {
        first.focus();
      }
    });
  });
  form.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && links.length) {
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    } else if (e.key === "Escape") {
      input.value = "";
      show();
      input.focus();
    }
  });
  // The box is there from the first paint; what was typed before this script ran counts.
  if (input.value.trim()) {
    load(show);
  }
})();
