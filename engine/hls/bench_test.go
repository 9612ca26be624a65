package hls

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses and plans a media playlist at the segment limit
// (100,000 segments, AES-128 with a key every 1,000 segments, about
// 6 MB of text).
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n")
	for i := range DefaultMaxSegments {
		if i%1000 == 0 {
			fmt.Fprintf(&sb, "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example.com/k/%d\"\n", i/1000)
		}
		fmt.Fprintf(&sb, "#EXTINF:6.006,\nsegments/720p/seg-%06d.ts?token=abcdef0123456789\n", i)
	}
	sb.WriteString("#EXT-X-ENDLIST\n")
	text := sb.String()
	base := mustURL(b, "https://cdn.example.com/videos/show/720p/index.m3u8")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse(strings.NewReader(text), base, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := NewPlan(p.Media); err != nil {
			b.Fatal(err)
		}
	}
}
