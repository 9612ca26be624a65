// Package nativehost is `haul native-host`, the program a browser starts
// to talk to Haul's extension over native messaging, and `haul
// install-browser`, which registers it with the browsers.
//
// The browser writes each message as a 4-byte length in native byte
// order and then that many bytes of UTF-8 JSON, on the host's standard
// input, and reads answers framed the same way from its standard output.
// Haul opens no network port: a web page cannot reach it, and only the
// extension whose ID the host manifests name can start the host.
package nativehost

// HostName is the native-messaging host's name, as the extension calls it
// (browser/extension/lib/constants.js).
const HostName = "io.github.hauldl.haul"

// ExtensionID is the Chromium-family ID of Haul's extension, fixed by the
// public key in browser/extension/manifest.json (a test recomputes it).
const ExtensionID = "npnjpkbkggmoenplacecjhalcldhpiom"

// GeckoID is the extension's ID in Firefox (browser_specific_settings).
const GeckoID = "haul@hauldl.github.io"

// ChromeOrigin is the origin Chromium-family browsers allow to start the host.
const ChromeOrigin = "chrome-extension://" + ExtensionID + "/"
