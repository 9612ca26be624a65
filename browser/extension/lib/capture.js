// Which downloads the browser starts are handed to Haul instead.
import { parseTypes } from "./settings.js";
import { isWebURL } from "./handoff.js";

// extensionOf returns the lower-case extension of the last path segment
// of a file name or URL, "" if none ("a/b.tar.gz" -> "gz").
export function extensionOf(nameOrURL) {
  let path = String(nameOrURL ?? "");
  try {
    path = new URL(path).pathname;
  } catch {
    // a plain file name or path
  }
  const base = path.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  if (dot <= 0 || dot === base.length - 1) return "";
  return base.slice(dot + 1).toLowerCase();
}

// decide says whether to capture a browser download, and why, as
// {capture, reason}. item is a downloads.DownloadItem; settings come from
// settings.normalize; bypass is true while the modifier key was held at
// the click that started it.
export function decide(item, settings, bypass = false) {
  const no = (reason) => ({ capture: false, reason });
  if (!settings.capture) return no("capture is off");
  if (!item || item.state === "complete" || item.state === "interrupted") return no("not a download in progress");
  if (item.byExtensionId) return no("started by an extension");
  const url = item.finalUrl || item.url;
  if (!isWebURL(url)) return no("not an http or https link");
  if (settings.skipOnce) return no("skipped once");
  if (bypass) return no("modifier key held");
  const types = parseTypes(settings.types);
  const ext = extensionOf(item.filename) || extensionOf(url);
  if (ext && types.has(ext)) return { capture: true, reason: `.${ext} file` };
  const size = Math.max(Number(item.totalBytes) || 0, Number(item.fileSize) || 0);
  const min = settings.minSizeMB * 1e6;
  if (settings.minSizeMB > 0 && size >= min) return { capture: true, reason: "large file" };
  return no("neither a chosen type nor large");
}
