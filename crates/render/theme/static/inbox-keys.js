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
        return Z.decrypt(opened, text).then(null, function (e) {
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
