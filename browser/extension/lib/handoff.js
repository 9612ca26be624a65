// The messages the extension sends to `haul native-host`. Haul checks
// every field again; these helpers keep what is sent small and sane.
import { MAX_FIELD, MAX_LINKS } from "./constants.js";

// isWebURL reports whether s is an absolute http or https URL.
export function isWebURL(s) {
  if (typeof s !== "string" || s.length > MAX_FIELD) return false;
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

// pageOf returns the page URL to send as Referer, or "" when it is not a
// web page (a file:, about: or extension page is never sent).
export function pageOf(url) {
  if (!isWebURL(url)) return "";
  const u = new URL(url);
  u.hash = "";
  u.username = "";
  u.password = "";
  return u.href;
}

// baseName returns the last segment of a path the browser suggests as
// file name ("/home/me/Downloads/a.iso" -> "a.iso").
export function baseName(path) {
  const name = String(path ?? "").split(/[\\/]/).pop() ?? "";
  return name.length > 255 ? "" : name;
}

// cookiePairs keeps only the name and value of cookies.getAll's answer,
// dropping any with a character Haul would refuse in a Cookie header.
export function cookiePairs(cookies) {
  const out = [];
  for (const c of cookies ?? []) {
    if (typeof c?.name !== "string" || typeof c?.value !== "string") continue;
    if (/[\r\n\0;]/.test(c.name + c.value) || c.name.includes("=")) continue;
    out.push({ name: c.name, value: c.value });
  }
  return out;
}

// cookiesFor returns the cookies the browser would send to url.
export async function cookiesFor(api, url) {
  try {
    return cookiePairs(await api.cookies.getAll({ url }));
  } catch {
    return [];
  }
}

// downloadMessage is one link to download at once.
export function downloadMessage({ url, page, userAgent, filename, cookies }) {
  const msg = { type: "download", url };
  const referer = pageOf(page);
  if (referer) msg.page = referer;
  if (userAgent) msg.userAgent = String(userAgent).slice(0, MAX_FIELD);
  const name = baseName(filename);
  if (name) msg.filename = name;
  if (cookies?.length) msg.cookies = cookies;
  return msg;
}

// webLinks keeps the http(s) links of urls, once each and in order, up
// to max; dropped counts the rest of the web links.
export function webLinks(urls, max = MAX_LINKS) {
  const seen = new Set();
  const links = [];
  let dropped = 0;
  for (const raw of urls ?? []) {
    if (!isWebURL(raw)) continue;
    const u = new URL(raw);
    u.hash = "";
    const href = u.href;
    if (seen.has(href)) continue;
    seen.add(href);
    if (links.length < max) links.push(href);
    else dropped++;
  }
  return { links, dropped };
}

// linksMessage is a list of links for Haul's Add dialog; each link
// carries its own cookies.
export function linksMessage({ page, userAgent, links }) {
  const msg = { type: "links", links: links.map(({ url, cookies }) => (cookies?.length ? { url, cookies } : { url })) };
  const referer = pageOf(page);
  if (referer) msg.page = referer;
  if (userAgent) msg.userAgent = String(userAgent).slice(0, MAX_FIELD);
  return msg;
}
