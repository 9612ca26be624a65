import { test } from "node:test";
import assert from "node:assert/strict";
import { createHaul } from "../extension/lib/haul.js";
import { stubAPI } from "./stub.js";

const POPUP = { url: "chrome-extension://haul-test/popup.html" };
const PAGE = "https://example.org/watch?v=1";
const MASTER = "https://cdn.example/v/master.m3u8";

const response = (url, headers = {}, over = {}) => ({
  tabId: 3,
  frameId: 0,
  type: "xmlhttprequest",
  statusCode: 200,
  timeStamp: 2000,
  url,
  responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
  ...over,
});

// hlsHost answers like `haul native-host`: the master's qualities and
// variants; DASH answered as an older Haul, which could not read it, did.
const hlsHost = (msg) => {
  if (msg.type === "qualities" && msg.kind === "hls") {
    return { ok: true, type: "qualities", role: "master", qualities: ["1080p", "720p"], parts: ["https://cdn.example/v/hi.m3u8", "https://cdn.example/v/lo.m3u8"] };
  }
  if (msg.type === "qualities") return { ok: false, error: "Haul cannot read the qualities of DASH manifests yet (not supported yet)", unsupported: true };
  return { ok: true };
};

// ask sends the popup's message to the background and waits for its answer.
const ask = (haul, msg, sender = POPUP) => new Promise((resolve) => assert.equal(haul.onMessage(msg, sender, resolve), true));

// onPage opens tab 3 on PAGE.
const onPage = (haul) => haul.watch.onCommitted({ tabId: 3, frameId: 0, url: PAGE, timeStamp: 1000 });

test("a stream found on a page is asked about with the page, the User-Agent and its cookies, and its variants fold", async () => {
  const api = stubAPI({ native: hlsHost, cookies: { [MASTER]: [{ name: "cdn", value: "tok" }] } });
  const haul = createHaul(api, { userAgent: "UA/3" });
  await onPage(haul);
  await haul.watch.onResponse(response(MASTER));
  await haul.watch.onResponse(response("https://cdn.example/v/hi.m3u8"));
  assert.deepEqual(api.calls.native[0].msg, { type: "qualities", kind: "hls", url: MASTER, page: PAGE, userAgent: "UA/3", cookies: [{ name: "cdn", value: "tok" }] });
  const { streams } = await ask(haul, { type: "streams", tabId: 3 });
  assert.deepEqual(
    streams.map((s) => [s.kind, s.url, s.info.qualities]),
    [["hls", MASTER, ["1080p", "720p"]]],
  );
  assert.deepEqual(api.calls.tabBadge.at(-1), { tabId: 3, text: "1" });
});

test("the notes outlive the service worker: a new one finds them in storage.session", async () => {
  const session = {};
  const first = createHaul(stubAPI({ native: hlsHost, session }));
  await onPage(first);
  await first.watch.onResponse(response(MASTER));
  await first.watch.onResponse(response("https://cdn.example/film.mp4", { "Content-Type": "video/mp4", "Content-Length": "3000000" }, { type: "media" }));

  const api = stubAPI({ native: hlsHost, session });
  const second = createHaul(api); // the worker was stopped and started again
  await second.watch.onResponse(response("https://cdn.example/v/lo.m3u8"));
  const { streams } = await ask(second, { type: "streams", tabId: 3 });
  assert.deepEqual(streams.map((s) => s.url), [MASTER, "https://cdn.example/film.mp4"]);
  assert.deepEqual(api.calls.native, [], "nothing asked again");
});

test("a navigation clears the tab's streams and its badge; another tab keeps its own", async () => {
  const api = stubAPI({ native: hlsHost });
  const haul = createHaul(api);
  await onPage(haul);
  await haul.watch.onResponse(response(MASTER));
  await haul.watch.onResponse(response("https://other.example/a.mpd", {}, { tabId: 8 }));
  await haul.watch.onCommitted({ tabId: 3, frameId: 0, url: "https://example.org/next", timeStamp: 5000 });
  assert.deepEqual((await ask(haul, { type: "streams", tabId: 3 })).streams, []);
  assert.deepEqual(api.calls.tabBadge.at(-1), { tabId: 3, text: "" });
  assert.equal((await ask(haul, { type: "streams", tabId: 8 })).streams.length, 1);
  await haul.watch.onRemoved(8);
  assert.equal(api.session["streams:8"], undefined);
});

