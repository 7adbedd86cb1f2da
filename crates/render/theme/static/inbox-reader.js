/* Formwerk inbox: reading the files off the page's main thread. One Web Worker
 * (inbox-worker.js, made from the page's inline text as a blob: address by workerOf, so it
 * works from file://, the offline copy and any path) reads the files one after the other,
 * in the order they came to it; the page stays usable (filter, sort, the clear button)
 * while it reads.
 * Up to DEPTH files are under way at once: their bytes loading (and, when encrypted,
 * decrypting) while the worker reads earlier ones, so that neither waits for the other.
 * Files are listed in the order given, whichever was read first.
 *
 * A file that takes the worker longer than the time budget (model.budgets.time,
 * crates/form/src/budget.rs) stops the worker; it is named as given up, and a new worker
 * reads the files after it (their bytes loaded again: they went to the stopped worker). The
 * other budgets are the worker's.
 *
 *   window.FormwerkInboxReader(options) -> {add(files) -> Promise, cancel(), busy(),
 *     done(), total()}
 *   options: model, bytes(file) -> Promise<ArrayBuffer>, result(name, worker's result) ->
 *     application, gaveUp(name) -> application, each(application),
 *     progress(name being read, or null when all are read).
 *   window.FormwerkInboxReader.worker(more) -> Worker: the page's worker text, then `more`
 *     (inbox-keys.js decrypts in one of its own). */
(function () {
  "use strict";

  /** Files under way at once. Reading a small file is mostly waiting for the browser to
   * hand over its bytes: in Chromium, the bytes of 500 answers files one after the other
   * took 0.45 s, eight at once 0.15 s (issue 28). */
  var DEPTH = 8;

  /** A new worker running the page's inline worker text (`#formwerk-inbox-worker`: not run
   * in the page, so the policy needs no hash for it) and then the script text `more`. */
  function workerOf(more) {
    var text = "self.window = self;\n" + document.getElementById("formwerk-inbox-worker").textContent + (more || "");
    var url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
    try {
      return new Worker(url);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function Reader(o) {
    this.o = o;
    this.worker = null;
    /** Files not yet under way. */
    this.queue = [];
    /** Files under way, in the order given: {file, buffer, result}; `result` once known. */
    this.line = [];
    /** Files handed to the worker and not answered, in the order handed: the first is the
     * one the worker reads, and its time budget runs. */
    this.inWorker = [];
    this.timer = 0;
    this.seq = 0;
    /** Counts cancel()s: bytes that arrive for a file dropped by one are thrown away. */
    this.round = 0;
    this.count = 0;
    this.all = 0;
    this.waiting = [];
  }

  Reader.prototype.start = function () {
    var self = this;
    var w = workerOf();
    w.onmessage = function (e) {
      var job = self.inWorker[0];
      if (w === self.worker && job && e.data.id === job.id) self.answered(self.o.result(job.file.name, e.data.result));
    };
    w.onerror = function (e) {
      e.preventDefault();
      var job = self.inWorker[0];
      if (w === self.worker && job) self.answered(self.o.result(job.file.name, { unreadable: true }));
    };
    w.postMessage({ model: this.o.model });
    return w;
  };

  Reader.prototype.stop = function () {
    clearTimeout(this.timer);
    if (this.worker) this.worker.terminate();
    this.worker = null;
  };

  /** The time budget of the file the worker reads now. */
  Reader.prototype.clock = function () {
    var self = this;
    clearTimeout(this.timer);
    if (this.inWorker.length) {
      this.timer = setTimeout(function () {
        self.giveUp();
      }, this.o.model.budgets.time.limit);
    }
  };

  /** The worker's answer for the file it was reading; the next one's budget starts. */
  Reader.prototype.answered = function (app) {
    this.inWorker.shift().result = app;
    this.clock();
    this.emit();
  };

  /** Past the time budget: the worker is stopped with the file; the files handed to it
   * after that one are loaded again for a new worker. */
  Reader.prototype.giveUp = function () {
    var job = this.inWorker.shift();
    var again = this.inWorker.splice(0);
    this.stop();
    job.result = this.o.gaveUp(job.file.name);
    again.forEach(this.load, this);
    this.emit();
  };

  /** Starts loading a file's bytes; they go to the worker as soon as they are there. */
  Reader.prototype.load = function (job) {
    var self = this;
    var round = this.round;
    this.o.bytes(job.file).then(
      function (buffer) {
        if (round !== self.round) return;
        self.worker = self.worker || self.start();
        self.worker.postMessage({ id: job.id, name: job.file.name, bytes: buffer }, [buffer]);
        self.inWorker.push(job);
        if (self.inWorker.length === 1) self.clock();
      },
      function (e) {
        if (round !== self.round) return;
        // Larger than the size budget: refused having read no more than the budget.
        var result = e && e.formwerkBudget ? { budget: e.formwerkBudget } : { unreadable: true, reason: e && e.formwerkReason };
        job.result = self.o.result(job.file.name, result);
        self.emit();
      }
    );
  };

  /** Hands on every read file at the head of the line, in the order given, and puts more
   * files under way; when none is left, says so and resolves add()'s promises. */
  Reader.prototype.emit = function () {
    while (this.line.length && this.line[0].result) {
      this.count++;
      this.o.each(this.line.shift().result);
    }
    while (this.line.length < DEPTH && this.queue.length) {
      var job = { id: ++this.seq, file: this.queue.shift(), result: null };
      this.line.push(job);
      this.load(job);
    }
    if (this.line.length) {
      this.o.progress(this.line[0].file.name);
      return;
    }
    this.o.progress(null);
    this.waiting.splice(0).forEach(function (resolve) {
      resolve();
    });
  };

  /** Reads `files` after those already waiting; resolves when every file is read. */
  Reader.prototype.add = function (files) {
    var self = this;
    if (!this.busy()) {
      this.count = 0;
      this.all = 0;
    }
    this.queue = this.queue.concat(files);
    this.all += files.length;
    var finished = new Promise(function (resolve) {
      self.waiting.push(resolve);
    });
    this.emit();
    return finished;
  };

  /** Forgets every file not yet read; those the worker has are stopped with it. */
  Reader.prototype.cancel = function () {
    this.round++;
    this.queue = [];
    this.line = [];
    if (this.inWorker.length) {
      this.inWorker = [];
      this.stop();
    }
    this.count = this.all = 0;
    this.emit();
  };

  Reader.prototype.busy = function () {
    return this.line.length > 0 || this.queue.length > 0;
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
  window.FormwerkInboxReader.worker = workerOf;
})();
