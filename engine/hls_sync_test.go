package engine

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// syncCounter counts the flushes of one file.
type syncCounter struct {
	partFile
	mu *sync.Mutex
	n  *int
}

func (c *syncCounter) Sync() error {
	c.mu.Lock()
	*c.n++
	c.mu.Unlock()
	return c.partFile.Sync()
}

// A stream's separate audio is flushed with the video's checkpoints, not
// after each of its segments: with one checkpoint an hour, its file is
// flushed no more often than the video's .part, and fewer times than it
// has segments.
func TestHLSSeparateAudioIsFlushedAtCheckpointsNotPerSegment(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no ffmpeg: the audio is placed beside
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v")
	e := newEnv(t, func(o *Options) { o.CheckpointInterval = time.Hour })
	var mu sync.Mutex
	syncs := map[string]*int{}
	e.m.wrapFile = func(f partFile) partFile {
		st, err := f.Stat()
		if err != nil {
			t.Errorf("stat of a wrapped file: %v", err)
			return f
		}
		mu.Lock()
		defer mu.Unlock()
		n := syncs[st.Name()]
		if n == nil {
			n = new(int)
			syncs[st.Name()] = n
		}
		return &syncCounter{f, &mu, n}
	}
	s := e.mustStream(e.add(srv.URL("/v/audio/master.m3u8")), "audio/video", "master.ts")
	mu.Lock()
	defer mu.Unlock()
	video, audio := syncs["master.ts"+partSuffix], syncs["master.ts.audio"+partSuffix]
	if video == nil || audio == nil {
		t.Fatalf("files opened: %v", syncs)
	}
	const audioSegments = 4
	if s.Segments != 3+audioSegments {
		t.Fatalf("segments %d, want 3 video + %d audio", s.Segments, audioSegments)
	}
	if *audio > *video || *audio >= audioSegments {
		t.Errorf("the audio file was flushed %d times, the video's %d times, for %d audio segments", *audio, *video, audioSegments)
	}
	if *audio == 0 {
		t.Error("the audio file was never flushed before it was placed")
	}
	for name := range syncs {
		if !strings.HasPrefix(name, "master.ts") {
			t.Errorf("unexpected file %s", name)
		}
	}
}
