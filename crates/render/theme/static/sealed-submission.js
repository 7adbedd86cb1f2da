/* Formwerk: the encrypted submission of a form with `[submission] encrypt_to`. The button
 * "Verschlüsselt für die Einreichung speichern" encrypts the answers file exactly as
 * "Antworten speichern" writes it (formwerk.js) to the ministry's public key (the form model's
 * `encrypt.jwk`) with seal.js and downloads it as `<answers file's name>.jwe`. Where the page
 * has no Web Crypto (plain http on another computer's name), it says so instead. Inlined
 * into offline copies, so it never contains a closing-tag sequence. */
(function () {
  "use strict";

  var modelElement = document.getElementById("formwerk-model");
  var button = document.querySelector("#abschluss button[data-sealed]");
  var R = window.FormwerkRules;
  var F = window.FormwerkForm;
  if (!modelElement || !button || !R || !F) {
    return;
  }
  var model = JSON.parse(modelElement.textContent);
  var S = model.strings;
  var Z = window.FormwerkSeal;
  var status = document.getElementById("sealed-status");
  if (!model.encrypt) {
    return;
  }
  if (!Z || !Z.available()) {
    button.hidden = true;
    document.getElementById("sealed-unavailable").hidden = false;
    return;
  }

  function save() {
    button.disabled = true;
    status.textContent = S.sealed_working;
    return F.answersFile()
      .then(function (file) {
        return Z.encrypt(model.encrypt.jwk, new TextEncoder().encode(file.text)).then(function (jwe) {
          var name = file.name.replace(/\.json$/, "") + ".jwe";
          R.download(name, jwe, "application/jose");
          status.textContent = R.fmt(S.sealed_saved, { file: name });
        });
      })
      .then(null, function () {
        status.textContent = S.sealed_failed;
      })
      .then(function () {
        button.disabled = false;
      });
  }

  button.addEventListener("click", save);
  button.disabled = false;
})();
