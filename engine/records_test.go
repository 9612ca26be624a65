package engine

import (
	"fmt"
	"testing"
	"time"
)

// TestStoreChangesGatherIntoOneCommit: changes made while the saver is
// busy (here: held) go into its next commit together, not one commit
// each, and a reopen finds every download.
func TestStoreChangesGatherIntoOneCommit(t *testing.T) {
	e := newEnv(t)
	before := e.m.commits.Load()
	e.m.saveMu.Lock() // as if a commit were running
	const n = 50
	for i := range n {
		e.add(fmt.Sprintf("http://127.0.0.1:1/f%d.bin", i), func(r *Request) { r.Paused = true })
	}
	if got := e.m.commits.Load(); got != before {
		t.Fatalf("%d commits while the saver was held", got-before)
	}
	e.m.saveMu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for e.m.commits.Load() == before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // time enough for commits that should not happen
	if got := e.m.commits.Load() - before; got != 1 {
		t.Errorf("%d commits for %d changes made while the saver was busy, want 1", got, n)
	}
	e.reopen()
	if got := len(e.m.List()); got != n {
		t.Errorf("reopened with %d downloads, want %d", got, n)
	}
}

// TestCommitsAreSpacedBySaveGap: a steady stream of changes, each of
// which alone would be a commit, costs at most one commit per saveGap,
// and nothing is lost.
func TestCommitsAreSpacedBySaveGap(t *testing.T) {
	e := newEnv(t)
	before := e.m.commits.Load()
	start := time.Now()
	const n = 100
	for i := range n {
		e.add(fmt.Sprintf("http://127.0.0.1:1/f%d.bin", i), func(r *Request) { r.Paused = true })
		time.Sleep(2 * time.Millisecond) // each change finds the saver idle
	}
	elapsed := time.Since(start)
	if got, most := e.m.commits.Load()-before, int64(elapsed/saveGap)+1; got > most {
		t.Errorf("%d commits in %v for %d changes; at most %d with one every %v", got, elapsed, n, most, saveGap)
	}
	e.reopen()
	if got := len(e.m.List()); got != n {
		t.Errorf("reopened with %d downloads, want %d", got, n)
	}
}
