# shellcheck shell=bash
# The machinery of scripts/bench.sh: tools, test servers, reference copies,
# measuring with /usr/bin/time, and the report. Sourced, never run.

log() { echo "bench: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# /var/tmp, not /tmp: it is on the disk everywhere (a tmpfs /tmp would
# measure memory), and on a shared machine other programs' temporary files
# come and go in /tmp all the time (see measure for why that matters).
tmp=$(mktemp -d "${BENCH_DIR:-/var/tmp}/haul-bench.XXXXXX")
server_pids=()
results="$tmp/results" # one tab-separated row per figure
: >"$results"
failures=0
run_no=0
notes=()

stop_servers() {
	local pid
	for pid in "${server_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	server_pids=()
}
cleanup() {
	stop_servers
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools --------------------------------------------------------------------

sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
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
			log "apt-get update failed; trying the install anyway"
	fi
	log "installing $1"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" \
		>"$tmp/apt-$1.log" 2>&1
}

declare -A have_tool=()
have() { [ "${have_tool[$1]:-0}" = 1 ]; }

setup_tools() {
	local pair cmd pkg
	[ -x /usr/bin/time ] || apt_install time || die "need /usr/bin/time (Debian package time)"
	for pair in aria2c:aria2 curl:curl wget:wget; do
		cmd=${pair%%:*} pkg=${pair#*:}
		command -v "$cmd" >/dev/null 2>&1 || apt_install "$pkg" || true
		if command -v "$cmd" >/dev/null 2>&1; then
			have_tool[$cmd]=1
		else
			notes+=("$cmd is not installed and could not be installed from apt: skipped")
			log "${notes[-1]}"
		fi
	done
	have curl || have wget || die "need curl or wget for the reference downloads"
	command -v sha256sum >/dev/null 2>&1 || die "need sha256sum (coreutils)"
}

# to_bytes 8M: a K/M/G size (powers of 1024) in bytes.
to_bytes() {
	awk -v s="$1" 'BEGIN { m = 1; u = toupper(substr(s, length(s)))
		if (u == "K") m = 1024; else if (u == "M") m = 1048576; else if (u == "G") m = 1073741824
		if (m > 1) s = substr(s, 1, length(s) - 1); printf "%d", s * m }'
}

# --- servers ------------------------------------------------------------------

# start_server NAME WANT ARGS...: starts haul-testserver on a free loopback
# port and waits until it printed WANT URLs into $tmp/NAME.urls.
declare -A server_pid=()
start_server() {
	local name=$1 want=$2 i
	shift 2
	"$tmp/haul-testserver" -addr 127.0.0.1:0 "$@" >"$tmp/$name.urls" 2>"$tmp/$name.err" &
	server_pid[$name]=$!
	server_pids+=($!)
	for ((i = 0; i < 1200; i++)); do
		[ "$(wc -l <"$tmp/$name.urls")" -ge "$want" ] && return 0
		kill -0 "${server_pid[$name]}" 2>/dev/null || die "the $name test server stopped: $(cat "$tmp/$name.err")"
		sleep 0.1
	done
	die "the $name test server printed no URLs within 120 s"
}

# bytes_sent NAME: the body bytes server NAME has sent so far (it prints
# them on SIGUSR1).
bytes_sent() {
	local before i
	before=$(grep -c '^sent ' "$tmp/$1.err" || true)
	kill -USR1 "${server_pid[$1]}"
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c '^sent ' "$tmp/$1.err" || true)" -gt "$before" ] && break
		sleep 0.02
	done
	grep '^sent ' "$tmp/$1.err" | tail -n1 | awk '{ print $2 }'
}

# --- reference copies and checks ----------------------------------------------

fetch() { # fetch URL FILE
	if have curl; then curl -sSf -o "$2" "$1"; else wget -q -O "$2" "$1"; fi
}
# reference_file KIND URL: the reference copy for check KIND (one file).
reference_file() {
	mkdir -p "$tmp/ref/$1"
	fetch "$2" "$tmp/ref/$1/${2##*/}"
	(cd "$tmp/ref/$1" && sha256sum -- *) >"$tmp/ref/$1.sha256"
}
# reference_files KIND LIST: the reference copies of every URL in LIST.
reference_files() {
	mkdir -p "$tmp/ref/$1"
	local u
	while IFS= read -r u; do fetch "$u" "$tmp/ref/$1/${u##*/}"; done <"$2"
	(cd "$tmp/ref/$1" && sha256sum -- *) >"$tmp/ref/$1.sha256"
}
# check KIND DIR: DIR holds exactly the reference files of KIND, byte for byte.
check() {
	[ "$(find "$2" -type f | wc -l)" -eq "$(wc -l <"$tmp/ref/$1.sha256")" ] &&
		(cd "$2" && sha256sum --quiet --strict -c "$tmp/ref/$1.sha256" >/dev/null 2>&1)
}

