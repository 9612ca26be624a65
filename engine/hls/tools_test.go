package hls

import (
	"os"
	"os/exec"
	"testing"
)

// needTool skips a test whose program (ffmpeg, ffprobe) is not installed,
// except under CI=true, where the README's test command has installed it:
// there a missing one fails the test instead of hiding it.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed, and CI=true: scripts/test.sh installs it (apt-get install ffmpeg)", name)
		}
		t.Skipf("SKIPPED: %s is not installed (apt-get install ffmpeg)", name)
	}
}
