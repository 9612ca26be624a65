package transfer

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// countingReporter counts the checkpoints reported.
type countingReporter struct {
	nopReporter
	mu sync.Mutex
	n  int
}

func (r *countingReporter) Checkpoint([]Piece, []byte) { r.mu.Lock(); r.n++; r.mu.Unlock() }
func (r *countingReporter) count() int                 { r.mu.Lock(); defer r.mu.Unlock(); return r.n }

// The checkpoints come again and again while a transfer runs, never once
// stop has returned, and a deleted folder stops the transfer.
func TestCheckpointsTickUntilStopped(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dl")
	u, _ := url.Parse("http://127.0.0.1/a.bin")
	rep := &countingReporter{}
	j, err := newJob(&Env{}, Spec{URL: u, Dir: dir, Name: "a.bin", Fixed: true}, rep)
	if err != nil {
		t.Fatal(err)
	}
	f, err := j.root.Create("a.bin" + PartSuffix)
	if err != nil {
		t.Fatal(err)
	}
	j.useFile(f, []Piece{{Start: 0, Pos: 0, End: 10}})
	ctx, stopRun := context.WithCancelCause(context.Background())
	stop := j.checkpointEvery(ctx, time.Millisecond, stopRun)
	for deadline := time.Now().Add(10 * time.Second); rep.count() < 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d checkpoints in 10 s at 1 ms apart", rep.count())
		}
	}
	stop()
	after := rep.count()
	time.Sleep(20 * time.Millisecond)
	if n := rep.count(); n != after {
		t.Errorf("%d checkpoints after stop returned", n-after)
	}

	stop = j.checkpointEvery(ctx, time.Millisecond, stopRun)
	defer stop()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	<-ctx.Done()
	if !errors.Is(context.Cause(ctx), ErrFolderGone) {
		t.Errorf("stopped by %v, want ErrFolderGone", context.Cause(ctx))
	}
	j.close()
}
