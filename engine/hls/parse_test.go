package hls

import (
	"errors"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// base is where the test playlists pretend to live.
const base = "https://cdn.example.com/videos/show/index.m3u8"

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// parse parses text as if fetched from base.
func parse(t testing.TB, text string) (*Playlist, error) {
	t.Helper()
	return Parse(strings.NewReader(text), mustURL(t, base), Limits{})
}

func parseMedia(t testing.TB, text string) *Media {
	t.Helper()
	p, err := parse(t, text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Media == nil || p.Master != nil {
		t.Fatalf("not a media playlist: %+v", p)
	}
	return p.Media
}

func parseMaster(t testing.TB, text string) *Master {
	t.Helper()
	p, err := parse(t, text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Master == nil || p.Media != nil {
		t.Fatalf("not a master playlist: %+v", p)
	}
	return p.Master
}

// fixture parses the committed fixture name as served from
// https://media.example.org/hls/NAME.
func fixture(t testing.TB, name string) *Playlist {
	t.Helper()
	b, err := fs.ReadFile(testserver.HLSFixtures(), name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(strings.NewReader(string(b)), mustURL(t, "https://media.example.org/hls/"+name), Limits{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

func TestParsesTheTSFixture(t *testing.T) {
	m := fixture(t, "ts/index.m3u8").Media
	if m == nil {
		t.Fatal("not a media playlist")
	}
	if m.TargetDuration != time.Second || m.Type != "VOD" || m.Version != 3 || m.MediaSequence != 0 {
		t.Errorf("header: %+v", m)
	}
	if len(m.Segments) != 3 {
		t.Fatalf("%d segments", len(m.Segments))
	}
	for i, s := range m.Segments {
		want := "https://media.example.org/hls/ts/seg" + string(rune('0'+i)) + ".ts"
		if s.URL != want || s.Duration != time.Second || s.Sequence != uint64(i) || s.Key != nil || s.Map != nil || s.Range != nil {
			t.Errorf("segment %d: %+v", i, s)
		}
	}
}

func TestParsesTheAESFixtureWithKeyRotation(t *testing.T) {
	m := fixture(t, "aes/index.m3u8").Media
	segs := m.Segments
	if len(segs) != 3 || m.MediaSequence != 7 {
		t.Fatalf("%d segments from %d", len(segs), m.MediaSequence)
	}
	k1, k2 := segs[0].Key, segs[2].Key
	if k1 == nil || k2 == nil || segs[1].Key != k1 {
		t.Fatalf("keys %v %v %v", segs[0].Key, segs[1].Key, segs[2].Key)
	}
	if k1.URL != "https://media.example.org/hls/aes/key1.key" || k2.URL != "https://media.example.org/hls/aes/key2.key" || k1.Method != "AES-128" {
		t.Errorf("key URLs %s %s", k1.URL, k2.URL)
	}
	if k1.IV == nil || k2.IV != nil {
		t.Fatalf("IVs: %v %v", k1.IV, k2.IV)
	}
	if segs[0].IV() != *k1.IV || segs[1].IV() != *k1.IV {
		t.Error("the explicit IV is not used for both segments under key1")
	}
	// Segment 3 is sequence number 9: its IV is 9 as a 128-bit integer.
	if iv := segs[2].IV(); iv != [16]byte{15: 9} {
		t.Errorf("IV from sequence 9 = %x", iv)
	}
}

func TestParsesTheFMP4Fixtures(t *testing.T) {
	m := fixture(t, "fmp4/index.m3u8").Media
	for _, s := range m.Segments {
		if s.Map == nil || s.Map.URL != "https://media.example.org/hls/fmp4/init.mp4" || s.Map.Range != nil {
			t.Fatalf("map %+v", s.Map)
		}
	}
	// One file: the init section and then segments whose offsets follow
	// on from each other (the fixture gives only the first explicitly).
	r := fixture(t, "fmp4-range/index.m3u8").Media
	mp := r.Segments[0].Map
	if mp == nil || mp.Range == nil || *mp.Range != (ByteRange{0, 1352}) {
		t.Fatalf("map %+v", mp)
	}
	end := mp.Range.End()
	for i, s := range r.Segments {
		if s.Range == nil || s.Range.Offset != end || s.URL != "https://media.example.org/hls/fmp4-range/all.mp4" {
			t.Fatalf("segment %d: %+v range %+v, want offset %d", i, s, s.Range, end)
		}
		end = s.Range.End()
	}
	if end != 42471 {
		t.Errorf("ranges end at %d, the file is 42471 bytes", end)
	}
}

func TestParsesTheMasterFixtures(t *testing.T) {
	m := fixture(t, "master/master.m3u8").Master
	if len(m.Variants) != 2 {
		t.Fatalf("%d variants", len(m.Variants))
	}
	lo, hi := m.Variants[0], m.Variants[1]
	if lo.Width != 96 || lo.Height != 54 || hi.Width != 160 || hi.Height != 90 || lo.Bandwidth >= hi.Bandwidth || lo.Bandwidth == 0 {
		t.Errorf("variants %+v %+v", lo, hi)
	}
	if lo.Codecs != "avc1.64000a,mp4a.40.2" || lo.FrameRate != 10 {
		t.Errorf("codecs %q frame rate %v", lo.Codecs, lo.FrameRate)
	}
	// "../ts/index.m3u8" climbs out of master/.
	if lo.URL != "https://media.example.org/hls/master/lo/index.m3u8" || hi.URL != "https://media.example.org/hls/ts/index.m3u8" {
		t.Errorf("URLs %s %s", lo.URL, hi.URL)
	}

	a := fixture(t, "audio/master.m3u8").Master
	if len(a.Variants) != 1 || len(a.Renditions) != 1 {
		t.Fatalf("%+v", a)
	}
	r := a.Renditions[0]
	want := Rendition{Type: "AUDIO", GroupID: "aud", Name: "English", Language: "en", Default: true, AutoSelect: true,
		URL: "https://media.example.org/hls/audio/audio/index.m3u8"}
	if r != want || a.Variants[0].Audio != "aud" {
		t.Errorf("rendition %+v, variant audio %q", r, a.Variants[0].Audio)
	}
}

func TestRelativeURIsResolveAgainstTheRedirectedURL(t *testing.T) {
	// The caller asked for https://short.example/v and was redirected
	// here; URIs resolve against where the playlist really is.
	text := "#EXTM3U\n#EXT-X-TARGETDURATION:4\n" +
		"#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/k?id=1\"\n" +
		"#EXTINF:4,\nseg 1.ts\n" +
		"#EXTINF:4,\n../other/seg2.ts?token=a%20b#frag\n" +
		"#EXTINF:4,\n//cdn2.example.net/seg3.ts\n" +
		"#EXTINF:4,\nhttp://plain.example/seg4.ts\n" +
		"#EXT-X-ENDLIST\n"
	p, err := Parse(strings.NewReader(text), mustURL(t, "https://edge.example.com/a/b/playlist.m3u8?sig=x"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://edge.example.com/a/b/seg%201.ts",
		"https://edge.example.com/a/other/seg2.ts?token=a%20b",
		"https://cdn2.example.net/seg3.ts",
		"http://plain.example/seg4.ts",
	}
	for i, s := range p.Media.Segments {
		if s.URL != want[i] {
			t.Errorf("segment %d: %s, want %s", i, s.URL, want[i])
		}
	}
	if k := p.Media.Segments[0].Key.URL; k != "https://edge.example.com/keys/k?id=1" {
		t.Errorf("key URL %s", k)
	}
	if p.Media.URL != "https://edge.example.com/a/b/playlist.m3u8?sig=x" {
		t.Errorf("playlist URL %s", p.Media.URL)
	}
}

func TestByteRangeOffsets(t *testing.T) {
	m := parseMedia(t, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n"+
		"#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720\"\n"+ // offset 0 by default
		"#EXTINF:1,\n#EXT-X-BYTERANGE:1000@720\nmain.mp4\n"+
		"#EXTINF:1,\n#EXT-X-BYTERANGE:500\nmain.mp4\n"+ // follows on: 1720
		"#EXTINF:1,\n#EXT-X-BYTERANGE:300@10000\nmain.mp4\n"+ // jumps
		"#EXTINF:1,\n#EXT-X-BYTERANGE:7\nmain.mp4\n"+ // 10300
		"#EXTINF:1,\nwhole.mp4\n"+ // no range: the whole resource
		"#EXT-X-ENDLIST\n")
	want := []*ByteRange{{720, 1000}, {1720, 500}, {10000, 300}, {10300, 7}, nil}
	for i, s := range m.Segments {
		if (s.Range == nil) != (want[i] == nil) || s.Range != nil && *s.Range != *want[i] {
			t.Errorf("segment %d: range %+v, want %+v", i, s.Range, want[i])
		}
	}
	if r := m.Segments[0].Map.Range; r == nil || *r != (ByteRange{0, 720}) {
		t.Errorf("map range %+v", r)
	}
}

func TestKeyMethodsAndRotation(t *testing.T) {
	m := parseMedia(t, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:4294967296\n"+
		"#EXTINF:2,\nclear.ts\n"+
		"#EXT-X-KEY:METHOD=AES-128,URI=\"a.key\",KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1\"\n"+
		"#EXTINF:2,\nenc1.ts\n#EXTINF:2,\nenc2.ts\n"+
		"#EXT-X-KEY:METHOD=AES-128,URI=\"b.key\",IV=0X0102\n"+
		"#EXTINF:2,\nenc3.ts\n"+
		"#EXT-X-KEY:METHOD=NONE\n"+
		"#EXTINF:2,\nclear2.ts\n#EXT-X-ENDLIST\n")
	s := m.Segments
	if s[0].Key != nil || s[4].Key != nil {
		t.Error("clear segments have a key")
	}
	if s[1].Key == nil || s[1].Key != s[2].Key || s[1].Key.URL != "https://cdn.example.com/videos/show/a.key" {
		t.Fatalf("key of segments 2 and 3: %+v %+v", s[1].Key, s[2].Key)
	}
	// Sequence 2^32+1 and 2^32+2, big-endian in the last 8 bytes.
	if iv := s[1].IV(); iv != [16]byte{11: 1, 15: 1} {
		t.Errorf("IV of sequence 2^32+1: %x", iv)
	}
	if iv := s[2].IV(); iv != [16]byte{11: 1, 15: 2} {
		t.Errorf("IV of sequence 2^32+2: %x", iv)
	}
	if iv := s[3].IV(); s[3].Key.URL != "https://cdn.example.com/videos/show/b.key" || iv != [16]byte{14: 1, 15: 2} {
		t.Errorf("rotated key %s, IV %x", s[3].Key.URL, iv)
	}
}

func TestQuotedAttributesMayHoldCommasAndEquals(t *testing.T) {
	m := parseMaster(t, "#EXTM3U\n"+
		`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a,1",NAME="Director, commentary=on",URI="aud.m3u8?x=1,2",AUTOSELECT=YES`+"\n"+
		`#EXT-X-STREAM-INF:BANDWIDTH=1280000, AVERAGE-BANDWIDTH=1000000,CODECS="avc1.4d401f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="a,1",`+"\n"+
		"v.m3u8\n")
	r := m.Renditions[0]
	if r.GroupID != "a,1" || r.Name != "Director, commentary=on" || r.URL != "https://cdn.example.com/videos/show/aud.m3u8?x=1,2" || !r.AutoSelect || r.Default {
		t.Errorf("rendition %+v", r)
	}
	v := m.Variants[0]
	if v.Bandwidth != 1280000 || v.AverageBandwidth != 1000000 || v.Codecs != "avc1.4d401f,mp4a.40.2" || v.Height != 720 || v.Audio != "a,1" {
		t.Errorf("variant %+v", v)
	}
}

func TestDiscontinuityAndTitles(t *testing.T) {
	m := parseMedia(t, "\ufeff#EXTM3U\r\n#EXT-X-TARGETDURATION:6\r\n# a comment\r\n"+
		"  #EXTINF:5.5,Intro\r\na.ts\r\n\r\n\t#EXT-X-DISCONTINUITY \r\n#EXTINF:6\r\nb.ts\r\n#EXT-X-ENDLIST\r\n")
	a, b := m.Segments[0], m.Segments[1]
	if a.Title != "Intro" || a.Duration != 5500*time.Millisecond || a.Discontinuity {
		t.Errorf("first %+v", a)
	}
	if !b.Discontinuity || b.Duration != 6*time.Second || b.URL != "https://cdn.example.com/videos/show/b.ts" {
		t.Errorf("second %+v", b)
	}
}

func TestUnknownTagsAreIgnored(t *testing.T) {
	m := parseMedia(t, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-START:TIME-OFFSET=0\n"+
		"#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00Z\n#EXT-X-VENDOR-THING:whatever,\"x\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n")
	if len(m.Segments) != 1 {
		t.Fatal(m.Segments)
	}
}

func TestParseErrorNamesLineAndKind(t *testing.T) {
	_, err := parse(t, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:two,\na.ts\n#EXT-X-ENDLIST\n")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %#v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "playlist line 3: malformed playlist: EXTINF duration") {
		t.Errorf("message %q", msg)
	}
	_, err = parse(t, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n")
	if err == nil || err.Error() != "playlist: live stream: recording live streams is not supported yet" {
		t.Errorf("live message %v", err)
	}
}
