package engine

import (
	"path/filepath"
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

func TestFoldersByKindFileEachDownloadUnderItsKind(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	photo, song, other := testserver.Content(500, 1), testserver.Content(600, 2), testserver.Content(700, 3)
	srv.Add("/p/holiday.jpg", photo)
	srv.Add("/m/song.mp3", song)
	srv.Add("/x/data.bin", other)
	e := newEnv(t, func(o *Options) { o.FoldersByKind = true })
	jpg, mp3 := e.add(srv.URL("/p/holiday.jpg")), e.add(srv.URL("/m/song.mp3"))
	if s := e.mustComplete(jpg, photo); s.Dir != filepath.Join(e.dl, "Images") {
		t.Errorf("the photo went to %s", s.Dir)
	}
	if s := e.mustComplete(mp3, song); s.Dir != filepath.Join(e.dl, "Music") {
		t.Errorf("the song went to %s", s.Dir)
	}
	e.m.SetFoldersByKind(false)
	if s := e.mustComplete(e.add(srv.URL("/x/data.bin")), other); s.Dir != e.dl {
		t.Errorf("with folders by kind off, the file went to %s", s.Dir)
	}
}
