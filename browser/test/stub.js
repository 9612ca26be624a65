// A stand-in for the WebExtension API: enough of runtime, storage,
// cookies, downloads, contextMenus and scripting for lib/haul.js, with a
// record of every call.
export function stubAPI({ native, cookies = {}, stored = {}, pageLinks = [] } = {}) {
  const calls = { native: [], cancel: [], erase: [], menus: [], scripts: [], badge: [] };
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
        calls.badge.push(b.text);
      },
      setTitle() {},
    },
  };
  return api;
}
