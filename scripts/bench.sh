#!/usr/bin/env bash
# Compares Haul's wall-clock download times with aria2c, curl and wget on
# a loopback test server (engine/testserver), for three scenarios:
#
#   1. one large file, throttled per connection: haul -x N, aria2c -x N,
#      curl and wget (one connection each);
#   2. many small images, unthrottled: haul -j J, aria2c -j J,
#      J parallel curls (xargs -P) and wget (sequential, keep-alive);
#   3. the large file again with haul -x 1, 4 and N: the multi-connection
#      speed-up.
#
# Every run downloads into a fresh folder (and Haul gets a fresh --state),
# and every result is checked byte for byte against a reference download
# (curl, unthrottled). It prints the machine, the tool versions and a
# Markdown table (scenario, tool, seconds, MB/s with MB = 10^6 bytes).
#
# It builds ./haul and haul-testserver, installs aria2, curl and wget from
# apt when missing (a tool that cannot be installed is skipped), and takes
# about two and a half minutes with the defaults. All traffic stays on
# 127.0.0.1. Knobs (environment):
#
#   BENCH_SIZE_MIB  size of the large file in MiB          (default 64)
#   BENCH_THROTTLE  per-connection limit for it, bytes/s   (default 2M)
#   BENCH_CONNS     connections per download (scenario 1)  (default 8)
#   BENCH_FILES     number of small files (scenario 2)     (default 200)
#   BENCH_JOBS      downloads at once (scenario 2)         (default 8)
#   BENCH_SMALL_RUNS runs of each scenario 2 tool; the median is shown
#                   (default 5)
#   BENCH_KEEP=1    keep the temporary folder
#
# Usage: scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib="${BENCH_SIZE_MIB:-64}"
throttle="${BENCH_THROTTLE:-2M}"
conns="${BENCH_CONNS:-8}"
nfiles="${BENCH_FILES:-200}"
jobs="${BENCH_JOBS:-8}"
small_runs="${BENCH_SMALL_RUNS:-5}"

