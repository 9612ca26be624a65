#!/usr/bin/env bash
# Installs Haul as a desktop app for the current user, or removes it.
#
#   scripts/install-desktop.sh            build the bundle and install it
#   scripts/install-desktop.sh --remove   uninstall
#   scripts/install-desktop.sh --bundle DIR
#                                         only build the bundle (Haul.tar.xz)
#                                         into DIR and unpack it there
#   scripts/install-desktop.sh --from DIR install the bundle --bundle made in
#                                         DIR (the tests use this)
#
# The bundle is made by `fyne package` (the fyne tool of fyne.io/tools,
# pinned below and installed into Go's cache when missing) from
# FyneApp.toml and assets/: the haul binary, the icon and the desktop
# entry, which registers Haul for text/plain, text/uri-list and text/html
# (so .txt and .html files of links) with "Exec=haul %F".
#
# Installed under ~/.local (or $XDG_DATA_HOME):
#   ~/.local/bin/haul
#   ~/.local/share/applications/io.github.hauldl.haul.desktop
#   ~/.local/share/icons/hicolor/512x512/apps/io.github.hauldl.haul.png
# The installed entry's Exec names ~/.local/bin/haul by its full path, since
# a desktop session's PATH often lacks ~/.local/bin. update-desktop-database
# and gtk-update-icon-cache run when present, so the file manager offers
# "Open with Haul" at once.
set -euo pipefail
cd "$(dirname "$0")/.."

fyne_tools_version=v1.7.4
app_id=io.github.hauldl.haul
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
bin_dir="$HOME/.local/bin"
apps_dir="$data_home/applications"
icon_dir="$data_home/icons/hicolor/512x512/apps"

log() { echo "install-desktop: $*" >&2; }

refresh_caches() {
	if command -v update-desktop-database >/dev/null 2>&1; then
		update-desktop-database -q "$apps_dir" || true
	fi
	if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data_home/icons/hicolor/index.theme" ]; then
		gtk-update-icon-cache -q -t "$data_home/icons/hicolor" || true
	fi
}

remove() {
	rm -f "$bin_dir/haul" "$apps_dir/$app_id.desktop" "$icon_dir/$app_id.png"
	refresh_caches
	log "removed Haul from $bin_dir and $data_home (your downloads and Haul's list in ~/.config/haul are kept)"
}

# bundle DIR: runs fyne package and unpacks Haul.tar.xz into DIR/Haul.
bundle() {
	local out=$1
	mkdir -p "$out"
	bash scripts/install-deps.sh
	local fyne
	fyne="$(go env GOPATH)/bin/fyne-$fyne_tools_version"
	if [ ! -x "$fyne" ]; then
		log "installing the fyne tool (fyne.io/tools $fyne_tools_version)"
		local gobin
		gobin=$(mktemp -d)
		GOBIN="$gobin" go install "fyne.io/tools/cmd/fyne@$fyne_tools_version"
		mkdir -p "$(dirname "$fyne")"
		mv "$gobin/fyne" "$fyne"
		rmdir "$gobin"
	fi
	log "building the bundle (fyne package; the first build takes a few minutes)"
	local work
	work=$(mktemp -d)
	# fyne package builds the current folder's main package into the
	# executable named --exe, then packs it with FyneApp.toml's metadata.
	"$fyne" package -os linux -name Haul -exe "$work/haul" >&2
	rm -rf "$work"
	mv Haul.tar.xz "$out/Haul.tar.xz"
	mkdir -p "$out/Haul"
	tar -xJf "$out/Haul.tar.xz" -C "$out/Haul"
}

# install [DIR]: installs the bundle unpacked in DIR/Haul, building one
# first when no DIR is given.
install() {
	local tmp=${1:-}
	if [ -z "$tmp" ]; then
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		bundle "$tmp"
	fi
	local root
	root=$(find "$tmp/Haul" -type d -name bin -path '*/usr/*' -printf '%h\n' | head -n1)
	[ -n "$root" ] || {
		log "the bundle has no usr/.../bin"
		exit 1
	}
	mkdir -p "$bin_dir" "$apps_dir" "$icon_dir"
	command install -m 0755 "$root/bin/haul" "$bin_dir/haul"
	command install -m 0644 "$root/share/pixmaps/$app_id.png" "$icon_dir/$app_id.png"
	sed -e "s|^Exec=haul |Exec=$bin_dir/haul |" "$root/share/applications/$app_id.desktop" >"$apps_dir/$app_id.desktop"
	chmod 0644 "$apps_dir/$app_id.desktop"
	refresh_caches
	log "installed: $bin_dir/haul, $apps_dir/$app_id.desktop, $icon_dir/$app_id.png"
	log "Haul is in the application menu; remove it with: scripts/install-desktop.sh --remove"
}

case "${1:-}" in
"") install ;;
--remove) remove ;;
--from)
	[ $# -eq 2 ] || {
		log "usage: $0 --from DIR"
		exit 2
	}
	install "$2"
	;;
--bundle)
	[ $# -eq 2 ] || {
		log "usage: $0 --bundle DIR"
		exit 2
	}
	bundle "$2"
	;;
*)
	log "usage: $0 [--remove | --bundle DIR]"
	exit 2
	;;
esac
