package testserver_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// fixture reads one HLS fixture.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(testserver.HLSFixtures(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHLSFixturesAreEmbeddedAndConsistent(t *testing.T) {
	root := testserver.HLSFixtures()
	for _, dir := range []string{"ts", "aes", "fmp4", "fmp4-range", "master/lo", "audio/video", "audio/audio"} {
		if _, err := fs.Stat(root, dir+"/index.m3u8"); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
		sum := strings.TrimSpace(string(fixture(t, dir+"/expected.sha256")))
		if len(sum) != 64 {
			t.Errorf("%s/expected.sha256 = %q", dir, sum)
		}
	}
	// The plain TS stream's expected file is its segments in order.
	var all []byte
	for _, seg := range []string{"seg0.ts", "seg1.ts", "seg2.ts"} {
		all = append(all, fixture(t, "ts/"+seg)...)
	}
	sum := sha256.Sum256(all)
	if got := strings.TrimSpace(string(fixture(t, "ts/expected.sha256"))); got != hex.EncodeToString(sum[:]) {
		t.Fatalf("ts/expected.sha256 = %s, segments hash to %x", got, sum)
	}
	for _, k := range []string{"aes/key1.key", "aes/key2.key"} {
		if n := len(fixture(t, k)); n != 16 {
			t.Errorf("%s is %d bytes", k, n)
		}
	}
}

func TestAddHLSServesEveryFixtureWithItsType(t *testing.T) {
	s := start(t)
	c := client(t)
	s.AddHLS("/v")
	for name, want := range map[string]string{
		"ts/index.m3u8":      "application/vnd.apple.mpegurl",
		"ts/seg1.ts":         "video/mp2t",
		"fmp4/init.mp4":      "video/mp4",
		"fmp4/seg0.m4s":      "video/iso.segment",
		"aes/key1.key":       "application/octet-stream",
		"master/master.m3u8": "application/vnd.apple.mpegurl",
	} {
		resp, body := get(t, c, s.URL("/v/"+name))
		wantStatus(t, resp, 200)
		if got := resp.Header.Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", name, got, want)
		}
		if !bytes.Equal(body, fixture(t, name)) {
			t.Errorf("%s: body differs from the fixture", name)
		}
	}
	// Ranges work as for any file (byte-range playlists need them).
	resp, body := get(t, c, s.URL("/v/fmp4-range/all.mp4"), "Range", "bytes=0-1351")
	wantStatus(t, resp, 206)
	if !bytes.Equal(body, fixture(t, "fmp4-range/all.mp4")[:1352]) {
		t.Fatal("range of all.mp4 differs")
	}
}

func TestHLSFetchesCountsEachFixture(t *testing.T) {
	s := start(t)
	c := client(t)
	s.AddHLS("/v")
	s.Add("/other", []byte("x"))
	for range 3 {
		get(t, c, s.URL("/v/ts/seg0.ts"))
	}
	get(t, c, s.URL("/v/ts/index.m3u8"))
	get(t, c, s.URL("/v/ts/nope.ts")) // 404, still a fetch
	get(t, c, s.URL("/other"))
	settled(t, s, "/v/ts/seg0.ts")
	got := s.HLSFetches("/v")
	want := map[string]int{"ts/seg0.ts": 3, "ts/index.m3u8": 1, "ts/nope.ts": 1}
	if len(got) != len(want) {
		t.Fatalf("fetches %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s fetched %d times, want %d", k, got[k], n)
		}
	}
}

func TestFailSegmentAnswers404ThenServes(t *testing.T) {
	s := start(t)
	c := client(t)
	s.AddHLS("/v", testserver.FailSegment("ts/seg1.ts", 2), testserver.FailSegment("ts/seg2.ts", testserver.Always))
	for i := range 2 {
		resp, _ := get(t, c, s.URL("/v/ts/seg1.ts"))
		if resp.StatusCode != 404 {
			t.Fatalf("try %d: status %d, want 404", i+1, resp.StatusCode)
		}
	}
	resp, body := get(t, c, s.URL("/v/ts/seg1.ts"))
	wantStatus(t, resp, 200)
	if !bytes.Equal(body, fixture(t, "ts/seg1.ts")) {
		t.Fatal("third try did not get the segment")
	}
	for range 4 {
		resp, _ := get(t, c, s.URL("/v/ts/seg2.ts"))
		wantStatus(t, resp, 404)
	}
	if resp, _ := get(t, c, s.URL("/v/ts/seg0.ts")); resp.StatusCode != 200 {
		t.Fatal("another segment failed too")
	}
}

