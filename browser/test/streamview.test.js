import { test } from "node:test";
import assert from "node:assert/strict";
import { detailOf, headingOf, rowsOf, shorten, titleOf } from "../extension/lib/streamview.js";

test("a master playlist's row gives its kind, its name and its qualities", () => {
  const [row] = rowsOf([
    { id: "s1", kind: "hls", url: "https://cdn.example/v/master.m3u8?t=1", info: { state: "ok", role: "master", qualities: ["1080p", "720p", "480p"], parts: [] } },
  ]);
  assert.deepEqual(row, { id: "s1", kind: "HLS stream", title: "master.m3u8 · cdn.example", detail: "1080p · 720p · 480p", unsupported: false });
});

test("each state of the qualities has its words", () => {
  assert.equal(detailOf({ kind: "hls", info: { state: "pending" } }), "Asking Haul for the qualities…");
  assert.equal(detailOf({ kind: "hls", info: { state: "ok", role: "media", qualities: [] } }), "One quality");
  assert.equal(detailOf({ kind: "hls", info: { state: "ok", role: "master", qualities: [] } }), "Qualities not given");
  assert.equal(
    detailOf({ kind: "dash", info: { state: "error", unsupported: true, error: "Haul cannot read the qualities of DASH manifests yet (not supported yet)" } }),
    "Qualities: Haul cannot read the qualities of DASH manifests yet",
  );
  assert.equal(detailOf({ kind: "hls", info: { state: "error", error: "Specified native messaging host not found." } }), "Qualities unknown: Specified native messaging host not found.");
  assert.equal(detailOf({ kind: "media", size: 24_400_000 }), "24 MB");
  assert.equal(detailOf({ kind: "media", size: 3_210_000 }), "3.2 MB");
});

test("direct audio is called audio; names lose what would garble them and are cut", () => {
  const [row] = rowsOf([{ id: "s2", kind: "media", type: "audio/ogg", url: "https://x.example/a%20song\u202e.ogg", size: 2e6 }]);
  assert.equal(row.kind, "Audio file");
  assert.equal(row.title, "a song.ogg · x.example");
  assert.equal(titleOf("https://x.example/"), "x.example");
  assert.equal([...titleOf(`https://x.example/${"é".repeat(200)}.mp4`)].length, 60);
  assert.equal(shorten("abcdef", 4), "abc…");
});

test("the heading counts the videos and says what to do when there are none", () => {
  assert.match(headingOf([]), /No video found/);
  assert.equal(headingOf([{}]), "1 video on this page");
  assert.equal(headingOf([{}, {}], 3), "2 videos on this page (and 3 more not listed)");
});
