package engine

import (
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// A download whose data is all in gives its slot back while its file is
// flushed and placed: with one download at a time, the next one runs and
// fetches all its data while the first one's flush is held. The first
// stays Active (Finishing) until its file is in place; then both complete
// whole (the second's flush waits for the first's, and may share the
// next: see transfer/datasync.go).
func TestTheNextDownloadStartsWhileAFinishedOneIsFlushed(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	a, b := randomBytes(64<<10), randomBytes(48<<10)
	srv.Add("/a.bin", a)
	srv.Add("/b.bin", b)
	e := newEnv(t, func(o *Options) { o.MaxActive = 1; o.CheckpointInterval = time.Hour })
	release := e.holdFlushes(1) // the first download's .part
	idA := e.add(srv.URL("/a.bin"))
	e.waitFor(idA, "a's data to be all in", func(s Snapshot) bool { return s.Finishing })
	idB := e.add(srv.URL("/b.bin"))
	e.waitFor(idB, "b's data to be all in while a's flush is held", func(s Snapshot) bool { return s.Finishing })
	if s, _ := e.m.Get(idA); s.State != Active || !s.Finishing {
		t.Fatalf("a, whose flush is held, is %v (finishing %v); want Active and finishing", s.State, s.Finishing)
	}
	release()
	if s := e.mustComplete(idA, a); s.Finishing {
		t.Error("a completed download still says it is finishing")
	}
	e.mustComplete(idB, b)
}

// Finishing downloads are bounded too: with one download at a time and
// every flush held, one finishing and one more fetching (and then
// finishing) is as far as it goes; the third waits in the queue.
func TestFinishingDownloadsAreBounded(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	e := newEnv(t, func(o *Options) { o.MaxActive = 1; o.CheckpointInterval = time.Hour })
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	e.m.wrapFile = func(f partFile) partFile { return &blockingSync{f, release} }
	var ids []string
	for _, p := range []string{"/a.bin", "/b.bin", "/c.bin"} {
		srv.Add(p, randomBytes(32<<10))
		ids = append(ids, e.add(srv.URL(p)))
	}
	for _, id := range ids[:2] {
		e.waitFor(id, "its data to be all in", func(s Snapshot) bool { return s.Finishing })
	}
	// A download turns Finishing and the queue is scheduled in one hold
	// of the manager's lock (reporter.Fetching): had the third one been
	// let in, it would be Active by now, on any machine.
	if s, _ := e.m.Get(ids[2]); s.State != Queued {
		t.Fatalf("with one download at a time and two finishing, the third is %v; want Queued", s.State)
	}
}
