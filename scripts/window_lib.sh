#!/usr/bin/env bash
# window_lib.sh: the set-up scale.sh and drop-latency.sh share, sourced
# after they set N and ACTIVE and `set -euo pipefail`. It makes $tmp
# (removed on exit, with every process in $pids), builds haul and
# haul-testserver there, serves N small throttled files and writes their
# links to $tmp/links.txt, writes a throwaway $home whose settings run
# ACTIVE downloads at once, and starts Xvfb on $disp.
#
# Files of 16 KiB sent at 1 KiB/s: each runs ~16 s, so the active ones
# stay active while the queue drains for hours. Haul opens at most 8
# connections to one host, so the files are spread over HOSTS loopback
# addresses (127.0.0.1, 127.0.0.2, ...): 7 hosts let 50 transfer at once.
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/haul" . && go build -o "$tmp/haul-testserver" ./engine/testserver/cmd/haul-testserver

HOSTS=${HOSTS:-7}
for h in $(seq "$HOSTS"); do
	"$tmp/haul-testserver" -addr "127.0.0.$h:0" -files $(((N + HOSTS - 1) / HOSTS)) -images 0 -size 16K -throttle 1K >"$tmp/urls.$h" 2>"$tmp/srv.$h.err" &
	pids+=($!)
done
for h in $(seq "$HOSTS"); do
	for _ in $(seq 100); do [ "$(wc -l <"$tmp/urls.$h")" -ge $((N / HOSTS)) ] && break; sleep 0.2; done
done
# Interleave the hosts, so that the first downloads of the queue use them all.
paste -d '\n' "$tmp"/urls.* | grep . | head -n "$N" >"$tmp/links.txt"

home="$tmp/home"
mkdir -p "$home/.config/fyne/io.github.hauldl.haul"
printf '{"max_active":%d}\n' "$ACTIVE" >"$home/.config/fyne/io.github.hauldl.haul/preferences.json"
disp=:$((200 + RANDOM % 500))
Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 1
