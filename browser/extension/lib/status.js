// statusText words the popup's answer from the background's ping:
// {reachable, window, error}.
export function statusText(answer) {
  if (!answer) return { ok: false, text: "Checking whether Haul can be reached…" };
  if (answer.reachable) {
    return {
      ok: true,
      text: answer.window ? "Haul is reachable and its window is open." : "Haul is reachable; its window opens when a download arrives.",
    };
  }
  const why = String(answer.error ?? "");
  if (/not found|not registered|no such native application|specified native messaging host/i.test(why)) {
    return { ok: false, text: "Haul is not installed for this browser: run 'haul install-browser', then restart the browser. Downloads stay in the browser." };
  }
  return { ok: false, text: `Haul cannot be reached (${why || "no answer"}). Downloads stay in the browser.` };
}
