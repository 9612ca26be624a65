package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	killSumEnv   = "HAUL_TEST_KILL_SUM"  // the download's checksum, if any
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
// complete file, under its name, and nothing is fetched again. A file at
// that name that does not match the download's checksum is not taken
// for it: the download is fetched again beside it.
func TestAKillWhileFinishingKeepsTheFile(t *testing.T) {
	if point := os.Getenv(killPointEnv); point != "" {
		dieWhileFinishing(t, point)
		return
	}
	if testing.Short() {
		t.Skip("kills child processes; skipped in -short mode")
	}
	data := testserver.Content(3<<20, 5)
	sum := sha256.Sum256(data)
	tests := []struct {
		name, point, checksum string
		tamper                bool // the placed file is changed before the restart
	}{
		{"placing", "placing", "", false},
		{"placed", "placed", "", false},
		{"committed", "committed", "", false},
		{"placed with a checksum", "placed", "sha256=" + hex.EncodeToString(sum[:]), false},
		{"placed, then changed", "placed", "sha256=" + hex.EncodeToString(sum[:]), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			point := tc.point
			srv := testserver.New()
			defer srv.Close()
			srv.Add("/f.bin", data)
			base := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAKillWhileFinishingKeepsTheFile$", "-test.count=1")
			cmd.Env = append(os.Environ(), killPointEnv+"="+point, killURLEnv+"="+srv.URL("/f.bin"), killBaseEnv+"="+base, killSumEnv+"="+tc.checksum)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed at %q: %v\n%s", point, err, out)
			}
			sent := srv.Stats("/f.bin").BytesSent
			want := []string{"f.bin"}
			if tc.tamper {
				other := bytes.Clone(data)
				other[0]++
				if err := os.WriteFile(filepath.Join(base, "dl", "f.bin"), other, 0o644); err != nil {
					t.Fatal(err)
				}
				want = []string{"f (1).bin", "f.bin"}
			}

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
			if s.State != Completed || s.Name != want[0] {
				t.Fatalf("after the restart: %v as %q (%s), want Completed as %s", s.State, s.Name, s.Err, want[0])
			}
			entries, err := os.ReadDir(filepath.Join(base, "dl"))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if !slices.Equal(names, want) {
				t.Fatalf("the folder holds %q, want %q", names, want)
			}
			if got, err := os.ReadFile(filepath.Join(base, "dl", want[0])); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%s: %d bytes, equal %v (%v)", want[0], len(got), bytes.Equal(got, data), err)
			}
			switch again := srv.Stats("/f.bin").BytesSent - sent; {
			case tc.tamper && again != int64(len(data)):
				t.Errorf("%d bytes fetched after the restart, want the file again beside the changed one", again)
			case !tc.tamper && again != 0:
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
	id, err := m.Add(Request{URL: os.Getenv(killURLEnv), Checksum: os.Getenv(killSumEnv)})
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
