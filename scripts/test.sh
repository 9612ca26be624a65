#!/usr/bin/env bash
# Runs every check: installs the system packages the build needs when
# missing (the build libraries, dbus-daemon, ffmpeg), then go vet, gofmt,
# the extension's node tests, all Go tests with the race detector, the
# browser end to end (scripts/e2e-browser.sh), the desktop bundle's checks
# (scripts/test-desktop.sh), and a short run of each fuzz target (FUZZTIME,
# default 100000x each: executions).
set -euo pipefail
cd "$(dirname "$0")/.."
# A count, not a duration: Go 1.26's fuzz coordinator can report a spurious
# "context deadline exceeded" when a -fuzztime duration ends mid-run under
# CPU load (go.dev/issue/75804, fixed in Go 1.27); a count has no deadline.
fuzztime="${FUZZTIME:-100000x}"

# A fresh machine needs the C libraries Fyne builds against.
bash scripts/install-deps.sh

# install_missing CMD PKG: installs Debian package PKG when CMD is missing
# (best effort: the tests that need CMD skip, and say so, without it).
apt_updated=0
install_missing() {
	command -v "$1" >/dev/null 2>&1 && return 0
	command -v apt-get >/dev/null 2>&1 || return 0
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	echo "test: installing $2 (for $1)" >&2
	if [ "$apt_updated" = 0 ]; then
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq || true
		apt_updated=1
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$2" ||
		echo "test: could not install $2; the tests that need $1 will say they skipped" >&2
}

# The tray and notification tests run a private dbus-daemon (Debian 12 and
# later; before, the dbus package held it).
if apt-cache show dbus-daemon >/dev/null 2>&1; then
	install_missing dbus-daemon dbus-daemon
else
	install_missing dbus-daemon dbus
fi
# The HLS tests mux a stream's separate audio with ffmpeg and check with
# ffprobe that the saved videos decode with their duration.
install_missing ffprobe ffmpeg
# The remote-box tests drive Debian's real aria2c over its JSON-RPC.
install_missing aria2c aria2
# Placing files on a folder without hard links is tested on a real vfat
# image (mounted through a loop device, or FUSE where the kernel lacks vfat).
install_missing mkfs.vfat dosfstools
install_missing fusefat fusefat

echo "== go vet ./..."
go vet ./...

echo "== gofmt"
unformatted=$(find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
	echo "these files need gofmt -w:" >&2
	echo "$unformatted" >&2
	exit 1
fi

echo "== node --test browser/test (the browser extension's logic)"
if command -v node >/dev/null 2>&1; then
	(cd browser && node --test test/*.test.js)
else
	echo "SKIPPED: node is not installed, so the extension's tests did not run (apt-get install nodejs)" >&2
fi

echo "== go test -race -count=1 ./..."
go test -race -count=1 ./...

echo "== the browser extension end to end (Chromium headless, haul under Xvfb)"
bash scripts/e2e-browser.sh

echo "== desktop bundle (fyne package, desktop-file-validate, install and remove)"
bash scripts/test-desktop.sh

echo "== fuzz targets ($fuzztime each)"
fuzzed=0
while IFS= read -r file; do
	dir=$(dirname "$file")
	while IFS= read -r target; do
		echo "-- $target in $dir"
		go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./${dir#./}"
		fuzzed=$((fuzzed + 1))
	done < <(grep -oE '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //')
done < <(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . | grep -v '/testdata/' | sort)
echo "fuzzed $fuzzed targets"
