#!/usr/bin/env bash
# The network lab: `haul get` against aria2c, curl and wget over an
# emulated wide-area link, in one run (issue 20). Run it as root, or
# through `BENCH_ONLY=net scripts/bench.sh`.
#
# Two network namespaces (server and client) are joined by haul-netem
# (internal/netem), a user-space link emulator over two TUN devices: a
# one-way delay of half the round trip, random loss on the way from the
# server to the client, a bounded queue. (This kernel has no netem qdisc.)
# The addresses, 198.18.0.1 (server) and 198.18.0.2 (client), are in the
# range set aside for benchmarks (RFC 2544) and exist only inside the two
# namespaces: the root namespace gets no address and no route to them, so
# no packet leaves the machine. Everything is torn down on exit.
#
# nginx (Debian's package, installed when missing) serves the files in
# the server namespace over HTTP/1.1 (port 80) and over TLS with HTTP/2
# (port 443, a certificate of a CA this script makes; every client is told
# to trust it). The cases:
#
#   a  one file (NET_BIG_MIB, default 500 MiB) at 100 ms RTT, no loss
#   b  the same at 1% loss (NET_LOSS_MIB, default 200 MiB)
#   c  one file (NET_CAP_MIB, default 200 MiB) at 40 ms RTT, nginx
#      limit_rate 4 MiB/s per connection
#   d  NET_FILES (default 500) files of 200 KiB at 100 ms RTT, 16 at once,
#      over HTTP/1.1 and over HTTP/2
#   e  one file (NET_PLAIN_MIB, default 100 MiB) served with 200 and no
#      ranges (nginx max_ranges 0) at 100 ms RTT, 1% loss
#
# Peers: aria2c -x16 -s16 -k1M (-j16 for d), curl (--parallel
# --parallel-max 16 for d), wget. Each figure is the median of BENCH_RUNS
# runs (default 3); each run's bytes are checked against the files; the
# server's bytes come from nginx's access log ($bytes_sent), over the
# bytes of the files. NET_TCP_MAX is the largest TCP buffer (bytes,
# default 16 MiB). NET_CASES picks cases (default "a b c d e");
# NET_BEFORE=PATH adds the rows of another haul binary (e.g. main's),
# named NET_BEFORE_NAME (default "before");
# NET_WGET_D_RUNS sets how many runs sequential wget gets in case d (its
# median is of that many);
# BENCH_WRITE=1 writes the table into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

runs="${BENCH_RUNS:-3}"
cases="${NET_CASES:-a b c d e}"
big_mib="${NET_BIG_MIB:-500}"
loss_mib="${NET_LOSS_MIB:-200}"
cap_mib="${NET_CAP_MIB:-200}"
plain_mib="${NET_PLAIN_MIB:-100}"
nfiles="${NET_FILES:-500}"
before="${NET_BEFORE:-}"
before_name="${NET_BEFORE_NAME:-before}"
tcp_max="${NET_TCP_MAX:-16777216}" # bytes of TCP buffer a connection may grow to
run_limit=900 # seconds one download may take before it counts as failed

[ "$(id -u)" -eq 0 ] || { echo "netlab: needs root (network namespaces and TUN devices)" >&2; exit 1; }

# shellcheck source=scripts/bench_lib.sh
source "$repo/scripts/bench_lib.sh"

srv_ip=198.18.0.1
cli_ip=198.18.0.2
ns_srv="hlsrv$$"
ns_cli="hlcli$$"
dev_srv="hls$$"
dev_cli="hlc$$"
controls=0
netem_pid=""
nginx_up=0

lab_down() {
	if [ "$nginx_up" = 1 ]; then
		ip netns exec "$ns_srv" nginx -c "$tmp/nginx/nginx.conf" -s stop 2>/dev/null || true
		local i
		for ((i = 0; i < 50; i++)); do [ -e "$tmp/nginx/nginx.pid" ] || break; sleep 0.1; done
	fi
	link_down
	ip netns del "$ns_srv" 2>/dev/null || true
	ip netns del "$ns_cli" 2>/dev/null || true
}
trap 'lab_down; cleanup' EXIT

