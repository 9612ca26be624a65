package engine

import (
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestDownloadLimitAndConnectionsApplyLiveAndPersist(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(4<<20, 9)
	srv.Add("/slow.bin", body)
	e := newEnv(t, func(o *Options) { o.Connections = 4 })
	id := e.add(srv.URL("/slow.bin"))
	if err := e.m.SetDownloadLimit(id, 64<<10); err != nil {
		t.Fatal(err)
	}
	if err := e.m.SetDownloadConnections(id, 1); err != nil {
		t.Fatal(err)
	}
	// Limited to 64 KiB/s, 4 MiB takes a minute: it is still running
	// after a moment, on one connection.
	s := e.waitFor(id, "some bytes", func(s Snapshot) bool { return s.Received > 0 })
	time.Sleep(300 * time.Millisecond)
	if s, _ = e.m.Get(id); s.State != Active || s.Received > 1<<20 || s.Conns > 1 {
		t.Fatalf("under its own limit: %v, %d bytes, %d connections", s.State, s.Received, s.Conns)
	}
	e.reopen()
	if rate, conns, err := e.m.DownloadLimits(id); err != nil || rate != 64<<10 || conns != 1 {
		t.Fatalf("after a restart: rate %d, conns %d, %v", rate, conns, err)
	}
	// Lifting the limit while it runs lets it finish.
	if err := e.m.SetDownloadLimit(id, 0); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(id, body)
	if err := e.m.SetDownloadLimit(id, -1); err == nil {
		t.Error("a negative limit was taken")
	}
}

func TestStartNowRunsPastTheActiveLimit(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	release := make(chan struct{})
	defer close(release)
	srv.Add("/a.bin", testserver.Content(1<<20, 1), testserver.Hold(1000, release))
	srv.Add("/b.bin", testserver.Content(1<<20, 2), testserver.Hold(1000, release))
	e := newEnv(t, func(o *Options) { o.MaxActive = 1 })
	a := e.add(srv.URL("/a.bin"))
	e.waitFor(a, "a to run", func(s Snapshot) bool { return s.State == Active })
	b := e.add(srv.URL("/b.bin"))
	if s, _ := e.m.Get(b); s.State != Queued {
		t.Fatalf("with one at once, the second is %v", s.State)
	}
	if err := e.m.StartNow(b); err != nil {
		t.Fatal(err)
	}
	e.waitFor(b, "b to run now", func(s Snapshot) bool { return s.State == Active })
	if s, _ := e.m.Get(a); s.State != Active {
		t.Errorf("starting b now stopped a: %v", s.State)
	}
}
