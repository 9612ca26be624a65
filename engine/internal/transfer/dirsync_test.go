package transfer

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Every caller of dirSyncs.sync returns only after a flush that started
// after its call (so its file's name is durable), and callers that come
// while a flush runs share the next one.
func TestFolderFlushesAreSharedAndNeverEarly(t *testing.T) {
	var d dirSyncs
	var seq atomic.Int64
	var mu sync.Mutex
	var finished []int64 // start sequence of each finished flush
	gate := make(chan struct{})
	var flushes atomic.Int32
	flush := func() error {
		start := seq.Add(1)
		if flushes.Add(1) == 1 {
			<-gate // the first flush runs until every other caller came
		}
		time.Sleep(time.Millisecond)
		mu.Lock()
		finished = append(finished, start)
		mu.Unlock()
		return nil
	}
	check := func(called int64) {
		mu.Lock()
		defer mu.Unlock()
		for _, s := range finished {
			if s > called {
				return
			}
		}
		t.Errorf("a caller (at %d) returned before any flush that started after it (flushes started at %v)", called, finished)
	}
	var wg sync.WaitGroup
	first := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		called := seq.Add(1)
		close(first)
		d.round("/dl", true, func(*syncRound) error { return flush() })
		check(called)
	}()
	<-first
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			called := seq.Add(1)
			d.round("/dl", true, func(*syncRound) error { return flush() })
			check(called)
		}()
	}
	time.Sleep(100 * time.Millisecond) // let them all arrive during the first flush
	close(gate)
	wg.Wait()
	if n := flushes.Load(); n > 3 {
		t.Errorf("%d flushes for 21 files placed together, want them shared (2, or 3 for a late caller)", n)
	}
	// Another folder is flushed on its own.
	other := 0
	d.round("/other", true, func(*syncRound) error { other++; return nil })
	if other != 1 {
		t.Errorf("the other folder was flushed %d times, want 1", other)
	}
	if len(d.m) != 0 {
		t.Errorf("%d folders left in the table", len(d.m))
	}
}

// folderFlushesTogether runs the folder flush of a placed file (as
// Job.complete does) for one job alone, whose flush of the folder is held
// until n more came, and returns every call's error. The shared flush of
// the file system fails; env.dirs.syncDir counts the folder's flushes in
// calls.
func folderFlushesTogether(t *testing.T, n int, flushDir func() error) (calls int32, errs []error) {
	t.Helper()
	env := &Env{}
	env.dirs.flushFS = func(*openDir) error { return errors.New("no") }
	var count atomic.Int32
	hold := make(chan struct{})
	env.dirs.syncDir = func(*openDir) error {
		if count.Add(1) == 1 {
			<-hold // the first file's folder flush runs until the others came
		}
		return flushDir()
	}
	dir := t.TempDir()
	job := func() *Job { return jobIn(t, env, dir) }
	out := make(chan error, n+1)
	var wg sync.WaitGroup
	first := job()
	wg.Go(func() { _, err := first.flush(first.syncDir, true); out <- err })
	for count.Load() == 0 { // the first file's folder is flushing
		time.Sleep(time.Millisecond)
	}
	for range n {
		j := job()
		wg.Go(func() { _, err := j.flush(j.syncDir, true); out <- err })
	}
	waitJoined(env, dir, n) // they wait in the next round
	close(hold)
	wg.Wait()
	close(out)
	for err := range out {
		errs = append(errs, err)
	}
	if len(env.dirs.m) != 0 {
		t.Errorf("%d rounds left in the table", len(env.dirs.m))
	}
	return count.Load(), errs
}

// When the shared flush of the file system cannot be used, the names of
// files placed together in one folder still share the flushes of the
// folder: one for the file alone, then one for all that came while it
// ran, not one each.
func TestFolderFlushesShareTheFolderWithoutTheSharedFlush(t *testing.T) {
	const n = 8
	calls, errs := folderFlushesTogether(t, n, func() error { return nil })
	for _, err := range errs {
		if err != nil {
			t.Errorf("folder flush: %v", err)
		}
	}
	if calls != 2 {
		t.Errorf("%d flushes of the folder for %d files placed together, want 2 (one alone, one shared)", calls, n+1)
	}
}

// A shared flush of the folder that fails is every member's failure:
// each file's name gets the answer (and Job.complete tries again).
func TestAFailedSharedFolderFlushFailsEveryName(t *testing.T) {
	const n = 5
	_, errs := folderFlushesTogether(t, n, func() error { return errors.New("EIO") })
	if len(errs) != n+1 {
		t.Fatalf("%d answers for %d calls", len(errs), n+1)
	}
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "EIO") {
			t.Errorf("call %d: %v, want the folder flush's EIO", i, err)
		}
	}
}