link_down() {
	if [ -n "$netem_pid" ]; then
		exec 7>&- # its control line
		kill "$netem_pid" 2>/dev/null || true
		wait "$netem_pid" 2>/dev/null || true
		netem_pid=""
	fi
}

# link_up RTT LOSS: sets the emulated link between the namespaces; the
# first call makes it (its devices live as long as haul-netem), later ones
# change it through haul-netem's control line (remaking the devices would
# wait for the kernel to let the old ones go, tens of seconds).
link_up() {
	local i
	if [ -z "$netem_pid" ]; then
		mkfifo "$tmp/netem.ctl"
		"$tmp/haul-netem" -a "$dev_srv" -b "$dev_cli" -rtt "$1" -loss "$2" \
			<"$tmp/netem.ctl" >"$tmp/netem.out" 2>"$tmp/netem.err" &
		netem_pid=$!
		exec 7>"$tmp/netem.ctl"
		for ((i = 0; i < 300; i++)); do
			grep -q '^ready$' "$tmp/netem.out" && break
			kill -0 "$netem_pid" 2>/dev/null || die "haul-netem stopped: $(cat "$tmp/netem.err")"
			sleep 0.1
		done
		grep -q '^ready$' "$tmp/netem.out" || die "haul-netem did not start within 30 s: $(cat "$tmp/netem.err")"
		ip link set "$dev_srv" netns "$ns_srv"
		ip link set "$dev_cli" netns "$ns_cli"
		ip -n "$ns_srv" addr add "$srv_ip" peer "$cli_ip" dev "$dev_srv"
		ip -n "$ns_cli" addr add "$cli_ip" peer "$srv_ip" dev "$dev_cli"
		ip -n "$ns_srv" link set "$dev_srv" up
		ip -n "$ns_cli" link set "$dev_cli" up
	else
		controls=$((controls + 1))
		echo "-rtt $1 -loss $2" >&7
		for ((i = 0; i < 100; i++)); do
			grep -q "^ok $controls\$" "$tmp/netem.out" && break
			grep "^error $controls:" "$tmp/netem.out" && die "haul-netem refused -rtt $1 -loss $2"
			sleep 0.1
		done
		grep -q "^ok $controls\$" "$tmp/netem.out" || die "haul-netem did not take -rtt $1 -loss $2"
	fi
	log "link: $1 RTT, loss $2"
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$ns_cli" curl -s -o /dev/null --max-time 2 "http://$srv_ip/ping" && return 0
		sleep 0.1
	done
	die "the link does not carry HTTP"
}

lab_up() {
	ip netns add "$ns_srv"
	ip netns add "$ns_cli"
	local ns
	for ns in "$ns_srv" "$ns_cli"; do
		ip -n "$ns" link set lo up
		# Buffers for the bandwidth-delay product: 16 MiB covers 160 MB/s
		# at 100 ms, twice the lab's ceiling; far larger ones only hold more
		# bytes that a closed connection throws away.
		ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_rmem="4096 131072 $tcp_max" \
			net.ipv4.tcp_wmem="4096 65536 $tcp_max"
	done
}

# --- tools and content -------------------------------------------------------

setup_tools
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_install nginx-light || apt_install nginx ||
	die "need nginx (Debian package nginx)"
command -v openssl >/dev/null 2>&1 || apt_install openssl || die "need openssl"
[ -c /dev/net/tun ] || die "need /dev/net/tun"
log "building haul and haul-netem"
bash scripts/install-deps.sh >&2
go build -o "$tmp/haul" .
bench_commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- engine cli 2>/dev/null || echo ' (engine/ or cli/ modified)')"
go build -o "$tmp/haul-netem" ./internal/netem/cmd/haul-netem
haul="$tmp/haul"

