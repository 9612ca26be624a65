package transfer

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// syncCounter is a finished .part whose Sync is counted, and held while
// hold is open.
type syncCounter struct {
	File
	syncs atomic.Int32
	hold  chan struct{}
}

func (f *syncCounter) Sync() error {
	f.syncs.Add(1)
	if f.hold != nil {
		<-f.hold
	}
	return nil
}

// jobIn is a job of env whose folder, dir, is open (closed when t ends).
func jobIn(t *testing.T, env *Env, dir string) *Job {
	t.Helper()
	d, err := env.dirs.open.open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.dirs.open.close(d) })
	return &Job{env: env, spec: Spec{Dir: dir}, dir: d}
}

// waitJoined returns once n calls wait in the next round of dir's flushes.
func waitJoined(env *Env, dir string, n int) {
	for joined := 0; joined < n; {
		env.dirs.mu.Lock()
		if q := env.dirs.m[dir]; q != nil && q.next != nil {
			joined = q.next.members
		}
		env.dirs.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

// flushTogether runs flushFile for one file alone, whose own flush is
// held, then for n more that arrive meanwhile, and returns them all once
// done.
func flushTogether(t *testing.T, env *Env, n int) (first *syncCounter, rest []*syncCounter) {
	t.Helper()
	dir := t.TempDir()
	job := func() *Job { return jobIn(t, env, dir) }
	first = &syncCounter{hold: make(chan struct{})}
	var wg sync.WaitGroup
	errs := make(chan error, n+1)
	wg.Add(1)
	go func() { defer wg.Done(); errs <- job().flushFile(first) }()
	for first.syncs.Load() == 0 { // the first file is flushing itself
		time.Sleep(time.Millisecond)
	}
	for range n {
		f := &syncCounter{}
		rest = append(rest, f)
		wg.Add(1)
		go func() { defer wg.Done(); errs <- job().flushFile(f) }()
	}
	waitJoined(env, dir, n) // they wait in the next round
	close(first.hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("flushFile: %v", err)
		}
	}
	return first, rest
}

// Files that finish while another file's flush runs share one flush of
// the file system: none of them is flushed on its own, and the file that
// was alone flushed only itself.
func TestFilesFinishingTogetherShareOneFlush(t *testing.T) {
	env := &Env{}
	var shared atomic.Int32
	env.dirs.flushFS = func(*openDir) error { shared.Add(1); return nil }
	first, rest := flushTogether(t, env, 5)
	if got := first.syncs.Load(); got != 1 {
		t.Errorf("the file alone was flushed %d times, want once", got)
	}
	if got := shared.Load(); got != 1 {
		t.Errorf("%d shared flushes for the five files that came together, want 1", got)
	}
	for i, f := range rest {
		if got := f.syncs.Load(); got != 0 {
			t.Errorf("file %d was flushed on its own %d times although the shared flush covered it", i, got)
		}
	}
}

// When the shared flush cannot be used (or fails), every file of the
// round flushes itself, exactly once.
func TestFilesFlushThemselvesWhenTheSharedFlushFails(t *testing.T) {
	env := &Env{}
	env.dirs.flushFS = func(*openDir) error { return errors.New("no") }
	_, rest := flushTogether(t, env, 4)
	for i, f := range rest {
		if got := f.syncs.Load(); got != 1 {
			t.Errorf("file %d was flushed %d times, want once", i, got)
		}
	}
}

// On this system, the real shared flush works on a download folder.
func TestSyncFSFlushesAFolder(t *testing.T) {
	var o openDirs
	d, err := o.open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer o.close(d)
	if err := syncFS(d); err != nil && !errors.Is(err, errBusyCache) && !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("syncFS: %v", err)
	}
}