# --- measuring ----------------------------------------------------------------

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# add_row WORKLOAD TOOL SECONDS RATE PEAK_MB EXTRA CHECK RUNS [PEER]
add_row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "${9:-no}" >>"$results"
}

# next_run ARGS...: a fresh run folder in $dir (the caller's local), with
# an empty out/ in it, and ARGS expanded for it in $args.
next_run() {
	run_no=$((run_no + 1))
	dir="$tmp/run$run_no"
	mkdir -p "$dir/out"
	expand_args "$dir" "$@"
}

# expand_args DIR ARGS...: ARGS with @OUT@ and @STATE@ replaced, in $args.
expand_args() {
	local dir=$1 a
	shift
	args=()
	for a in "$@"; do
		a=${a//@OUT@/$dir/out}
		args+=("${a//@STATE@/$dir/state}")
	done
}

# timed DIR CMD...: runs CMD in DIR/out; sets rc, secs (wall time, in
# milliseconds' precision) and peak_kb (from /usr/bin/time).
timed() {
	local dir=$1 t0 t1
	shift
	rc=0
	t0=$(date +%s%N)
	(cd "$dir/out" && /usr/bin/time -f '%M' -o "$dir/time" "$@") >"$dir/log" 2>&1 || rc=$?
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	peak_kb=$(tail -n1 "$dir/time")
}

# measure WORKLOAD TOOL peer=yes|no|ref KIND CMD...: runs CMD $runs times in
# fresh folders, checks each result against reference KIND, and records the
# medians of time and peak memory, the rate in $unit from $bytes, and for
# the throttled server (or with $sent_counter, the name of a command that
# prints the bytes the server has sent so far) the bytes it sent over the
# file's size ($file_bytes when $bytes counts files).
measure() {
	local w=$1 tool=$2 peer=${3#peer=} kind=$4
	shift 4
	local status=ok times=() peaks=() ratios=() i dir sent0 sent1 counter=${sent_counter:-}
	[ "$kind" = thr ] && counter="bytes_sent thr"
	for ((i = 0; i < runs; i++)); do
		next_run "$@"
		log "$w: $tool (run $((i + 1)) of $runs)"
		[ -n "$counter" ] && sent0=$($counter)
		timed "$dir" "${args[@]}"
		if [ -n "$counter" ]; then
			sent1=$($counter)
			ratios+=("$(awk -v a="$sent0" -v b="$sent1" -v n="${file_bytes:-$bytes}" 'BEGIN { printf "%.3f", (b - a) / n }')")
		fi
		times+=("$secs")
		peaks+=("$peak_kb")
		if [ "$rc" -ne 0 ]; then
			status="FAILED (exit $rc)"
			log "$tool exited with $rc: $(tail -n3 "$dir/log")"
		elif ! check "$kind" "$dir/out"; then
			status="WRONG BYTES"
		fi
		if [ "$kind" = small ]; then
			# Moved aside and flushed, not deleted: on ext4 without a
			# journal (this VM's disk) a file created within ~10 s of many
			# deletions in the same block group costs up to 25x more (the
			# inode allocator reads and skips every recently deleted inode;
			# perf: recently_deleted), which would charge each run for the
			# cleanup of the one before. Deleted after the workload.
			mkdir -p "$tmp/aside"
			mv "$dir/out" "$tmp/aside/run$run_no"
			sync
		else
			rm -rf "$dir/out" # keep the disk cache and the next run apart
		fi
	done
	[ "$status" = ok ] || failures=$((failures + 1))
	local s p rate extra=""
	s=$(printf '%s\n' "${times[@]}" | median)
	p=$(printf '%s\n' "${peaks[@]}" | median)
	if [ "$unit" = files/s ]; then
		rate=$(awk -v n="$bytes" -v s="$s" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }')
	else
		rate=$(awk -v b="$bytes" -v s="$s" 'BEGIN { if (s > 0) printf "%.1f", b / s / 1e6; else print "-" }')
	fi
	[ ${#ratios[@]} -gt 0 ] && extra="server sent $(printf '%s\n' "${ratios[@]}" | median)x"
	add_row "$w" "$tool" "$s" "$rate $unit" "$(awk -v k="$p" 'BEGIN { printf "%.0f", k / 1024 }')" "$extra" "$status" \
		"$(printf '%s ' "${times[@]}")" "$peer"
}

# ceiling WORKLOAD WHAT CMD...: the median time of CMD, as an upper bound.
ceiling() {
	local w=$1 what=$2 times=() i dir s
	shift 2
	for ((i = 0; i < runs; i++)); do
		next_run "$@"
		timed "$dir" "${args[@]}"
		times+=("$secs")
		rm -rf "$dir/out"
	done
	s=$(printf '%s\n' "${times[@]}" | median)
	add_row "$w" "$what" "$s" "$(awk -v b="$bytes" -v s="$s" 'BEGIN { if (s > 0) printf "%.1f", b / s / 1e6 }') MB/s" "" "" ceiling \
		"$(printf '%s ' "${times[@]}")"
}

# first_start WORKLOAD CMD...: runs CMD for 10 s at most and records its
# peak memory and how long it took until the first file appeared in its
# download folder (a .part counts: the download has started).
first_start() {
	local w=$1 dir start first="" t i starts=() peaks=()
	shift
	for ((i = 0; i < runs; i++)); do
		next_run "$@"
		log "$w (run $((i + 1)) of $runs)"
		start=$(date +%s.%N)
		(cd "$dir/out" && exec /usr/bin/time -f '%M' -o "$dir/time" timeout -s INT 10 "${args[@]}") >"$dir/log" 2>&1 &
		local pid=$!
		first=""
		while kill -0 "$pid" 2>/dev/null; do
			if [ -z "$first" ] && [ -n "$(find "$dir/out" -type f -print -quit)" ]; then
				first=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
			fi
			sleep 0.02
		done
		wait "$pid" || true
		peak_kb=$(tail -n1 "$dir/time")
		starts+=("${first:-none}")
		peaks+=("$peak_kb")
		rm -rf "$dir"
	done
	t=$(printf '%s\n' "${starts[@]}" | median)
	add_row "$w" "haul: first download started (s)" "$t" "" \
		"$(printf '%s\n' "${peaks[@]}" | median | awk '{ printf "%.0f", $1 / 1024 }')" "" ok "$(printf '%s ' "${starts[@]}")"
}

# --- the report ---------------------------------------------------------------

# table: the results as Markdown, with Haul's rate over the best peer's.
table() {
	echo "| workload | tool | seconds | rate | peak MB | Haul / best peer | notes | check | runs (s) |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |"
	awk -F'\t' '
		{ row[NR] = $0; w[NR] = $1; split($4, r, " "); rate[NR] = r[1] + 0
		  if ($9 == "yes" && rate[NR] > best[$1]) best[$1] = rate[NR] }
		END { for (i = 1; i <= NR; i++) { split(row[i], f, "\t"); ratio = ""
			if (f[2] ~ /^haul/ && f[9] == "no" && best[w[i]] > 0 && rate[i] > 0) ratio = sprintf("%.2fx", rate[i] / best[w[i]])
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], ratio, f[6], f[7], f[8] } }' "$results"
}

machine() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	[ -n "${bench_command:-}" ] && echo "- command: \`$bench_command\`" ||
		echo "- command: \`BENCH_ONLY=\"$only\" BENCH_RUNS=$runs BENCH_BIG_MIB=$big_mib BENCH_FILES=$nfiles BENCH_FILE_KIB=$file_kib BENCH_JOBS=$jobs BENCH_THR_MIB=$thr_mib BENCH_THROTTLE=$throttle BENCH_CONNS=$conns BENCH_LINES=$nlines scripts/bench.sh\`"
	echo "- commit: ${bench_commit:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- engine cli 2>/dev/null || echo ' (engine/ or cli/ modified)')}"
	echo "- $(uname -srm), nproc $(nproc)${cpu:+, $cpu}, $(df -T "$tmp" | awk 'NR == 2 { print $2 }') under $tmp"
	echo "- $(go version); $("$haul" version 2>/dev/null)"
	have aria2c && echo "- $(aria2c --version | head -n1)"
	have curl && echo "- $(curl --version | head -n1 | cut -d' ' -f1-2)"
	have wget && echo "- $(wget --version | head -n1)"
	local n
	for n in "${notes[@]}"; do echo "- note: $n"; done
	echo "- each figure is the median of $runs runs; MB = 10^6 bytes; peak MB is the largest resident set"
}

# report [MARKER]: prints the table and, with BENCH_WRITE=1, puts it
# between <!-- MARKER:begin --> and <!-- MARKER:end --> (default bench) in
# docs/benchmarks.md.
report() {
	local block="$tmp/report.md" mark=${1:-bench}
	{
		machine
		echo
		table
	} >"$block"
	cat "$block"
	if [ "${BENCH_WRITE:-0}" = 1 ]; then
		local doc="$repo/docs/benchmarks.md"
		grep -q "^<!-- $mark:begin -->\$" "$doc" || die "docs/benchmarks.md has no <!-- $mark:begin --> marker"
		awk -v f="$block" -v b="<!-- $mark:begin -->" -v e="<!-- $mark:end -->" '
			$0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
			$0 == e { skip = 0 }
			!skip' "$doc" >"$tmp/doc" && cp "$tmp/doc" "$doc"
		log "wrote the results into docs/benchmarks.md"
	fi
	if [ "$failures" -gt 0 ]; then
		log "$failures measurement(s) failed or downloaded wrong bytes"
		exit 1
	fi
}