www="$tmp/www"
mkdir -p "$www/plain" "$www/capped" "$www/small" "$tmp/nginx/logs" "$tmp/ref"
chmod 755 "$tmp" # nginx's workers (www-data) read the files
echo ok >"$www/ping"
# one_file DIR MIB: a file of random bytes, and its reference sums.
one_file() {
	head -c "$(($2 << 20))" /dev/urandom >"$www/$1/file.bin"
	(cd "$www/$1" && sha256sum -- file.bin) >"$tmp/ref/$1.sha256"
}
log "generating the files"
max_mib=$big_mib
[ "$loss_mib" -gt "$max_mib" ] && max_mib=$loss_mib
head -c "$((max_mib << 20))" /dev/urandom >"$www/big.bin"
mkdir -p "$www/a" "$www/b"
head -c "$((big_mib << 20))" "$www/big.bin" >"$www/a/file.bin"
head -c "$((loss_mib << 20))" "$www/big.bin" >"$www/b/file.bin"
rm "$www/big.bin"
(cd "$www/a" && sha256sum -- file.bin) >"$tmp/ref/a.sha256"
(cd "$www/b" && sha256sum -- file.bin) >"$tmp/ref/b.sha256"
one_file capped "$cap_mib"
one_file plain "$plain_mib"
for ((i = 1; i <= nfiles; i++)); do
	head -c 204800 /dev/urandom >"$www/small/f$(printf %04d "$i").bin"
done
(cd "$www/small" && sha256sum -- *) >"$tmp/ref/small.sha256"
for ((i = 1; i <= nfiles; i++)); do printf 'http://%s/small/f%04d.bin\n' "$srv_ip" "$i"; done >"$tmp/small-h1.list"
sed "s|^http://|https://|" "$tmp/small-h1.list" >"$tmp/small-h2.list"

log "making a CA and the server's certificate"
(
	cd "$tmp/nginx"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Haul lab CA" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
		-keyout ca.key -out ca.pem 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$srv_ip" -keyout srv.key -out srv.csr 2>/dev/null
	printf 'subjectAltName=IP:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$srv_ip" >srv.ext
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile srv.ext -out srv.pem 2>/dev/null
)
ca="$tmp/nginx/ca.pem"

cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 4096; }
http {
	log_format lab '\$bytes_sent \$status \$request_uri';
	access_log $tmp/nginx/logs/access.log lab;
	client_body_temp_path $tmp/nginx/logs; proxy_temp_path $tmp/nginx/logs;
	fastcgi_temp_path $tmp/nginx/logs; uwsgi_temp_path $tmp/nginx/logs; scgi_temp_path $tmp/nginx/logs;
	types { application/octet-stream bin; }
	sendfile on;
	keepalive_requests 100000;
	server {
		listen 80 reuseport;
		listen 443 ssl http2;
		ssl_certificate $tmp/nginx/srv.pem;
		ssl_certificate_key $tmp/nginx/srv.key;
		root $www;
		location /capped/ { limit_rate 4m; }
		location /plain/ { max_ranges 0; etag off; }
	}
}
CONF

lab_up
# Listening on every address of the server's namespace: the link's
# devices come and go with each case.
ip netns exec "$ns_srv" nginx -c "$tmp/nginx/nginx.conf"
nginx_up=1

# served: the bytes nginx has logged as sent so far (a request is logged
# when it ends; wait until the count holds still).
served() {
	local a b i
	b=$(awk '{ s += $1 } END { printf "%.0f", s }' "$tmp/nginx/logs/access.log")
	for ((i = 0; i < 20; i++)); do
		sleep 0.1
		a=$b
		b=$(awk '{ s += $1 } END { printf "%.0f", s }' "$tmp/nginx/logs/access.log")
		[ "$a" = "$b" ] && break
	done
	echo "$b"
}
sent_counter=served

# --- the cases ---------------------------------------------------------------

wants() { [[ " $cases " == *" $1 "* ]]; }
in_cli=(ip netns exec "$ns_cli" timeout "$run_limit")
aria=("${in_cli[@]}" aria2c --allow-overwrite=true --auto-file-renaming=false --file-allocation=none
	--console-log-level=warn --summary-interval=0 --ca-certificate="$ca" -d @OUT@)
curl=("${in_cli[@]}" curl -sSf --cacert "$ca")
wget=("${in_cli[@]}" wget -q --ca-certificate="$ca")

