import { test } from "node:test";
import assert from "node:assert/strict";
import { createHaul, MENU_ALL, MENU_ONE } from "../extension/lib/haul.js";
import { HOST_NAME } from "../extension/lib/constants.js";
import { stubAPI } from "./stub.js";

const ok = () => ({ ok: true });
const download = (over = {}) => ({
  id: 7,
  url: "https://files.example/a.iso",
  referrer: "https://files.example/page",
  filename: "/home/me/Downloads/a.iso",
  state: "in_progress",
  totalBytes: 5,
  ...over,
});

test("the menus cover links and media, and pages and selections", async () => {
  const api = stubAPI();
  await createHaul(api).createMenus();
  const byId = Object.fromEntries(api.calls.menus.map((m) => [m.id, m.contexts]));
  assert.deepEqual(byId[MENU_ONE], ["link", "image", "video", "audio"]);
  assert.deepEqual(byId[MENU_ALL], ["page", "selection"]);
});

test("a captured download goes to Haul with page, User-Agent, name and that URL's cookies, then the browser's is cancelled", async () => {
  const api = stubAPI({
    native: ok,
    cookies: { "https://files.example/a.iso": [{ name: "sid", value: "42" }], "https://other.example/": [{ name: "no", value: "x" }] },
  });
  const haul = createHaul(api, { userAgent: "UA/1" });
  const verdict = await haul.onDownload(download());
  assert.equal(verdict.capture, true);
  assert.equal(api.calls.native.length, 1);
  assert.equal(api.calls.native[0].host, HOST_NAME);
  assert.deepEqual(api.calls.native[0].msg, {
    type: "download",
    url: "https://files.example/a.iso",
    page: "https://files.example/page",
    userAgent: "UA/1",
    filename: "a.iso",
    cookies: [{ name: "sid", value: "42" }],
  });
  assert.deepEqual(api.calls.cancel, [7]);
  assert.deepEqual(api.calls.erase, [7]);
});

test("when Haul cannot be reached the browser keeps the download", async () => {
  const api = stubAPI({ native: null });
  const verdict = await createHaul(api).onDownload(download());
  assert.equal(verdict.capture, false);
  assert.match(verdict.reason, /could not be reached/);
  assert.deepEqual(api.calls.cancel, []);
});

test("when Haul refuses the download the browser keeps it", async () => {
  const api = stubAPI({ native: () => ({ ok: false, error: "bad url" }) });
  await createHaul(api).onDownload(download());
  assert.deepEqual(api.calls.cancel, []);
});

test("skip once leaves one download to the browser and then turns itself off", async () => {
  const api = stubAPI({ native: ok, stored: { skipOnce: true } });
  const haul = createHaul(api);
  await haul.onDownload(download({ id: 1 }));
  assert.deepEqual(api.calls.cancel, []);
  assert.equal(api.store.skipOnce, false);
  await haul.onDownload(download({ id: 2 }));
  assert.deepEqual(api.calls.cancel, [2]);
});

test("a click with the modifier held leaves the next download to the browser for a while", async () => {
  let t = 1000;
  const api = stubAPI({ native: ok, stored: { modifier: "shift" } });
  const haul = createHaul(api, { now: () => t });
  haul.onMessage({ type: "click", alt: true, shift: false }, {}, () => {});
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(haul.bypassActive(), false, "alt is not the chosen key");
  haul.onMessage({ type: "click", alt: false, shift: true }, {}, () => {});
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(haul.bypassActive(), true);
  await haul.onDownload(download({ id: 3 }));
  assert.deepEqual(api.calls.cancel, []);
  t += 60000;
  await haul.onDownload(download({ id: 4 }));
  assert.deepEqual(api.calls.cancel, [4]);
});

test("capture switched off sends nothing", async () => {
  const api = stubAPI({ native: ok, stored: { capture: false } });
  await createHaul(api).onDownload(download());
  assert.equal(api.calls.native.length, 0);
});

test("Download with Haul sends the link or the media's source with the page", async () => {
  const api = stubAPI({ native: ok });
  const haul = createHaul(api, { userAgent: "UA" });
  await haul.onMenu({ menuItemId: MENU_ONE, linkUrl: "https://example.org/a.zip", pageUrl: "https://example.org/" }, { id: 1 });
  await haul.onMenu({ menuItemId: MENU_ONE, srcUrl: "https://cdn.example/v.mp4", pageUrl: "https://example.org/watch" }, { id: 1 });
  assert.deepEqual(
    api.calls.native.map((c) => [c.msg.type, c.msg.url, c.msg.page]),
    [
      ["download", "https://example.org/a.zip", "https://example.org/"],
      ["download", "https://cdn.example/v.mp4", "https://example.org/watch"],
    ],
  );
});

test("Download with Haul refuses a non-web link and says so on the badge", async () => {
  const api = stubAPI({ native: ok });
  await createHaul(api).onMenu({ menuItemId: MENU_ONE, linkUrl: "javascript:void(0)" }, { id: 1 });
  assert.equal(api.calls.native.length, 0);
  assert.deepEqual(api.calls.badge, ["!"]);
});

test("Download all links collects the page's or the selection's links and hands them as a list", async () => {
  const api = stubAPI({
    native: ok,
    pageLinks: ["https://example.org/a", "mailto:x@example.org", "https://example.org/a", "https://example.org/b"],
    cookies: { "https://example.org/b": [{ name: "k", value: "v" }] },
  });
  const haul = createHaul(api, { userAgent: "UA" });
  await haul.onMenu({ menuItemId: MENU_ALL, frameId: 0, selectionText: "some text" }, { id: 9, url: "https://example.org/list" });
  assert.deepEqual(api.calls.scripts[0].target, { tabId: 9, frameIds: [0] });
  assert.deepEqual(api.calls.scripts[0].args, [true]);
  assert.deepEqual(api.calls.native[0].msg, {
    type: "links",
    page: "https://example.org/list",
    userAgent: "UA",
    links: [{ url: "https://example.org/a" }, { url: "https://example.org/b", cookies: [{ name: "k", value: "v" }] }],
  });
});

test("ping answers the popup with whether Haul is reachable", async () => {
  const up = stubAPI({ native: () => ({ ok: true, type: "pong", window: true, version: "0.1.0" }) });
  const answer = await new Promise((resolve) => assert.equal(createHaul(up).onMessage({ type: "ping" }, {}, resolve), true));
  assert.deepEqual(answer, { reachable: true, window: true, version: "0.1.0" });
  const down = stubAPI({ native: null });
  const none = await new Promise((resolve) => createHaul(down).onMessage({ type: "ping" }, {}, resolve));
  assert.equal(none.reachable, false);
  assert.match(none.error, /not found/);
});
