package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestKillAndResume runs `haul get` as a separate process, kills it with
// SIGKILL at several random points of a large multi-connection download,
// runs the same command again each time, and checks that the file ends up
// byte for byte right while the server sent less than 1.3× its size.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a process; skipped in -short mode")
	}
	const size = 32 << 20
	data := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/movie.mp4", data, testserver.Throttle(1<<20)) // per connection
	dir := t.TempDir()
	out, state := filepath.Join(dir, "out"), filepath.Join(dir, "state")
	args := []string{"get", "-d", out, "--state", state, "-x", "4", srv.URL("/movie.mp4")}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	haul := func() (*exec.Cmd, *bytes.Buffer) {
		cmd, logs, _ := haulCmd(t, ctx, args...)
		cmd.Stderr = logs // one log, in order
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, logs
	}

	// Kill at three random points spread over the download.
	for i, frac := range []float64{0.1 + 0.2*rand.Float64(), 0.35 + 0.2*rand.Float64(), 0.6 + 0.25*rand.Float64()} {
		target := int64(frac * size)
		killWhenAsked(t, ctx, func() bool { return srv.Stats("/movie.mp4").BytesSent >= target }, 0, args...)
		t.Logf("kill %d: aimed at %.0f%%, server had sent %.0f%% of the file in all", i+1, 100*frac, 100*float64(srv.Stats("/movie.mp4").BytesSent)/size)
	}
	cmd, logs := haul()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("final run: %v\n%s", err, logs)
	}
	got, err := os.ReadFile(filepath.Join(out, "movie.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("the file differs from the server's (%d bytes, want %d)", len(got), size)
	}
	sent := srv.Stats("/movie.mp4").BytesSent
	t.Logf("server sent %d bytes for a %d-byte file (%.2f×)", sent, size, float64(sent)/size)
	if float64(sent) >= 1.3*size {
		t.Errorf("server sent %.2f× the file size; resume lost too much", float64(sent)/size)
	}
}
