// The extension's switches, kept in storage.local.

// DEFAULTS are the switches on first use: capture on, for archives, disk
// images, installers, video, audio and documents, or anything of 20 MB
// and more; Alt held while clicking leaves a download to the browser.
export const DEFAULTS = Object.freeze({
  capture: true,
  types: "zip 7z rar tar gz tgz bz2 xz zst iso img dmg exe msi deb rpm appimage apk bin mp4 mkv avi mov webm mp3 flac ogg m4a pdf epub",
  minSizeMB: 20,
  modifier: "alt",
  skipOnce: false,
});

// MODIFIERS are the keys that can hold a download back for the browser.
export const MODIFIERS = ["alt", "shift", "ctrl", "meta", "none"];

// normalize returns settings with every field present and of the right
// type, whatever storage held.
export function normalize(stored) {
  const s = { ...DEFAULTS };
  if (!stored || typeof stored !== "object") return s;
  if (typeof stored.capture === "boolean") s.capture = stored.capture;
  if (typeof stored.types === "string") s.types = stored.types;
  const mb = Number(stored.minSizeMB);
  if (Number.isFinite(mb) && mb >= 0) s.minSizeMB = mb;
  if (MODIFIERS.includes(stored.modifier)) s.modifier = stored.modifier;
  if (typeof stored.skipOnce === "boolean") s.skipOnce = stored.skipOnce;
  return s;
}

// parseTypes turns "zip, .ISO  mp4" into the set {"zip", "iso", "mp4"}.
export function parseTypes(text) {
  const out = new Set();
  for (const word of String(text ?? "").toLowerCase().split(/[\s,;]+/)) {
    const ext = word.replace(/^\*?\.+/, "");
    if (/^[a-z0-9]{1,16}$/.test(ext)) out.add(ext);
  }
  return out;
}

// load reads the settings from storage.
export async function load(storage) {
  return normalize(await storage.local.get(Object.keys(DEFAULTS)));
}

// save stores a change to the settings.
export async function save(storage, change) {
  await storage.local.set(change);
}
