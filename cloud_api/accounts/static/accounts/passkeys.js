/* Passkeys in the admin: sign in, and add a passkey on this device.
 *
 * The server speaks WebAuthn's JSON form (base64url for every binary field); this file turns
 * it into what navigator.credentials wants and back. No dependencies, no CDN.
 */
(function () {
  "use strict";

  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBytes(json.user.id) });
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return options;
  }

  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return options;
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var body = {
      id: credential.id,
      rawId: toB64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toB64url(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      body.response.attestationObject = toB64url(response.attestationObject);
      body.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      body.response.authenticatorData = toB64url(response.authenticatorData);
      body.response.signature = toB64url(response.signature);
      body.response.userHandle = response.userHandle ? toB64url(response.userHandle) : null;
    }
    return body;
  }

  function post(url, csrfToken, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = (data.error && data.error.message) || "The server refused the request.";
          throw new Error(message);
        }
        return data;
      });
    });
  }

  function explain(error) {
    if (error && error.name === "NotAllowedError") {
      return "The passkey request was cancelled or timed out. Try again.";
    }
    if (error && error.name === "InvalidStateError") {
      return "This device already holds a passkey for your account.";
    }
    return (error && error.message) || "Something went wrong with the passkey.";
  }

  function show(node, text, ok) {
    node.textContent = text;
    node.className = ok ? "passkey-status success" : "passkey-status errornote";
    node.hidden = false;
  }

  function csrfFrom(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpSignIn(box) {
    var button = box.querySelector("button");
    var status = box.querySelector(".passkey-status");
    if (!window.PublicKeyCredential) {
      show(status, "This browser cannot use passkeys; sign in with your password.", false);
      button.disabled = true;
      return;
    }
    button.addEventListener("click", function () {
      var form = document.getElementById("login-form");
      var csrf = csrfFrom(form || document);
      var nextInput = form && form.querySelector("input[name=next]");
      button.disabled = true;
      post(box.dataset.optionsUrl, csrf)
        .then(function (options) {
          return navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          return post(box.dataset.loginUrl, csrf, {
            credential: credentialJSON(credential),
            next: nextInput ? nextInput.value : ""
          });
        })
        .then(function (answer) { window.location.assign(answer.redirect); })
        .catch(function (error) {
          show(status, explain(error), false);
          button.disabled = false;
        });
    });
  }

  function setUpRegister(form) {
    var status = form.querySelector(".passkey-status");
    var button = form.querySelector("button");
    if (!window.PublicKeyCredential) {
      show(status, "This browser cannot create passkeys.", false);
      button.disabled = true;
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var csrf = csrfFrom(form);
      var password = form.querySelector("input[name=password]");
      var name = form.querySelector("input[name=name]");
      button.disabled = true;
      post(form.dataset.optionsUrl, csrf, { password: password.value })
        .then(function (options) {
          password.value = "";
          return navigator.credentials.create({ publicKey: creationOptions(options) });
        })
        .then(function (credential) {
          return post(form.dataset.verifyUrl, csrf, {
            name: name.value || "Passkey",
            credential: credentialJSON(credential)
          });
        })
        .then(function (passkey) {
          show(status, "Passkey \u201c" + passkey.name + "\u201d added.", true);
          window.setTimeout(function () { window.location.reload(); }, 800);
        })
        .catch(function (error) {
          show(status, explain(error), false);
          button.disabled = false;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-passkey-sign-in]").forEach(setUpSignIn);
    document.querySelectorAll("[data-passkey-register]").forEach(setUpRegister);
  });
})();
