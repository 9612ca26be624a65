package nativehost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/testserver"
)

// qualitiesMessage asks for the qualities of url as the extension does.
func qualitiesMessage(t *testing.T, kind, url, page string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"type": "qualities", "kind": kind, "url": url, "page": page, "userAgent": "BrowserUA/9",
		"cookies": []map[string]string{{"name": "sid", "value": secretCookie}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// askQualities serves one qualities message with no window about.
func askQualities(t *testing.T, h *Host, msg string) reply {
	t.Helper()
	if h.Start == nil {
		h.Start = noStart(t)
	}
	reps, err := serve(t, h, msg)
	if err != nil || len(reps) != 1 {
		t.Fatalf("replies %+v, %v", reps, err)
	}
	return reps[0]
}

func TestQualitiesOfAnHLSMasterAreReadByHaulWithThePagesHeaders(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	page := srv.URL("/watch.html")
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "hls", srv.URL("/v/master/master.m3u8"), page))
	if !rep.OK || rep.Type != "qualities" || rep.Role != "master" {
		t.Fatalf("reply %+v, want a master's qualities", rep)
	}
	if want := []string{"90p", "54p"}; !slices.Equal(rep.Qualities, want) {
		t.Errorf("qualities %q, want %q (highest first)", rep.Qualities, want)
	}
	if want := []string{srv.URL("/v/master/lo/index.m3u8"), srv.URL("/v/ts/index.m3u8")}; !slices.Equal(rep.Parts, want) {
		t.Errorf("parts %q, want the variants' absolute URLs %q", rep.Parts, want)
	}
	reqs := srv.Requests("/v/master/master.m3u8")
	if len(reqs) != 1 {
		t.Fatalf("%d requests for the master, want 1", len(reqs))
	}
	h := reqs[0].Header
	if h.Get("Referer") != page || h.Get("Cookie") != "sid="+secretCookie || h.Get("User-Agent") != "BrowserUA/9" {
		t.Errorf("Haul's request: Referer %q, Cookie %q, User-Agent %q; want the page's", h.Get("Referer"), h.Get("Cookie"), h.Get("User-Agent"))
	}
	if n := len(srv.Requests("/v/master/lo/index.m3u8")); n != 0 {
		t.Errorf("%d requests for a variant: only the master is read", n)
	}
}

func TestQualitiesOfAMasterWithSeparateAudioFoldTheAudioToo(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "hls", srv.URL("/v/audio/master.m3u8"), ""))
	want := []string{srv.URL("/v/audio/audio/index.m3u8"), srv.URL("/v/audio/video/index.m3u8")}
	if !rep.OK || !slices.Equal(rep.Qualities, []string{"90p"}) || !slices.Equal(rep.Parts, want) {
		t.Errorf("reply %+v, want 90p and parts %q", rep, want)
	}
}

func TestQualitiesOfAMediaPlaylistSayItHasOne(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "hls", srv.URL("/v/ts/index.m3u8"), ""))
	if !rep.OK || rep.Role != "media" || len(rep.Qualities) != 0 || len(rep.Parts) != 0 {
		t.Errorf("reply %+v, want a media playlist without qualities", rep)
	}
}

// dashManifest is a static MPD offering the given video heights and one
// audio representation.
func dashManifest(heights ...int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S"><Period>`)
	b.WriteString(`<AdaptationSet mimeType="video/mp4"><SegmentTemplate media="v$RepresentationID$-$Number$.m4s" initialization="v$RepresentationID$-init.mp4" duration="2" startNumber="1"/>`)
	for i, h := range heights {
		fmt.Fprintf(&b, `<Representation id="%d" bandwidth="%d" width="%d" height="%d" codecs="avc1.64001f"/>`, i, (i+1)*100000, h*16/9, h)
	}
	b.WriteString(`</AdaptationSet><AdaptationSet mimeType="audio/mp4" lang="en"><SegmentTemplate media="a-$Number$.m4s" initialization="a-init.mp4" duration="2" startNumber="1"/>`)
	b.WriteString(`<Representation id="a" bandwidth="64000" codecs="mp4a.40.2"/></AdaptationSet></Period></MPD>`)
	return []byte(b.String())
}

