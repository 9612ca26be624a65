// Which of a page's requests are video streams, and how they fold into
// one entry each: the tab's notes as plain data (kept in
// storage.session, so they outlive the service worker), changed only by
// the functions here, which do no I/O.
import { MAX_FIELD } from "./constants.js";

// MIN_MEDIA_BYTES is the size from which a video or audio file the page
// loads is noted: over 1 MB, as the settings count megabytes.
export const MIN_MEDIA_BYTES = 1e6;

// MAX_STREAMS is the most entries one tab keeps; later ones are counted
// in dropped.
export const MAX_STREAMS = 50;

// MAX_FRAMES is the most frames whose page one tab's notes remember;
// a stream of a frame past it goes with the tab's page.
export const MAX_FRAMES = 100;

// MAX_FOLDED is the most variant URLs kept per entry (a playlist lists
// a handful; this only bounds a hostile one).
export const MAX_FOLDED = 200;

const HLS_TYPES = new Set(["application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl"]);
const DASH_TYPES = new Set(["application/dash+xml"]);
// SEGMENT_EXTS and SEGMENT_TYPES are the pieces of a stream: never
// listed on their own.
const SEGMENT_EXTS = new Set(["ts", "m4s", "m4v", "m4a", "aac", "cmfv", "cmfa", "fmp4", "m4f", "vtt", "webvtt", "key"]);
const SEGMENT_TYPES = new Set(["video/mp2t", "video/iso.segment", "audio/iso.segment", "text/vtt"]);
// WATCHED_TYPES are the webRequest types watched: what players fetch
// and what media elements load (types both Chromium and Firefox know).
export const WATCHED_TYPES = ["xmlhttprequest", "media", "object", "other"];

// SCRIPTED are the request types of a player's own fetches (hls.js,
// dash.js and the like feed the video element through them).
const SCRIPTED = new Set(["xmlhttprequest", "fetch", "other"]);

// header returns the first value of a response header, "" if absent.
export function header(details, name) {
  const want = name.toLowerCase();
  for (const h of details?.responseHeaders ?? []) {
    if (String(h?.name).toLowerCase() === want) return String(h.value ?? "");
  }
  return "";
}

// mediaType is a Content-Type's type, lower-cased, without parameters.
export function mediaType(contentType) {
  return String(contentType ?? "").split(";")[0].trim().toLowerCase();
}

// sizeOf is the size of the whole resource a response is part of: the
// total of a Content-Range ("bytes 0-99/5000000"), else the
// Content-Length; -1 when neither says.
export function sizeOf(details) {
  const range = /\/(\d+)\s*$/.exec(header(details, "content-range"));
  if (range) return Number(range[1]);
  const len = header(details, "content-length");
  return /^\d+$/.test(len.trim()) ? Number(len) : -1;
}

