package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// needFFmpeg skips a test without ffmpeg and ffprobe, and fails it
// under CI=true, whose test command installs them.
func needFFmpeg(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed, and CI=true needs it (apt-get install ffmpeg)", tool)
			}
			t.Skipf("SKIPPED: %s is not installed (apt-get install ffmpeg)", tool)
		}
	}
}

// mustPlay checks with ffprobe and ffmpeg that path holds a video and an
// audio stream of about 3 s that decode cleanly.
func mustPlay(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	f := strings.Fields(string(out))
	if !slices.Contains(f, "video") || !slices.Contains(f, "audio") {
		t.Errorf("streams %q, want a video and an audio", out)
	}
	if d, err := strconv.ParseFloat(f[len(f)-1], 64); err != nil || d < 2.8 || d > 3.3 {
		t.Errorf("duration %q, want about 3 s", f[len(f)-1])
	}
	if out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("%s does not decode cleanly: %v %s", filepath.Base(path), err, out)
	}
}

// `haul get URL.mpd` saves one file that plays, for every form of MPD the
// fixtures hold.
func TestHaulGetDASHSavesAFileThatPlays(t *testing.T) {
	needFFmpeg(t)
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
			mustPlay(t, filepath.Join(out, "manifest.mp4"))
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
	needFFmpeg(t)
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

	cmd, _, _ := haulCmd(t, ctx, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// With one connection the parts come in their order (video and audio
	// interleaved): the held one, the last, is asked for once every other
	// part is in.
	deadline := time.Now().Add(60 * time.Second)
	for srv.HLSFetches("/d")[held] == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polls the server's counter
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(release)
	if _, err := os.Stat(filepath.Join(out, "manifest.mp4")); err == nil {
		t.Fatal("the stream completed before the kill: nothing was resumed")
	}

	cmd, _, logs := haulCmd(t, ctx, args...)
	if err := cmd.Run(); err != nil {
		t.Fatalf("second run: %v\n%s", err, logs)
	}
	mustPlay(t, filepath.Join(out, "manifest.mp4"))
	f := srv.HLSFetches("/d")
	t.Logf("fetches: %v", f)
	if f["timeline/chunk-0-0.m4s"] != 1 || f["timeline/chunk-0-10240.m4s"] != 1 {
		t.Errorf("video segments 1 and 2 were fetched %d and %d times: the restart did not go on from the next segment",
			f["timeline/chunk-0-0.m4s"], f["timeline/chunk-0-10240.m4s"])
	}
}