# one_case NAME KIND URL MIB: the single-file peers and Haul.
one_case() {
	local w=$1 kind=$2 url=$3 mib=$4
	unit=MB/s
	bytes=$((mib << 20))
	measure "$w" "haul" peer=no "$kind" "${in_cli[@]}" "$haul" get --ca-cert "$ca" -d @OUT@ --state @STATE@ "$url"
	[ -n "$before" ] && measure "$w" "haul ($before_name)" peer=no "$kind" "${in_cli[@]}" "$before" get --ca-cert "$ca" -d @OUT@ --state @STATE@ "$url"
	have aria2c && measure "$w" "aria2c -x16 -s16 -k1M" peer=yes "$kind" "${aria[@]}" -x16 -s16 -k1M "$url"
	have curl && measure "$w" "curl" peer=yes "$kind" "${curl[@]}" -o @OUT@/file.bin "$url"
	have wget && measure "$w" "wget" peer=yes "$kind" "${wget[@]}" -P @OUT@ "$url"
	return 0
}

if wants a; then
	link_up 100ms 0
	one_case "a: ${big_mib} MiB, 100 ms RTT" a "http://$srv_ip/a/file.bin" "$big_mib"
fi
if wants b; then
	link_up 100ms 0.01
	one_case "b: ${loss_mib} MiB, 100 ms RTT, 1% loss" b "http://$srv_ip/b/file.bin" "$loss_mib"
fi
if wants c; then
	link_up 40ms 0
	one_case "c: ${cap_mib} MiB, 40 ms RTT, 4 MiB/s per connection" capped "http://$srv_ip/capped/file.bin" "$cap_mib"
fi
if wants d; then
	link_up 100ms 0
	for proto in h1 h2; do
		w="d: $nfiles x 200 KiB, 100 ms RTT, $([ $proto = h1 ] && echo HTTP/1.1 || echo 'HTTP/2 (TLS)')"
		list="$tmp/small-$proto.list"
		unit=files/s
		bytes=$nfiles
		file_bytes=$((nfiles * 204800))
		measure "$w" "haul -j 16" peer=no small "${in_cli[@]}" "$haul" get --ca-cert "$ca" -j 16 -d @OUT@ --state @STATE@ -i "$list"
		[ -n "$before" ] && measure "$w" "haul -j 16 ($before_name)" peer=no small "${in_cli[@]}" "$before" get --ca-cert "$ca" -j 16 -d @OUT@ --state @STATE@ -i "$list"
		have aria2c && measure "$w" "aria2c -j16" peer=yes small "${aria[@]}" -j16 -i "$list"
		# shellcheck disable=SC2016 # $1 is expanded by that sh
		have curl && measure "$w" "curl --parallel-max 16" peer=yes small \
			"${curl[@]}" --parallel --parallel-max 16 --remote-name-all $(cat "$list")
		# wget fetches one file after the other, ten times slower than the
		# rest: NET_WGET_D_RUNS (default BENCH_RUNS) cuts its runs here.
		if have wget; then
			all_runs=$runs runs=${NET_WGET_D_RUNS:-$runs}
			measure "$w" "wget -i (sequential)" peer=yes small "${wget[@]}" -i "$list"
			runs=$all_runs
		fi
		unset file_bytes
	done
	rm -rf "$tmp/aside"
fi
if wants e; then
	link_up 100ms 0.01
	one_case "e: ${plain_mib} MiB, no ranges (200), 100 ms RTT, 1% loss" plain "http://$srv_ip/plain/file.bin" "$plain_mib"
fi

bench_command="NET_CASES=\"$cases\" BENCH_RUNS=$runs NET_BIG_MIB=$big_mib NET_LOSS_MIB=$loss_mib NET_CAP_MIB=$cap_mib NET_PLAIN_MIB=$plain_mib NET_FILES=$nfiles${NET_WGET_D_RUNS:+ NET_WGET_D_RUNS=$NET_WGET_D_RUNS}${before:+ NET_BEFORE=$before} scripts/netlab.sh"
notes+=("link: haul-netem over TUN, MTU 1500, tcp_rmem/wmem max $tcp_max bytes, $(ip netns exec "$ns_srv" sysctl -n net.ipv4.tcp_congestion_control) congestion control; $(nginx -v 2>&1)")
report net
