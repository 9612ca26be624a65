#!/usr/bin/env bash
# Compares `haul get` with aria2c, curl and wget on a loopback test server
# (engine/testserver), in one run, on every workload a person notices:
#
#   big        one large file, unthrottled (default 1 GiB): haul -x 1,
#              haul (its default connections), aria2c -x 8, curl, wget;
#              with two ceilings: the disk (dd with fdatasync) and the
#              network (curl into /dev/null).
#   small      many small files (default 1,000 of 64 KiB), J at once
#              (default 16): haul -j J, aria2c -j J, curl --parallel, wget
#              (sequential, keep-alive).
#   throttled  a file served at a fixed rate per connection (default
#              256 MiB at 8 MiB/s), 8 connections: haul -x 8, aria2c -x 8,
#              with the bytes the server sent over the file's size.
#   queued     10,000 queued downloads in the store: memory per download
#              and the time to open the store (a Go benchmark of the engine).
#   linkfile   `haul get -i` of a 1,000,000-line link file: peak memory and
#              the time until the first download starts.
#   net        not in the default run: the network lab, scripts/netlab.sh
#              (emulated delay and loss, nginx, as root; see its header).
#
# Every download goes to a fresh folder (Haul gets a fresh --state) and is
# checked byte for byte against a reference; a run that fails or gets wrong
# bytes makes the script exit 1. Wall time and peak memory (max RSS) come
# from /usr/bin/time; each figure is the median of BENCH_RUNS runs. The table
# gives each figure with the ratio Haul / best peer (above 1: Haul is ahead,
# for throughput; below 1 is better for memory).
#
# It builds ./haul and haul-testserver and installs aria2, curl, wget and
# time from apt when missing (a tool that cannot be installed is skipped,
# with a note). All traffic stays on 127.0.0.1. Knobs (environment):
#
#   BENCH_ONLY        workloads to run, e.g. "big small"  (default: all)
#   BENCH_RUNS        runs of each measurement             (default 3)
#   BENCH_BIG_MIB     size of the large file               (default 1024)
#   BENCH_FILES       number of small files                (default 1000)
#   BENCH_FILE_KIB    size of each small file              (default 64)
#   BENCH_JOBS        downloads at once for small files    (default 16)
#   BENCH_THR_MIB     size of the throttled file           (default 256)
#   BENCH_THROTTLE    its rate per connection              (default 8M)
#   BENCH_CONNS       connections for it                   (default 8)
#   BENCH_LINES       lines of the large link file         (default 1000000)
#   BENCH_WRITE=1     also write the results into docs/benchmarks.md
#   BENCH_KEEP=1      keep the temporary folder
#   BENCH_DIR         where it goes                         (default /var/tmp)
#
# Usage: scripts/bench.sh          (about 10 minutes with the defaults)
#        BENCH_BIG_MIB=256 BENCH_THR_MIB=64 scripts/bench.sh   (shorter)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

only="${BENCH_ONLY:-big small throttled queued linkfile}"
runs="${BENCH_RUNS:-3}"
big_mib="${BENCH_BIG_MIB:-1024}"
nfiles="${BENCH_FILES:-1000}"
file_kib="${BENCH_FILE_KIB:-64}"
jobs="${BENCH_JOBS:-16}"
thr_mib="${BENCH_THR_MIB:-256}"
throttle="${BENCH_THROTTLE:-8M}"
conns="${BENCH_CONNS:-8}"
nlines="${BENCH_LINES:-1000000}"

# shellcheck source=scripts/bench_lib.sh
source "$repo/scripts/bench_lib.sh"

wants() { [[ " $only " == *" $1 "* ]]; }

