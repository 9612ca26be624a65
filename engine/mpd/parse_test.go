package mpd

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/hls"
)

const fixtures = "../testserver/testdata/dash"

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func parseString(t *testing.T, doc string) (*MPD, error) {
	t.Helper()
	return Parse(strings.NewReader(doc), mustURL(t, "http://example.test/v/manifest.mpd"))
}

func parseFixture(t *testing.T, dir string) *MPD {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtures, dir, "manifest.mpd"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f, mustURL(t, "http://example.test/v/"+dir+"/manifest.mpd"))
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return m
}

func urls(segs []Segment) []string {
	var out []string
	for _, s := range segs {
		u := strings.TrimPrefix(s.URL, "http://example.test/v/")
		if s.Range != nil {
			u += fmt.Sprintf("@%d+%d", s.Range.Offset, s.Range.Length)
		}
		out = append(out, u)
	}
	return out
}

func TestParseTheFFmpegFixtures(t *testing.T) {
	for _, c := range []struct {
		dir               string
		video, audio      []string // init first
		videos, qualities string
	}{
		{"number",
			[]string{"number/init-stream0.m4s", "number/chunk-stream0-00001.m4s", "number/chunk-stream0-00002.m4s", "number/chunk-stream0-00003.m4s"},
			[]string{"number/init-stream2.m4s", "number/chunk-stream2-00001.m4s", "number/chunk-stream2-00002.m4s", "number/chunk-stream2-00003.m4s"},
			"0 1", "90p · 54p"},
		{"timeline",
			[]string{"timeline/init-stream0.m4s", "timeline/chunk-0-0.m4s", "timeline/chunk-0-10240.m4s", "timeline/chunk-0-20480.m4s"},
			[]string{"timeline/init-stream1.m4s", "timeline/chunk-1-0.m4s", "timeline/chunk-1-18432.m4s", "timeline/chunk-1-39936.m4s", "timeline/chunk-1-62464.m4s"},
			"0", "90p"},
		{"list",
			[]string{"list/manifest-stream0.mp4@0+776", "list/manifest-stream0.mp4@776+10218", "list/manifest-stream0.mp4@10994+9620", "list/manifest-stream0.mp4@20614+11177"},
			[]string{"list/manifest-stream1.mp4@0+728", "list/manifest-stream1.mp4@728+3001", "list/manifest-stream1.mp4@3729+3173", "list/manifest-stream1.mp4@6902+3307", "list/manifest-stream1.mp4@10209+792"},
			"0", "90p"},
	} {
		t.Run(c.dir, func(t *testing.T) {
			m := parseFixture(t, c.dir)
			var ids []string
			for _, r := range m.Video {
				ids = append(ids, r.ID)
			}
			if got := strings.Join(ids, " "); got != c.videos {
				t.Errorf("video representations %q, want %q", got, c.videos)
			}
			v, a, err := m.Choose(hls.Best, "")
			if err != nil || v == nil || a == nil {
				t.Fatalf("Choose: %v, %v, %v", v, a, err)
			}
			check := func(what string, r *Representation, want []string) {
				got := urls(append([]Segment{*r.Init}, r.Segments...))
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s:\n got %q\nwant %q", what, got, want)
				}
			}
			check("video", v, c.video)
			check("audio", a, c.audio)
			if got := m.Qualities(); got != c.qualities {
				t.Errorf("Qualities() = %q, want %q", got, c.qualities)
			}
		})
	}
}

// A SegmentBase with an indexRange is read through its sidx box: the
// init section up to the end of the index, then every fragment, which
// together are the whole file.
func TestParseSegmentBaseThroughItsIndex(t *testing.T) {
	m := parseFixture(t, "base")
	for _, r := range append(append([]*Representation(nil), m.Video...), m.Audio...) {
		file, err := os.ReadFile(filepath.Join(fixtures, "base", strings.TrimPrefix(r.URL, "http://example.test/v/base/")))
		if err != nil {
			t.Fatal(err)
		}
		if r.Index == nil || r.Segments != nil {
			t.Fatalf("%s: index %v, segments %d before the sidx is read", r.ID, r.Index, len(r.Segments))
		}
		if err := r.FromIndex(file[r.Index.Offset:r.Index.End()]); err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		at := int64(0)
		for i, s := range append([]Segment{*r.Init}, r.Segments...) {
			if s.Range == nil || s.Range.Offset != at {
				t.Fatalf("%s: part %d is %v, want it to start at %d", r.ID, i, s.Range, at)
			}
			at = s.Range.End()
		}
		if at != int64(len(file)) || len(r.Segments) < 3 {
			t.Errorf("%s: %d segments end at %d of %d bytes", r.ID, len(r.Segments), at, len(file))
		}
	}
}

func doc(period string) string {
	return `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S">` + period + `</MPD>`
}

