package hls

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// concatFixture writes the segments of the fixture playlist dir, in
// order, to path.
func concatFixture(t *testing.T, dir, path string) {
	t.Helper()
	root := testserver.HLSFixtures()
	var all []byte
	for _, s := range fixture(t, dir+"/index.m3u8").Media.Segments {
		b, err := fs.ReadFile(root, dir+"/"+s.URL[strings.LastIndex(s.URL, "/")+1:])
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if err := os.WriteFile(path, all, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestMuxWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	out := filepath.Join(t.TempDir(), "out.mp4")
	err := Mux(context.Background(), "v.ts", "a.ts", out)
	if !errors.Is(err, ErrNoFFmpeg) || !strings.Contains(err.Error(), "ffmpeg not found") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("output exists: %v", err)
	}
	if _, err := FindFFmpeg(); !errors.Is(err, ErrNoFFmpeg) {
		t.Errorf("FindFFmpeg: %v", err)
	}
}

func TestMuxJoinsVideoAndSeparateAudio(t *testing.T) {
	needTool(t, "ffmpeg")
	needTool(t, "ffprobe")
	// Relative names ffmpeg would misread as an option or a protocol.
	t.Chdir(t.TempDir())
	video, audio, out := "-video:1.ts", "concat:audio.ts", "-out.mp4"
	concatFixture(t, "audio/video", video)
	concatFixture(t, "audio/audio", audio)
	if err := os.WriteFile(out, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Mux(context.Background(), video, audio, out); err != nil {
		t.Fatal(err)
	}
	probe, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name:format=format_name",
		"-of", "compact=p=0:nk=1", "file:"+out).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	got := strings.Fields(strings.TrimSpace(string(probe)))
	want := []string{"h264|video", "aac|audio", "mov,mp4,m4a,3gp,3g2,mj2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("muxed file: %q, want %q", got, want)
	}
	if d := probeDuration(t, out); d < 2.75 || d > 3.25 {
		t.Errorf("muxed duration %.3f s", d)
	}
}

func TestMuxFailureAndCancelRemoveTheOutput(t *testing.T) {
	needTool(t, "ffmpeg")
	dir := t.TempDir()
	video := filepath.Join(dir, "v.ts")
	concatFixture(t, "audio/video", video)
	out := filepath.Join(dir, "out.mp4")

	if err := os.WriteFile(out, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Mux(context.Background(), video, filepath.Join(dir, "missing.ts"), out)
	if err == nil || !strings.Contains(err.Error(), "missing.ts") {
		t.Fatalf("missing audio: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("output left after a failure: %v", err)
	}
}
