// The popup: whether Haul can be reached, the video found on the tab's
// page, and the capture switches.
import { api } from "./lib/api.js";
import { load, save } from "./lib/settings.js";
import { statusText } from "./lib/status.js";
import { headingOf, rowsOf } from "./lib/streamview.js";

const $ = (id) => document.getElementById(id);

function showStatus(answer) {
  const { ok, text } = statusText(answer);
  $("status").textContent = text;
  $("status").className = `status ${ok ? "ok" : "bad"}`;
}

// tabOf is the tab the popup is about: the active one, or the one a
// ?tab=ID names (the popup opened as a page, in tests).
async function tabOf() {
  const named = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(named) && named >= 0) return named;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? -1;
}

// results holds what each stream's button last said, by stream ID, so
// that it survives the list being drawn again.
const results = new Map();
let drawn = "";

// showResult sets what a stream's button said, on its row if shown.
function showResult(id, text, bad = false) {
  results.set(id, { text, bad });
  for (const li of $("streamList").children) {
    if (li.dataset.id !== id) continue;
    li.querySelector(".result").textContent = text;
    li.querySelector(".result").className = bad ? "result bad" : "result";
  }
}

// showStreams lists the tab's streams, each with its button; it draws
// the list again only when what it shows changed.
async function showStreams(tabId) {
  const answer = await api.runtime.sendMessage({ type: "streams", tabId }).catch((err) => ({ ok: false, error: err.message }));
  if (!Array.isArray(answer?.streams)) {
    $("streamsHeading").textContent = `Could not list this page's video: ${answer?.error ?? "no answer"}`;
    return;
  }
  const rows = rowsOf(answer.streams);
  const heading = headingOf(answer.streams, answer.dropped);
  const shown = JSON.stringify([heading, rows]);
  if (shown === drawn) return;
  drawn = shown;
  $("streamsHeading").textContent = heading;
  const list = $("streamList");
  list.replaceChildren();
  for (const row of rows) {
    const li = $("streamRow").content.firstElementChild.cloneNode(true);
    li.dataset.id = row.id;
    li.querySelector(".kind").textContent = row.kind;
    li.querySelector(".title").textContent = row.title;
    const detail = li.querySelector(".detail");
    detail.textContent = row.detail;
    detail.classList.toggle("unsupported", row.unsupported);
    li.querySelector(".get").addEventListener("click", async () => {
      showResult(row.id, "Handing it to Haul…");
      const r = await api.runtime.sendMessage({ type: "stream-download", tabId, id: row.id }).catch((err) => ({ ok: false, error: err.message }));
      showResult(row.id, r?.ok ? "Haul has it." : `Not handed over: ${r?.error ?? "no answer"}`, !r?.ok);
    });
    list.append(li);
    const said = results.get(row.id);
    if (said) showResult(row.id, said.text, said.bad);
  }
}

async function main() {
  const tabId = await tabOf();
  showStreams(tabId);
  api.storage.onChanged?.addListener((changes, area) => {
    if (area === "session" && `streams:${tabId}` in changes) showStreams(tabId);
  });

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
