#!/usr/bin/env bash
# Checks the desktop bundle: builds it with `fyne package` (through
# scripts/install-desktop.sh --bundle), checks its layout and its desktop
# entry (desktop-file-validate, from desktop-file-utils, installed with
# apt-get when missing), then installs it into a throwaway HOME, validates
# the installed entry, removes it again and checks that nothing is left.
# Part of scripts/test.sh. One non-race build of Haul: a few minutes cold,
# seconds from the cache.
set -euo pipefail
cd "$(dirname "$0")/.."

app_id=io.github.hauldl.haul
fail() {
	echo "test-desktop: FAIL: $*" >&2
	exit 1
}

if ! command -v desktop-file-validate >/dev/null 2>&1; then
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	echo "test-desktop: installing desktop-file-utils" >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends desktop-file-utils
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/haul-desktop.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- the bundle --------------------------------------------------------
bash scripts/install-desktop.sh --bundle "$tmp/bundle"
[ -f "$tmp/bundle/Haul.tar.xz" ] || fail "fyne package made no Haul.tar.xz"
root=$(find "$tmp/bundle/Haul" -type d -name bin -path '*/usr/*' -printf '%h\n' | head -n1)
[ -n "$root" ] || fail "the bundle has no usr/…/bin"
for f in bin/haul "share/applications/$app_id.desktop" "share/pixmaps/$app_id.png"; do
	[ -f "$root/$f" ] || fail "the bundle lacks $f: $(cd "$tmp/bundle/Haul" && find . -type f)"
done
[ -x "$root/bin/haul" ] || fail "bin/haul is not executable"
"$root/bin/haul" version | grep -q '^haul ' || fail "the bundled binary does not run"
entry="$root/share/applications/$app_id.desktop"
desktop-file-validate "$entry" || fail "desktop-file-validate refused the bundle's entry:
$(cat "$entry")"
grep -qx 'Exec=haul %F' "$entry" || fail "Exec is not 'haul %F': $(grep ^Exec "$entry")"
grep -qx 'MimeType=text/plain;text/uri-list;text/html;' "$entry" || fail "MimeType is wrong: $(grep ^MimeType "$entry" || echo none)"
grep -qx 'Name=Haul' "$entry" || fail "Name is not Haul"
grep -qx "Icon=$app_id" "$entry" || fail "Icon is not $app_id"
grep -q '^Categories=.*Network;' "$entry" || fail "no Network category"

# --- install and remove for a user -------------------------------------
home="$tmp/home"
mkdir -p "$home"
HOME="$home" XDG_DATA_HOME= bash scripts/install-desktop.sh --from "$tmp/bundle"
installed="$home/.local/share/applications/$app_id.desktop"
for f in "$home/.local/bin/haul" "$installed" "$home/.local/share/icons/hicolor/512x512/apps/$app_id.png"; do
	[ -f "$f" ] || fail "install left no $f"
done
desktop-file-validate "$installed" || fail "desktop-file-validate refused the installed entry"
grep -qx "Exec=$home/.local/bin/haul %F" "$installed" || fail "installed Exec: $(grep ^Exec "$installed")"
if command -v update-desktop-database >/dev/null 2>&1; then
	grep -q "text/uri-list=.*$app_id.desktop" "$home/.local/share/applications/mimeinfo.cache" ||
		fail "update-desktop-database did not register Haul for text/uri-list"
fi
HOME="$home" XDG_DATA_HOME= bash scripts/install-desktop.sh --remove
left=$(find "$home" -type f \( -name haul -o -name "$app_id*" \))
[ -z "$left" ] || fail "--remove left: $left"
echo "test-desktop: ok (bundle, entry validated, install and remove under a throwaway HOME)"
