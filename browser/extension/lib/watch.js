// The stream watcher: notes each tab's streams from webRequest (only
// observing), keeps them in storage.session (an MV3 service worker is
// stopped whenever it idles, and memory with it), shows their count on
// the toolbar badge, asks Haul for the qualities of playlists and
// manifests, and hands one over on "Download with Haul".
import { applyInfo, classify, emptyNotes, noteFrame, noteResponse, pendingStreams } from "./streams.js";
import { cookiesFor, downloadMessage } from "./handoff.js";

// keyOf is a tab's storage.session key.
const keyOf = (tabId) => `streams:${tabId}`;

// createWatch returns the watcher's handlers. send hands a message to
// Haul (haul.js's send: it rejects on an error answer).
export function createWatch(api, { send, userAgent = "" }) {
  const cache = new Map(); // tabId → notes, as stored
  const queue = new Map(); // tabId → the promise of its last update
  const asking = new Set(); // `${tabId} ${url}` asked and not yet answered

  async function read(tabId) {
    if (cache.has(tabId)) return cache.get(tabId);
    const key = keyOf(tabId);
    let notes;
    try {
      notes = (await api.storage.session.get(key))?.[key];
    } catch {
      notes = undefined;
    }
    if (!notes || !Array.isArray(notes.streams)) notes = emptyNotes();
    if (!cache.has(tabId)) cache.set(tabId, notes);
    return cache.get(tabId);
  }

  // update runs change(notes) for a tab, one change at a time per tab,
  // then stores the notes and, when change says so, redraws the badge.
  // It resolves to what change returned.
  function update(tabId, change) {
    const run = (queue.get(tabId) ?? Promise.resolve()).then(async () => {
      const before = await read(tabId);
      const out = change(before);
      const notes = out?.notes ?? before;
      cache.set(tabId, notes);
      try {
        await api.storage.session.set({ [keyOf(tabId)]: notes });
      } catch {
        // over the quota or the tab is gone: the memory copy still serves
      }
      if (out?.changed) await badge(tabId, notes);
      return out;
    });
    queue.set(tabId, run.catch(() => {}));
    return run;
  }

  async function badge(tabId, notes) {
    const n = notes.streams.length;
    try {
      await api.action?.setBadgeText?.({ tabId, text: n > 0 ? String(n) : "" });
      if (n > 0) await api.action?.setBadgeBackgroundColor?.({ tabId, color: "#1a73e8" });
    } catch {
      // the tab closed meanwhile
    }
  }

  // ask asks Haul for a stream's qualities and variants, once at a time.
  async function ask(tabId, stream) {
    const key = `${tabId} ${stream.url}`;
    if (asking.has(key)) return;
    asking.add(key);
    let answer;
    try {
      const cookies = await cookiesFor(api, stream.url);
      const page = await pageOf(tabId, stream);
      const msg = { ...downloadMessage({ url: stream.url, page, userAgent, cookies }), type: "qualities", kind: stream.kind };
      answer = await send(msg);
    } catch (err) {
      answer = { error: err.message, unsupported: err.reply?.unsupported === true };
    } finally {
      asking.delete(key);
    }
    await update(tabId, (notes) => ({ changed: applyInfo(notes, stream.url, answer) }));
  }

  // onResponse notes one response the browser received (webRequest's
  // onResponseStarted, with responseHeaders).
  async function onResponse(details) {
    const found = classify(details);
    if (!found) return null;
    const out = await update(details.tabId, (notes) => noteResponse(notes, found, details));
    if (out?.ask) await ask(details.tabId, out.ask);
    return out;
  }

  // onCommitted notes a frame's new document (webNavigation's
  // onCommitted): a top-frame navigation clears the tab's notes.
  function onCommitted(details) {
    if (!(details?.tabId >= 0)) return Promise.resolve();
    return update(details.tabId, (notes) => {
      const next = noteFrame(notes, details);
      return { notes: next, changed: details.frameId === 0 };
    });
  }

  // onRemoved forgets a closed tab.
  async function onRemoved(tabId) {
    await (queue.get(tabId) ?? Promise.resolve());
    cache.delete(tabId);
    queue.delete(tabId);
    try {
      await api.storage.session.remove(keyOf(tabId));
    } catch {
      // nothing stored
    }
  }

  // list answers the popup: the tab's entries, asking again for the
  // qualities of those whose answer was lost (the worker was stopped).
  async function list(tabId) {
    await (queue.get(tabId) ?? Promise.resolve());
    const notes = await read(tabId);
    for (const s of pendingStreams(notes)) ask(tabId, s);
    return { streams: notes.streams, dropped: notes.dropped };
  }

  // download hands one entry to Haul: its URL, the page that loaded it
  // as Referer (its frame's document, else the tab's page), the
  // User-Agent and the cookies the browser would send to it.
  async function download(tabId, id) {
    const notes = await read(tabId);
    const s = notes.streams.find((x) => x.id === id);
    if (!s) throw new Error("that stream is no longer on this page");
    const cookies = await cookiesFor(api, s.url);
    return send(downloadMessage({ url: s.url, page: await pageOf(tabId, s), userAgent, cookies }));
  }

  // pageOf is the page a stream was loaded by: its frame's document as
  // noted, or, when the navigation has not been noted yet, the frame's
  // address now (the tab's for the top frame).
  async function pageOf(tabId, s) {
    if (s.page) return s.page;
    const notes = await read(tabId);
    const frame = notes.frames[String(s.frameId)];
    if (frame) return frame;
    if (s.frameId !== 0) return "";
    return (await api.tabs?.get?.(tabId).catch(() => null))?.url ?? "";
  }

  return { onResponse, onCommitted, onRemoved, list, download, notesOf: read };
}
