package engine

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/haul-dl/haul/engine/store"
	"github.com/haul-dl/haul/engine/testserver"
)

// pauseAfterASegment starts link on one connection and pauses it once a
// segment is written, before the last.
func (e *env) pauseAfterASegment(link string) string {
	e.t.Helper()
	id := e.add(link, func(r *Request) { r.Connections = 1 })
	e.waitFor(id, "a segment written", func(s Snapshot) bool { return s.SegmentsDone >= 1 })
	if err := e.m.Pause(id); err != nil {
		e.t.Fatal(err)
	}
	if s := e.wait(id); s.State != Paused || s.SegmentsDone >= s.Segments {
		e.t.Fatalf("after the pause: state %v, %d of %d segments (the segments came too fast to stop mid-stream)", s.State, s.SegmentsDone, s.Segments)
	}
	return id
}

func TestHLSPausedStreamResumesFromTheNextSegment(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v", testserver.ThrottleSegments(24<<10)) // about 0.7 s a segment
	e := newEnv(t)
	id := e.pauseAfterASegment(srv.URL("/v/aes/index.m3u8"))
	e.reopen() // the progress and the protocol come back from the record
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	e.mustStream(id, "aes", "index.ts")
	if n := srv.HLSFetches("/v")["aes/seg0.ts"]; n != 1 {
		t.Errorf("segment 0 was fetched %d times: the resume did not go on from the next segment", n)
	}
}

func TestHLSChangedPlaylistStartsOver(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	// From its second request on, the playlist has lost its last segment.
	srv.AddHLS("/v", testserver.ThrottleSegments(24<<10), testserver.ChangePlaylist("ts/index.m3u8", 1))
	e := newEnv(t)
	id := e.pauseAfterASegment(srv.URL("/v/ts/index.m3u8"))
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	s := e.wait(id)
	if s.State != Completed {
		t.Fatalf("state %v, err %q", s.State, s.Err)
	}
	var want []byte
	for _, seg := range []string{"ts/seg0.ts", "ts/seg1.ts"} {
		b, err := fs.ReadFile(testserver.HLSFixtures(), seg)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b...)
	}
	got, err := os.ReadFile(s.Path())
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the file is not the new playlist's two segments (%d bytes, want %d; %v)", len(got), len(want), err)
	}
	if s.Segments != 2 || srv.HLSFetches("/v")["ts/seg0.ts"] != 2 {
		t.Errorf("segments %d (want 2), segment 0 fetched %d times (want 2: started over)", s.Segments, srv.HLSFetches("/v")["ts/seg0.ts"])
	}
}

