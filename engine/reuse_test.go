package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// smallBatch serves n small files on srv (names from prefix, with opts)
// and adds them to e; it returns their paths and download ids.
func smallBatch(e *env, srv *testserver.Server, prefix string, n int, opts ...testserver.Option) (paths, ids []string) {
	e.t.Helper()
	for i := range n {
		p := fmt.Sprintf("/%s%03d.bin", prefix, i)
		srv.Add(p, testserver.Content(200<<10, uint64(len(prefix)*1000+i)), opts...)
		paths = append(paths, p)
		ids = append(ids, e.add(srv.URL(p)))
	}
	return paths, ids
}

// completeAll waits for every download of ids and fails unless each one
// completed.
func completeAll(e *env, paths, ids []string) {
	e.t.Helper()
	for i, id := range ids {
		if s := e.wait(id); s.State != Completed {
			e.t.Fatalf("%s: state %v, err %q", paths[i], s.State, s.Err)
		}
	}
}

// requestsEach fails unless the server got exactly one request for each
// of paths (no probe, no second range), and returns the distinct client
// addresses (connections) they came over.
func requestsEach(t *testing.T, srv *testserver.Server, paths []string) map[string]bool {
	t.Helper()
	conns := map[string]bool{}
	for _, p := range paths {
		reqs := srv.Requests(p)
		if len(reqs) != 1 {
			t.Errorf("%s: %d requests, want 1 (a file of 200 KiB is one request)", p, len(reqs))
		}
		for _, r := range reqs {
			conns[r.RemoteAddr] = true
		}
	}
	return conns
}

// Many small files from one host, several at once, each take a single
// request, and the downloads that follow one another reuse the
// connections kept alive. Go's transport may dial one more when a
// download asks while the connection it would reuse is still on its way
// back to the idle pool (a goroutine of the transport puts it there), so
// the bound is twice the downloads at once: without reuse, each of the
// files would come over a connection of its own.
func TestSmallDownloadsReuseKeptAliveConnections(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const active = 4
	e := newEnv(t, func(o *Options) { o.MaxActive = active; o.MinPiece = DefaultMinPiece })
	paths, ids := smallBatch(e, srv, "s", 10*active)
	completeAll(e, paths, ids)
	requestsEach(t, srv, paths)
	if n := srv.Connections(); n > 2*active {
		t.Errorf("%d connections for %d files, %d at once: kept-alive connections were not reused", n, len(paths), active)
	}
}

// Over HTTP/2 every request of the downloads from one host goes over one
// connection.
func TestSmallDownloadsShareOneHTTP2Connection(t *testing.T) {
	srv := testserver.NewH2()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) { o.MaxActive = 4; o.MinPiece = DefaultMinPiece; o.CACertFile = ca })
	// The first one alone: the client learns that the host speaks h2.
	paths, ids := smallBatch(e, srv, "first", 1)
	completeAll(e, paths, ids)
	more, moreIDs := smallBatch(e, srv, "h", 16)
	completeAll(e, more, moreIDs)
	paths = append(paths, more...)
	conns := requestsEach(t, srv, paths)
	for _, p := range paths {
		if r := srv.Requests(p); len(r) > 0 && r[0].Proto != "HTTP/2.0" {
			t.Fatalf("%s came over %s, want HTTP/2.0", p, r[0].Proto)
		}
	}
	if len(conns) != 1 || srv.Connections() != 1 {
		t.Errorf("%d files over %d connections (%d accepted), want one", len(paths), len(conns), srv.Connections())
	}
}

// The client keeps alive as many idle connections to a host as Haul may
// open to it (Options.PerHost): a second batch of downloads, added after
// the first ended, finds every connection of the first waiting, rather
// than handshakes again for those the pool had dropped.
func TestIdleConnectionsKeptUpToThePerHostCap(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	const perHost = 24 // more than Go's and Haul's old idle pool of 16
	e := newEnv(t, func(o *Options) {
		o.MaxActive, o.PerHost, o.MinPiece = perHost, perHost, DefaultMinPiece
		o.StallTimeout = DefaultStallTimeout // a held answer is no stall, however long the others take to start
	})
	// Each batch is held until all of it is in flight: perHost
	// connections at once.
	batch := func(prefix string) (paths []string) {
		release := make(chan struct{})
		paths, ids := smallBatch(e, srv, prefix, perHost, testserver.Hold(0, release))
		waitInFlight(t, srv, paths, perHost)
		close(release)
		completeAll(e, paths, ids)
		return paths
	}
	paths := batch("a")
	first := srv.Connections()
	more := batch("b")
	requestsEach(t, srv, append(paths, more...))
	if n := srv.Connections(); n > perHost || n > first {
		t.Errorf("the second batch opened %d new connections (%d in all, %d for the first batch); the cap is %d", n-first, n, first, perHost)
	}
}

// waitInFlight waits until the server handles n requests for paths at once.
func waitInFlight(t *testing.T, srv *testserver.Server, paths []string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		in := 0
		for _, p := range paths {
			in += srv.Stats(p).InFlight
		}
		if in >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests in flight, waited for %d", in, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A small file is never split over connections, even when the server
// throttles each one (where splitting a large file would pay): the
// handshakes of new connections would cost more than they bring.
func TestASmallFileIsNeverSplit(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(200 << 10)
	srv.Add("/small.bin", data, testserver.Throttle(400<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 8; o.MinPiece = DefaultMinPiece; o.SplitAbove = -1 })
	e.mustComplete(e.add(srv.URL("/small.bin")), data)
	requestsEach(t, srv, []string{"/small.bin"})
}

// A download whose data is all in gives its connection slot to the host
// back before its file is flushed: with one connection allowed to the
// host, the next download from it fetches all its data while the first
// one's flush is held.
func TestAFinishingDownloadHoldsNoConnectionSlot(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	a, b := randomBytes(64<<10), randomBytes(48<<10)
	srv.Add("/a.bin", a)
	srv.Add("/b.bin", b)
	e := newEnv(t, func(o *Options) { o.MaxActive = 2; o.PerHost = 1; o.CheckpointInterval = time.Hour })
	unblock := e.holdFlushes(1) // the first download's .part
	idA := e.add(srv.URL("/a.bin"))
	e.waitFor(idA, "a's data to be all in", func(s Snapshot) bool { return s.Finishing })
	idB := e.add(srv.URL("/b.bin"))
	e.waitFor(idB, "b's data to be all in while a's flush is held", func(s Snapshot) bool { return s.Finishing || s.State == Completed })
	unblock()
	e.mustComplete(idA, a)
	e.mustComplete(idB, b)
}
