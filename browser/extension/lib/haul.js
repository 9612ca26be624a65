// The extension's behaviour, over an injected WebExtension API object so
// tests can stub it: the context menu, capture of browser downloads and
// the messages the popup and the content script send.
import { BYPASS_MS, HOST_NAME, MAX_LINKS } from "./constants.js";
import { decide } from "./capture.js";
import { collectLinks } from "./collect.js";
import { cookiesFor, downloadMessage, isWebURL, linksMessage, webLinks } from "./handoff.js";
import { load, save } from "./settings.js";
import { createWatch } from "./watch.js";

// Menu item IDs.
export const MENU_ONE = "haul-download";
export const MENU_ALL = "haul-download-all";

// createHaul returns the handlers background.js registers. userAgent is
// the browser's; now returns milliseconds (Date.now in the browser).
export function createHaul(api, { userAgent = "", now = () => Date.now() } = {}) {
  let bypassUntil = 0;

  // send hands msg to `haul native-host`; it resolves to Haul's answer
  // and rejects when Haul cannot be reached or refuses the message.
  async function send(msg) {
    const reply = await api.runtime.sendNativeMessage(HOST_NAME, msg);
    if (!reply || reply.ok !== true) {
      const err = new Error(reply?.error || "Haul gave no answer");
      err.reply = reply;
      throw err;
    }
    return reply;
  }

  const watch = createWatch(api, { send, userAgent });

  async function createMenus() {
    await api.contextMenus.removeAll?.();
    api.contextMenus.create({ id: MENU_ONE, title: "Download with Haul", contexts: ["link", "image", "video", "audio"] });
    api.contextMenus.create({ id: MENU_ALL, title: "Download all links with Haul", contexts: ["page", "selection"] });
  }

  // downloadOne hands one address over with the cookies for it.
  async function downloadOne(url, page, filename) {
    const cookies = await cookiesFor(api, url);
    return send(downloadMessage({ url, page, userAgent, filename, cookies }));
  }

  // downloadAll collects the links of a tab's page (or of its selection)
  // and hands them over for the Add dialog.
  async function downloadAll(tab, frameId, selectionOnly) {
    const results = await api.scripting.executeScript({
      target: { tabId: tab.id, frameIds: [frameId ?? 0] },
      func: collectLinks,
      args: [selectionOnly],
    });
    const found = results?.[0]?.result ?? [];
    const { links } = webLinks(found, MAX_LINKS);
    if (links.length === 0) throw new Error("no web links found");
    const withCookies = [];
    for (const url of links) withCookies.push({ url, cookies: await cookiesFor(api, url) });
    return send(linksMessage({ page: tab.url, userAgent, links: withCookies }));
  }

  async function onMenu(info, tab) {
    try {
      if (info.menuItemId === MENU_ONE) {
        const url = info.linkUrl || info.srcUrl;
        if (!isWebURL(url)) throw new Error("not an http or https link");
        await downloadOne(url, info.frameUrl || info.pageUrl || tab?.url);
      } else if (info.menuItemId === MENU_ALL) {
        await downloadAll(tab, info.frameId, Boolean(info.selectionText));
      }
    } catch (err) {
      notify(`Haul: ${err.message}`);
    }
  }

  // onDownload captures a download the browser started, when the
  // settings ask for it. The browser's download is cancelled only after
  // Haul has taken it, so nothing is lost when Haul cannot be reached.
  async function onDownload(item) {
    const settings = await load(api.storage);
    const verdict = decide(item, settings, now() < bypassUntil);
    if (settings.skipOnce && item?.state === "in_progress") await save(api.storage, { skipOnce: false });
    if (!verdict.capture) return verdict;
    const url = item.finalUrl || item.url;
    try {
      await downloadOne(url, item.referrer, item.filename);
    } catch (err) {
      return { capture: false, reason: `Haul could not be reached: ${err.message}` };
    }
    try {
      await api.downloads.cancel(item.id);
      await api.downloads.erase({ id: item.id });
    } catch {
      // already finished or gone: Haul has it anyway
    }
    return verdict;
  }

  // onMessage answers the popup ({type:"ping"}, {type:"streams", tabId},
  // {type:"stream-download", tabId, id}) and notes clicks with the
  // bypass modifier from the content script ({type:"click", ...keys}).
  function onMessage(msg, sender, sendResponse) {
    if ((msg?.type === "streams" || msg?.type === "stream-download") && fromExtension(sender)) {
      const tabId = Number(msg.tabId);
      let work;
      if (!Number.isInteger(tabId)) work = Promise.reject(new Error("no tab named"));
      else if (msg.type === "streams") work = watch.list(tabId);
      else work = watch.download(tabId, String(msg.id)).then(() => ({ ok: true }));
      work.then(sendResponse, (err) => sendResponse({ ok: false, error: err.message }));
      return true; // answers later
    }
    if (msg?.type === "click") {
      load(api.storage).then((s) => {
        if (s.modifier !== "none" && msg[s.modifier] === true) bypassUntil = now() + BYPASS_MS;
      });
      return false;
    }
    if (msg?.type === "ping") {
      send({ type: "ping" }).then(
        (reply) => sendResponse({ reachable: true, window: reply.window === true, version: reply.version ?? "" }),
        (err) => sendResponse({ reachable: false, error: err.message }),
      );
      return true; // answers later
    }
    return false;
  }

  // fromExtension reports whether a message comes from the extension's
  // own pages (the popup), not from a content script in a web page.
  function fromExtension(sender) {
    const own = api.runtime.getURL?.("") ?? "";
    return own !== "" && typeof sender?.url === "string" && sender.url.startsWith(own);
  }

  // notify tells the user something went wrong, on the action's badge.
  function notify(text) {
    api.action?.setBadgeText?.({ text: "!" });
    api.action?.setTitle?.({ title: text });
  }

  return { createMenus, onMenu, onDownload, onMessage, send, watch, bypassActive: () => now() < bypassUntil };
}
