#!/usr/bin/env bash
# Installs, when missing, the system packages needed to build Haul's window
# (Fyne needs a C compiler and the OpenGL and X11 headers). Debian/Ubuntu
# only; elsewhere it says what to install.
set -euo pipefail

missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	if [ "$(uname -s)" = Linux ]; then
		echo "install-deps: not a Debian-like system; install a C compiler and the OpenGL and X11 development headers" >&2
		echo "install-deps: (Fedora: gcc libXcursor-devel libXrandr-devel mesa-libGL-devel libXi-devel libXinerama-devel libXxf86vm-devel)" >&2
	fi
	exit 0
fi

for pkg in libgl1-mesa-dev xorg-dev; do
	dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
