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
