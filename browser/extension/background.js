// The extension's background: a service worker in Chromium, an event
// page in Firefox (the manifest names this file for both). All logic is
// in lib/haul.js.
import { api } from "./lib/api.js";
import { createHaul } from "./lib/haul.js";
import { WATCHED_TYPES } from "./lib/streams.js";

const haul = createHaul(api, { userAgent: navigator.userAgent });

api.runtime.onInstalled.addListener(() => haul.createMenus());
api.contextMenus.onClicked.addListener((info, tab) => haul.onMenu(info, tab));
api.downloads.onCreated.addListener((item) => haul.onDownload(item));
api.runtime.onMessage.addListener((msg, sender, sendResponse) => haul.onMessage(msg, sender, sendResponse));

// Streams: webRequest only observes (no blocking) what a page loads
// itself, never its navigations, and notes it per tab.
api.webRequest.onResponseStarted.addListener((d) => haul.watch.onResponse(d), { urls: ["<all_urls>"], types: WATCHED_TYPES }, ["responseHeaders"]);
api.webNavigation.onCommitted.addListener((d) => haul.watch.onCommitted(d));
api.tabs.onRemoved.addListener((tabId) => haul.watch.onRemoved(tabId));
