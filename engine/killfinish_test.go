package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// The child process of TestAKillWhileFinishingKeepsTheFile reads these.
const (
	killPointEnv = "HAUL_TEST_KILL_POINT" // where to die: placing, placed or committed
	killURLEnv   = "HAUL_TEST_KILL_URL"
	killBaseEnv  = "HAUL_TEST_KILL_BASE" // holds state/ and dl/
)

// killOptions are the manager's options in the folder base, for the
// child and for the parent's next start alike.
func killOptions(base string) Options {
	return Options{StateDir: filepath.Join(base, "state"), DefaultDir: filepath.Join(base, "dl"),
		RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond, CheckpointInterval: time.Hour}
}

// TestAKillWhileFinishingKeepsTheFile kills a process (SIGKILL) at each
// point of finishing a file — its final name recorded but the file not
// yet moved, the file moved but the store not told, the completion
// committed — and starts again on the same state: there is exactly one
// complete file, under its name, and nothing is fetched again.
func TestAKillWhileFinishingKeepsTheFile(t *testing.T) {
	if point := os.Getenv(killPointEnv); point != "" {
		dieWhileFinishing(t, point)
		return
	}
	if testing.Short() {
		t.Skip("kills child processes; skipped in -short mode")
	}
	for _, point := range []string{"placing", "placed", "committed"} {
		t.Run(point, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			data := testserver.Content(3<<20, 5)
			srv.Add("/f.bin", data)
			base := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAKillWhileFinishingKeepsTheFile$", "-test.count=1")
			cmd.Env = append(os.Environ(), killPointEnv+"="+point, killURLEnv+"="+srv.URL("/f.bin"), killBaseEnv+"="+base)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed at %q: %v\n%s", point, err, out)
			}
			sent := srv.Stats("/f.bin").BytesSent

			m, err := Open(context.Background(), killOptions(base))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			list := m.List()
			if len(list) != 1 {
				t.Fatalf("%d downloads after the restart, want 1", len(list))
			}
			wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer wcancel()
			if err := m.Wait(wctx, list[0].ID); err != nil {
				t.Fatal(err)
			}
			s, _ := m.Get(list[0].ID)
			if s.State != Completed || s.Name != "f.bin" {
				t.Fatalf("after the restart: %v as %q (%s), want Completed as f.bin", s.State, s.Name, s.Err)
			}
			entries, err := os.ReadDir(filepath.Join(base, "dl"))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if len(names) != 1 || names[0] != "f.bin" {
				t.Fatalf("the folder holds %q, want only f.bin", names)
			}
			if got, err := os.ReadFile(filepath.Join(base, "dl", "f.bin")); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("f.bin: %d bytes, equal %v (%v)", len(got), bytes.Equal(got, data), err)
			}
			if again := srv.Stats("/f.bin").BytesSent - sent; again != 0 {
				t.Errorf("%d bytes fetched again after the restart", again)
			}
		})
	}
}

// dieWhileFinishing is the child: it downloads the file and kills itself
// at point.
func dieWhileFinishing(t *testing.T, point string) {
	m, err := Open(context.Background(), killOptions(os.Getenv(killBaseEnv)))
	if err != nil {
		t.Fatal(err)
	}
	die := func() {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal ends the process
	}
	m.env.Hook = func(p string) {
		if p == point {
			die()
		}
	}
	id, err := m.Add(Request{URL: os.Getenv(killURLEnv)})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Wait(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if s, _ := m.Get(id); s.State != Completed || point != "committed" {
		t.Fatalf("finished as %v (%s) without dying at %q", s.State, s.Err, point)
	}
	if err := m.flush(); err != nil { // the completion is committed
		t.Fatal(err)
	}
	die()
}
