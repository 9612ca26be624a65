import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const ext = join(dirname(fileURLToPath(import.meta.url)), "..", "extension");
const manifest = JSON.parse(readFileSync(join(ext, "manifest.json"), "utf8"));

// chromiumID computes an extension's ID from its manifest key, the way
// Chromium does: the first 128 bits of SHA-256 of the public key, each
// hex digit mapped to a letter a-p.
function chromiumID(key) {
  const hex = createHash("sha256").update(Buffer.from(key, "base64")).digest("hex").slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

test("the manifest is Manifest V3 with a background for Chromium and Firefox", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, "background.js");
  assert.deepEqual(manifest.background.scripts, ["background.js"]);
  assert.equal(manifest.background.type, "module");
  assert.match(manifest.browser_specific_settings.gecko.id, /^[^@\s]+@[^@\s]+$/);
});

test("the key gives the ID the Go side pins", () => {
  const goIDs = readFileSync(join(ext, "..", "..", "nativehost", "ids.go"), "utf8");
  const id = chromiumID(manifest.key);
  assert.match(goIDs, new RegExp(`ExtensionID = "${id}"`));
  assert.match(goIDs, new RegExp(`GeckoID = "${manifest.browser_specific_settings.gecko.id.replace(/[.]/g, "\\.")}"`));
});

test("every file the manifest names exists", () => {
  const files = [
    manifest.background.service_worker,
    manifest.action.default_popup,
    ...Object.values(manifest.icons),
    ...Object.values(manifest.action.default_icon),
    ...manifest.content_scripts.flatMap((c) => c.js),
  ];
  for (const f of files) assert.ok(existsSync(join(ext, f)), f);
});

test("the permissions are those the extension uses", () => {
  assert.deepEqual(
    [...manifest.permissions].sort(),
    ["activeTab", "contextMenus", "cookies", "downloads", "nativeMessaging", "scripting", "storage", "webNavigation", "webRequest"],
  );
});
