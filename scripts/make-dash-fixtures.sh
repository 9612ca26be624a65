#!/usr/bin/env bash
# Builds the small MPEG-DASH fixtures under engine/testserver/testdata/dash
# with ffmpeg's dash muxer (testsrc2 and sine sources, as for the HLS
# fixtures), installing ffmpeg when missing. Run it once; its output is
# committed, so tests never need ffmpeg.
#
#   number/    SegmentTemplate with $Number%05d$ and a duration: two video
#              representations (160x90 and 96x54) and an audio one
#   timeline/  SegmentTemplate with $Time$ and a SegmentTimeline
#   list/      one file per representation, a SegmentList of mediaRanges
#   base/      one file per representation with a global sidx box, and a
#              SegmentBase manifest with its indexRange (written here from
#              the file's boxes: ffmpeg 5.1 writes only SegmentList for
#              single files)
#
# Each directory has video.sha256 and audio.sha256 (number/ also
# video-lo.sha256): the SHA-256 of the file a downloader must make of the
# representation (init section, then the segments in order), made here
# with cat and dd, independently of Haul's code.
set -euo pipefail
cd "$(dirname "$0")/.."
out=engine/testserver/testdata/dash

if ! command -v ffmpeg >/dev/null 2>&1; then
	sudo=()
	[ "$(id -u)" -ne 0 ] && sudo=(sudo)
	"${sudo[@]}" apt-get update
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg
fi

rm -rf "$out"
mkdir -p "$out"/{number,timeline,list,base}
src=(-f lavfi -i testsrc2=size=160x90:rate=10:duration=3
	-f lavfi -i sine=frequency=440:sample_rate=22050:duration=3)
enc=(-threads 1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact
	-c:v libx264 -preset veryfast -g 10 -keyint_min 10 -sc_threshold 0 -pix_fmt yuv420p
	-c:a aac -b:a 24k -ac 1)
dash=(-f dash -seg_duration 1 -adaptation_sets "id=0,streams=v id=1,streams=a")
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
sha() { cat "$@" | sha256sum | cut -d' ' -f1; }

ff "${src[@]}" -map 0:v -map 0:v -map 1:a "${enc[@]}" -s:v:0 160x90 -b:v:0 100k -s:v:1 96x54 -b:v:1 50k \
	"${dash[@]}" -use_template 1 -use_timeline 0 "$out/number/manifest.mpd"
( cd "$out/number"
	# 3 s at 1 s a segment is 3 segments; the muxer's 4th audio chunk (the
	# encoder's tail, past the duration) is never asked for.
	rm -f chunk-stream2-00004.m4s
	sha init-stream0.m4s chunk-stream0-0000{1,2,3}.m4s >video.sha256
	sha init-stream1.m4s chunk-stream1-0000{1,2,3}.m4s >video-lo.sha256
	sha init-stream2.m4s chunk-stream2-0000{1,2,3}.m4s >audio.sha256 )

ff "${src[@]}" -map 0:v -map 1:a "${enc[@]}" "${dash[@]}" -use_template 1 -use_timeline 1 \
	-media_seg_name 'chunk-$RepresentationID$-$Time$.$ext$' "$out/timeline/manifest.mpd"
( cd "$out/timeline"
	# ffmpeg 5.1 names the first audio chunk by its decode time (-1024)
	# while its manifest says t="0": name it as the manifest does.
	[ -e chunk-1--1024.m4s ] && mv -- chunk-1--1024.m4s chunk-1-0.m4s
	sha init-stream0.m4s chunk-0-{0,10240,20480}.m4s >video.sha256
	sha init-stream1.m4s chunk-1-{0,18432,39936,62464}.m4s >audio.sha256 )

ff "${src[@]}" -map 0:v -map 1:a "${enc[@]}" "${dash[@]}" -single_file 1 "$out/list/manifest.mpd"
( cd "$out/list"
	sha manifest-stream0.mp4 >video.sha256 # the ranges cover the whole file
	sha manifest-stream1.mp4 >audio.sha256 )

ff "${src[@]}" -map 0:v -map 1:a "${enc[@]}" "${dash[@]}" -single_file 1 -global_sidx 1 "$out/base/manifest.mpd"
( cd "$out/base"
	# The sidx box's byte range in each file, from its top-level boxes.
	sidx() { python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read(); off = 0
while off < len(b):
    size, typ = struct.unpack(">I4s", b[off:off+8])
    if typ == b"sidx":
        print(off, off + size - 1); break
    off += size' "$1"; }
	read -r v0 v1 < <(sidx manifest-stream0.mp4)
	read -r a0 a1 < <(sidx manifest-stream1.mp4)
	# The manifest ffmpeg wrote, its SegmentLists replaced by SegmentBase.
	python3 - "$v0" "$v1" "$a0" "$a1" <<'PY'
import re, sys
v0, v1, a0, a1 = sys.argv[1:]
s = open("manifest.mpd").read()
lists = re.findall(r"<SegmentList.*?</SegmentList>", s, re.S)
for lst, (i0, i1) in zip(lists, [(v0, v1), (a0, a1)]):
    s = s.replace(lst, f'<SegmentBase indexRange="{i0}-{i1}">\n\t\t\t\t\t<Initialization range="0-{int(i0)-1}" />\n\t\t\t\t</SegmentBase>')
open("manifest.mpd", "w").write(s)
PY
	sha manifest-stream0.mp4 >video.sha256 # init, sidx, then every fragment
	sha manifest-stream1.mp4 >audio.sha256 )
