import { test } from "node:test";
import assert from "node:assert/strict";
import { applyInfo, classify, emptyNotes, MAX_FRAMES, MAX_STREAMS, noteFrame, noteResponse, sizeOf } from "../extension/lib/streams.js";

// response is webRequest's details of one response of tab 3's page.
const response = (url, headers = {}, over = {}) => ({
  tabId: 3,
  frameId: 0,
  type: "xmlhttprequest",
  statusCode: 200,
  timeStamp: 1000,
  url,
  responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
  ...over,
});

// see notes one response and returns noteResponse's answer.
const see = (notes, details) => noteResponse(notes, classify(details), details);

test("HLS playlists are found by .m3u8 or by an HLS type, in any case", () => {
  assert.equal(classify(response("https://cdn.example/v/master.m3u8?token=1"))?.kind, "hls");
  assert.equal(classify(response("https://cdn.example/v/MASTER.M3U8"))?.kind, "hls");
  for (const type of ["application/vnd.apple.mpegurl", "application/x-mpegURL; charset=utf-8", "audio/mpegurl", "audio/x-mpegurl"]) {
    assert.equal(classify(response("https://cdn.example/play?id=9", { "Content-Type": type }))?.kind, "hls", type);
  }
  // .m3u8 in the query only is not a playlist's path
  assert.equal(classify(response("https://cdn.example/page?next=a.m3u8", { "Content-Type": "text/html" })), null);
});

test("DASH manifests are found by .mpd or application/dash+xml", () => {
  assert.equal(classify(response("https://cdn.example/v/manifest.mpd"))?.kind, "dash");
  assert.equal(classify(response("https://cdn.example/m?id=1", { "content-type": "application/dash+xml" }))?.kind, "dash");
});

test("direct video and audio are found over 1 MB, by Content-Length or a range's total", () => {
  const big = classify(response("https://cdn.example/film.mp4", { "Content-Type": "video/mp4", "Content-Length": "1000001" }, { type: "media" }));
  assert.deepEqual(big, { kind: "media", url: "https://cdn.example/film.mp4", size: 1000001, type: "video/mp4" });
  const ranged = classify(
    response("https://cdn.example/song.ogg", { "Content-Type": "audio/ogg", "Content-Length": "65536", "Content-Range": "bytes 0-65535/7340032" }, { type: "media", statusCode: 206 }),
  );
  assert.equal(ranged?.kind, "media");
  assert.equal(ranged.size, 7340032);
  assert.equal(classify(response("https://cdn.example/blip.mp3", { "Content-Type": "audio/mpeg", "Content-Length": "1000000" }, { type: "media" })), null, "1 MB is not over 1 MB");
  assert.equal(classify(response("https://cdn.example/clip.mp4", { "Content-Type": "video/mp4" }, { type: "media" })), null, "no size said");
});

test("pages, images, failures, other schemes and the browser's own requests are not streams", () => {
  assert.equal(classify(response("https://example.org/", { "Content-Type": "text/html" }, { type: "main_frame" })), null);
  assert.equal(classify(response("https://example.org/a.png", { "Content-Type": "image/png", "Content-Length": "9000000" }, { type: "image" })), null);
  assert.equal(classify(response("https://cdn.example/gone.m3u8", {}, { statusCode: 404 })), null);
  assert.equal(classify(response("https://cdn.example/moved.m3u8", {}, { statusCode: 302 })), null);
  assert.equal(classify(response("https://cdn.example/a.m3u8", {}, { tabId: -1 })), null, "not a tab's request");
  assert.equal(classify(response("blob:https://example.org/1234", { "Content-Type": "video/mp4", "Content-Length": "9000000" })), null);
  assert.equal(classify(response("https://example.org/frame.m3u8", {}, { type: "sub_frame" })), null);
});

