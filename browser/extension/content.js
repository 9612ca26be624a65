// Tells the background which modifier keys were held at a click, so a
// download that click starts can be left to the browser. Nothing else
// about the page is read or sent.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const note = (e) => {
    if (!(e.altKey || e.shiftKey || e.ctrlKey || e.metaKey)) return;
    try {
      const sent = api.runtime.sendMessage({ type: "click", alt: e.altKey, shift: e.shiftKey, ctrl: e.ctrlKey, meta: e.metaKey });
      sent?.catch?.(() => {});
    } catch {
      // the extension was reloaded: nothing to tell
    }
  };
  addEventListener("click", note, true);
  addEventListener("auxclick", note, true);
})();
