// collectLinks runs inside the page (scripting.executeScript serialises
// it, so it uses nothing from outside its body). It returns the absolute
// addresses of the page's links and media, or of those in the selection
// when selectionOnly is true.
export function collectLinks(selectionOnly) {
  const selector = "a[href], area[href], video[src], audio[src], source[src]";
  const addressOf = (el) => el.href || el.src || "";
  const out = [];
  if (!selectionOnly) {
    for (const el of document.querySelectorAll(selector)) out.push(addressOf(el));
    return out;
  }
  const sel = document.getSelection ? document.getSelection() : null;
  for (let i = 0; sel && i < sel.rangeCount; i++) {
    const range = sel.getRangeAt(i);
    let root = range.commonAncestorContainer;
    if (root && root.nodeType !== 1) root = root.parentElement;
    if (!root) continue;
    const around = root.closest ? root.closest("a[href]") : null;
    if (around) out.push(addressOf(around));
    for (const el of root.querySelectorAll(selector)) {
      if (range.intersectsNode(el)) out.push(addressOf(el));
    }
  }
  return out;
}
