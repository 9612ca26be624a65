#!/usr/bin/env bash
# drop-latency.sh: does adding 10,000 links from a file ever block the
# window? Starts haul-testserver with N small throttled files, then Haul in
# a real window under Xvfb (throwaway HOME, 50 downloads at once), with
# HAUL_UI_LATENCY set: the window posts a function to its UI goroutine
# every 10 ms and notes how late each runs. Then it
#   1. hands Haul a file of the N links from a second launch ("haul FILE"
#      while Haul runs): the running window reads it with addFiles, the
#      very code a file dropped on the window goes through (UI.drop ->
#      UI.addFiles -> intake in chunks of 1,000 on a worker);
#   2. with the N rows in the list, types into the filter box (a filter of
#      N rows on each key) and picks another sort order.
# It prints the worst stall and the p99 of each stretch, and the longest
# function of Haul's own among them (the rest of a stall is Fyne's layout
# and painting), and the same for the whole run.
#
#   ./scripts/drop-latency.sh            # 10,000 links
#   N=2000 ADD_SECS=10 ./scripts/drop-latency.sh
#   SHOT=/tmp/end.png ./scripts/drop-latency.sh   # and a screenshot at the end
#   LATENCY_OUT=/tmp/lat.txt ./scripts/drop-latency.sh   # keep every sample (and Haul's log as /tmp/lat.txt.log)
set -euo pipefail
cd "${REPO:-$(dirname "$0")/..}"
N=${N:-10000} ACTIVE=${ACTIVE:-50} ADD_SECS=${ADD_SECS:-25}
need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
if [ -n "${SHOT:-}" ]; then command -v import >/dev/null || need+=(imagemagick); fi
if ((${#need[@]})); then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
# shellcheck source=scripts/window_lib.sh
source scripts/window_lib.sh
export HOME="$home" DISPLAY="$disp" XDG_CONFIG_HOME="$home/.config"
HAUL_UI_LATENCY="$tmp/latency.txt" "$tmp/haul" >"$tmp/haul.log" 2>&1 &
hp=$!
pids+=($hp)
sleep 3 # the window is up and idle
now() { date +%s%3N; }

t0=$(now)
"$tmp/haul" "$tmp/links.txt" # the second launch hands the file over and exits
sleep "$ADD_SECS"
t1=$(now)

# The filter box is the first thing under the toolbar, the sort choice
# right of it (960 px window at the screen's top left).
xdotool mousemove 200 78 click 1
sleep 0.5
xdotool type --delay 150 "file-00"
sleep 1
xdotool key --delay 150 BackSpace BackSpace BackSpace BackSpace BackSpace BackSpace BackSpace
sleep 1
xdotool mousemove 845 78 click 1 # Sort by: opens the choices
sleep 0.7
xdotool mousemove 845 152 click 1 # the second choice: Name
sleep 2
t2=$(now)
if [ -n "${SHOT:-}" ]; then import -window root "$SHOT"; fi

kill -TERM "$hp"
for _ in $(seq 100); do kill -0 "$hp" 2>/dev/null || break; sleep 0.2; done
[ -n "${LATENCY_OUT:-}" ] && cp "$tmp/latency.txt" "$LATENCY_OUT" && cp "$tmp/haul.log" "$LATENCY_OUT.log"
rows=$(grep -c . "$tmp/links.txt")
# Each sample is "unix_ms late_ms": sort each stretch's and take max and
# p99. "F unix_ms ran_ms" lines are Haul's own functions on the UI
# goroutine; the rest of a stall is Fyne's layout and painting (under Xvfb
# the GL is software: painting is done by the CPU, shared with the rest).
stretch() { # NAME FROM TO
	awk -v a="$2" -v b="$3" 'NF == 2 && $1 ~ /^[0-9]+$/ && $1 >= a && $1 < b { print $2 }' "$tmp/latency.txt" | sort -g >"$tmp/s"
	f=$(awk -v a="$2" -v b="$3" 'BEGIN { m = 0 } $1 == "F" && $2 >= a && $2 < b && $3 > m { m = $3 } END { print m }' "$tmp/latency.txt")
	k=$(wc -l <"$tmp/s")
	if [ "$k" -eq 0 ]; then printf '%-44s no samples\n' "$1"; return; fi
	i=$(((k * 99 + 99) / 100))
	printf '%-44s stall max %6.1f ms  p99 %5.1f ms  (%4d samples);  longest Haul function %5.1f ms\n' "$1" "$(tail -n 1 "$tmp/s")" "$(sed -n "${i}p" "$tmp/s")" "$k" "$f"
}
echo "UI goroutine stalls (how late a function posted every 10 ms ran):"
stretch "idle window" 0 "$t0"
stretch "adding $rows links from a file ($(((t1 - t0) / 1000)) s)" "$t0" "$t1"
stretch "filter and sort $rows rows" "$t1" "$t2"
grep -E '^(samples|max_ms|p99_ms|haul_max_ms)' "$tmp/latency.txt" | paste -sd ' ' | sed 's/^/whole run: /'
