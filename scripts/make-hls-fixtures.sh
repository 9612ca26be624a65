#!/usr/bin/env bash
# Builds the small HLS fixtures under engine/testserver/testdata/hls with
# real tools (ffmpeg's testsrc2 and sine sources, the hls muxer, openssl
# for AES-128), installing ffmpeg and openssl when missing. Run it once;
# its output is committed, so tests never need ffmpeg.
#
#   ts/          MPEG-TS, 3 segments of 1 s (160x90, 10 fps, mono AAC)
#   aes/         ts/'s segments encrypted with AES-128-CBC: key1 with an
#                explicit IV for the first two, key2 (rotation) with the
#                IV taken from the media sequence number for the third
#   fmp4/        fragmented MP4: EXT-X-MAP init section and .m4s fragments
#   fmp4-range/  the same in one file: EXT-X-MAP with BYTERANGE, then
#                EXT-X-BYTERANGE segments with implicit offsets
#   master/      a master playlist of two variants (160x90 is ../ts/,
#                96x54 is lo/)
#   audio/       a master playlist whose variant's audio is a separate
#                EXT-X-MEDIA TYPE=AUDIO rendition
#
# Each stream directory has expected.sha256: the SHA-256 of the file a
# downloader must produce (init section first, segments decrypted, in
# playlist order), made here with cat, independently of Haul's code.
set -euo pipefail
cd "$(dirname "$0")/.."
out=engine/testserver/testdata/hls

need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
	sudo=()
	[ "$(id -u)" -ne 0 ] && sudo=(sudo)
	echo "make-hls-fixtures: installing ${need[*]}" >&2
	"${sudo[@]}" apt-get update
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

rm -rf "$out"
mkdir -p "$out"/{ts,aes,fmp4,fmp4-range,master/lo,audio}

# Three seconds of 10 fps video and a 440 Hz tone; a keyframe every
# second so every segment starts on one. -threads 1 and bitexact keep the
# output the same from run to run on one ffmpeg version.
src=(-f lavfi -i testsrc2=size=160x90:rate=10:duration=3
	-f lavfi -i sine=frequency=440:sample_rate=22050:duration=3)
enc=(-threads 1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact
	-c:v libx264 -preset veryfast -g 10 -keyint_min 10 -sc_threshold 0 -pix_fmt yuv420p
	-c:a aac -b:a 24k -ac 1)
hls=(-f hls -hls_time 1 -hls_playlist_type vod)
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
sha() { cat "$@" | sha256sum | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
# peak prints the largest segment's size in bits (segments are 1 s long).
peak() {
	local max=0 f
	for f in "$@"; do max=$(($(size "$f") > max ? $(size "$f") : max)); done
	echo $((max * 8))
}

echo "== ts"
(cd "$out/ts" && ff "${src[@]}" "${enc[@]}" "${hls[@]}" -hls_segment_filename 'seg%d.ts' index.m3u8)
sha "$out"/ts/seg{0,1,2}.ts >"$out/ts/expected.sha256"

echo "== aes"
key1=$(openssl rand -hex 16)
key2=$(openssl rand -hex 16)
iv1=$(openssl rand -hex 16)
unhex() { printf "$(echo "$1" | sed 's/../\\x&/g')"; }
unhex "$key1" >"$out/aes/key1.key"
unhex "$key2" >"$out/aes/key2.key"
# The third segment's IV is its media sequence number, 9, as a 128-bit
# big-endian integer.
iv9=$(printf '%032x' 9)
openssl enc -aes-128-cbc -K "$key1" -iv "$iv1" -in "$out/ts/seg0.ts" -out "$out/aes/seg0.ts"
openssl enc -aes-128-cbc -K "$key1" -iv "$iv1" -in "$out/ts/seg1.ts" -out "$out/aes/seg1.ts"
openssl enc -aes-128-cbc -K "$key2" -iv "$iv9" -in "$out/ts/seg2.ts" -out "$out/aes/seg2.ts"
cat >"$out/aes/index.m3u8" <<EOF
#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:7
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-KEY:METHOD=AES-128,URI="key1.key",IV=0x$iv1
#EXTINF:1.000000,
seg0.ts
#EXTINF:1.000000,
seg1.ts
#EXT-X-KEY:METHOD=AES-128,URI="key2.key"
#EXTINF:1.000000,
seg2.ts
#EXT-X-ENDLIST
EOF
cp "$out/ts/expected.sha256" "$out/aes/expected.sha256"

echo "== fmp4"
(cd "$out/fmp4" && ff "${src[@]}" "${enc[@]}" "${hls[@]}" -hls_segment_type fmp4 \
	-hls_fmp4_init_filename init.mp4 -hls_segment_filename 'seg%d.m4s' index.m3u8)
sha "$out"/fmp4/init.mp4 "$out"/fmp4/seg{0,1,2}.m4s >"$out/fmp4/expected.sha256"

echo "== fmp4-range"
(cd "$out/fmp4-range" && ff "${src[@]}" "${enc[@]}" "${hls[@]}" -hls_segment_type fmp4 \
	-hls_flags single_file -hls_segment_filename 'all.mp4' index.m3u8)
# ffmpeg writes every offset; keep the first segment's and drop the rest,
# which then follow on from the previous segment (RFC 8216 4.3.2.2).
awk '/^#EXT-X-BYTERANGE:/ { if (seen++) sub(/@[0-9]+$/, "") } { print }' \
	"$out/fmp4-range/index.m3u8" >"$out/fmp4-range/index.tmp"
mv "$out/fmp4-range/index.tmp" "$out/fmp4-range/index.m3u8"
# The init section and the segments cover the whole file, in order.
sha "$out/fmp4-range/all.mp4" >"$out/fmp4-range/expected.sha256"

echo "== master"
(cd "$out/master/lo" && ff "${src[@]}" "${enc[@]}" -vf scale=96:54 "${hls[@]}" \
	-hls_segment_filename 'seg%d.ts' index.m3u8)
sha "$out"/master/lo/seg{0,1,2}.ts >"$out/master/lo/expected.sha256"
cat >"$out/master/master.m3u8" <<EOF
#EXTM3U
#EXT-X-VERSION:3
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=$(peak "$out"/master/lo/seg*.ts),RESOLUTION=96x54,CODECS="avc1.64000a,mp4a.40.2",FRAME-RATE=10.000
lo/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=$(peak "$out"/ts/seg*.ts),RESOLUTION=160x90,CODECS="avc1.64000a,mp4a.40.2",FRAME-RATE=10.000
../ts/index.m3u8
EOF

echo "== audio"
(cd "$out/audio" && ff "${src[@]}" -map 0:v -map 1:a "${enc[@]}" "${hls[@]}" \
	-var_stream_map 'v:0,name:video a:0,name:audio' -hls_segment_filename '%v/seg%d.ts' '%v/index.m3u8')
for d in video audio; do
	mapfile -t segs < <(grep -v '^#' "$out/audio/$d/index.m3u8")
	(cd "$out/audio/$d" && sha "${segs[@]}") >"$out/audio/$d/expected.sha256"
done
cat >"$out/audio/master.m3u8" <<EOF
#EXTM3U
#EXT-X-VERSION:3
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=$(peak "$out"/audio/video/seg*.ts),RESOLUTION=160x90,CODECS="avc1.64000a,mp4a.40.2",AUDIO="aud"
video/index.m3u8
EOF

du -sh "$out"
