package hls

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	playlist "github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/testserver"
)

// names is a transfer.Reporter that reserves names and keeps nothing.
type names struct {
	mu    sync.Mutex
	taken map[string]bool
}

func (*names) Progress(int64)                      {}
func (*names) Connections(int)                     {}
func (*names) Learned(string, transfer.Resume)     {}
func (*names) Checkpoint([]transfer.Piece, []byte) {}
func (*names) Retrying(*transfer.RetryInfo)        {}
func (*names) Segments(int, int, int64)            {}
func (*names) Stream(string, string)               {}
func (*names) Filed(string)                        {}
func (*names) Live(func() []transfer.Piece)        {}
func (*names) Fetching(bool)                       {}
func (*names) Placing(string, []transfer.Piece)    {}
func (n *names) Taken(_, name string) bool         { n.mu.Lock(); defer n.mu.Unlock(); return n.taken[name] }
func (n *names) Release(_, name string)            { n.mu.Lock(); delete(n.taken, name); n.mu.Unlock() }
func (n *names) Reserve(_, name string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.taken[name] {
		return false
	}
	n.taken[name] = true
	return true
}

func sum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// A stream saved before its video and audio segments were interleaved
// counted the audio after the video: such a state is not continued in the
// new order (which would mix the segments up) but started over, and the
// files come out right.
func TestAStateCountedVideoFirstStartsOver(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no ffmpeg: the audio stays beside
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	link := srv.URL("/v/audio/master.m3u8")
	client := srv.Client()
	st, err := playlist.Resolve(context.Background(), func(ctx context.Context, u string) (io.ReadCloser, *url.URL, error) {
		resp, err := client.Get(u)
		if err != nil {
			return nil, nil, err
		}
		return resp.Body, resp.Request.URL, nil
	}, link, playlist.Best, playlist.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	// The .part holds the video, all in; the old state says the audio's
	// first segment is next (part 3 counting the video's three first).
	dir := t.TempDir()
	var video []byte
	for _, p := range st.Video.Segments {
		resp, err := client.Get(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		video = append(video, b...)
	}
	if err := os.WriteFile(filepath.Join(dir, "master.ts.part"), video, 0o644); err != nil {
		t.Fatal(err)
	}
	old, _ := json.Marshal(map[string]any{"fp": st.Video.Fingerprint + "+" + st.Audio.Fingerprint, "next": 3, "at": len(video), "audioAt": 0})
	u, _ := url.Parse(link)
	env := &transfer.Env{
		Client: func() *http.Client { return client }, Hosts: transfer.NewHostSlots(4), Global: transfer.NewLimits(0, 0),
		MinPiece: 1 << 20, Retries: 1, RetryBase: time.Millisecond, RetryMax: time.Millisecond, Stall: time.Minute, Checkpoint: time.Hour,
	}
	spec := transfer.Spec{URL: u, Dir: dir, Name: "master.ts", Fixed: true, Resume: &transfer.Resume{
		Total: -1, Ranges: true, Pieces: []transfer.Piece{{Start: 0, Pos: int64(len(video)), End: -1}}, State: old}}
	res, err := transfer.Run(context.Background(), env, spec, New(""), &names{taken: map[string]bool{"master.ts": true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum(t, filepath.Join(dir, res.Name)); got != testserver.HLSExpectedSum("audio/video") {
		t.Errorf("%s is not the video's segments in order", res.Name)
	}
	if got := sum(t, filepath.Join(dir, "master.audio.ts")); got != testserver.HLSExpectedSum("audio/audio") {
		t.Error("master.audio.ts is not the audio's segments in order")
	}
}
