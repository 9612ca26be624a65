// The popup: whether Haul can be reached, and the capture switches.
import { api } from "./lib/api.js";
import { load, save } from "./lib/settings.js";
import { statusText } from "./lib/status.js";

const $ = (id) => document.getElementById(id);

function showStatus(answer) {
  const { ok, text } = statusText(answer);
  $("status").textContent = text;
  $("status").className = `status ${ok ? "ok" : "bad"}`;
}

async function main() {
  const s = await load(api.storage);
  $("capture").checked = s.capture;
  $("types").value = s.types;
  $("minSizeMB").value = String(s.minSizeMB);
  $("modifier").value = s.modifier;
  $("rules").disabled = !s.capture;
  $("skipOnce").textContent = s.skipOnce ? "The next download stays in the browser" : "Let the browser keep the next download";

  $("capture").addEventListener("change", async (e) => {
    await save(api.storage, { capture: e.target.checked });
    $("rules").disabled = !e.target.checked;
  });
  $("types").addEventListener("change", (e) => save(api.storage, { types: e.target.value }));
  $("minSizeMB").addEventListener("change", (e) => {
    const mb = Number(e.target.value);
    if (Number.isFinite(mb) && mb >= 0) save(api.storage, { minSizeMB: mb });
  });
  $("modifier").addEventListener("change", (e) => save(api.storage, { modifier: e.target.value }));
  $("skipOnce").addEventListener("click", async () => {
    await save(api.storage, { skipOnce: true });
    $("skipOnce").textContent = "The next download stays in the browser";
  });

  showStatus(await api.runtime.sendMessage({ type: "ping" }).catch((err) => ({ reachable: false, error: err.message })));
}

main();