test("segments are never entries: they count for the stream they belong to", () => {
  const notes = emptyNotes();
  assert.equal(see(notes, response("https://cdn.example/v/master.m3u8")).changed, true);
  for (const seg of ["seg0.ts", "seg1.ts", "init.mp4?x=1", "chunk-2.m4s"]) {
    const details = seg.startsWith("init")
      ? response(`https://cdn.example/v/${seg}`, { "Content-Type": "video/mp4", "Content-Length": "5000000" })
      : response(`https://cdn.example/v/${seg}`, { "Content-Type": "video/mp2t", "Content-Length": "900000" });
    assert.equal(see(notes, details).changed, false, seg);
  }
  assert.equal(notes.streams.length, 1);
  assert.equal(notes.streams[0].segments, 4);
  // a lone segment, with no stream on the page, is nothing to offer
  const empty = emptyNotes();
  see(empty, response("https://cdn.example/v/seg7.ts", { "Content-Type": "video/mp2t" }));
  assert.equal(empty.streams.length, 0);
});

test("a big video the element loads itself is an entry even beside a stream, once however many ranges it asks for", () => {
  const notes = emptyNotes();
  see(notes, response("https://cdn.example/v/master.m3u8"));
  const part = (range) =>
    response("https://cdn.example/trailer.webm", { "Content-Type": "video/webm", "Content-Length": "4096", "Content-Range": `bytes ${range}/52428800` }, { type: "media", statusCode: 206 });
  assert.equal(see(notes, part("0-4095")).changed, true);
  assert.equal(see(notes, part("4096-8191")).changed, false);
  assert.deepEqual(
    notes.streams.map((s) => [s.kind, s.url, s.size]),
    [
      ["hls", "https://cdn.example/v/master.m3u8", -1],
      ["media", "https://cdn.example/trailer.webm", 52428800],
    ],
  );
});

test("variant playlists fold into their master once Haul has read it, whichever came first", () => {
  const notes = emptyNotes();
  const master = see(notes, response("https://cdn.example/v/master.m3u8"));
  assert.equal(master.ask?.url, "https://cdn.example/v/master.m3u8", "the master's qualities are asked for");
  // the player asks for a variant before Haul has answered: listed for now
  see(notes, response("https://cdn.example/v/720/index.m3u8"));
  see(notes, response("https://cdn.example/v/720/seg0.ts", { "Content-Type": "video/mp2t" }));
  assert.equal(notes.streams.length, 2);
  const changed = applyInfo(notes, "https://cdn.example/v/master.m3u8", {
    role: "master",
    qualities: ["1080p", "720p"],
    parts: ["https://cdn.example/v/1080/index.m3u8", "https://cdn.example/v/720/index.m3u8#x", "https://cdn.example/v/audio/en.m3u8"],
  });
  assert.equal(changed, true);
  assert.deepEqual(notes.streams.map((s) => s.url), ["https://cdn.example/v/master.m3u8"]);
  assert.equal(notes.streams[0].segments, 1, "the folded variant's segments are the master's");
  assert.deepEqual(notes.streams[0].info.qualities, ["1080p", "720p"]);
  // a switch to another variant, or the audio, later: folded at once
  assert.equal(see(notes, response("https://cdn.example/v/1080/index.m3u8")).changed, false);
  assert.equal(see(notes, response("https://cdn.example/v/audio/en.m3u8")).changed, false);
  assert.equal(notes.streams.length, 1);
});

test("two players on one page are two entries, each with its own segments", () => {
  const notes = emptyNotes();
  see(notes, response("https://a.example/one.m3u8", {}, { frameId: 0 }));
  see(notes, response("https://b.example/two.mpd", {}, { frameId: 5 }));
  see(notes, response("https://a.example/one/seg0.ts", {}, { frameId: 0 }));
  see(notes, response("https://b.example/two/v-1.m4s", {}, { frameId: 5 }));
  see(notes, response("https://b.example/two/v-2.m4s", {}, { frameId: 5 }));
  assert.deepEqual(
    notes.streams.map((s) => [s.kind, s.segments]),
    [
      ["hls", 1],
      ["dash", 2],
    ],
  );
});