log() { echo "bench: $*" >&2; }
die() {
	log "$*"
	exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/haul-bench.XXXXXX")
server_pids=()
cleanup() {
	local pid
	for pid in "${server_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	sudo=(sudo)
fi
apt_updated=0
# apt_install PKG: installs PKG from apt; false when that is not possible.
apt_install() {
	command -v apt-get >/dev/null 2>&1 || return 1
	if [ ${#sudo[@]} -gt 0 ] && ! command -v sudo >/dev/null 2>&1; then
		return 1
	fi
	if [ "$apt_updated" = 0 ]; then
		apt_updated=1
		log "apt-get update"
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$tmp/apt-update.log" 2>&1 ||
			log "apt-get update failed (see below); trying the install anyway"
	fi
	log "installing $1"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" \
		>"$tmp/apt-$1.log" 2>&1
}

declare -A have=()
notes=()
for pair in aria2c:aria2 curl:curl wget:wget; do
	cmd=${pair%%:*} pkg=${pair#*:}
	if ! command -v "$cmd" >/dev/null 2>&1; then
		apt_install "$pkg" || true
	fi
	if command -v "$cmd" >/dev/null 2>&1; then
		have[$cmd]=1
	else
		have[$cmd]=0
		notes+=("$cmd is not installed and could not be installed from apt: skipped")
		log "${notes[-1]}"
	fi
done
[ "${have[curl]}" = 1 ] || [ "${have[wget]}" = 1 ] || die "need curl or wget for the reference download"
command -v sha256sum >/dev/null 2>&1 || die "need sha256sum (coreutils)"

log "building haul and haul-testserver"
# Haul's window needs the Fyne C libraries to build (a no-op when present).
bash scripts/install-deps.sh >&2
go build -o "$tmp/haul" .
go build -o "$tmp/haul-testserver" ./engine/testserver/cmd/haul-testserver
haul="$tmp/haul"

# --- servers -------------------------------------------------------------

# start_server NAME WANT ARGS...: starts haul-testserver on a free loopback
# port and waits until it printed its WANT URLs into $tmp/NAME.urls.
start_server() {
	local name=$1 want=$2
	shift 2
	"$tmp/haul-testserver" -addr 127.0.0.1:0 "$@" >"$tmp/$name.urls" 2>"$tmp/$name.err" &
	local pid=$!
	server_pids+=("$pid")
	local i
	for ((i = 0; i < 600; i++)); do
		if [ "$(wc -l <"$tmp/$name.urls")" -ge "$want" ]; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || die "the $name test server stopped: $(cat "$tmp/$name.err")"
		sleep 0.1
	done
	die "the $name test server printed no URLs within 60s"
}

log "starting the test servers (generating ${size_mib} MiB and $nfiles images)"
# Unthrottled: the reference copy of the large file, and the small files.
start_server fast $((1 + nfiles)) -files 1 -size "${size_mib}M" -images "$nfiles"
# Throttled per connection: the same large file (same name, same bytes).
start_server slow 1 -files 1 -size "${size_mib}M" -images 0 -throttle "$throttle"
big_fast=$(grep -m1 '/file-001\.bin$' "$tmp/fast.urls")
big_slow=$(grep -m1 '/file-001\.bin$' "$tmp/slow.urls")
grep '/image-' "$tmp/fast.urls" >"$tmp/small.list"
[ "$(wc -l <"$tmp/small.list")" -eq "$nfiles" ] || die "expected $nfiles image URLs"
big_name=file-001.bin
big_bytes=$((size_mib * 1024 * 1024))

# --- reference -----------------------------------------------------------

log "reference downloads (unthrottled)"
mkdir -p "$tmp/ref/small"
if [ "${have[curl]}" = 1 ]; then
	curl -sSf -o "$tmp/ref/$big_name" "$big_fast"
	(cd "$tmp/ref/small" && xargs curl -sSf --remote-name-all <"$tmp/small.list")
else
	wget -q -O "$tmp/ref/$big_name" "$big_fast"
	wget -q -P "$tmp/ref/small" -i "$tmp/small.list"
fi
[ "$(stat -c %s "$tmp/ref/$big_name")" -eq "$big_bytes" ] || die "reference: the large file has the wrong size"
(cd "$tmp/ref/small" && sha256sum -- *) >"$tmp/ref/small.sha256"
[ "$(wc -l <"$tmp/ref/small.sha256")" -eq "$nfiles" ] || die "reference: expected $nfiles small files"
small_bytes=$(cat "$tmp/ref/small"/* | wc -c)

# --- measuring -----------------------------------------------------------

results="$tmp/results"
: >"$results"
failures=0
run_no=0

# check_big DIR / check_small DIR: the downloaded bytes match the reference.
check_big() {
	[ "$(find "$1" -type f | wc -l)" -eq 1 ] && cmp -s "$tmp/ref/$big_name" "$1/$big_name"
}
check_small() {
	[ "$(find "$1" -type f | wc -l)" -eq "$nfiles" ] &&
		(cd "$1" && sha256sum --quiet --strict -c "$tmp/ref/small.sha256" >/dev/null 2>&1)
}

# measure SCENARIO TOOL KIND CMD...: runs CMD $runs times (with @OUT@
# replaced by a fresh download folder and @STATE@ by a fresh state folder
# each time), checks every result (KIND big or small) and records the
# median time.
runs=1
measure() {
	local scenario=$1 tool=$2 kind=$3
	shift 3
	local status=ok times=() i
	for ((i = 0; i < runs; i++)); do
		run_no=$((run_no + 1))
		local dir="$tmp/run$run_no"
		local out="$dir/out" state="$dir/state"
		mkdir -p "$out"
		local args=() a
		for a in "$@"; do
			a=${a//@OUT@/$out}
			args+=("${a//@STATE@/$state}")
		done
		log "$scenario: $tool (run $((i + 1)) of $runs)"
		local rc=0
		local TIMEFORMAT=%3R
		{ time { (cd "$out" && "${args[@]}") >"$dir/log" 2>&1; }; } 2>"$dir/time" || rc=$?
		times+=("$(tail -n1 "$dir/time")")
		if [ "$rc" -ne 0 ]; then
			status="FAILED (exit $rc)"
			log "$tool exited with $rc: $(tail -n3 "$dir/log")"
		elif ! "check_$kind" "$out"; then
			status="WRONG BYTES"
		fi
		rm -rf "$out" # keep the disk cache and the next run's writes apart
	done
	[ "$status" = ok ] || failures=$((failures + 1))
	local bytes=$big_bytes secs all mbs
	[ "$kind" = small ] && bytes=$small_bytes
	secs=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	all=$(printf '%s ' "${times[@]}")
	mbs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { if (s > 0) printf "%.1f", b / s / 1e6; else print "-" }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$tool" "$secs" "$mbs" "$status" "${all% }" >>"$results"
}

aria=(aria2c --allow-overwrite=true --auto-file-renaming=false --file-allocation=none
	--console-log-level=warn --summary-interval=0 -d @OUT@)

s1="1: ${size_mib} MiB @ ${throttle}/s/conn"
measure "$s1" "haul -x $conns" big "$haul" get -x "$conns" -d @OUT@ --state @STATE@ "$big_slow"
if [ "${have[aria2c]}" = 1 ]; then
	measure "$s1" "aria2c -x $conns -s $conns -k 1M" big "${aria[@]}" -x "$conns" -s "$conns" -k 1M "$big_slow"
fi
if [ "${have[curl]}" = 1 ]; then
	measure "$s1" "curl" big curl -sSf -o @OUT@/$big_name "$big_slow"
fi
if [ "${have[wget]}" = 1 ]; then
	measure "$s1" "wget" big wget -q -P @OUT@ "$big_slow"
fi

s2="2: $nfiles small files"
runs=$small_runs
per_curl=$(((nfiles + jobs - 1) / jobs))
measure "$s2" "haul -j $jobs" small "$haul" get -j "$jobs" -d @OUT@ --state @STATE@ -i "$tmp/small.list"
if [ "${have[aria2c]}" = 1 ]; then
	measure "$s2" "aria2c -j $jobs" small "${aria[@]}" -j "$jobs" -i "$tmp/small.list"
fi
if [ "${have[curl]}" = 1 ]; then
	# shellcheck disable=SC2016 # $1..$3 are expanded by that sh
	measure "$s2" "curl (xargs -P $jobs)" small \
		sh -c 'xargs -P "$1" -n "$2" curl -sSf --remote-name-all <"$3"' sh "$jobs" "$per_curl" "$tmp/small.list"
fi
if [ "${have[wget]}" = 1 ]; then
	measure "$s2" "wget -i (sequential)" small wget -q -P @OUT@ -i "$tmp/small.list"
fi

s3="3: ${size_mib} MiB @ ${throttle}/s/conn"
runs=1
for x in 1 4 "$conns"; do
	measure "$s3" "haul -x $x" big "$haul" get -x "$x" -d @OUT@ --state @STATE@ "$big_slow"
done

# --- report --------------------------------------------------------------

version() { "$@" 2>&1 | head -n1; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- engine cli 2>/dev/null || echo ' (engine/ or cli/ modified)')"
echo "- $(uname -srm), nproc $(nproc)${cpu:+, $cpu}"
echo "- $(go version)"
echo "- $("$haul" version 2>/dev/null)"
[ "${have[aria2c]}" = 1 ] && echo "- $(version aria2c --version)"
[ "${have[curl]}" = 1 ] && echo "- $(version curl --version | cut -d' ' -f1-2)"
[ "${have[wget]}" = 1 ] && echo "- $(version wget --version)"
for n in "${notes[@]}"; do
	echo "- note: $n"
done
echo
echo "Large file: $big_bytes bytes, throttled by the server to $throttle/s per connection (K, M: KiB, MiB)."
echo "Small files: $nfiles PNG/JPEG images, $small_bytes bytes in all, unthrottled."
echo
echo "Scenario 2 shows the median of $small_runs runs (all runs in the last column)."
echo
echo "| scenario | tool | seconds | MB/s | check | runs (s) |"
echo "| --- | --- | ---: | ---: | --- | --- |"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$results"

if [ "$failures" -gt 0 ]; then
	log "$failures run(s) failed or downloaded wrong bytes"
	exit 1
fi