func TestLivePlaylistHasNoEndList(t *testing.T) {
	s := start(t)
	c := client(t)
	s.AddHLS("/v", testserver.LivePlaylist("ts/index.m3u8"))
	_, body := get(t, c, s.URL("/v/ts/index.m3u8"))
	orig := fixture(t, "ts/index.m3u8")
	if bytes.Contains(body, []byte("#EXT-X-ENDLIST")) || !bytes.Contains(orig, []byte("#EXT-X-ENDLIST\n")) {
		t.Fatalf("live playlist:\n%s", body)
	}
	if want := bytes.Replace(orig, []byte("#EXT-X-ENDLIST\n"), nil, 1); !bytes.Equal(body, want) {
		t.Fatalf("live playlist differs in more than ENDLIST:\n%s", body)
	}
	// Other playlists keep theirs.
	if _, b := get(t, c, s.URL("/v/aes/index.m3u8")); !bytes.Contains(b, []byte("#EXT-X-ENDLIST")) {
		t.Fatal("aes/index.m3u8 lost its ENDLIST")
	}
}

func TestChangePlaylistDropsTheLastSegmentAfterKRequests(t *testing.T) {
	s := start(t)
	c := client(t)
	s.AddHLS("/v", testserver.ChangePlaylist("aes/index.m3u8", 1))
	orig := fixture(t, "aes/index.m3u8")
	if _, b := get(t, c, s.URL("/v/aes/index.m3u8")); !bytes.Equal(b, orig) {
		t.Fatal("first request did not get the committed playlist")
	}
	for i := range 2 {
		_, b := get(t, c, s.URL("/v/aes/index.m3u8"))
		text := string(b)
		if strings.Contains(text, "seg2.ts") || !strings.Contains(text, "seg1.ts") ||
			strings.Count(text, "#EXTINF") != 2 || !strings.HasSuffix(text, "#EXT-X-ENDLIST\n") {
			t.Fatalf("request %d after the change:\n%s", i+2, text)
		}
		// The second key's tag stays; it now covers nothing.
		if !strings.Contains(text, `URI="key2.key"`) {
			t.Fatalf("request %d dropped more than the segment:\n%s", i+2, text)
		}
	}
}

func TestThrottleSegmentsSlowsSegmentsNotPlaylists(t *testing.T) {
	s := start(t)
	c := client(t)
	// About 15 KB at 1 KB/s would take 15 s; the test only looks at what
	// was sent before it hangs up.
	s.AddHLS("/v", testserver.ThrottleSegments(1<<10))
	begin := time.Now()
	_, body := get(t, c, s.URL("/v/ts/index.m3u8"))
	if !bytes.Equal(body, fixture(t, "ts/index.m3u8")) {
		t.Fatal("playlist differs")
	}
	resp, err := c.Get(s.URL("/v/ts/seg0.ts"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<10)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(begin)
	resp.Body.Close()
	waitFor(t, "the segment handler to stop", func() bool { return s.Stats("/v/ts/seg0.ts").InFlight == 0 })
	limit := int64(float64(1<<10)*elapsed.Seconds()) + 1<<10
	if sent := s.Stats("/v/ts/seg0.ts").BytesSent; sent > limit || sent >= int64(len(fixture(t, "ts/seg0.ts"))) {
		t.Fatalf("sent %d bytes of seg0.ts in %v, throttled to 1 KiB/s", sent, elapsed)
	}
}

func TestAddHLSPanicsOnUnknownFixture(t *testing.T) {
	s := start(t)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a misspelt fixture name")
		}
	}()
	s.AddHLS("/v", testserver.FailSegment("ts/seg9.ts", 1))
}
