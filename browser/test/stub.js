// A stand-in for the WebExtension API: enough of runtime, storage,
// cookies, downloads, contextMenus and scripting for lib/haul.js, with a
// record of every call.
// session is storage.session's content, shared by the stubs given the
// same object (as a restarted service worker finds it).
export function stubAPI({ native, cookies = {}, stored = {}, pageLinks = [], session = {}, tabs = {} } = {}) {
  const calls = { native: [], cancel: [], erase: [], menus: [], scripts: [], badge: [], tabBadge: [] };
  const store = { ...stored };
  const api = {
    calls,
    store,
    runtime: {
      async sendNativeMessage(host, msg) {
        calls.native.push({ host, msg: structuredClone(msg) });
        if (!native) throw new Error("Specified native messaging host not found.");
        return native(msg);
      },
      getURL(path) {
        return `chrome-extension://haul-test/${path}`;
      },
    },
    session,
    tabs: {
      async get(id) {
        if (!(id in tabs)) throw new Error(`No tab with id: ${id}.`);
        return tabs[id];
      },
    },
    storage: {
      local: {
        async get(keys) {
          const out = {};
          for (const k of keys) if (k in store) out[k] = store[k];
          return out;
        },
        async set(change) {
          Object.assign(store, change);
        },
      },
      session: {
        async get(key) {
          return key in session ? { [key]: structuredClone(session[key]) } : {};
        },
        async set(change) {
          for (const [k, v] of Object.entries(change)) session[k] = structuredClone(v);
        },
        async remove(key) {
          delete session[key];
        },
      },
    },
    cookies: {
      async getAll({ url }) {
        return cookies[url] ?? [];
      },
    },
    downloads: {
      async cancel(id) {
        calls.cancel.push(id);
      },
      async erase(q) {
        calls.erase.push(q.id);
      },
    },
    contextMenus: {
      removeAll() {
        calls.menus.length = 0;
      },
      create(item) {
        calls.menus.push(item);
      },
    },
    scripting: {
      async executeScript(opts) {
        calls.scripts.push(opts);
        return [{ result: pageLinks }];
      },
    },
    action: {
      setBadgeText(b) {
        if (b.tabId === undefined) calls.badge.push(b.text);
        else calls.tabBadge.push({ tabId: b.tabId, text: b.text });
      },
      setBadgeBackgroundColor() {},
      setTitle() {},
    },
  };
  return api;
}
