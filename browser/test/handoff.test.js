import { test } from "node:test";
import assert from "node:assert/strict";
import { baseName, cookiePairs, downloadMessage, isWebURL, linksMessage, pageOf, webLinks } from "../extension/lib/handoff.js";
import { MAX_LINKS } from "../extension/lib/constants.js";

test("isWebURL takes http and https only", () => {
  assert.equal(isWebURL("https://example.org/a"), true);
  assert.equal(isWebURL("http://127.0.0.1:8080/a"), true);
  for (const bad of ["ftp://example.org/a", "file:///etc/passwd", "javascript:alert(1)", "blob:https://x/1", "/relative", "", null, 3]) {
    assert.equal(isWebURL(bad), false, String(bad));
  }
});

test("pageOf drops fragments and credentials and refuses non-web pages", () => {
  assert.equal(pageOf("https://u:p@example.org/a?b=1#frag"), "https://example.org/a?b=1");
  assert.equal(pageOf("chrome://newtab/"), "");
  assert.equal(pageOf(undefined), "");
});

test("baseName keeps the last segment of the suggested path", () => {
  assert.equal(baseName("/home/me/Downloads/a b.iso"), "a b.iso");
  assert.equal(baseName(""), "");
  assert.equal(baseName("x".repeat(300)), "");
});

test("cookiePairs keeps name and value and drops what would break a header", () => {
  const got = cookiePairs([
    { name: "sid", value: "abc", domain: "example.org", httpOnly: true },
    { name: "evil", value: "a\r\nSet-Cookie: x" },
    { name: "semi", value: "a;b" },
    { name: 5, value: "x" },
  ]);
  assert.deepEqual(got, [{ name: "sid", value: "abc" }]);
});

test("downloadMessage carries URL, page, User-Agent, name and cookies", () => {
  const msg = downloadMessage({
    url: "https://example.org/a.iso",
    page: "https://example.org/downloads#top",
    userAgent: "Mozilla/5.0 Test",
    filename: "/home/me/Downloads/a.iso",
    cookies: [{ name: "sid", value: "1" }],
  });
  assert.deepEqual(msg, {
    type: "download",
    url: "https://example.org/a.iso",
    page: "https://example.org/downloads",
    userAgent: "Mozilla/5.0 Test",
    filename: "a.iso",
    cookies: [{ name: "sid", value: "1" }],
  });
  assert.deepEqual(downloadMessage({ url: "https://example.org/a", page: "about:blank" }), { type: "download", url: "https://example.org/a" });
});

test("webLinks keeps web links once each, in order, up to the limit", () => {
  const { links, dropped } = webLinks(["https://a.example/1#x", "mailto:me@example.org", "https://a.example/1", "http://b.example/2", "https://c.example/3"], 2);
  assert.deepEqual(links, ["https://a.example/1", "http://b.example/2"]);
  assert.equal(dropped, 1);
  const many = Array.from({ length: MAX_LINKS + 5 }, (_, i) => `https://example.org/${i}`);
  assert.equal(webLinks(many).links.length, MAX_LINKS);
});

test("linksMessage gives each link its own cookies", () => {
  const msg = linksMessage({
    page: "https://example.org/list",
    userAgent: "UA",
    links: [
      { url: "https://example.org/a", cookies: [{ name: "s", value: "1" }] },
      { url: "https://other.example/b", cookies: [] },
    ],
  });
  assert.deepEqual(msg, {
    type: "links",
    page: "https://example.org/list",
    userAgent: "UA",
    links: [{ url: "https://example.org/a", cookies: [{ name: "s", value: "1" }] }, { url: "https://other.example/b" }],
  });
});