// extOf is the lower-case extension of a URL's path, "" if none.
function extOf(url) {
  const base = url.pathname.split("/").pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

// urlKey is the URL a note is kept under: absolute, without its fragment.
export function urlKey(raw) {
  const u = new URL(raw);
  u.hash = "";
  return u.href;
}

// classify says what a finished response of the page is, from
// webRequest's details (with responseHeaders): {kind, url, size} with
// kind "hls", "dash" or "media" for what is listed, "segment" for a
// piece of a stream, or null for anything else (a page, an image, a
// failed request, an extension's own request).
export function classify(details) {
  if (!details || !(details.tabId >= 0)) return null;
  const status = Number(details.statusCode);
  if (!(status >= 200 && status < 300)) return null;
  if (typeof details.url !== "string" || details.url.length > MAX_FIELD) return null;
  let u;
  try {
    u = new URL(details.url);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  if (details.type === "main_frame" || details.type === "sub_frame") return null;
  const type = mediaType(header(details, "content-type"));
  const ext = extOf(u);
  const url = urlKey(details.url);
  if (HLS_TYPES.has(type) || ext === "m3u8") return { kind: "hls", url, size: -1 };
  if (DASH_TYPES.has(type) || ext === "mpd") return { kind: "dash", url, size: -1 };
  if (SEGMENT_TYPES.has(type) || SEGMENT_EXTS.has(ext)) return { kind: "segment", url, size: -1 };
  if (type.startsWith("video/") || type.startsWith("audio/")) {
    const size = sizeOf(details);
    if (size > MIN_MEDIA_BYTES) return { kind: "media", url, size, type };
    if (SCRIPTED.has(details.type)) return { kind: "segment", url, size };
  }
  return null;
}

// emptyNotes are a tab's notes before anything is seen: since is the
// time (webRequest's timeStamp) of the top frame's last navigation;
// frames maps a frame's ID to its document's URL.
export function emptyNotes(since = 0) {
  return { since, frames: {}, streams: [], next: 1, dropped: 0 };
}

// isStream reports whether an entry is a playlist or a manifest, which
// segments fold into.
const isStream = (s) => s.kind === "hls" || s.kind === "dash";

// noteFrame records a frame's document URL, for the Referer of what it
// loads; a top-frame navigation (frameId 0) starts the tab's notes over,
// keeping only what the new page loaded if it was noted first.
export function noteFrame(notes, { frameId, url, timeStamp = 0 }) {
  if (frameId === 0) {
    // what the new page loaded before this was noted: its frames' pages
    // were taken from the old page's
    const kept = notes.streams.filter((s) => s.seen >= timeStamp).map((s) => ({ ...s, page: "" }));
    notes = { ...emptyNotes(timeStamp), streams: kept, next: notes.next };
  }
  if (typeof url !== "string" || url.length > MAX_FIELD) return notes;
  if (Object.keys(notes.frames).length >= MAX_FRAMES && !(String(frameId) in notes.frames)) return notes;
  notes.frames[String(frameId)] = url;
  for (const s of notes.streams) {
    if (s.frameId === frameId && !s.page) s.page = url; // noted before its page was
  }
  return notes;
}

// foldTarget is the entry a variant URL belongs to: the stream whose
// playlist lists it.
function foldTarget(notes, url) {
  return notes.streams.find((s) => s.info?.parts?.includes(url));
}

// latestStream is the stream a segment belongs to: the last one noted in
// the segment's frame, else the last one in the tab.
function latestStream(notes, frameId) {
  const streams = notes.streams.filter(isStream);
  return streams.findLast((s) => s.frameId === frameId) ?? streams.at(-1);
}

// noteResponse adds what classify found for one response to the tab's
// notes. It returns {changed, ask}: changed when the listed entries
// changed, ask the new playlist or manifest whose qualities (and
// variants) Haul should be asked for.
export function noteResponse(notes, found, details) {
  const none = { changed: false, ask: null };
  if (!found || Number(details?.timeStamp ?? 0) < notes.since) return none;
  const frameId = Number(details.frameId ?? 0);
  const scripted = SCRIPTED.has(details.type);
  const same = notes.streams.find((s) => s.url === found.url);
  if (same) {
    if (found.size > same.size) same.size = found.size;
    return none;
  }
  if (found.kind === "hls" || found.kind === "dash") {
    const master = foldTarget(notes, found.url);
    if (master) return none; // a variant of a playlist already listed
  }
  if (found.kind === "segment" || (found.kind === "media" && scripted && latestStream(notes, frameId))) {
    const owner = latestStream(notes, frameId);
    if (owner) owner.segments++;
    return none;
  }
  if (notes.streams.length >= MAX_STREAMS) {
    notes.dropped++;
    return none;
  }
  const entry = {
    id: `s${notes.next++}`,
    kind: found.kind,
    url: found.url,
    size: found.size,
    type: found.type ?? "",
    frameId,
    page: notes.frames[String(frameId)] ?? details.documentUrl ?? "",
    segments: 0,
    seen: Number(details.timeStamp ?? 0),
    info: isStream(found) ? { state: "pending" } : null,
  };
  notes.streams.push(entry);
  return { changed: true, ask: entry.info ? entry : null };
}

// applyInfo records Haul's answer about a stream's playlist or manifest
// ({qualities, parts, role} or {error}) and folds into it the entries
// that are its variants. It reports whether the listed entries changed.
export function applyInfo(notes, url, answer) {
  const entry = notes.streams.find((s) => s.url === url && isStream(s));
  if (!entry) return false;
  if (answer?.error) {
    entry.info = { state: "error", error: String(answer.error).slice(0, 300), unsupported: answer.unsupported === true };
    return true;
  }
  const parts = [];
  for (const p of Array.isArray(answer?.parts) ? answer.parts : []) {
    if (typeof p !== "string" || parts.length >= MAX_FOLDED) continue;
    try {
      parts.push(urlKey(p));
    } catch {
      // not a URL: nothing to fold
    }
  }
  const qualities = (Array.isArray(answer?.qualities) ? answer.qualities : []).filter((q) => typeof q === "string").slice(0, 50);
  entry.info = { state: "ok", role: answer?.role === "master" ? "master" : "media", qualities, parts };
  const kept = [];
  for (const s of notes.streams) {
    if (s !== entry && parts.includes(s.url)) entry.segments += s.segments;
    else kept.push(s);
  }
  notes.streams = kept;
  return true;
}

// pendingStreams are the entries whose qualities Haul has not answered.
export function pendingStreams(notes) {
  return notes.streams.filter((s) => s.info?.state === "pending");
}