func TestQualitiesOfADASHManifestAreReadByHaulWithThePagesHeaders(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/m.mpd", dashManifest(480, 1080, 720), testserver.ContentType("application/dash+xml"))
	page := srv.URL("/watch.html")
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "dash", srv.URL("/m.mpd"), page))
	if !rep.OK || rep.Role != "master" {
		t.Fatalf("reply %+v, want a manifest's qualities", rep)
	}
	if want := []string{"1080p", "720p", "480p"}; !slices.Equal(rep.Qualities, want) {
		t.Errorf("qualities %q, want %q (highest first)", rep.Qualities, want)
	}
	if len(rep.Parts) != 0 {
		t.Errorf("parts %q: a manifest names no playlists to fold", rep.Parts)
	}
	reqs := srv.Requests("/m.mpd")
	if len(reqs) != 1 {
		t.Fatalf("%d requests for the manifest, want 1", len(reqs))
	}
	if h := reqs[0].Header; h.Get("Referer") != page || h.Get("Cookie") != "sid="+secretCookie {
		t.Errorf("Haul's request: Referer %q, Cookie %q; want the page's", h.Get("Referer"), h.Get("Cookie"))
	}
	if n := len(srv.Requests("/v0-init.mp4")); n != 0 {
		t.Errorf("%d requests for a segment: only the manifest is read", n)
	}
}

func TestQualitiesOfADASHManifestWithOneQualitySayItHasOne(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/one.mpd", dashManifest(720), testserver.ContentType("application/dash+xml"))
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "dash", srv.URL("/one.mpd"), ""))
	if !rep.OK || rep.Role != "media" || len(rep.Qualities) != 0 {
		t.Errorf("reply %+v, want one quality only", rep)
	}
}

func TestQualitiesOfABadDASHManifestAreAClearError(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/page.mpd", []byte("<!doctype html><p>Sign in to watch</p>"), testserver.ContentType("text/html"))
	srv.Add("/live.mpd", []byte(`<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic"><Period/></MPD>`))
	srv.Add("/drm.mpd", []byte(`<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static"><Period><AdaptationSet mimeType="video/mp4"><ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011"/><Representation id="v" bandwidth="1" height="720"/></AdaptationSet></Period></MPD>`))
	for _, path := range []string{"/page.mpd", "/live.mpd", "/drm.mpd"} {
		rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "dash", srv.URL(path), ""))
		if rep.OK || !strings.Contains(rep.Error, "could not read the playlist") {
			t.Errorf("%s: reply %+v, want a clear error", path, rep)
		}
		if testing.Verbose() {
			t.Logf("%s: %s", path, rep.Error)
		}
	}
}

func TestQualitiesOfABadPlaylistAreAClearError(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/page.m3u8", []byte("<!doctype html><p>Sign in to watch</p>"), testserver.ContentType("text/html"))
	srv.Add("/broken.m3u8", []byte("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\"x\n"))
	srv.Add("/huge.m3u8", append([]byte("#EXTM3U\n"), make([]byte, MaxPlaylistBytes)...))
	srv.Add("/gone.m3u8", nil, testserver.Status(404, 100, ""))
	for path, want := range map[string]string{
		"/page.m3u8":   "not an HLS playlist",
		"/broken.m3u8": "malformed playlist",
		"/huge.m3u8":   "larger than the limit",
		"/gone.m3u8":   "404",
	} {
		rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "hls", srv.URL(path), ""))
		if rep.OK || !strings.Contains(rep.Error, "could not read the playlist") || !strings.Contains(rep.Error, want) {
			t.Errorf("%s: reply %+v, want an error saying %q", path, rep, want)
		}
	}
}

