package transfer

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// A folder flush that fails after the file took its name is tried again,
// and when it fails again the download completes (the file is whole and
// in place) with a warning that says the name may not survive a crash.
func TestAFailedFolderFlushIsRetriedThenReported(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := testserver.Content(100<<10, 4)
	srv.Add("/f.bin", data)
	for _, fails := range []int32{1, 2} {
		env := retryEnv(t, 1)
		var calls atomic.Int32
		env.dirs.syncDir = func(d *openDir) error {
			if calls.Add(1) <= fails {
				return errors.New("EIO")
			}
			return d.dir.Sync()
		}
		u, _ := url.Parse(srv.URL("/f.bin"))
		dir := t.TempDir()
		res, err := Run(context.Background(), env, Spec{URL: u, Dir: dir}, HTTP{}, &memReporter{names: map[string]bool{}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, res.Name)); err != nil {
			t.Fatal(err)
		}
		if n := calls.Load(); n != 2 {
			t.Errorf("%d failures: the folder was flushed %d times, want 2", fails, n)
		}
		switch reported := strings.Contains(res.Warning, "could not be flushed"); {
		case fails == 1 && reported:
			t.Errorf("a flush that worked the second time was reported: %q", res.Warning)
		case fails == 2 && !reported:
			t.Errorf("two failed flushes: warning %q, want it said", res.Warning)
		}
	}
}

// Installing the muxed HLS file as the .part reports a side file it
// could not delete instead of dropping the error.
func TestAnHLSSideFileThatStaysIsReported(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1/v.m3u8")
	dir := t.TempDir()
	j, err := newJob(&Env{}, Spec{URL: u, Dir: dir, Name: "v.ts", Fixed: true}, &memReporter{names: map[string]bool{}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.close()
	if err := os.WriteFile(filepath.Join(dir, "v.ts.mux.part"), []byte("muxed"), 0o644); err != nil {
		t.Fatal(err)
	}
	side := AudioPart("v.ts")
	if err := os.MkdirAll(filepath.Join(dir, side, "in-the-way"), 0o755); err != nil { // cannot be removed as a file
		t.Fatal(err)
	}
	if err := j.ReplacePart("v.ts.mux.part", side); err != nil {
		t.Fatal(err)
	}
	if w := j.warning; !strings.Contains(w, "could not delete") {
		t.Errorf("warning %q, want the side file reported", w)
	}
}