func TestParseBaseURLsAndIdentifiers(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		want      []string // init, then the segments
	}{
		{"BaseURL at every level, each relative to the one above",
			`<MPD type="static" mediaPresentationDuration="PT2S"><BaseURL>http://cdn.test/a/</BaseURL><Period><BaseURL>p/</BaseURL>
			<AdaptationSet contentType="video"><BaseURL>s/</BaseURL><Representation id="v1" bandwidth="800" height="720"><BaseURL>r/</BaseURL>
			<SegmentTemplate media="seg-$Number$.m4s" initialization="init.m4s" duration="1" timescale="1"/></Representation></AdaptationSet></Period></MPD>`,
			[]string{"http://cdn.test/a/p/s/r/init.m4s", "http://cdn.test/a/p/s/r/seg-1.m4s", "http://cdn.test/a/p/s/r/seg-2.m4s"}},
		{"an absolute BaseURL replaces the ones above; a root-relative one keeps the host",
			doc(`<Period><BaseURL>p/</BaseURL><AdaptationSet contentType="video"><BaseURL>https://other.test/x/</BaseURL>
			<Representation id="v" bandwidth="1"><BaseURL>/root/</BaseURL><SegmentTemplate media="$Number$" duration="2" initialization="i"/></Representation></AdaptationSet></Period>`),
			[]string{"https://other.test/root/i", "https://other.test/root/1", "https://other.test/root/2"}},
		{"$RepresentationID$, $Bandwidth$, $$ and widths",
			doc(`<Period><AdaptationSet mimeType="video/mp4"><SegmentTemplate media="$RepresentationID$/$Bandwidth%08d$-$Number%05d$$$.m4s" initialization="$RepresentationID$-$Bandwidth$.init" startNumber="7" duration="2000" timescale="1000"/>
			<Representation id="hd" bandwidth="123456"/></AdaptationSet></Period>`),
			[]string{"hd-123456.init", "hd/00123456-00007$.m4s", "hd/00123456-00008$.m4s"}},
		{"$Time$ and $Number$ with a timeline that repeats to the end (r=-1)",
			doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="t$Time$-n$Number$" timescale="10" startNumber="0">
			<SegmentTimeline><S t="5" d="10" r="1"/><S d="20" r="-1"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period>`),
			[]string{"", "t5-n0", "t15-n1", "t25-n2"}},
		{"a SegmentList with media URLs",
			doc(`<Period><AdaptationSet contentType="audio"><Representation id="a" bandwidth="1"><BaseURL>audio/</BaseURL><SegmentList duration="2">
			<Initialization sourceURL="init.mp4"/><SegmentURL media="one.m4s"/><SegmentURL media="two.m4s" mediaRange="10-19"/></SegmentList></Representation></AdaptationSet></Period>`),
			[]string{"audio/init.mp4", "audio/one.m4s", "audio/two.m4s@10+10"}},
		{"a lone BaseURL is the file whole",
			doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><BaseURL>movie.mp4</BaseURL></Representation></AdaptationSet></Period>`),
			[]string{"", "movie.mp4"}},
		{"a SegmentBase without an index is the file whole",
			doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><BaseURL>movie.mp4</BaseURL><SegmentBase><Initialization range="0-99"/></SegmentBase></Representation></AdaptationSet></Period>`),
			[]string{"", "movie.mp4"}},
		{"the template's attributes are inherited from the adaptation set",
			doc(`<Period><AdaptationSet contentType="video"><SegmentTemplate timescale="2" duration="4" initialization="in-$RepresentationID$"/>
			<Representation id="r" bandwidth="1"><SegmentTemplate media="m-$Number$"/></Representation></AdaptationSet></Period>`),
			[]string{"in-r", "m-1", "m-2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := parseString(t, c.doc)
			if err != nil {
				t.Fatal(err)
			}
			r := append(m.Video, m.Audio...)[0]
			got := []string{""}
			if r.Init != nil {
				got = urls([]Segment{*r.Init})
			}
			got = append(got, urls(r.Segments)...)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestParseRefusals(t *testing.T) {
	rep := `<Representation id="v" bandwidth="1"><SegmentTemplate media="$Number$" duration="1"/></Representation>`
	for _, c := range []struct {
		name, doc string
		kind      error
		says      string
	}{
		{"live", `<MPD type="dynamic"><Period><AdaptationSet contentType="video">` + rep + `</AdaptationSet></Period></MPD>`, ErrLive, "live"},
		{"DRM on an adaptation set", doc(`<Period><AdaptationSet contentType="video"><ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"/>` + rep + `</AdaptationSet></Period>`), ErrDRM, "DRM"},
		{"DRM on a representation", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><ContentProtection schemeIdUri="urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"/></Representation></AdaptationSet></Period>`), ErrDRM, "DRM"},
		{"over 8 MiB", doc(`<Period><AdaptationSet contentType="video">` + rep + `</AdaptationSet></Period><!--` + strings.Repeat("x", MaxManifestBytes) + `-->`), ErrTooLarge, "8 MiB"},
		{"over 100,000 segments by number", `<MPD type="static" mediaPresentationDuration="PT200000S"><Period><AdaptationSet contentType="video">` + rep + `</AdaptationSet></Period></MPD>`, ErrTooLarge, "100000"},
		{"over 100,000 segments in a timeline", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Time$" timescale="1000000"><SegmentTimeline><S t="0" d="1" r="3999999"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period>`), ErrTooLarge, "100000"},
		{"a timeline with a gap", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Time$" timescale="1"><SegmentTimeline><S t="0" d="1"/><S t="2" d="2"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period>`), ErrTimeline, "starts at 2"},
		{"a timeline that overlaps", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Time$" timescale="1"><SegmentTimeline><S t="0" d="2"/><S t="1" d="3"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period>`), ErrTimeline, "starts at 1"},
		{"a timeline shorter than the period", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Time$" timescale="1"><SegmentTimeline><S t="0" d="1" r="1"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period>`), ErrTimeline, "last 2.000 s, the period 4.000 s"},
		{"a segment of no duration", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Time$"><SegmentTimeline><S t="0" d="0"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period>`), ErrTimeline, "no duration"},
		{"$Time$ without a timeline", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Time$" duration="1"/></Representation></AdaptationSet></Period>`), ErrMalformed, "$Time$"},
		{"an unknown identifier", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Numbr$" duration="1"/></Representation></AdaptationSet></Period>`), ErrMalformed, "unknown identifier"},
		{"$Number$ in the initialization", doc(`<Period><AdaptationSet contentType="video"><Representation id="v" bandwidth="1"><SegmentTemplate media="$Number$" initialization="i$Number$" duration="1"/></Representation></AdaptationSet></Period>`), ErrMalformed, "$Number$"},
		{"several periods", doc(`<Period><AdaptationSet contentType="video">` + rep + `</AdaptationSet></Period><Period/>`), ErrUnsupported, "2 periods"},
		{"a non-http BaseURL", doc(`<BaseURL>file:///etc/</BaseURL><Period><AdaptationSet contentType="video">` + rep + `</AdaptationSet></Period>`), ErrMalformed, "not http"},
		{"not XML", `{"mpd": true}`, ErrMalformed, "malformed"},
		{"no media", doc(`<Period><AdaptationSet contentType="text"><Representation id="s" bandwidth="1"/></AdaptationSet></Period>`), ErrMalformed, "no video or audio"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseString(t, c.doc)
			if !errors.Is(err, c.kind) {
				t.Fatalf("got %v, want %v", err, c.kind)
			}
			if !strings.Contains(err.Error()+" "+errors.Unwrap(err).Error(), c.says) {
				t.Errorf("%q does not say %q", err, c.says)
			}
		})
	}
}

func TestChooseVideoAsHLSDoesAndTheAudioByLanguage(t *testing.T) {
	m, err := parseString(t, doc(`<Period>
		<AdaptationSet contentType="video"><SegmentTemplate media="$RepresentationID$-$Number$" duration="4"/>
			<Representation id="480" bandwidth="1000" width="854" height="480"/>
			<Representation id="1080" bandwidth="5000" width="1920" height="1080"/>
			<Representation id="720" bandwidth="3000" width="1280" height="720"/>
		</AdaptationSet>
		<AdaptationSet contentType="audio" lang="en"><SegmentTemplate media="$RepresentationID$-$Number$" duration="4"/>
			<Representation id="en-lo" bandwidth="64000"/><Representation id="en-hi" bandwidth="128000"/></AdaptationSet>
		<AdaptationSet contentType="audio" lang="fr-CA"><SegmentTemplate media="$RepresentationID$-$Number$" duration="4"/>
			<Representation id="fr" bandwidth="96000"/></AdaptationSet>
	</Period>`))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Qualities(); got != "1080p · 720p · 480p" {
		t.Errorf("Qualities() = %q", got)
	}
	for _, c := range []struct{ quality, lang, video, audio string }{
		{"best", "", "1080", "en-hi"},
		{"worst", "", "480", "en-hi"},
		{"720", "fr", "720", "fr"},
		{"600", "fr-ca", "480", "fr"},
		{"240", "de", "480", "en-hi"}, // all taller: the smallest; no German: the best
		{"4000", "EN", "1080", "en-hi"},
	} {
		q, err := hls.ParseQuality(c.quality)
		if err != nil {
			t.Fatal(err)
		}
		v, a, err := m.Choose(q, c.lang)
		if err != nil || v.ID != c.video || a.ID != c.audio {
			t.Errorf("quality %s, language %q: video %s, audio %s, %v; want %s and %s", c.quality, c.lang, v.ID, a.ID, err, c.video, c.audio)
		}
	}
}

func TestFromIndexRefusesABrokenIndex(t *testing.T) {
	r := &Representation{ID: "v", URL: "http://example.test/f.mp4", Index: &ByteRange{100, 44}}
	box := make([]byte, 44)
	copy(box, []byte{0, 0, 0, 44, 's', 'i', 'd', 'x'})
	box[31] = 1    // reference_count 1
	box[32] = 0x80 // a reference to another sidx
	for _, c := range []struct {
		name string
		b    []byte
		kind error
	}{
		{"not a sidx", append([]byte{0, 0, 0, 8}, "moof"...), ErrMalformed},
		{"shorter than it says", box[:20], ErrMalformed},
		{"hierarchical", box, ErrUnsupported},
	} {
		if err := r.FromIndex(c.b); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", c.name, err, c.kind)
		}
	}
}
