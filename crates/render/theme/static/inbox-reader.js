/* Formwerk inbox: reading the files off the page's main thread. One Web Worker
 * (inbox-worker.js, made from the page's inline text as a blob: address, so it works from
 * file://, the offline copy and any path) reads one file at a time; the page stays usable
 * (filter, sort, the clear button) while it reads. A file that takes longer than the time
 * budget (model.budgets.time, crates/form/src/budget.rs) stops its worker; it is named as
 * given up, and a new worker reads the rest. The other budgets are the worker's.
 *
 *   window.FormwerkInboxReader(options) -> {add(files) -> Promise, cancel(), busy(),
 *     done(), total()}
 *   options: model, source (the worker's script text), bytes(file) -> Promise<ArrayBuffer>,
 *     result(name, worker's result) -> application, gaveUp(name) -> application,
 *     each(application), progress(done, n, name being read or null). */
(function () {
  "use strict";

  window.FormwerkInboxReader = function (o) {
    var worker = null;
    var queue = [];
    var current = null;
    var timer = 0;
    var seq = 0;
    var done = 0;
    var total = 0;
    var waiting = [];

    function start() {
      var url = URL.createObjectURL(new Blob([o.source], { type: "text/javascript" }));
      var w = new Worker(url);
      URL.revokeObjectURL(url);
      w.onmessage = function (e) {
        if (current && e.data.id === current.id) finish(o.result(current.file.name, e.data.result));
      };
      w.onerror = function (e) {
        e.preventDefault();
        if (current) finish(o.result(current.file.name, { unreadable: true }));
      };
      w.postMessage({ model: o.model });
      return w;
    }

    function stop() {
      if (worker) worker.terminate();
      worker = null;
    }

    function finish(app) {
      clearTimeout(timer);
      current = null;
      done++;
      o.each(app);
      next();
    }

    function giveUp() {
      stop();
      finish(o.gaveUp(current.file.name));
    }

    function next() {
      if (current) return;
      if (!queue.length) {
        o.progress(done, total, null);
        waiting.splice(0).forEach(function (resolve) {
          resolve();
        });
        return;
      }
      var job = (current = { id: ++seq, file: queue.shift() });
      o.progress(done, total, job.file.name);
      o.bytes(job.file).then(
        function (buffer) {
          if (current !== job) return;
          worker = worker || start();
          worker.postMessage({ id: job.id, name: job.file.name, bytes: buffer }, [buffer]);
          timer = setTimeout(giveUp, o.model.budgets.time.limit);
        },
        function () {
          if (current === job) finish(o.result(job.file.name, { unreadable: true }));
        }
      );
    }

    return {
      add: function (files) {
        if (!current && !queue.length) {
          done = 0;
          total = 0;
        }
        queue = queue.concat(files);
        total += files.length;
        var finished = new Promise(function (resolve) {
          waiting.push(resolve);
        });
        next();
        return finished;
      },
      /** Forgets every file not yet read; the one being read is stopped with its worker. */
      cancel: function () {
        queue = [];
        if (current) {
          clearTimeout(timer);
          stop();
          current = null;
        }
        done = total = 0;
        next();
      },
      busy: function () {
        return !!current || queue.length > 0;
      },
      done: function () {
        return done;
      },
      total: function () {
        return total;
      },
    };
  };
})();
