import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, extensionOf } from "../extension/lib/capture.js";
import { DEFAULTS, normalize, parseTypes } from "../extension/lib/settings.js";

const item = (over = {}) => ({ id: 1, url: "https://example.org/files/a.iso", filename: "", state: "in_progress", totalBytes: 1000, ...over });

test("extensionOf reads the last segment of names and URLs", () => {
  assert.equal(extensionOf("/home/me/Downloads/a.TAR.GZ"), "gz");
  assert.equal(extensionOf("https://example.org/x/setup.exe?v=2#top"), "exe");
  assert.equal(extensionOf("https://example.org/download"), "");
  assert.equal(extensionOf(".bashrc"), "");
  assert.equal(extensionOf("C:\\Users\\me\\b.zip"), "zip");
});

test("parseTypes accepts dots, commas and any case, and drops junk", () => {
  assert.deepEqual([...parseTypes(" .ZIP, iso;*.mp4  ../etc bad/one")], ["zip", "iso", "mp4"]);
});

test("normalize fills defaults and refuses wrong types", () => {
  assert.deepEqual(normalize(undefined), { ...DEFAULTS });
  const s = normalize({ capture: "yes", minSizeMB: -3, modifier: "hyper", types: "zip" });
  assert.equal(s.capture, true);
  assert.equal(s.minSizeMB, DEFAULTS.minSizeMB);
  assert.equal(s.modifier, "alt");
  assert.equal(s.types, "zip");
});

test("a chosen type is captured by default", () => {
  assert.equal(decide(item(), normalize({})).capture, true);
});

test("the type comes from the suggested name before the URL", () => {
  const s = normalize({ types: "pdf", minSizeMB: 0 });
  assert.equal(decide(item({ url: "https://example.org/get?id=3", filename: "/tmp/report.pdf" }), s).capture, true);
  assert.equal(decide(item({ url: "https://example.org/get?id=3", filename: "/tmp/report.txt" }), s).capture, false);
});

test("a large file of another type is captured; a small one is not", () => {
  const s = normalize({ types: "zip", minSizeMB: 20 });
  assert.equal(decide(item({ url: "https://example.org/a.txt", totalBytes: 25e6 }), s).capture, true);
  assert.equal(decide(item({ url: "https://example.org/a.txt", totalBytes: 19e6 }), s).capture, false);
  assert.equal(decide(item({ url: "https://example.org/a.txt", totalBytes: 0 }), s).capture, false);
});

test("capture off, skip once, the modifier, non-web URLs and extensions' own downloads stay in the browser", () => {
  assert.equal(decide(item(), normalize({ capture: false })).capture, false);
  assert.equal(decide(item(), normalize({ skipOnce: true })).capture, false);
  assert.equal(decide(item(), normalize({}), true).capture, false);
  assert.equal(decide(item({ url: "blob:https://example.org/1234", finalUrl: "" }), normalize({})).capture, false);
  assert.equal(decide(item({ url: "data:application/zip;base64,AAAA" }), normalize({})).capture, false);
  assert.equal(decide(item({ byExtensionId: "abc" }), normalize({})).capture, false);
  assert.equal(decide(item({ state: "complete" }), normalize({})).capture, false);
});

test("the final URL after redirects decides", () => {
  const s = normalize({ types: "iso", minSizeMB: 0 });
  assert.equal(decide(item({ url: "https://example.org/go", finalUrl: "https://mirror.example.net/a.iso" }), s).capture, true);
});