# --- net: the network lab (its own script: namespaces, nginx, root) ----------
if wants net; then
	bash scripts/netlab.sh
	only=" $only "
	only=${only// net / }
	[ -n "${only// /}" ] || exit 0
fi

setup_tools
log "building haul and haul-testserver"
bash scripts/install-deps.sh >&2 # the window's C libraries (a no-op when present)
go build -o "$tmp/haul" .
go build -o "$tmp/haul-testserver" ./engine/testserver/cmd/haul-testserver
haul="$tmp/haul"
aria=(aria2c --allow-overwrite=true --auto-file-renaming=false --file-allocation=none
	--console-log-level=warn --summary-interval=0 -d @OUT@)

# --- big: one large file, unthrottled ---------------------------------------
if wants big; then
	w="big: one ${big_mib} MiB file"
	log "$w: generating"
	start_server big 1 -files 1 -size "${big_mib}M" -images 0
	url=$(head -n1 "$tmp/big.urls")
	reference_file big "$url"
	unit=MB/s
	bytes=$((big_mib << 20))
	measure "$w" "haul -x 1" peer=no big "$haul" get -x 1 -d @OUT@ --state @STATE@ "$url"
	measure "$w" "haul" peer=no big "$haul" get -d @OUT@ --state @STATE@ "$url"
	have aria2c && measure "$w" "aria2c -x 8 -s 8" peer=yes big "${aria[@]}" -x 8 -s 8 -k 1M "$url"
	have curl && measure "$w" "curl" peer=yes big curl -sSf -o @OUT@/file-001.bin "$url"
	have wget && measure "$w" "wget" peer=yes big wget -q -P @OUT@ "$url"
	# A reference, not a peer: curl made as durable as Haul's file (fsync).
	# shellcheck disable=SC2016 # $1 and $2 are expanded by that sh
	have curl && measure "$w" "reference: curl, then sync FILE" peer=ref big \
		sh -c 'curl -sSf -o "$1" "$2" && sync "$1"' sh @OUT@/file-001.bin "$url"
	ceiling "$w" "ceiling: disk (dd, fdatasync)" dd if=/dev/zero of=@OUT@/zero bs=1M count="$big_mib" conv=fdatasync status=none
	have curl && ceiling "$w" "ceiling: network (curl > /dev/null)" curl -sSf -o /dev/null "$url"
	stop_servers
fi

# --- small: many small files ------------------------------------------------
if wants small; then
	w="small: $nfiles files of $file_kib KiB, $jobs at once"
	log "$w: generating"
	start_server small "$nfiles" -files "$nfiles" -size "${file_kib}K" -images 0
	cp "$tmp/small.urls" "$tmp/small.list"
	reference_files small "$tmp/small.list"
	unit=files/s
	bytes=$nfiles
	measure "$w" "haul -j $jobs" peer=no small "$haul" get -j "$jobs" -d @OUT@ --state @STATE@ -i "$tmp/small.list"
	have aria2c && measure "$w" "aria2c -j $jobs" peer=yes small "${aria[@]}" -j "$jobs" -i "$tmp/small.list"
	# shellcheck disable=SC2016 # $1 and $2 are expanded by that sh
	have curl && measure "$w" "curl --parallel-max $jobs" peer=yes small \
		sh -c 'xargs curl -sSf --parallel --parallel-max "$1" --remote-name-all <"$2"' sh "$jobs" "$tmp/small.list"
	have wget && measure "$w" "wget -i (sequential)" peer=yes small wget -q -P @OUT@ -i "$tmp/small.list"
	# A reference, not a peer: curl's files made durable afterwards, every
	# file and the folder flushed (one after the other; Haul flushes each
	# file before it gets its name, several at once).
	# shellcheck disable=SC2016 # $1 and $2 are expanded by that sh
	have curl && measure "$w" "reference: curl --parallel, then sync every file" peer=ref small \
		sh -c 'xargs curl -sSf --parallel --parallel-max "$1" --remote-name-all <"$2" && sync -- * .' sh "$jobs" "$tmp/small.list"
	stop_servers
	rm -rf "$tmp/aside"
fi

# --- throttled: a fixed rate per connection, several connections ------------
if wants throttled; then
	w="throttled: ${thr_mib} MiB at ${throttle}/s per connection, $conns connections"
	log "$w: generating"
	# The same bytes unthrottled, for the reference copy.
	start_server thrref 1 -files 1 -size "${thr_mib}M" -images 0
	reference_file thr "$(head -n1 "$tmp/thrref.urls")"
	start_server thr 1 -files 1 -size "${thr_mib}M" -images 0 -throttle "$throttle"
	url=$(head -n1 "$tmp/thr.urls")
	unit=MB/s
	bytes=$((thr_mib << 20))
	measure "$w" "haul -x $conns" peer=no thr "$haul" get -x "$conns" -d @OUT@ --state @STATE@ "$url"
	have aria2c && measure "$w" "aria2c -x $conns -s $conns" peer=yes thr "${aria[@]}" -x "$conns" -s "$conns" -k 1M "$url"
	rate=$(to_bytes "$throttle")
	add_row "$w" "ceiling: $conns x ${throttle}/s" "" "$(awk -v r="$rate" -v c="$conns" 'BEGIN { printf "%.1f MB/s", r * c / 1e6 }')" "" "" ceiling ""
	stop_servers
fi

# --- queued: 10,000 downloads in the store ----------------------------------
if wants queued; then
	w="queued: 10,000 downloads in the store"
	log "$w"
	out=$(go test -run '^$' -bench '^BenchmarkOpenWithQueued$' -benchtime "${runs}x" ./engine 2>&1) ||
		die "the queued benchmark failed: $out"
	bpd=$(awk '/BenchmarkOpenWithQueued/ { for (i = 1; i < NF; i++) if ($(i+1) == "B/download") print $i }' <<<"$out")
	ms=$(awk '/BenchmarkOpenWithQueued/ { for (i = 1; i < NF; i++) if ($(i+1) == "ms/open") print $i }' <<<"$out")
	add_row "$w" "haul: memory per queued download" "" "" "" "$bpd B" ok ""
	add_row "$w" "haul: open the store (ms)" "$ms" "" "" "" ok ""
fi

# --- linkfile: a 1,000,000-line link file -----------------------------------
if wants linkfile; then
	w="linkfile: haul get -i of $nlines lines"
	log "$w: generating"
	start_server links 200 -files 0 -images 200
	awk -v n="$nlines" '{ u[NR] = $0 } END { for (i = 0; i < n; i++) printf "%s?n=%d\n", u[i % NR + 1], i }' \
		"$tmp/links.urls" >"$tmp/big.list"
	first_start "$w" "$haul" get -j "$jobs" -d @OUT@ --state @STATE@ -i "$tmp/big.list"
	stop_servers
fi

report
