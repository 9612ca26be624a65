package hls

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// ladder is a master playlist of several qualities, out of order, with
// two variants at 720 and an audio-only one.
const ladder = "#EXTM3U\n" +
	"#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS=\"avc1.4d401f,mp4a.40.2\"\nv720a.m3u8\n" +
	"#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\nv360.m3u8\n" +
	"#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\naudio-only.m3u8\n" +
	"#EXT-X-STREAM-INF:BANDWIDTH=5000000,RESOLUTION=1920x1080\nv1080.m3u8\n" +
	"#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720\nv720b.m3u8\n" +
	"#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=426x240\nv240.m3u8\n"

func chosen(t *testing.T, m *Master, q Quality) string {
	t.Helper()
	c, err := m.Choose(q)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(c.Variant.URL, "https://cdn.example.com/videos/show/")
}

func TestChooseVariant(t *testing.T) {
	m := parseMaster(t, ladder)
	for _, c := range []struct {
		q    Quality
		want string
	}{
		{Best, "v1080.m3u8"},
		{Worst, "v240.m3u8"}, // not the audio-only one
		{Height(1080), "v1080.m3u8"},
		{Height(720), "v720b.m3u8"}, // the better of the two 720s
		{Height(719), "v360.m3u8"},  // the closest below
		{Height(480), "v360.m3u8"},
		{Height(2160), "v1080.m3u8"},
		{Height(100), "v240.m3u8"}, // nothing below: the smallest
		{Height(0), "v1080.m3u8"},  // is Best
	} {
		if got := chosen(t, m, c.q); got != c.want {
			t.Errorf("%v: chose %s, want %s", c.q, got, c.want)
		}
	}
}

func TestChooseBreaksTiesByResolutionThenOrder(t *testing.T) {
	m := parseMaster(t, "#EXTM3U\n"+
		"#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=640x360\nsmall.m3u8\n"+
		"#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=1280x720\nbig.m3u8\n"+
		"#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=1280x720\nbig-again.m3u8\n")
	if got := chosen(t, m, Best); got != "big.m3u8" {
		t.Errorf("best: %s", got)
	}
	if got := chosen(t, m, Worst); got != "small.m3u8" {
		t.Errorf("worst: %s", got)
	}
	// The committed fixture: 160x90 has the higher bandwidth.
	f := fixture(t, "master/master.m3u8").Master
	if c, _ := f.Choose(Best); c.Variant.Height != 90 || c.Audio != nil {
		t.Errorf("fixture best: %+v", c)
	}
	if c, _ := f.Choose(Worst); c.Variant.Height != 54 {
		t.Errorf("fixture worst: %+v", c)
	}
	if c, _ := f.Choose(Height(60)); c.Variant.Height != 54 {
		t.Errorf("fixture 60: %+v", c)
	}
}

func TestChooseWithoutResolutions(t *testing.T) {
	m := parseMaster(t, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=3\nb.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\nc.m3u8\n")
	if got := chosen(t, m, Height(720)); got != "b.m3u8" {
		t.Errorf("720 without resolutions: %s, want the best", got)
	}
	if got := chosen(t, m, Worst); got != "a.m3u8" {
		t.Errorf("worst: %s", got)
	}
	// Only audio-only variants: one of them is still chosen.
	a := parseMaster(t, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"mp4a.40.2\"\nlow.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2,CODECS=\"ec-3\"\nhigh.m3u8\n")
	if got := chosen(t, a, Best); got != "high.m3u8" {
		t.Errorf("audio-only best: %s", got)
	}
	if _, err := (&Master{}).Choose(Best); !errors.Is(err, ErrMalformed) {
		t.Errorf("empty master: %v", err)
	}
}

func TestChooseFindsTheSeparateAudio(t *testing.T) {
	c, err := fixture(t, "audio/master.m3u8").Master.Choose(Best)
	if err != nil {
		t.Fatal(err)
	}
	if c.Audio == nil || c.Audio.URL != "https://media.example.org/hls/audio/audio/index.m3u8" || c.Variant.URL != "https://media.example.org/hls/audio/video/index.m3u8" {
		t.Fatalf("choice %+v audio %+v", c.Variant, c.Audio)
	}

	const group = "#EXTM3U\n" +
		"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"hi\",NAME=\"fr\",URI=\"fr.m3u8\"\n" +
		"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"hi\",NAME=\"de\",AUTOSELECT=YES,URI=\"de.m3u8\"\n" +
		"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"hi\",NAME=\"en\",DEFAULT=YES,AUTOSELECT=YES,URI=\"en.m3u8\"\n" +
		"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"lo\",NAME=\"fr\",URI=\"lo-fr.m3u8\"\n" +
		"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"lo\",NAME=\"de\",AUTOSELECT=YES,URI=\"lo-de.m3u8\"\n" +
		"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"muxed\",NAME=\"main\",DEFAULT=YES\n" +
		"#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"hi\",NAME=\"en\",DEFAULT=YES,URI=\"subs.m3u8\"\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=3,AUDIO=\"hi\"\nhi.m3u8\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=2,AUDIO=\"lo\"\nlo.m3u8\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"muxed\"\nmuxed.m3u8\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=0,AUDIO=\"undeclared\"\nodd.m3u8\n"
	m := parseMaster(t, group)
	for _, c := range []struct {
		q         Quality
		wantAudio string // "" for none
	}{
		{Best, "en.m3u8"},      // DEFAULT=YES, though listed last
		{Height(1), "en.m3u8"}, // no resolutions: Best
		{Worst, ""},            // an undeclared group: nothing separate
	} {
		ch, err := m.Choose(c.q)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if ch.Audio != nil {
			got = strings.TrimPrefix(ch.Audio.URL, "https://cdn.example.com/videos/show/")
		}
		if got != c.wantAudio {
			t.Errorf("%v: audio %q, want %q", c.q, got, c.wantAudio)
		}
	}
	// Without a DEFAULT, the first AUTOSELECT; audio in the stream: none.
	m.Variants = m.Variants[1:]
	if ch, _ := m.Choose(Best); ch.Audio == nil || ch.Audio.Name != "de" || ch.Audio.GroupID != "lo" {
		t.Errorf("lo group: %+v", ch.Audio)
	}
	m.Variants = m.Variants[1:]
	if ch, _ := m.Choose(Best); ch.Audio != nil {
		t.Errorf("muxed group gave %+v", ch.Audio)
	}
}

func TestParseQuality(t *testing.T) {
	for in, want := range map[string]Quality{
		"best": Best, " BEST ": Best, "worst": Worst, "Worst": Worst,
		"720": Height(720), "720p": Height(720), "1080P": Height(1080),
	} {
		q, err := ParseQuality(in)
		if err != nil || q != want {
			t.Errorf("ParseQuality(%q) = %v, %v; want %v", in, q, err, want)
		}
		if back, err := ParseQuality(q.String()); err != nil || back != q {
			t.Errorf("%v does not round-trip: %v %v", q, back, err)
		}
	}
	for _, in := range []string{"", "high", "0", "-720", "720i", "p", "99999999999"} {
		if _, err := ParseQuality(in); !errors.Is(err, ErrQuality) {
			t.Errorf("ParseQuality(%q): %v", in, err)
		}
	}
}

func ExampleMaster_Choose() {
	base, _ := url.Parse("https://example.com/v/master.m3u8")
	p, _ := Parse(strings.NewReader(ladder), base, Limits{})
	q, _ := ParseQuality("720")
	c, _ := p.Master.Choose(q)
	fmt.Println(c.Variant.URL, c.Variant.Bandwidth)
	// Output: https://example.com/v/v720b.m3u8 2500000
}
