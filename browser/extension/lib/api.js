// The WebExtension API object: Firefox's promise-based `browser`, or
// Chromium's `chrome` (promise-based too in Manifest V3).
export const api = globalThis.browser ?? globalThis.chrome;
