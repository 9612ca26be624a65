package engine

import (
	"path/filepath"
	"sync"
	"sync/atomic"
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
	// Limited to 64 KiB/s, 4 MiB takes a minute. The rate observed over
	// 192 KiB is at most the limit, plus a burst and a read in flight
	// (32 KiB each): a slow machine only makes it lower.
	const limit, span, slack = 64 << 10, 192 << 10, 64 << 10
	s := e.waitFor(id, "some bytes", func(s Snapshot) bool { return s.Received > 0 })
	from, begin := s.Received, time.Now()
	s = e.waitFor(id, "192 KiB more", func(s Snapshot) bool { return s.Received >= from+span || s.State.Finished() })
	elapsed := time.Since(begin)
	if got, allowed := s.Received-from, int64(limit*elapsed.Seconds())+slack; s.State != Active || got > allowed || s.Conns > 1 {
		t.Fatalf("under its own limit of 64 KiB/s: %v, %d bytes in %v (%.0f KiB/s; at most %d bytes allowed), %d connections",
			s.State, got, elapsed, float64(got)/elapsed.Seconds()/1024, allowed, s.Conns)
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

// syncGate holds a .part file's Sync: it says on entered that a flush
// began, then waits for release.
type syncGate struct {
	partFile
	entered chan<- struct{}
	release <-chan struct{}
}

func (g *syncGate) Sync() error {
	g.entered <- struct{}{}
	<-g.release
	return g.partFile.Sync()
}

// Start now on a download that was paused and is still stopping (its
// last flush is held) puts it back to run: it does not stay Paused.
func TestStartNowWhileStoppingRequeues(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(1<<20, 4)
	e := newEnv(t, func(o *Options) { o.MaxActive = 1; o.CheckpointInterval = time.Hour })
	hold, entered, release := make(chan struct{}), make(chan struct{}, 1), make(chan struct{})
	var holdOnce, releaseOnce sync.Once
	releaseServer := func() { holdOnce.Do(func() { close(hold) }) }
	releaseSync := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(func() { releaseServer(); releaseSync() }) // before the manager closes
	srv.Add("/a.bin", body, testserver.Hold(1000, hold))
	var gateOnce atomic.Bool
	e.m.wrapFile = func(f partFile) partFile {
		if gateOnce.CompareAndSwap(false, true) { // only the first run's file
			return &syncGate{f, entered, release}
		}
		return f
	}
	id := e.add(srv.URL("/a.bin"))
	e.waitFor(id, "the first bytes", func(s Snapshot) bool { return s.Received > 0 })
	if err := e.m.Pause(id); err != nil {
		t.Fatal(err)
	}
	<-entered // the stopping run's last flush is held
	if err := e.m.StartNow(id); err != nil {
		t.Fatal(err)
	}
	releaseSync()
	releaseServer()
	s := e.wait(id)
	if s.State != Completed {
		t.Fatalf("started now while it was stopping, the download ended %v (%q); want Completed", s.State, s.Err)
	}
}

// Finishing downloads do not count against the limit of downloads at
// once, neither when the queue starts one nor when the limit changes:
// raising it from 3 to 4 with 3 fetching and 2 finishing stops none.
func TestRaisingMaxActiveWithFinishingDownloadsStopsNone(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	e := newEnv(t, func(o *Options) { o.MaxActive = 3; o.CheckpointInterval = time.Hour })
	hold := make(chan struct{})
	release := make(chan struct{})
	t.Cleanup(func() { close(hold); close(release) }) // before the manager closes
	var opened atomic.Int32
	e.m.wrapFile = func(f partFile) partFile {
		if opened.Add(1) <= 2 { // the two small downloads' files
			return &blockingSync{f, release}
		}
		return f
	}
	var finishing, fetching []string
	for _, p := range []string{"/a.bin", "/b.bin"} {
		srv.Add(p, testserver.Content(32<<10, 1))
		finishing = append(finishing, e.add(srv.URL(p)))
	}
	for _, id := range finishing {
		e.waitFor(id, "its data to be all in", func(s Snapshot) bool { return s.Finishing })
	}
	for _, p := range []string{"/c.bin", "/d.bin", "/e.bin"} {
		srv.Add(p, testserver.Content(1<<20, 2), testserver.Hold(1000, hold))
		fetching = append(fetching, e.add(srv.URL(p)))
	}
	for _, id := range fetching {
		e.waitFor(id, "it to fetch", func(s Snapshot) bool { return s.State == Active && s.Received > 0 })
	}
	e.m.SetMaxActive(4)
	for _, id := range append(finishing, fetching...) {
		if s, _ := e.m.Get(id); s.State != Active {
			t.Errorf("%s is %v after the limit was raised; want Active", s.Name, s.State)
		}
	}
	// Lowering it to 2 stops exactly one of the three fetching.
	e.m.SetMaxActive(2)
	stopped := 0
	for _, id := range fetching {
		if s, _ := e.m.Get(id); s.State != Active {
			stopped++
		}
	}
	if stopped != 1 {
		t.Errorf("lowering the limit to 2 with 3 fetching stopped %d of them; want 1", stopped)
	}
}
