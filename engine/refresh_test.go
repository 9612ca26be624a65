package engine

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// refreshHeld is where the expired link stops sending: the bytes a new
// link must not fetch again.
const refreshHeld = 256 << 10

// pausedAt starts a download of srv's /old.bin, which stops sending at
// refreshHeld bytes, and pauses it there.
func pausedAt(t *testing.T, e *env, srv *testserver.Server) string {
	t.Helper()
	id := e.add(srv.URL("/old.bin"))
	e.waitFor(id, "the held bytes", func(s Snapshot) bool { return s.Received >= refreshHeld })
	if err := e.m.Pause(id); err != nil {
		t.Fatal(err)
	}
	if s := e.wait(id); s.State != Paused || s.Received != refreshHeld {
		t.Fatalf("paused with %d bytes, state %v; want %d", s.Received, s.State, refreshHeld)
	}
	return id
}

// moveToNewLink gives download id the link /new.bin and resumes it.
func moveToNewLink(t *testing.T, e *env, srv *testserver.Server, id string) {
	t.Helper()
	if err := e.m.SetURL(id, srv.URL("/new.bin")); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
}

// mustStartOver checks that download id completed as want after starting
// over from the new link: the warning says why, and /new.bin sent the
// whole file.
func mustStartOver(t *testing.T, e *env, srv *testserver.Server, id string, want []byte) {
	t.Helper()
	s := e.mustComplete(id, want)
	if !strings.Contains(s.Warning, startedOverNote) {
		t.Errorf("warning %q does not say why it started over", s.Warning)
	}
	if got := srv.Stats("/new.bin").BytesSent; got < int64(len(want)) {
		t.Errorf("the new link sent %d bytes; a restart fetches all %d", got, len(want))
	}
}

func refreshEnv(t *testing.T) (*env, *testserver.Server, []byte) {
	t.Helper()
	checkNoLeaks(t)
	srv := testserver.New()
	t.Cleanup(srv.Close)
	data := testserver.Content(1<<20, 7)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv.Add("/old.bin", data, testserver.ETag(`"v1"`), testserver.Hold(refreshHeld, release))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	return e, srv, data
}

func TestSetURLSameFileKeepsBytes(t *testing.T) {
	e, srv, data := refreshEnv(t)
	srv.Add("/new.bin", data, testserver.ETag(`"v1"`))
	id := pausedAt(t, e, srv)
	moveToNewLink(t, e, srv, id)
	s := e.mustComplete(id, data)
	if sent := srv.Stats("/new.bin").BytesSent; sent != int64(len(data)-refreshHeld) {
		t.Errorf("the new link sent %d bytes; want only the %d missing", sent, len(data)-refreshHeld)
	}
	if strings.Contains(s.Warning, startedOverNote) {
		t.Errorf("warning %q for the same file", s.Warning)
	}
	if !strings.HasSuffix(s.URL, "/new.bin") {
		t.Errorf("URL %q", s.URL)
	}
}

func TestSetURLOtherSizeStartsOver(t *testing.T) {
	e, srv, _ := refreshEnv(t)
	other := testserver.Content(1<<20+1000, 7)
	srv.Add("/new.bin", other, testserver.ETag(`"v1"`))
	id := pausedAt(t, e, srv)
	moveToNewLink(t, e, srv, id)
	mustStartOver(t, e, srv, id, other)
}

func TestSetURLOtherETagStartsOver(t *testing.T) {
	e, srv, data := refreshEnv(t)
	// The same size and even the same bytes, but another strong validator:
	// Haul cannot know it is the same file.
	srv.Add("/new.bin", data, testserver.ETag(`"v2"`))
	id := pausedAt(t, e, srv)
	moveToNewLink(t, e, srv, id)
	mustStartOver(t, e, srv, id, data)
	d, _ := e.m.Details(id)
	if d.ETag != `"v2"` {
		t.Errorf("ETag %q after the restart; want the new link's", d.ETag)
	}
}

func TestSetURLRefusedWhileActive(t *testing.T) {
	e, srv, _ := refreshEnv(t)
	id := e.add(srv.URL("/old.bin"))
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 0 })
	err := e.m.SetURL(id, srv.URL("/new.bin"))
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("SetURL on an active download: %v; want ErrBusy", err)
	}
	if s, _ := e.m.Get(id); !strings.HasSuffix(s.URL, "/old.bin") {
		t.Errorf("URL changed to %q", s.URL)
	}
	if err := e.m.SetURL("nope", srv.URL("/new.bin")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestSetURLBadURLRefused(t *testing.T) {
	e, srv, _ := refreshEnv(t)
	id := pausedAt(t, e, srv)
	for _, bad := range []string{"", "ftp://example.invalid/a.bin", "not a link", "http://"} {
		if err := e.m.SetURL(id, bad); err == nil {
			t.Errorf("SetURL(%q) accepted", bad)
		}
	}
	if s, _ := e.m.Get(id); !strings.HasSuffix(s.URL, "/old.bin") || s.Received != refreshHeld {
		t.Errorf("a refused link changed the download: %+v", s)
	}
}

func TestSetURLSurvivesRestart(t *testing.T) {
	e, srv, data := refreshEnv(t)
	srv.Add("/new.bin", data, testserver.ETag(`"v1"`))
	id := pausedAt(t, e, srv)
	if err := e.m.SetURL(id, strings.Replace(srv.URL("/new.bin"), "://", "://u:refresh-pw@", 1)); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(e.state, "haul.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("refresh-pw")) {
		t.Error("the new link's password is in the state store")
	}
	e.open()
	s, ok := e.m.Get(id)
	if !ok || !strings.HasSuffix(s.URL, "/new.bin") || s.Received != refreshHeld {
		t.Fatalf("after a restart: %+v", s)
	}
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(id, data)
	if sent := srv.Stats("/new.bin").BytesSent; sent != int64(len(data)-refreshHeld) {
		t.Errorf("the new link sent %d bytes after a restart; want only the %d missing", sent, len(data)-refreshHeld)
	}
}

func TestSetURLWatchOutlivesAFailedRun(t *testing.T) {
	e, srv, _ := refreshEnv(t)
	e.opt.Retries = 1
	e.reopen() // with one retry only
	other := testserver.Content(1<<20+1000, 7)
	// The new link is down at first (two 503s: the run fails), then it
	// serves another file: the restart must still say why.
	srv.Add("/new.bin", other, testserver.Status(503, 2, ""))
	id := pausedAt(t, e, srv)
	moveToNewLink(t, e, srv, id)
	if s := e.wait(id); s.State != Failed {
		t.Fatalf("state %v; want the run on the dead link failed", s.State)
	}
	if err := e.m.Retry(id); err != nil {
		t.Fatal(err)
	}
	s := e.mustComplete(id, other)
	if !strings.Contains(s.Warning, startedOverNote) {
		t.Errorf("warning %q does not say why it started over", s.Warning)
	}
}
