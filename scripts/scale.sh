#!/usr/bin/env bash
# scale.sh: the window at scale. Starts haul-testserver with 10,000 small
# throttled files, then Haul in a real window under Xvfb, in a throwaway
# HOME, with 50 downloads at once and the 10,000 links given on the command
# line. After a warm-up it samples the whole Haul process: CPU (% of one
# core, from /proc/PID/stat) and resident memory (VmRSS, and the peak
# VmHWM), and prints them with the number of rows and active downloads.
#
#   ./scripts/scale.sh            # 10,000 links, 50 at once, 30 s sample
#   N=2000 ACTIVE=20 SECS=20 ./scripts/scale.sh
set -euo pipefail
cd "${REPO:-$(dirname "$0")/..}"
N=${N:-10000} ACTIVE=${ACTIVE:-50} SECS=${SECS:-30} WARM=${WARM:-20}
command -v Xvfb >/dev/null || { sudo apt-get update -qq && sudo apt-get install -y -qq xvfb; }
# shellcheck source=scripts/window_lib.sh
source scripts/window_lib.sh
HOME="$home" DISPLAY="$disp" XDG_CONFIG_HOME="$home/.config" "$tmp/haul" "$tmp/links.txt" >"$tmp/haul.log" 2>&1 &
hp=$!
pids+=($hp)
sleep "$WARM"

ticks() { awk '{print $14 + $15}' "/proc/$hp/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); s0=$(date +%s.%N)
sleep "$SECS"
t1=$(ticks); s1=$(date +%s.%N)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$hp/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$hp/status")
active=$(ls "$home/Downloads" 2>/dev/null | grep -c '\.part$' || true)
done_=$(ls "$home/Downloads" 2>/dev/null | grep -vc '\.part$' || true)
awk -v t="$((t1 - t0))" -v hz="$hz" -v s0="$s0" -v s1="$s1" -v rss="$rss" -v hwm="$hwm" -v n="$N" -v a="$active" -v d="$done_" 'BEGIN {
	printf "rows %d, .part files (active) %d, finished files %d\n", n, a, d
	printf "CPU %.1f%% of one core over %.0f s; RSS %.0f MB (peak %.0f MB)\n", 100 * t / hz / (s1 - s0), s1 - s0, rss / 1024, hwm / 1024
}'
