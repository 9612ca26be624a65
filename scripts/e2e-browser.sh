#!/usr/bin/env bash
# The end-to-end tests of the browser extension: Chromium (headless) with
# the unpacked extension hands a download, and a stream a page plays with
# hls.js (its popup entry, through the DevTools protocol), to a real haul,
# whose window runs under Xvfb. Installs chromium and xvfb with apt-get
# when missing; the test skips, saying so, only where they cannot be
# installed. HAUL_E2E_POPUP_PNG=FILE saves the popup with the stream as
# a PNG (docs/browser-streams.png is made so), HAUL_E2E_WINDOW_PNG=FILE
# the screen with Haul's window once the stream is in.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
	if command -v apt-get >/dev/null 2>&1; then
		sudo=()
		[ "$(id -u)" -ne 0 ] && sudo=(sudo)
		echo "e2e-browser: installing ${missing[*]}" >&2
		if ! { "${sudo[@]}" apt-get update && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }; then
			echo "e2e-browser: could not install ${missing[*]}; the test will skip" >&2
		fi
	else
		echo "e2e-browser: no apt-get to install ${missing[*]}; the test will skip" >&2
	fi
fi
go vet -tags e2e ./browser/e2e
go test -tags e2e -count=1 -v -run TestBrowser ./browser/e2e
