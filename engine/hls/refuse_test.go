package hls

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
)

// media wraps segment lines in a valid VOD media playlist.
func media(body string) string {
	return "#EXTM3U\n#EXT-X-TARGETDURATION:2\n" + body + "#EXT-X-ENDLIST\n"
}

func TestRefusals(t *testing.T) {
	seg := "#EXTINF:2,\na.ts\n"
	for _, c := range []struct {
		name, text string
		want       error
		detail     string // part of the message
	}{
		{"empty", "", ErrNotPlaylist, ""},
		{"no header", "#EXT-X-TARGETDURATION:2\n" + seg + "#EXT-X-ENDLIST\n", ErrNotPlaylist, "#EXTM3U"},
		{"HTML", "<html><body>not found</body></html>", ErrNotPlaylist, ""},
		{"binary", "#EXTM3U\n\x00\x01\x02", ErrMalformed, "UTF-8"},
		{"not UTF-8", "#EXTM3U\n#EXTINF:2,\xff\xfe\na.ts\n", ErrMalformed, "UTF-8"},
		{"live", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n" + seg, ErrLive, "live stream"},
		{"live event", "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:2\n" + seg, ErrLive, "not supported yet"},
		{"sample-aes", media(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://x",KEYFORMAT="com.apple.streamingkeydelivery"` + "\n" + seg), ErrDRM, "SAMPLE-AES"},
		{"sample-aes-ctr", media(`#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI="data:text/plain;base64,AAAA"` + "\n" + seg), ErrDRM, "SAMPLE-AES-CTR"},
		{"widevine keyformat", media(`#EXT-X-KEY:METHOD=AES-128,URI="k",KEYFORMAT="urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"` + "\n" + seg), ErrDRM, "KEYFORMAT"},
		{"unquoted keyformat", media(`#EXT-X-KEY:METHOD=AES-128,URI="k",KEYFORMAT=com.widevine` + "\n" + seg), ErrDRM, "com.widevine"},
		{"session key DRM", "#EXTM3U\n" + `#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="skd://k",KEYFORMAT="com.apple.streamingkeydelivery"` + "\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", ErrDRM, "EXT-X-SESSION-KEY"},
		{"unknown method", media("#EXT-X-KEY:METHOD=ROT13,URI=\"k\"\n" + seg), ErrKeyMethod, "ROT13"},
		{"key without method", media("#EXT-X-KEY:URI=\"k\"\n" + seg), ErrMalformed, "METHOD"},
		{"AES key without URI", media("#EXT-X-KEY:METHOD=AES-128\n" + seg), ErrMalformed, "URI"},
		{"unquoted key URI", media("#EXT-X-KEY:METHOD=AES-128,URI=k.key\n" + seg), ErrMalformed, "quoted URI"},
		{"bad IV", media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xZZ\n" + seg), ErrMalformed, "IV"},
		{"IV too long", media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x" + strings.Repeat("1", 33) + "\n" + seg), ErrMalformed, "IV"},
		{"encrypted map without IV", media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXT-X-MAP:URI=\"i.mp4\"\n" + seg), ErrMalformed, "explicit IV"},
		{"unterminated quote", media(`#EXT-X-MAP:URI="init.mp4` + "\n" + seg), ErrMalformed, "unterminated"},
		{"stray quote", media(`#EXT-X-KEY:METHOD=AES-128,URI=k"x"` + "\n" + seg), ErrMalformed, "stray quote"},
		{"duplicate attribute", media(`#EXT-X-MAP:URI="a.mp4",URI="b.mp4"` + "\n" + seg), ErrMalformed, "twice"},
		{"attribute without value", media(`#EXT-X-MAP:URI` + "\n" + seg), ErrMalformed, "no value"},
		{"empty value", media(`#EXT-X-MAP:BYTERANGE=,URI="a"` + "\n" + seg), ErrMalformed, "empty value"},
		{"missing comma", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1 RESOLUTION=1x1\nv.m3u8\n", ErrMalformed, "comma"},
		{"bad attribute name", "#EXTM3U\n#EXT-X-STREAM-INF:BANDW!DTH=1\nv.m3u8\n", ErrMalformed, "attribute"},
		{"bad bandwidth", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=-5\nv.m3u8\n", ErrMalformed, "BANDWIDTH"},
		{"bad resolution", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=5,RESOLUTION=big\nv.m3u8\n", ErrMalformed, "RESOLUTION"},
		{"stream-inf without URI", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=5\n", ErrMalformed, "without a variant URI"},
		{"master without variants", "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"a\"\n", ErrMalformed, "without variants"},
		{"media without group", "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,NAME=\"a\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", ErrMalformed, "GROUP-ID"},
		{"media of unknown type", "#EXTM3U\n#EXT-X-MEDIA:TYPE=SMELL,GROUP-ID=\"a\",NAME=\"a\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", ErrMalformed, "SMELL"},
		{"mixed kinds", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n" + seg + "#EXT-X-ENDLIST\n", ErrMalformed, "mixes"},
		{"neither kind", "#EXTM3U\n#EXT-X-VERSION:3\n", ErrMalformed, "neither"},
		{"uri first", "#EXTM3U\na.ts\n", ErrMalformed, "before any"},
		{"segment without EXTINF", media(seg + "b.ts\n"), ErrMalformed, "without EXTINF"},
		{"EXTINF without URI", media(seg + "#EXTINF:2,\n"), ErrMalformed, "EXTINF"},
		{"EXTINF at the end", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-ENDLIST\n#EXTINF:2,\n", ErrMalformed, "without a segment URI"},
		{"no segments", media(""), ErrMalformed, "no segments"},
		{"negative duration", media("#EXTINF:-1,\na.ts\n"), ErrMalformed, "duration"},
		{"huge duration", media("#EXTINF:1e300,\na.ts\n"), ErrMalformed, "duration"},
		{"NaN duration", media("#EXTINF:NaN,\na.ts\n"), ErrMalformed, "duration"},
		{"bad target duration", "#EXTM3U\n#EXT-X-TARGETDURATION:soon\n" + seg + "#EXT-X-ENDLIST\n", ErrMalformed, "TARGETDURATION"},
		{"late media sequence", media(seg + "#EXT-X-MEDIA-SEQUENCE:5\n" + seg), ErrMalformed, "MEDIA-SEQUENCE"},
		{"sequence overflow", media("#EXT-X-MEDIA-SEQUENCE:18446744073709551615\n" + seg + seg), ErrMalformed, "overflows"},
		{"bad media sequence", media("#EXT-X-MEDIA-SEQUENCE:18446744073709551616\n" + seg), ErrMalformed, "MEDIA-SEQUENCE"},
		{"bad playlist type", media("#EXT-X-PLAYLIST-TYPE:LIVE\n" + seg), ErrMalformed, "PLAYLIST-TYPE"},
		{"bad version", media("#EXT-X-VERSION:x\n" + seg), ErrMalformed, "VERSION"},
		{"file URI", media("#EXTINF:2,\nfile:///etc/passwd\n"), ErrMalformed, "not an http(s) URL"},
		{"data key URI", media(`#EXT-X-KEY:METHOD=AES-128,URI="data:;base64,AAAAAAAAAAAAAAAAAAAAAA=="` + "\n" + seg), ErrMalformed, "not an http(s) URL"},
		{"ftp segment", media("#EXTINF:2,\nftp://files.example.com/a.ts\n"), ErrMalformed, "not an http(s) URL"},
		{"javascript variant", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\njavascript:alert(1)\n", ErrMalformed, "not an http(s) URL"},
		{"bad URI", media("#EXTINF:2,\nhttp://[::1\n"), ErrMalformed, "bad URI"},
		{"implicit offset first", media("#EXTINF:2,\n#EXT-X-BYTERANGE:100\na.ts\n"), ErrMalformed, "same URI"},
		{"implicit offset other URI", media("#EXTINF:2,\n#EXT-X-BYTERANGE:100@0\na.ts\n#EXTINF:2,\n#EXT-X-BYTERANGE:100\nb.ts\n"), ErrMalformed, "same URI"},
		{"implicit offset after whole", media("#EXTINF:2,\na.ts\n#EXTINF:2,\n#EXT-X-BYTERANGE:100\na.ts\n"), ErrMalformed, "same URI"},
		{"empty byte range", media("#EXTINF:2,\n#EXT-X-BYTERANGE:0@0\na.ts\n"), ErrMalformed, "empty byte range"},
		{"bad byte range", media("#EXTINF:2,\n#EXT-X-BYTERANGE:10@x\na.ts\n"), ErrMalformed, "offset"},
		{"two byte ranges", media("#EXTINF:2,\n#EXT-X-BYTERANGE:10@0\n#EXT-X-BYTERANGE:10@0\na.ts\n"), ErrMalformed, "two"},
		{"huge byte range", media("#EXTINF:2,\n#EXT-X-BYTERANGE:4294967297@0\na.ts\n"), ErrTooLarge, "byte range"},
		{"huge map range", media(`#EXT-X-MAP:URI="i",BYTERANGE="99999999999"` + "\n" + seg), ErrTooLarge, "byte range"},
		{"huge offset", media("#EXTINF:2,\n#EXT-X-BYTERANGE:10@1152921504606846976\na.ts\n"), ErrTooLarge, "offset"},
		{"overflowing length", media("#EXTINF:2,\n#EXT-X-BYTERANGE:99999999999999999999@0\na.ts\n"), ErrMalformed, "out of range"},
		{"gap", media("#EXT-X-GAP\n" + seg), ErrUnsupported, "EXT-X-GAP"},
		{"i-frames only", media("#EXT-X-I-FRAMES-ONLY\n" + seg), ErrUnsupported, "I-frame"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := parse(t, c.text)
			if p != nil {
				t.Errorf("returned a playlist along with %v", err)
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), c.detail) {
				t.Errorf("message %q does not mention %q", err, c.detail)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	seg := "#EXTINF:1,\na.ts\n"
	lim := Limits{MaxBytes: 1000, MaxLine: 100, MaxSegments: 3, MaxRange: 50}
	for _, c := range []struct {
		name, text string
		ok         bool
	}{
		{"segments at the limit", media(strings.Repeat(seg, 3)), true},
		{"segments over", media(strings.Repeat(seg, 4)), false},
		{"variants over", "#EXTM3U\n" + strings.Repeat("#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", 4), false},
		{"renditions count", "#EXTM3U\n" + strings.Repeat("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"n\"\n", 3) + "#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", false},
		{"line at the limit", media("#EXTINF:1," + strings.Repeat("t", 100-len("#EXTINF:1,")) + "\na.ts\n"), true},
		{"line over", media("#EXTINF:1," + strings.Repeat("t", 101-len("#EXTINF:1,")) + "\na.ts\n"), false},
		{"text over", media(strings.Repeat("# padding comment, ignored but counted\n", 30) + seg), false},
		{"range at the limit", media("#EXTINF:1,\n#EXT-X-BYTERANGE:50@0\na.ts\n"), true},
		{"range over", media("#EXTINF:1,\n#EXT-X-BYTERANGE:51@0\na.ts\n"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(c.text), mustURL(t, base), lim)
			if c.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if p != nil || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("got %v, %v; want ErrTooLarge", p, err)
			}
		})
	}
}

func TestDefaultLimits(t *testing.T) {
	// 100,001 segments of "#EXTINF:1,\na.ts\n" are 1.6 MB: under 8 MiB, so
	// the segment limit is what refuses them.
	big := media(strings.Repeat("#EXTINF:1,\na.ts\n", DefaultMaxSegments+1))
	if _, err := parse(t, big); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "100000 segments") {
		t.Fatalf("err = %v", err)
	}
	if p, err := parse(t, media(strings.Repeat("#EXTINF:1,\na.ts\n", DefaultMaxSegments))); err != nil || len(p.Media.Segments) != DefaultMaxSegments {
		t.Fatalf("100,000 segments refused: %v", err)
	}
	// 8 MiB + 1 of text is refused before parsing; the reader is not
	// drained further.
	r := &countingReader{r: io.MultiReader(strings.NewReader("#EXTM3U\n"), strings.NewReader(strings.Repeat("#\n", 8<<20)))}
	if _, err := Parse(r, mustURL(t, base), Limits{}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if r.n > DefaultMaxBytes+64<<10 {
		t.Errorf("read %d bytes for an 8 MiB limit", r.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadErrorsAndBadBase(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := Parse(iotest.ErrReader(boom), mustURL(t, base), Limits{})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	for _, b := range []string{"", "/relative/index.m3u8", "file:///tmp/x.m3u8", "ftp://h/x.m3u8"} {
		_, err := Parse(strings.NewReader(media("#EXTINF:1,\na.ts\n")), mustURL(t, b), Limits{})
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("base %q: err = %v", b, err)
		}
	}
	if _, err := Parse(strings.NewReader("#EXTM3U"), nil, Limits{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("nil base: %v", err)
	}
}

func ExampleParse() {
	text := "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg0.ts\n#EXT-X-ENDLIST\n"
	base, _ := url.Parse("https://example.com/v/index.m3u8")
	p, err := Parse(strings.NewReader(text), base, Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Media.Segments[0].URL)
	// Output: https://example.com/v/seg0.ts
}
