// twofold hosted pages: progressive enhancement only. Every page works without this file;
// it adds the "Copy codes" button (hidden until this script shows it).
"use strict";
document.querySelectorAll("[data-copy]").forEach((button) => {
  const target = document.getElementById(button.dataset.copy);
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const label = button.dataset.label || button.textContent;
    try {
      await navigator.clipboard.writeText(target.textContent.trim() + "\n");
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the codes to copy them";
    }
    setTimeout(() => { button.textContent = label; }, 2500);
  });
});

// Passkeys (WebAuthn needs JavaScript): a form with `data-passkey` ("create" or "get")
// is shown when the browser can do it; submitting it runs the ceremony with the options
// in `data-options` (or fetched from `data-options-url`) and posts the browser's answer
// (`toJSON()`) in the hidden `passkey` field.
document.querySelectorAll("form[data-passkey]").forEach((form) => {
  const PKC = window.PublicKeyCredential;
  if (!PKC || !PKC.parseCreationOptionsFromJSON || !PKC.parseRequestOptionsFromJSON) return;
  form.hidden = false;
  const error = form.querySelector(".passkey-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      let options = form.dataset.options ? JSON.parse(form.dataset.options) : null;
      if (form.dataset.optionsUrl) {
        const response = await fetch(form.dataset.optionsUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error("options");
        const body = await response.json();
        options = body.publicKey;
        form.elements.passkey_challenge_token.value = body.passkeyChallengeToken;
      }
      const credential = form.dataset.passkey === "create"
        ? await navigator.credentials.create({ publicKey: PKC.parseCreationOptionsFromJSON(options) })
        : await navigator.credentials.get({ publicKey: PKC.parseRequestOptionsFromJSON(options) });
      form.elements.passkey.value = JSON.stringify(credential.toJSON());
      form.submit();
    } catch (e) {
      error.textContent = "Your passkey was not used. Try again, or use another way.";
    }
  });
});