test("an answer that is an error is kept for the popup, and a hostile answer cannot break the notes", () => {
  const notes = emptyNotes();
  see(notes, response("https://cdn.example/m.mpd"));
  applyInfo(notes, "https://cdn.example/m.mpd", { error: "DASH is not supported yet", unsupported: true });
  assert.deepEqual(notes.streams[0].info, { state: "error", error: "DASH is not supported yet", unsupported: true });
  see(notes, response("https://cdn.example/h.m3u8"));
  applyInfo(notes, "https://cdn.example/h.m3u8", { role: "master", qualities: [1, "720p", { x: 1 }], parts: "nope" });
  assert.deepEqual(notes.streams[1].info, { state: "ok", role: "master", qualities: ["720p"], parts: [] });
  assert.equal(applyInfo(notes, "https://cdn.example/unknown.m3u8", { qualities: [] }), false);
});

test("a navigation of the top frame clears the notes; a frame's only records its page", () => {
  let notes = emptyNotes();
  notes = noteFrame(notes, { frameId: 0, url: "https://example.org/watch/1", timeStamp: 500 });
  notes = noteFrame(notes, { frameId: 4, url: "https://player.example/embed/1", timeStamp: 600 });
  see(notes, response("https://cdn.example/1.m3u8", {}, { frameId: 4, timeStamp: 700 }));
  assert.equal(notes.streams[0].page, "https://player.example/embed/1", "the frame that loaded it is its page");
  notes = noteFrame(notes, { frameId: 4, url: "https://player.example/embed/2", timeStamp: 800 });
  assert.equal(notes.streams.length, 1);
  // the new page's playlist may be noted before the navigation is: kept,
  // and given its page then
  see(notes, response("https://cdn.example/2.m3u8", {}, { frameId: 0, timeStamp: 1001 }));
  notes = noteFrame(notes, { frameId: 0, url: "https://example.org/watch/2", timeStamp: 1000 });
  assert.deepEqual(notes.streams.map((s) => [s.url, s.page]), [["https://cdn.example/2.m3u8", "https://example.org/watch/2"]]);
  assert.deepEqual(notes.frames, { 0: "https://example.org/watch/2" });
  // a late response of the old page is not noted
  assert.equal(see(notes, response("https://cdn.example/old.m3u8", {}, { timeStamp: 900 })).changed, false);
  assert.equal(notes.streams.length, 1);
});

test("a page with very many streams keeps the first ones and counts the rest", () => {
  const notes = emptyNotes();
  for (let i = 0; i < MAX_STREAMS + 7; i++) see(notes, response(`https://cdn.example/${i}.m3u8`));
  assert.equal(notes.streams.length, MAX_STREAMS);
  assert.equal(notes.dropped, 7);
});

test("sizeOf reads a range's total before the length, and nothing from junk", () => {
  assert.equal(sizeOf(response("u", { "Content-Range": "bytes 0-1/2000000", "Content-Length": "2" })), 2000000);
  assert.equal(sizeOf(response("u", { "Content-Length": "12abc" })), -1);
  assert.equal(sizeOf(response("u", { "Content-Range": "bytes 0-1/*", "Content-Length": "2" })), 2);
});

test("a page with very many frames is remembered for its first ones only", () => {
  let notes = noteFrame(emptyNotes(), { frameId: 0, url: "https://example.org/", timeStamp: 1 });
  for (let i = 1; i <= MAX_FRAMES + 20; i++) notes = noteFrame(notes, { frameId: i, url: `https://ads.example/${i}`, timeStamp: 2 });
  assert.equal(Object.keys(notes.frames).length, MAX_FRAMES);
  assert.equal(notes.frames["0"], "https://example.org/");
});
