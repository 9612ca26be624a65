package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// expectedSum is the committed SHA-256 of what a fixture stream must
// download to ("ts", "aes", "audio/video", ...).
func expectedSum(t *testing.T, dir string) string {
	t.Helper()
	return testserver.HLSExpectedSum(dir)
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// mustStream waits for id to complete and checks its file against the
// fixture dir's expected bytes and its name against want.
func (e *env) mustStream(id, dir, want string) Snapshot {
	e.t.Helper()
	s := e.wait(id)
	if s.State != Completed {
		e.t.Fatalf("%s: state %v, err %q", dir, s.State, s.Err)
	}
	if s.Name != want {
		e.t.Errorf("%s: saved as %q, want %q", dir, s.Name, want)
	}
	if got := fileSum(e.t, s.Path()); got != expectedSum(e.t, dir) {
		e.t.Fatalf("%s: %s is not the decrypted segments in order (sha256 %s)", dir, s.Name, got)
	}
	if !s.Stream || s.StreamKind != "HLS" || s.Segments == 0 || s.SegmentsDone != s.Segments {
		e.t.Errorf("%s: stream %v kind %q, segments %d of %d", dir, s.Stream, s.StreamKind, s.SegmentsDone, s.Segments)
	}
	for _, f := range e.files() {
		if strings.HasSuffix(f, partSuffix) {
			e.t.Errorf("%s: %s left behind", dir, f)
		}
	}
	return s
}

func TestHLSEveryKindOfStreamDownloadsToOneFile(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	for _, c := range []struct{ link, dir, name string }{
		{"ts/index.m3u8", "ts", "index.ts"},
		{"aes/index.m3u8", "aes", "index.ts"},                // AES-128, key rotation, explicit and sequence IVs
		{"fmp4/index.m3u8", "fmp4", "index.mp4"},             // EXT-X-MAP init section, then the fragments
		{"fmp4-range/index.m3u8", "fmp4-range", "index.mp4"}, // EXT-X-BYTERANGE in one file
		{"master/master.m3u8", "ts", "master.ts"},            // the best of two variants
	} {
		t.Run(c.dir+"/"+c.name, func(t *testing.T) {
			e := newEnv(t)
			srv.AddHLS("/v") // fresh counters
			id := e.add(srv.URL("/v/" + c.link))
			e.mustStream(id, c.dir, c.name)
			for name, n := range srv.HLSFetches("/v") {
				want := 1
				if name == "fmp4-range/all.mp4" {
					want = 4 // the init section and three segments are ranges of it
				}
				if !strings.HasSuffix(name, ".m3u8") && n != want {
					t.Errorf("%s fetched %d times, want %d", name, n, want)
				}
			}
		})
	}
}

func TestHLSSegmentAnswered404IsAskedForAgain(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v", testserver.FailSegment("ts/seg1.ts", 2)) // a CDN that catches up
	e := newEnv(t, func(o *Options) { o.Retries = 0 })
	e.mustStream(e.add(srv.URL("/v/ts/index.m3u8")), "ts", "index.ts")
	if n := srv.HLSFetches("/v")["ts/seg1.ts"]; n != 3 {
		t.Errorf("segment 1 was asked for %d times, want 3", n)
	}
}

func TestHLSQualityChoosesTheVariant(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	for _, c := range []struct{ quality, dir, shown string }{
		{"", "ts", "90p"}, {"best", "ts", "90p"}, {"worst", "master/lo", "54p"}, {"54", "master/lo", "54p"}, {"90", "ts", "90p"}, {"720", "ts", "90p"},
	} {
		t.Run("quality="+c.quality, func(t *testing.T) {
			e := newEnv(t)
			id := e.add(srv.URL("/v/master/master.m3u8"), func(r *Request) { r.Quality = c.quality })
			if s := e.mustStream(id, c.dir, "master.ts"); s.Quality != c.shown {
				t.Errorf("quality shown %q, want %q", s.Quality, c.shown)
			}
		})
	}
	e := newEnv(t)
	if _, err := e.m.Add(Request{URL: srv.URL("/v/master/master.m3u8"), Quality: "high"}); err == nil {
		t.Error("quality \"high\" was accepted")
	}
}

func TestHLSByContentTypeBecomesAStream(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	playlist, err := fs.ReadFile(testserver.HLSFixtures(), "ts/index.m3u8")
	if err != nil {
		t.Fatal(err)
	}
	srv.Add("/v/ts/watch", playlist, testserver.ContentType("application/x-mpegURL"))
	e := newEnv(t)
	id := e.add(srv.URL("/v/ts/watch"))
	e.mustStream(id, "ts", "watch.ts")
	e.reopen() // the choice of protocol is kept
	if s, _ := e.m.Get(id); !s.Stream || s.State != Completed {
		t.Errorf("after a restart: stream %v, state %v", s.Stream, s.State)
	}
}

func TestHLSSeparateAudioWithoutFFmpegIsKeptBeside(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no ffmpeg
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	e := newEnv(t)
	id := e.add(srv.URL("/v/audio/master.m3u8"))
	s := e.mustStream(id, "audio/video", "master.ts")
	if !strings.Contains(s.Warning, "ffmpeg") {
		t.Errorf("warning %q does not say the audio is apart for want of ffmpeg", s.Warning)
	}
	if got := fileSum(t, filepath.Join(e.dl, "master.audio.ts")); got != expectedSum(t, "audio/audio") {
		t.Errorf("master.audio.ts is not the audio rendition (sha256 %s); files %v", got, e.files())
	}
	if s.Segments != 7 {
		t.Errorf("segments %d, want 3 video + 4 audio", s.Segments)
	}
}
