//go:build unix

package hls

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestMuxCancelStopsFFmpeg(t *testing.T) {
	needTool(t, "ffmpeg")
	dir := t.TempDir()
	video := filepath.Join(dir, "v.ts")
	concatFixture(t, "audio/video", video)
	out := filepath.Join(dir, "out.mp4")

	// An audio input that never delivers a byte (a FIFO nobody writes):
	// only cancelling ends ffmpeg.
	fifo := filepath.Join(dir, "audio.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.WriteFile(out, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Mux(ctx, video, fifo, out) }()
	time.Sleep(100 * time.Millisecond) // let ffmpeg start and block; not needed for correctness
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("canceled: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Mux did not return after cancel")
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("output left after cancel: %v", err)
	}
}