// TestHLSRefusals checks each stream Haul will not save gets a clear,
// typed failure and no file that looks complete.
func TestHLSRefusals(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/live", testserver.LivePlaylist("ts/index.m3u8"))
	srv.AddHLS("/gone", testserver.FailSegment("ts/seg1.ts", testserver.Always))
	srv.AddHLS("/short", testserver.HLSFile("ts/seg1.ts", testserver.LieLength(100)))
	drm := "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k.key\"\n#EXTINF:1,\ns.ts\n#EXT-X-ENDLIST\n"
	srv.Add("/x/drm.m3u8", []byte(drm))
	var big strings.Builder
	big.WriteString("#EXTM3U\n#EXT-X-TARGETDURATION:1\n")
	for i := range 100_001 {
		fmt.Fprintf(&big, "#EXTINF:1,\n%d.ts\n", i)
	}
	big.WriteString("#EXT-X-ENDLIST\n")
	srv.Add("/x/huge.m3u8", []byte(big.String()))
	srv.Add("/x/bad.m3u8", []byte("#EXTM3U\n#EXTINF:soon,\ns.ts\n#EXT-X-ENDLIST\n"))
	srv.Add("/x/text.m3u8", []byte("hello\n"))
	// A byte range past the end of its resource, from a server that
	// honours ranges and from one that sends the whole resource.
	srv.Add("/x/range.m3u8", []byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n#EXT-X-BYTERANGE:1000@0\nr.ts\n#EXT-X-ENDLIST\n"))
	srv.Add("/x/r.ts", make([]byte, 500))
	srv.Add("/y/range.m3u8", []byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n#EXT-X-BYTERANGE:1000@0\nr.ts\n#EXT-X-ENDLIST\n"))
	srv.Add("/y/r.ts", make([]byte, 500), testserver.IgnoreRange())
	srv.Add("/z/range.m3u8", []byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n#EXT-X-BYTERANGE:1000@0\nr.ts\n#EXT-X-ENDLIST\n"))
	srv.Add("/z/r.ts", make([]byte, 500), testserver.IgnoreRange(), testserver.Chunked())
	for _, c := range []struct {
		name, link string
		kind       ErrorKind
		says       string
	}{
		{"live", "/live/ts/index.m3u8", KindPolicy, "live stream"},
		{"drm", "/x/drm.m3u8", KindPolicy, "DRM"},
		{"over limits", "/x/huge.m3u8", KindPolicy, "over limits"},
		{"malformed", "/x/bad.m3u8", KindProtocol, "malformed"},
		{"not a playlist", "/x/text.m3u8", KindProtocol, "not an HLS playlist"},
		{"segment 404", "/gone/ts/index.m3u8", KindHTTP, "segment 2 of 3"},
		{"segment short", "/short/ts/index.m3u8", KindNetwork, "before sending the whole file"},
		{"range past the end", "/x/range.m3u8", KindProtocol, "Content-Range"},
		{"range past the end, no ranges", "/y/range.m3u8", KindIntegrity, "shorter than the range"},
		{"range past the end, no size", "/z/range.m3u8", KindIntegrity, "got 500 bytes of 1000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Retries = 1 })
			id := e.add(srv.URL(c.link))
			s := e.wait(id)
			if s.State != Failed || s.Problem.Kind != c.kind || !strings.Contains(s.Err, c.says) {
				t.Fatalf("state %v, kind %v, err %q; want failed, %v, saying %q", s.State, s.Problem.Kind, s.Err, c.kind, c.says)
			}
			for _, f := range e.files() {
				if !strings.HasSuffix(f, partSuffix) {
					t.Errorf("%s was left in the folder, looking complete", f)
				}
			}
		})
	}
}

func TestHLSSeparateAudioIsMuxedWithFFmpeg(t *testing.T) {
	needTool(t, "ffmpeg", "muxing the separate audio is not tested")
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	e := newEnv(t)
	id := e.add(srv.URL("/v/audio/master.m3u8"))
	s := e.wait(id)
	if s.State != Completed || s.Name != "master.mp4" {
		t.Fatalf("state %v, name %q, err %q", s.State, s.Name, s.Err)
	}
	if files := e.files(); len(files) != 1 {
		t.Errorf("files %v, want only master.mp4", files)
	}
	if st, err := os.Stat(s.Path()); err != nil || st.Size() != s.Total {
		t.Errorf("size %v, snapshot total %d (%v)", st, s.Total, err)
	}
	needTool(t, "ffprobe", "the muxed file's streams are not checked")
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", s.Path()).Output()
	if err != nil || strings.Fields(string(out)) == nil || !strings.Contains(string(out), "video") || !strings.Contains(string(out), "audio") {
		t.Errorf("ffprobe streams %q (%v), want a video and an audio", out, err)
	}
}

// TestHLSOutputDecodesWithItsDuration decodes every saved stream with
// ffprobe, where it is installed, and compares its duration with the
// playlist's.
func TestHLSOutputDecodesWithItsDuration(t *testing.T) {
	needTool(t, "ffprobe", "the saved streams are not decoded")
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	for _, link := range []string{"ts/index.m3u8", "aes/index.m3u8", "fmp4/index.m3u8", "fmp4-range/index.m3u8"} {
		e := newEnv(t)
		s := e.wait(e.add(srv.URL("/v/" + link)))
		if s.State != Completed {
			t.Fatalf("%s: %v %q", link, s.State, s.Err)
		}
		out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", s.Path()).Output()
		if err != nil {
			t.Fatalf("%s: ffprobe: %v", link, err)
		}
		d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		if err != nil || d < 2.8 || d > 3.3 {
			t.Errorf("%s: duration %q, want about 3 s (three 1 s segments)", link, out)
		}
		// Decoding every frame finds damage the container's header hides.
		if out, err := exec.Command("ffmpeg", "-v", "error", "-i", s.Path(), "-f", "null", "-").CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("%s does not decode cleanly: %v %s", filepath.Base(s.Path()), err, out)
		}
	}
}

// TestHLSKeysAreNeverStored pauses an encrypted stream mid-way and looks
// for its AES keys, in any spelling, in the stored download list.
func TestHLSKeysAreNeverStored(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v", testserver.ThrottleSegments(24<<10))
	e := newEnv(t)
	id := e.pauseAfterASegment(srv.URL("/v/aes/index.m3u8"))
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(e.state)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := st.Load()
	st.Close()
	if err != nil || len(entries) != 1 || entries[0].ID != id {
		t.Fatalf("stored %d entries (%v)", len(entries), err)
	}
	rec := entries[0].Data
	if !bytes.Contains(rec, []byte(`"protocol":"hls"`)) || !bytes.Contains(rec, []byte(`"protoState"`)) {
		t.Errorf("the record does not keep the stream's protocol and state: %s", rec)
	}
	for _, name := range []string{"aes/key1.key", "aes/key2.key"} {
		key, err := fs.ReadFile(testserver.HLSFixtures(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range [][]byte{key, []byte(hex.EncodeToString(key)), []byte(base64.StdEncoding.EncodeToString(key))} {
			if bytes.Contains(rec, form) {
				t.Errorf("%s is in the stored record", name)
			}
		}
	}
	e.open() // for the cleanup's Close
}

// TestHLSCanceledStreamLeavesNothing cancels a stream with separate
// audio while its audio is under way: the .part and the audio's side
// file both go.
func TestHLSCanceledStreamLeavesNothing(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no ffmpeg: the audio would stay beside
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v", testserver.ThrottleSegments(24<<10))
	e := newEnv(t)
	id := e.add(srv.URL("/v/audio/master.m3u8"), func(r *Request) { r.Connections = 1 })
	e.waitFor(id, "an audio segment written", func(s Snapshot) bool { return s.SegmentsDone >= 4 })
	if _, err := os.Stat(filepath.Join(e.dl, "master.ts.audio"+partSuffix)); err != nil {
		t.Fatalf("no audio side file while the audio downloads: %v", err)
	}
	if err := e.m.Cancel(id); err != nil {
		t.Fatal(err)
	}
	if s := e.wait(id); s.State != Canceled {
		t.Fatalf("state %v", s.State)
	}
	if files := e.files(); len(files) != 0 {
		t.Errorf("left in the folder: %v", files)
	}
}

// TestHLSProgressMovesWhileASegmentArrives checks the bytes of a segment
// count (and so the speed moves) while it arrives, before it is written.
func TestHLSProgressMovesWhileASegmentArrives(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v", testserver.ThrottleSegments(8<<10)) // about 2 s a segment
	e := newEnv(t)
	id := e.add(srv.URL("/v/ts/index.m3u8"), func(r *Request) { r.Connections = 1 })
	e.waitFor(id, "bytes counted before the first segment is written", func(s Snapshot) bool {
		return s.State == Active && s.SegmentsDone == 0 && s.Received > 0
	})
	e.mustStream(id, "ts", "index.ts")
}

// TestHLSConnectionsChangeLive raises the connection setting while a
// stream runs on one connection: more segments are then fetched at once.
func TestHLSConnectionsChangeLive(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	// The later segments are held until the test has seen the stream
	// take more connections: the first is written on one, the second
	// then waits on it, and only a connection added live can ask for the
	// third while it does.
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer free()
	srv.AddHLS("/v", testserver.HLSFile("aes/seg1.ts", testserver.Hold(1024, release)),
		testserver.HLSFile("aes/seg2.ts", testserver.Hold(1024, release)))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	id := e.add(srv.URL("/v/aes/index.m3u8"))
	e.waitFor(id, "the first segment written", func(s Snapshot) bool { return s.Received > 0 && s.Conns == 1 })
	e.m.SetConnections(4)
	e.waitFor(id, "more connections", func(s Snapshot) bool { return s.Conns > 1 })
	free()
	e.mustStream(id, "aes", "index.ts")
}
