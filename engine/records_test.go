package engine

import (
	"fmt"
	"testing"
	"time"
)

// TestStoreChangesGatherIntoOneCommit: changes made while the saver waits
// out its gap after a commit go into the next commit together, not one
// commit each, and Close writes what is still gathering: a reopen finds
// every download.
func TestStoreChangesGatherIntoOneCommit(t *testing.T) {
	e := newEnv(t)
	e.m.mu.Lock()
	e.m.saveGap = time.Hour
	e.m.mu.Unlock()
	e.add("http://127.0.0.1:1/first.bin", func(r *Request) { r.Paused = true })
	deadline := time.Now().Add(10 * time.Second)
	for e.m.commits.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := e.m.commits.Load(); n != 1 {
		t.Fatalf("%d commits after the first change, want 1", n)
	}
	const more = 50
	for i := range more {
		e.add(fmt.Sprintf("http://127.0.0.1:1/f%d.bin", i), func(r *Request) { r.Paused = true })
	}
	time.Sleep(100 * time.Millisecond) // time enough for commits that should not happen
	if n := e.m.commits.Load(); n != 1 {
		t.Errorf("%d commits while the saver waited out its gap, want still 1", n)
	}
	e.reopen()
	if got := len(e.m.List()); got != more+1 {
		t.Errorf("reopened with %d downloads, want %d", got, more+1)
	}
}