test("an older Haul's 'not supported yet' for DASH qualities is kept for the popup", async () => {
  const haul = createHaul(stubAPI({ native: hlsHost }));
  await haul.watch.onResponse(response("https://cdn.example/m.mpd"));
  const [s] = (await ask(haul, { type: "streams", tabId: 3 })).streams;
  assert.equal(s.kind, "dash");
  assert.equal(s.info.state, "error");
  assert.equal(s.info.unsupported, true);
  assert.match(s.info.error, /not supported yet/);
});

test("Download with Haul hands the stream over with its page as Referer, the User-Agent and its origin's cookies", async () => {
  const api = stubAPI({ native: hlsHost, cookies: { [MASTER]: [{ name: "cdn", value: "tok" }], [PAGE]: [{ name: "page", value: "no" }] } });
  const haul = createHaul(api, { userAgent: "UA/3" });
  await onPage(haul);
  await haul.watch.onResponse(response(MASTER));
  const [s] = (await ask(haul, { type: "streams", tabId: 3 })).streams;
  assert.deepEqual(await ask(haul, { type: "stream-download", tabId: 3, id: s.id }), { ok: true });
  assert.deepEqual(api.calls.native.at(-1).msg, { type: "download", url: MASTER, page: PAGE, userAgent: "UA/3", cookies: [{ name: "cdn", value: "tok" }] });
});

test("a stream seen before its page was known goes with the tab's page; a gone one is refused", async () => {
  const api = stubAPI({ native: hlsHost, tabs: { 3: { id: 3, url: "https://example.org/late#t=5" } } });
  const haul = createHaul(api);
  await haul.watch.onResponse(response(MASTER));
  assert.equal(api.calls.native[0].msg.page, "https://example.org/late", "its qualities are asked for with the tab's page");
  const [s] = (await ask(haul, { type: "streams", tabId: 3 })).streams;
  await ask(haul, { type: "stream-download", tabId: 3, id: s.id });
  assert.equal(api.calls.native.at(-1).msg.page, "https://example.org/late");
  const gone = await ask(haul, { type: "stream-download", tabId: 3, id: "s99" });
  assert.equal(gone.ok, false);
  assert.match(gone.error, /no longer on this page/);
});

test("when Haul refuses the hand-off the popup hears why", async () => {
  const api = stubAPI({ native: (m) => (m.type === "download" ? { ok: false, error: "Haul refused it: bad" } : hlsHost(m)) });
  const haul = createHaul(api);
  await haul.watch.onResponse(response(MASTER));
  const [s] = (await ask(haul, { type: "streams", tabId: 3 })).streams;
  assert.deepEqual(await ask(haul, { type: "stream-download", tabId: 3, id: s.id }), { ok: false, error: "Haul refused it: bad" });
});

test("a web page's content script cannot list or hand over a tab's streams", async () => {
  const api = stubAPI({ native: hlsHost });
  const haul = createHaul(api);
  await haul.watch.onResponse(response(MASTER));
  const n = api.calls.native.length;
  assert.equal(haul.onMessage({ type: "streams", tabId: 3 }, { url: "https://evil.example/", tab: { id: 1 } }, () => assert.fail("answered")), false);
  assert.equal(haul.onMessage({ type: "stream-download", tabId: 3, id: "s1" }, { url: "https://evil.example/", tab: { id: 1 } }, () => assert.fail("answered")), false);
  assert.equal(api.calls.native.length, n);
});

test("a popup message without a tab is refused with a reason", async () => {
  const haul = createHaul(stubAPI({ native: hlsHost }));
  assert.deepEqual(await ask(haul, { type: "streams" }), { ok: false, error: "no tab named" });
});
