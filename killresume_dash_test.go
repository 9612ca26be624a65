package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// `haul get URL.mpd` saves one file that plays, for every form of MPD the
// fixtures hold.
func TestHaulGetDASHSavesAFileThatPlays(t *testing.T) {
	testserver.NeedFFmpeg(t)
	srv := testserver.New()
	defer srv.Close()
	srv.AddDASH("/d")
	for _, dir := range []string{"number", "timeline", "list", "base"} {
		t.Run(dir, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, stderr, code := runHaul(t, "get", "-d", out, "--state", filepath.Join(t.TempDir(), "state"), srv.URL("/d/"+dir+"/manifest.mpd"))
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			entries, err := os.ReadDir(out)
			if err != nil || len(entries) != 1 || entries[0].Name() != "manifest.mp4" {
				t.Fatalf("saved %v (%v), want only manifest.mp4", entries, err)
			}
			if err := testserver.Plays(filepath.Join(out, "manifest.mp4"), 3); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestKillAndResumeDASH kills `haul get` with SIGKILL while a DASH
// stream's last audio segment is held (the rest all in), runs it again, and
// checks the file plays while the video segments were not fetched again.
func TestKillAndResumeDASH(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a process; skipped in -short mode")
	}
	testserver.NeedFFmpeg(t)
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	held := "timeline/chunk-1-62464.m4s" // the last audio segment
	srv.AddDASH("/d", testserver.ThrottleSegments(16<<10), testserver.HLSFile(held, testserver.Hold(0, release)))
	dir := t.TempDir()
	out, state := filepath.Join(dir, "out"), filepath.Join(dir, "state")
	args := []string{"get", "-d", out, "--state", state, "-x", "1", srv.URL("/d/timeline/manifest.mpd")}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// With one connection the parts come in their order (video and audio
	// interleaved): the held one, the last, is asked for once every other
	// part is in.
	killWhenAsked(t, ctx, func() bool { return srv.HLSFetches("/d")[held] > 0 }, 0, args...)
	close(release)
	if _, err := os.Stat(filepath.Join(out, "manifest.mp4")); err == nil {
		t.Fatal("the stream completed before the kill: nothing was resumed")
	}

	cmd, _, logs := haulCmd(t, ctx, args...)
	if err := cmd.Run(); err != nil {
		t.Fatalf("second run: %v\n%s", err, logs)
	}
	if err := testserver.Plays(filepath.Join(out, "manifest.mp4"), 3); err != nil {
		t.Error(err)
	}
	f := srv.HLSFetches("/d")
	t.Logf("fetches: %v", f)
	if f["timeline/chunk-0-0.m4s"] != 1 || f["timeline/chunk-0-10240.m4s"] != 1 {
		t.Errorf("video segments 1 and 2 were fetched %d and %d times: the restart did not go on from the next segment",
			f["timeline/chunk-0-0.m4s"], f["timeline/chunk-0-10240.m4s"])
	}
}
