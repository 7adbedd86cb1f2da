/* Formwerk inbox: encrypted submissions (.jwe) of a form with `[submission] encrypt_to`. The
 * clerk chooses the ministry's private key file (.key.jwe) and types its password; the key is
 * opened with seal.js into a key that cannot be exported and is held in this page's memory
 * only (never in localStorage, sessionStorage or IndexedDB), forgotten when the page closes.
 * inbox.js hands every file's bytes to unseal() before reading them: an encrypted file comes
 * back as the answers file inside it, or is refused with the reason's text (`formwerkReason`).
 *
 *   window.FormwerkInboxKeys.unseal(name, bytes) -> Promise<Uint8Array> */
(function () {
  "use strict";

  var modelElement = document.getElementById("formwerk-model");
  var keyInput = document.getElementById("inbox-key-file");
  var passInput = document.getElementById("inbox-key-passphrase");
  var status = document.getElementById("inbox-key-status");
  var R = window.FormwerkRules;
  if (!modelElement || !keyInput || !passInput || !R) {
    return;
  }
  var model = JSON.parse(modelElement.textContent);
  var S = model.strings;
  var Z = window.FormwerkSeal;
  var maxBytes = model.encrypt ? model.encrypt.max_bytes : 0;
  /** The key being opened or open, for the chosen file and password; null when either changed. */
  var opening = null;

  /** The reason's text for a refusal of seal.js (or of this file). */
  function reasonText(e, opened) {
    var r = e && e.reason;
    var key = { kid: e && e.kid, key: opened ? opened.kid : "", alg: e && e.alg, max: Math.floor(maxBytes / 1e6) };
    var text = r && S["reason_sealed_" + r];
    return text ? R.fmt(text, key) : S.reason_sealed_malformed;
  }

  function reasoned(text) {
    var e = new Error(text);
    e.formwerkReason = text;
    return e;
  }

  function openKey() {
    if (opening) {
      return opening;
    }
    var file = keyInput.files && keyInput.files[0];
    if (!file || !passInput.value) {
      return Promise.reject({ reason: "no_key" });
    }
    status.textContent = S.inbox_key_opening;
    var passphrase = passInput.value;
    var mine = file.text().then(function (text) {
      return Z.openKeyFile(text, passphrase);
    });
    opening = mine;
    mine.then(
      function (opened) {
        if (opening === mine) {
          status.textContent = R.fmt(S.inbox_key_open, { kid: opened.kid });
        }
      },
      function (e) {
        if (opening === mine) {
          status.textContent = reasonText(e);
        }
      }
    );
    return mine;
  }

  function changed() {
    opening = null;
    status.textContent = "";
    if (keyInput.files && keyInput.files[0] && passInput.value) {
      openKey().then(null, function () {});
    }
  }
  // Each typed character forgets the key opened before; the key opens (600 000 rounds of
  // PBKDF2, about a second) when the password is complete, or when a file needs it.
  passInput.addEventListener("input", function () {
    opening = null;
    status.textContent = "";
  });
  keyInput.addEventListener("change", changed);
  passInput.addEventListener("change", changed);

  /* RSA-OAEP decryption (about 5 ms per file with a 4096-bit key) runs synchronously in the
   * thread that asks for it: done here, it held up the page's own work and 500 files took
   * more than 5 s. A worker made from the inbox worker's text (which has seal.js with an
   * encryption key) decrypts instead, beside the page and the worker that checks the files;
   * the key goes to it as a CryptoKey (still not extractable), never as numbers. Where no
   * such worker can run, or its text has no seal.js (a site's own older template), the page
   * decrypts itself. */
  var decryptor = null;

  /** The decrypting worker's own part, run there after the inbox worker's text (toString):
   * {id, decrypt: {opened, text}} in (`opened` only when the key changed, else null);
   * {id, plain: ArrayBuffer}, {id, refusal: {reason, kid, alg}} or {id, unavailable} out. */
  function decryptingWorker() {
    "use strict";
    var opened = null;
    self.onmessage = function (e) {
      var m = e.data;
      var Z = self.FormwerkSeal;
      opened = m.decrypt.opened || opened;
      if (!Z || !opened) {
        self.postMessage({ id: m.id, unavailable: true });
        return;
      }
      Z.decrypt(opened, m.decrypt.text).then(
        function (plain) {
          var buffer = plain.byteOffset === 0 && plain.byteLength === plain.buffer.byteLength ? plain.buffer : plain.slice().buffer;
          self.postMessage({ id: m.id, plain: buffer }, [buffer]);
        },
        function (err) {
          var refusal = err && err.reason ? { reason: err.reason, kid: err.kid, alg: err.alg } : {};
          self.postMessage({ id: m.id, refusal: refusal });
        }
      );
    };
  }

  function offThread() {
    if (decryptor) {
      return decryptor.broken ? null : decryptor;
    }
    decryptor = { broken: true, seq: 0, waiting: {} };
    var reader = window.FormwerkInboxReader;
    if (!reader || typeof Worker === "undefined" || typeof Blob === "undefined") {
      return null;
    }
    try {
      var worker = reader.worker("\n(" + decryptingWorker.toString() + ")();\n");
    } catch (e) {
      return null;
    }
    var d = decryptor;
    d.worker = worker;
    d.broken = false;
    worker.onmessage = function (e) {
      var job = d.waiting[e.data.id];
      delete d.waiting[e.data.id];
      if (job) job(e.data);
    };
    worker.onerror = function (e) {
      e.preventDefault();
      d.broken = true;
      worker.terminate();
      var waiting = d.waiting;
      d.waiting = {};
      Object.keys(waiting).forEach(function (id) {
        waiting[id]({ unavailable: true });
      });
    };
    return d;
  }

  /** seal.js's decrypt, in the decrypting worker where there is one. */
  function decrypt(opened, text) {
    var d = offThread();
    if (!d) {
      return Z.decrypt(opened, text);
    }
    var id = ++d.seq;
    // The key goes over once (a CryptoKey is copied with each message it is in).
    var key = d.opened === opened ? null : opened;
    d.opened = opened;
    return new Promise(function (resolve) {
      d.waiting[id] = resolve;
      d.worker.postMessage({ id: id, decrypt: { opened: key, text: text } });
    }).then(function (m) {
      if (m.plain) {
        return new Uint8Array(m.plain);
      }
      if (m.refusal) {
        throw m.refusal;
      }
      // No seal.js in the worker (a site's own older template), or the worker failed.
      d.broken = true;
      return Z.decrypt(opened, text);
    });
  }

  /** Whether a file is an encrypted submission: named .jwe, or starting as a JWE header does. */
  function sealed(name, bytes) {
    var head = String.fromCharCode.apply(null, bytes.subarray(0, 3));
    return /\.jwe$/i.test(name) || head === "eyJ";
  }

  function unseal(name, bytes) {
    if (!sealed(name, bytes)) {
      return Promise.resolve(bytes);
    }
    if (bytes.length > maxBytes) {
      return Promise.reject(reasoned(reasonText({ reason: "too_big" })));
    }
    if (!Z || !Z.available()) {
      return Promise.reject(reasoned(S.reason_sealed_no_crypto));
    }
    var text = new TextDecoder().decode(bytes);
    return openKey().then(
      function (opened) {
        return decrypt(opened, text).then(null, function (e) {
          throw reasoned(reasonText(e, opened));
        });
      },
      function (e) {
        throw reasoned(reasonText(e));
      }
    );
  }

  window.FormwerkInboxKeys = { unseal: unseal };
})();
