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

  /** How many files after the one being read have their bytes loaded (and, when encrypted,
   * decrypted) already: that work overlaps with the worker's. */
  var AHEAD = 4;

  function Reader(o) {
    this.o = o;
    this.worker = null;
    this.queue = [];
    this.current = null;
    this.timer = 0;
    this.seq = 0;
    this.count = 0;
    this.all = 0;
    this.waiting = [];
  }

  Reader.prototype.start = function () {
    var self = this;
    var url = URL.createObjectURL(new Blob([this.o.source], { type: "text/javascript" }));
    var w = new Worker(url);
    URL.revokeObjectURL(url);
    w.onmessage = function (e) {
      if (self.current && e.data.id === self.current.id) self.finish(self.o.result(self.current.file.name, e.data.result));
    };
    w.onerror = function (e) {
      e.preventDefault();
      if (self.current) self.finish(self.o.result(self.current.file.name, { unreadable: true }));
    };
    w.postMessage({ model: this.o.model });
    return w;
  };

  Reader.prototype.stop = function () {
    if (this.worker) this.worker.terminate();
    this.worker = null;
  };

  Reader.prototype.finish = function (app) {
    clearTimeout(this.timer);
    this.current = null;
    this.count++;
    this.o.each(app);
    this.next();
  };

  /** Past the time budget: the worker is stopped with the file, a new one reads the rest. */
  Reader.prototype.giveUp = function () {
    var name = this.current.file.name;
    this.stop();
    this.finish(this.o.gaveUp(name));
  };

  Reader.prototype.next = function () {
    var self = this;
    if (this.current) return;
    if (!this.queue.length) {
      this.o.progress(this.count, this.all, null);
      this.waiting.splice(0).forEach(function (resolve) {
        resolve();
      });
      return;
    }
    var entry = this.queue.shift();
    var job = (this.current = { id: ++this.seq, file: entry.file });
    this.o.progress(this.count, this.all, job.file.name);
    var bytes = entry.bytes || this.o.bytes(job.file);
    this.prefetch();
    bytes.then(
      function (buffer) {
        if (self.current !== job) return;
        self.worker = self.worker || self.start();
        self.worker.postMessage({ id: job.id, name: job.file.name, bytes: buffer }, [buffer]);
        self.timer = setTimeout(function () {
          self.giveUp();
        }, self.o.model.budgets.time.limit);
      },
      function (e) {
        if (self.current !== job) return;
        // Larger than the size budget: refused having read no more than the budget.
        var result = e && e.formwerkBudget ? { budget: e.formwerkBudget } : { unreadable: true, reason: e && e.formwerkReason };
        self.finish(self.o.result(job.file.name, result));
      }
    );
  };

  /** Starts loading the bytes of the next AHEAD files; each is taken up in its turn. */
  Reader.prototype.prefetch = function () {
    for (var i = 0; i < Math.min(AHEAD, this.queue.length); i++) {
      var entry = this.queue[i];
      if (!entry.bytes) {
        entry.bytes = this.o.bytes(entry.file);
        // A refusal is handled in the file's turn (or dropped with it by cancel()).
        entry.bytes.then(null, function () {});
      }
    }
  };

  /** Reads `files` after those already waiting; resolves when every file is read. */
  Reader.prototype.add = function (files) {
    var self = this;
    if (!this.busy()) {
      this.count = 0;
      this.all = 0;
    }
    this.queue = this.queue.concat(
      files.map(function (file) {
        return { file: file, bytes: null };
      })
    );
    this.all += files.length;
    var finished = new Promise(function (resolve) {
      self.waiting.push(resolve);
    });
    this.next();
    return finished;
  };

  /** Forgets every file not yet read; the one being read is stopped with its worker. */
  Reader.prototype.cancel = function () {
    this.queue = [];
    if (this.current) {
      clearTimeout(this.timer);
      this.stop();
      this.current = null;
    }
    this.count = this.all = 0;
    this.next();
  };

  Reader.prototype.busy = function () {
    return !!this.current || this.queue.length > 0;
  };

  Reader.prototype.done = function () {
    return this.count;
  };

  Reader.prototype.total = function () {
    return this.all;
  };

  window.FormwerkInboxReader = function (options) {
    return new Reader(options);
  };
})();
