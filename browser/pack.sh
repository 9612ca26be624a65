#!/usr/bin/env bash
# Packs the extension as a .zip for the browsers' stores (Chrome Web
# Store, Microsoft Edge Add-ons, addons.mozilla.org): the files of
# browser/extension/ as they are, manifest.json at the root. No build
# step; the unpacked folder loads as it is.
#   browser/pack.sh [OUT.zip]     (default: dist/haul-extension-VERSION.zip)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ext="$here/extension"
version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ext/manifest.json" | head -1)
out="${1:-$here/../dist/haul-extension-$version.zip}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out"
command -v zip >/dev/null 2>&1 || { echo "pack.sh: needs zip (apt-get install zip)" >&2; exit 1; }
(cd "$ext" && zip -q -X -r "$out" . -x '.*')
echo "$out"