func TestQualitiesCookiesStayWithTheirOriginAcrossARedirect(t *testing.T) {
	other := testserver.New()
	defer other.Close()
	other.AddHLS("/cdn")
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/v.m3u8", nil, testserver.Redirect(302, other.URL("/cdn/master/master.m3u8")))
	page := srv.URL("/watch.html")
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "hls", srv.URL("/v.m3u8"), page))
	if !rep.OK || !slices.Equal(rep.Parts, []string{other.URL("/cdn/master/lo/index.m3u8"), other.URL("/cdn/ts/index.m3u8")}) {
		t.Fatalf("reply %+v, want the master's variants resolved against where it came from", rep)
	}
	reqs := other.Requests("/cdn/master/master.m3u8")
	if len(reqs) != 1 {
		t.Fatalf("%d requests reached the other origin, want 1", len(reqs))
	}
	h := reqs[0].Header
	if h.Get("Cookie") != "" || h.Get("Referer") == page || h.Get("User-Agent") == "BrowserUA/9" {
		t.Errorf("the other origin got Cookie %q, Referer %q, User-Agent %q: the page's headers left their origin", h.Get("Cookie"), h.Get("Referer"), h.Get("User-Agent"))
	}
}

func TestFetchGivesUpAtItsTimeout(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/slow.m3u8", []byte("#EXTM3U\n#EXT-X-ENDLIST\n"), testserver.Hold(4, release))
	_, _, err := engine.Fetch(context.Background(), engine.Options{}, engine.Request{URL: srv.URL("/slow.m3u8")}, engine.FetchLimits{MaxBytes: 1 << 10, Timeout: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "not whole within") {
		t.Errorf("err %v, want the timeout said", err)
	}
}

func TestHLSQualitiesNameEachHeightOnceAndBandwidthOnlyWithoutResolutions(t *testing.T) {
	for _, tc := range []struct {
		name string
		vs   []hls.Variant
		want []string
	}{
		{"heights, best first, once each", []hls.Variant{{Height: 480, Bandwidth: 1}, {Height: 1080, Bandwidth: 5}, {Height: 720, Bandwidth: 3}, {Height: 1080, Bandwidth: 9}}, []string{"1080p", "720p", "480p"}},
		{"audio beside video is left out", []hls.Variant{{Height: 720, Bandwidth: 3_000_000}, {Bandwidth: 128_000}}, []string{"720p"}},
		{"no resolutions: bandwidths", []hls.Variant{{Bandwidth: 800_000}, {Bandwidth: 2_400_000}}, []string{"2400 kb/s", "800 kb/s"}},
		{"nothing said", []hls.Variant{{}}, nil},
	} {
		if got := hlsQualities(tc.vs); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestQualitiesOfAHugeMasterStayWithinTheBrowsersReplyLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("#EXTM3U\n")
	long := strings.Repeat("x", MaxField-40)
	for i := range 400 {
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,RESOLUTION=%dx%d\n%s/%d.m3u8\n", 1000+i, i+1, i+1, long, i)
	}
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/big.m3u8", []byte(b.String()))
	rep := askQualities(t, &Host{StateDir: shortDir(t)}, qualitiesMessage(t, "hls", srv.URL("/big.m3u8"), ""))
	if !rep.OK || len(rep.Qualities) != MaxQualities || rep.Qualities[0] != "400p" || len(rep.Parts) == 0 {
		t.Fatalf("reply with %d qualities (%.20q) and %d parts, error %q", len(rep.Qualities), rep.Qualities, len(rep.Parts), rep.Error)
	}
	size := 0
	for _, p := range rep.Parts {
		size += len(p)
	}
	if size > MaxPartsBytes || len(rep.Parts) > MaxParts {
		t.Errorf("%d parts of %d bytes, over the bounds", len(rep.Parts), size)
	}
}
