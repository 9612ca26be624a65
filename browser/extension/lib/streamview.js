// What the popup says about each stream of the tab: pure, so the words
// are tested without a browser.

// KIND_NAMES name each kind of entry.
const KIND_NAMES = { hls: "HLS stream", dash: "DASH stream", media: "Video file" };

// MAX_TITLE is the longest name shown before it is cut with an ellipsis.
const MAX_TITLE = 60;

// shorten cuts s to n characters, with an ellipsis.
export function shorten(s, n = MAX_TITLE) {
  const chars = [...String(s)];
  return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : chars.join("");
}

// titleOf names a stream by its file and host: "master.m3u8 · cdn.example".
export function titleOf(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return shorten(url);
  }
  let file = u.pathname.split("/").filter(Boolean).pop() ?? "";
  try {
    file = decodeURIComponent(file);
  } catch {
    // not valid percent-encoding: shown as it is
  }
  // control and bidi-override characters would garble the line
  file = file.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  return shorten(file ? `${file} · ${u.host}` : u.host);
}

// megabytes words a size: "24 MB".
export function megabytes(n) {
  if (!(n > 0)) return "";
  const mb = n / 1e6;
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

// detailOf is a stream's second line: its qualities, or why there are none.
export function detailOf(s) {
  if (s.kind === "media") {
    const size = megabytes(s.size);
    return size ? `${size}` : "";
  }
  const info = s.info ?? { state: "pending" };
  switch (info.state) {
    case "pending":
      return "Asking Haul for the qualities…";
    case "error":
      return info.unsupported ? `Qualities: ${info.error.replace(/\s*\(not supported yet\)$/, "")}` : `Qualities unknown: ${shorten(info.error, 140)}`;
  }
  if (info.role === "media") return "One quality";
  return info.qualities.length ? info.qualities.join(" · ") : "Qualities not given";
}

// rowsOf are the popup's rows for the background's list answer.
export function rowsOf(streams) {
  return (streams ?? []).map((s) => ({
    id: s.id,
    kind: s.kind === "media" && /^audio\//.test(s.type ?? "") ? "Audio file" : KIND_NAMES[s.kind] ?? s.kind,
    title: titleOf(s.url),
    detail: detailOf(s),
    unsupported: s.info?.unsupported === true,
  }));
}

// headingOf is the streams section's heading.
export function headingOf(streams, dropped = 0) {
  const n = streams?.length ?? 0;
  if (n === 0) return "No video found on this page yet. Play it, and it shows here.";
  const more = dropped > 0 ? ` (and ${dropped} more not listed)` : "";
  return `${n === 1 ? "1 video" : `${n} videos`} on this page${more}`;
}
