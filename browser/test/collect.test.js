import { test } from "node:test";
import assert from "node:assert/strict";
import { collectLinks } from "../extension/lib/collect.js";
import { statusText } from "../extension/lib/status.js";

// A tiny document: elements with href/src; a selection over some of them.
function fakeDocument(elements, selected) {
  const root = {
    nodeType: 1,
    closest: () => null,
    querySelectorAll: () => elements,
  };
  const range = { commonAncestorContainer: { nodeType: 3, parentElement: root }, intersectsNode: (el) => selected.includes(el) };
  return {
    querySelectorAll: () => elements,
    getSelection: () => ({ rangeCount: selected.length ? 1 : 0, getRangeAt: () => range }),
  };
}

test("collectLinks takes every link and media source of the page", () => {
  const a = { href: "https://example.org/a" };
  const v = { src: "https://example.org/v.mp4" };
  globalThis.document = fakeDocument([a, v], []);
  try {
    assert.deepEqual(collectLinks(false), ["https://example.org/a", "https://example.org/v.mp4"]);
    assert.deepEqual(collectLinks(true), []);
  } finally {
    delete globalThis.document;
  }
});

test("collectLinks with a selection takes only the selected links", () => {
  const a = { href: "https://example.org/a" };
  const b = { href: "https://example.org/b" };
  globalThis.document = fakeDocument([a, b], [b]);
  try {
    assert.deepEqual(collectLinks(true), ["https://example.org/b"]);
  } finally {
    delete globalThis.document;
  }
});

test("collectLinks is self-contained, as executeScript needs", () => {
  const body = collectLinks.toString();
  assert.doesNotMatch(body, /\bimport\b|\bapi\./);
});

test("statusText tells reachable, not installed and unreachable apart", () => {
  assert.equal(statusText({ reachable: true, window: true }).ok, true);
  assert.match(statusText({ reachable: true, window: false }).text, /opens when a download arrives/);
  const missing = statusText({ reachable: false, error: "Specified native messaging host not found." });
  assert.equal(missing.ok, false);
  assert.match(missing.text, /haul install-browser/);
  assert.match(statusText({ reachable: false, error: "Native host has exited." }).text, /cannot be reached \(Native host has exited\.\)/);
});
