package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestKillAndResumeHLS kills `haul get` with SIGKILL in the middle of an
// encrypted HLS stream, once two segments are in, runs it again, and
// checks the saved file is the decrypted segments in order while the
// segments already written were not fetched again.
func TestKillAndResumeHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a process; skipped in -short mode")
	}
	srv := testserver.New()
	defer srv.Close()
	srv.AddHLS("/v", testserver.ThrottleSegments(8<<10)) // about 2 s a segment
	dir := t.TempDir()
	out, state := filepath.Join(dir, "out"), filepath.Join(dir, "state")
	args := []string{"get", "-d", out, "--state", state, "-x", "1", srv.URL("/v/aes/index.m3u8")}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// A second after segment 2 is asked for, segments 0 and 1 are written
	// and checkpointed; segment 2 is under way.
	killWhenAsked(t, ctx, func() bool { return srv.HLSFetches("/v")["aes/seg2.ts"] > 0 }, time.Second, args...)
	if _, err := os.Stat(filepath.Join(out, "index.ts")); err == nil {
		t.Fatal("the stream completed before the kill: nothing was resumed")
	}

	cmd, _, logs := haulCmd(t, ctx, args...)
	if err := cmd.Run(); err != nil {
		t.Fatalf("second run: %v\n%s", err, logs)
	}
	got, err := os.ReadFile(filepath.Join(out, "index.ts"))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != testserver.HLSExpectedSum("aes") {
		t.Fatalf("index.ts (%d bytes) is not the decrypted segments in order", len(got))
	}
	f := srv.HLSFetches("/v")
	t.Logf("fetches: %v", f)
	if f["aes/seg0.ts"] != 1 || f["aes/seg1.ts"] != 1 {
		t.Errorf("segments 0 and 1 were fetched %d and %d times: the restart did not go on from the next segment", f["aes/seg0.ts"], f["aes/seg1.ts"])
	}
}
