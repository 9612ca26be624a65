package testserver

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// NeedFFmpeg skips t when ffmpeg or ffprobe is not installed, and fails
// it instead under CI=true, whose test command installs them.
func NeedFFmpeg(t testing.TB) {
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

// Plays checks, with ffprobe and ffmpeg, that the file at path holds a
// video and an audio stream lasting secs (within 0.3 s) and that every
// frame decodes cleanly.
func Plays(path string, secs float64) error {
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "csv=p=0", path).Output()
	if err != nil {
		return fmt.Errorf("ffprobe %s: %w", filepath.Base(path), err)
	}
	f := strings.Fields(string(out))
	if !slices.Contains(f, "video") || !slices.Contains(f, "audio") {
		return fmt.Errorf("%s has the streams %q, not a video and an audio", filepath.Base(path), out)
	}
	if d, err := strconv.ParseFloat(f[len(f)-1], 64); err != nil || math.Abs(d-secs) > 0.3 {
		return fmt.Errorf("%s lasts %q, not about %.1f s", filepath.Base(path), f[len(f)-1], secs)
	}
	if out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		return errors.Join(fmt.Errorf("%s does not decode cleanly: %s", filepath.Base(path), out), err)
	}
	return nil
}
