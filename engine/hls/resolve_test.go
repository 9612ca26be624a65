package hls

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// httpFetch is a FetchFunc over c, as the engine's will be (without its
// retries).
func httpFetch(c *http.Client) FetchFunc {
	return func(ctx context.Context, u string) (io.ReadCloser, *url.URL, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, nil, err
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, nil, errors.New(resp.Status)
		}
		return resp.Body, resp.Request.URL, nil
	}
}

func TestResolveEachKindOfLink(t *testing.T) {
	s, c := serve(t)
	fetch := httpFetch(c)
	s.Add("/short", nil, testserver.Redirect(301, "/hls/audio/master.m3u8"))
	for _, tc := range []struct {
		link      string
		q         Quality
		video     string // the expected file of Video
		audio     string // of Audio; "" for none
		ext       string
		hasMaster bool
	}{
		{"/hls/ts/index.m3u8", Best, "ts", "", ".ts", false},
		{"/hls/fmp4/index.m3u8", Worst, "fmp4", "", ".mp4", false},
		{"/hls/master/master.m3u8", Best, "ts", "", ".ts", true},
		{"/hls/master/master.m3u8", Worst, "master/lo", "", ".ts", true},
		{"/short", Best, "audio/video", "audio/audio", ".ts", true},
	} {
		st, err := Resolve(context.Background(), fetch, s.URL(tc.link), tc.q, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tc.link, err)
		}
		if (st.Master != nil) != tc.hasMaster || (st.Variant != nil) != tc.hasMaster || st.Video.Ext != tc.ext {
			t.Errorf("%s: master %v variant %v ext %s", tc.link, st.Master != nil, st.Variant, st.Video.Ext)
		}
		if got := sha(download(t, c, st.Video)); got != expectedSum(t, tc.video) {
			t.Errorf("%s %v: video is not %s", tc.link, tc.q, tc.video)
		}
		if (st.Audio != nil) != (tc.audio != "") || (st.AudioRendition != nil) != (tc.audio != "") {
			t.Fatalf("%s: audio %+v", tc.link, st.AudioRendition)
		}
		if st.Audio != nil && sha(download(t, c, st.Audio)) != expectedSum(t, tc.audio) {
			t.Errorf("%s: audio is not %s", tc.link, tc.audio)
		}
	}
}

func TestResolveRefusals(t *testing.T) {
	s, c := serve(t)
	fetch := httpFetch(c)
	s.AddHLS("/live", testserver.LivePlaylist("ts/index.m3u8"), testserver.LivePlaylist("audio/audio/index.m3u8"))
	s.Add("/nested.m3u8", []byte("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nhls/master/master.m3u8\n"))
	for _, tc := range []struct {
		link string
		want error
		text string
	}{
		{"/live/ts/index.m3u8", ErrLive, "live stream"},
		{"/live/master/master.m3u8", ErrLive, "variant"},        // Best is ../ts/, now live
		{"/live/audio/master.m3u8", ErrLive, "audio rendition"}, // the audio is live
		{"/nested.m3u8", ErrMalformed, "a master playlist where a media playlist belongs"},
		{"/hls/ts/seg0.ts", ErrNotPlaylist, "seg0.ts"},
	} {
		st, err := Resolve(context.Background(), fetch, s.URL(tc.link), Best, Limits{})
		if st != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v, want %v mentioning %q", tc.link, err, tc.want, tc.text)
		}
	}
	// Worst of the live master is master/lo, which is not live.
	if _, err := Resolve(context.Background(), fetch, s.URL("/live/master/master.m3u8"), Worst, Limits{}); err != nil {
		t.Errorf("worst of the live master: %v", err)
	}
	_, err := Resolve(context.Background(), fetch, "http://user:secret@"+s.Addr()+"/missing.m3u8", Best, Limits{})
	if err == nil || !strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "secret") {
		t.Errorf("404: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Resolve(ctx, fetch, s.URL("/hls/ts/index.m3u8"), Best, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	if _, err := Resolve(context.Background(), fetch, s.URL("/hls/ts/index.m3u8"), Best, Limits{MaxSegments: 2}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("limits not passed on: %v", err)
	}
}

func TestAChangedPlaylistGivesANewFingerprint(t *testing.T) {
	s, c := serve(t)
	s.AddHLS("/hls", testserver.ChangePlaylist("aes/index.m3u8", 1))
	first, err := Resolve(context.Background(), httpFetch(c), s.URL("/hls/aes/index.m3u8"), Best, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Resolve(context.Background(), httpFetch(c), s.URL("/hls/aes/index.m3u8"), Best, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Video.Fingerprint == again.Video.Fingerprint || len(again.Video.Segments) != 2 {
		t.Fatalf("the changed playlist kept its fingerprint (%d segments)", len(again.Video.Segments))
	}
}

func TestKnownAndEstimatedSize(t *testing.T) {
	r := plan(t, fixture(t, "fmp4-range/index.m3u8").Media)
	if n, ok := r.KnownSize(); !ok || n != 42471 || r.EstimateSize(1e9) != 42471 {
		t.Errorf("byte-range plan: %d %v", n, ok)
	}
	ts := plan(t, fixture(t, "ts/index.m3u8").Media)
	if _, ok := ts.KnownSize(); ok {
		t.Error("whole-file segments have a known size")
	}
	if got := ts.EstimateSize(80_000); got != 30_000 { // 80 kbit/s for 3 s
		t.Errorf("estimate %d", got)
	}
	if ts.EstimateSize(0) != 0 || ts.EstimateSize(-1) != 0 {
		t.Error("estimate without a bandwidth")
	}
	big := &Plan{Duration: 1000 * time.Hour, Segments: []Part{{}}}
	if got := big.EstimateSize(1 << 62); got != 1<<62 {
		t.Errorf("huge estimate %d", got)
	}
	// The init section counts, and one part without a range spoils it.
	if _, ok := (&Plan{Init: &Part{}, Segments: []Part{{Range: &ByteRange{0, 1}}}}).KnownSize(); ok {
		t.Error("init without a range")
	}
	if _, ok := (&Plan{Segments: []Part{{Range: &ByteRange{0, 1 << 62}}, {Range: &ByteRange{0, 1 << 62}}, {Range: &ByteRange{0, 1 << 62}}}}).KnownSize(); ok {
		t.Error("an overflowing sum is known")
	}
}
