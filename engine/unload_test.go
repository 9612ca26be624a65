package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestUnloadFreesACompletedDownloadAndKeepsItsRecord: once unloaded, a
// completed download is gone from List and Get and subscribers see it
// removed, but the file stays and the next Open lists it again, complete.
func TestUnloadFreesACompletedDownloadAndKeepsItsRecord(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(100 << 10)
	srv.Add("/done.bin", data)
	e := newEnv(t)
	id := e.add(srv.URL("/done.bin"))
	s := e.mustComplete(id, data)
	sub := e.m.Subscribe()
	defer sub.Close()
	if err := e.m.Unload(id); err != nil {
		t.Fatalf("Unload: %v", err)
	}
	if _, ok := e.m.Get(id); ok || len(e.m.List()) != 0 {
		t.Fatalf("still listed after Unload: %+v", e.m.List())
	}
	removed := false
	for deadline := time.After(10 * time.Second); !removed; {
		select {
		case batch := <-sub.C():
			for _, b := range batch {
				removed = removed || b.ID == id && b.Removed
			}
		case <-deadline:
			t.Fatal("subscribers were not told the download is gone")
		}
	}
	e.reopen()
	back, ok := e.m.Get(id)
	if !ok || back.State != Completed || back.Path() != s.Path() {
		t.Fatalf("after reopening: %+v (listed %v), want the completed %s", back, ok, s.Path())
	}
	e.mustComplete(id, data)
}

// TestUnloadRefusesADownloadThatIsNotComplete: a running or queued
// download stays in memory (its progress lives there).
func TestUnloadRefusesADownloadThatIsNotComplete(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/held.bin", randomBytes(256<<10), testserver.Hold(64<<10, release))
	e := newEnv(t)
	id := e.add(srv.URL("/held.bin"))
	e.waitFor(id, "the first bytes", func(s Snapshot) bool { return s.Received > 0 })
	if err := e.m.Unload(id); !errors.Is(err, ErrNotCompleted) {
		t.Fatalf("Unload of a running download: %v, want ErrNotCompleted", err)
	}
	if _, ok := e.m.Get(id); !ok {
		t.Fatal("the running download is gone")
	}
	if err := e.m.Unload("no-such-id"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Unload of an unknown id: %v", err)
	}
}
