package transfer

import (
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
		d.round("/dl", func(int) error { return flush() })
		check(called)
	}()
	<-first
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			called := seq.Add(1)
			d.round("/dl", func(int) error { return flush() })
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
	d.round("/other", func(int) error { other++; return nil })
	if other != 1 {
		t.Errorf("the other folder was flushed %d times, want 1", other)
	}
	if len(d.m) != 0 {
		t.Errorf("%d folders left in the table", len(d.m))
	}
}
