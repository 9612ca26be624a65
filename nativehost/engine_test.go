package nativehost

// These tests follow a hand-off from the browser's message through the
// native host and the instance socket into a real engine. The engine
// behaviour they check (headers sent, never stored, kept to their
// origin) comes with the engine reshape: they NEED THE RESHAPE BRANCH
// MERGED to pass.

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/instance"
)

const secretCookie = "SECRET-COOKIE-7f3a9c"

// engineWindow stands in for the window: it adds what it is handed to a
// real engine, as gui.receiveHandoff does.
func engineWindow(t *testing.T, sock string, m *engine.Manager) {
	t.Helper()
	take := func(h instance.Handoff) error {
		for _, it := range h.Items {
			if _, err := m.Add(engine.Request{URL: it.URL, Name: it.Name, Header: engine.Header(it.Header)}); err != nil {
				return err
			}
		}
		return nil
	}
	l, err := instance.ListenWith(context.Background(), sock, instance.Handlers{Links: func(string) {}, Handoff: take})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
}

func openEngine(t *testing.T, state, dl string) *engine.Manager {
	t.Helper()
	m, err := engine.Open(context.Background(), engine.Options{StateDir: state, DefaultDir: dl, Retries: 1, RetryBase: time.Millisecond, RetryMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// waitFor polls the engine until cond holds for the only download.
func waitFor(t *testing.T, m *engine.Manager, what string, cond func(engine.Snapshot) bool) engine.Snapshot {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if l := m.List(); len(l) == 1 && cond(l[0]) {
			return l[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; list %+v", what, m.List())
	return engine.Snapshot{}
}

func handOverMessage(t *testing.T, sock, url, page string) {
	t.Helper()
	msg := `{"type":"download","url":"` + url + `","page":"` + page + `","userAgent":"BrowserUA/2","cookies":[{"name":"sid","value":"` + secretCookie + `"}]}`
	reps, err := serve(t, &Host{StateDir: sock, Start: noStart(t)}, msg)
	if err != nil || len(reps) != 1 || !reps[0].OK {
		t.Fatalf("hand-off: %+v, %v", reps, err)
	}
}

func TestHandedOverCookiesAreNeverStoredAndAHandOverAgainResumes(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	content := testserver.Content(1<<20, 7)
	srv.Add("/f.bin", content, testserver.Throttle(128<<10))
	root := t.TempDir()
	state, dl, sock := filepath.Join(root, "state"), filepath.Join(root, "dl"), shortDir(t)

	m := openEngine(t, state, dl)
	engineWindow(t, sock, m)
	handOverMessage(t, sock, srv.URL("/f.bin"), srv.URL("/page"))
	s := waitFor(t, m, "bytes to arrive", func(s engine.Snapshot) bool { return s.Received > 0 })
	if err := m.Pause(s.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, m, "the pause", func(s engine.Snapshot) bool { return s.State == engine.Paused })
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests("/f.bin")
	if len(reqs) == 0 || reqs[0].Header.Get("Cookie") != "sid="+secretCookie {
		t.Fatalf("the engine did not send the handed-over cookie: %d requests", len(reqs))
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(secretCookie)) {
			t.Errorf("%s holds the cookie", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// After a restart the download says it needs the browser again; the
	// same hand-off resumes it.
	m = openEngine(t, state, dl)
	defer m.Close()
	sock2 := shortDir(t)
	engineWindow(t, sock2, m)
	got := waitFor(t, m, "the restored download", func(engine.Snapshot) bool { return true })
	if got.State != engine.Failed || got.Problem.Kind != engine.KindAuth {
		t.Fatalf("after a restart: state %v, problem %+v; want failed, needing the browser again", got.State, got.Problem)
	}
	srv.Set("/f.bin", content) // full speed now
	handOverMessage(t, sock2, srv.URL("/f.bin"), srv.URL("/page"))
	done := waitFor(t, m, "completion", func(s engine.Snapshot) bool { return s.State == engine.Completed })
	if done.ID != s.ID {
		t.Errorf("the hand-off made a new download %s instead of resuming %s", done.ID, s.ID)
	}
	if b, err := os.ReadFile(done.Path()); err != nil || !bytes.Equal(b, content) {
		t.Fatalf("file on disk: %d bytes, %v", len(b), err)
	}
}

func TestHandedOverCookiesAreNotSentToAnotherOrigin(t *testing.T) {
	a, err := testserver.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := testserver.Listen("127.0.0.2:0")
	if err != nil {
		t.Skipf("no second loopback address: %v", err)
	}
	defer b.Close()
	content := testserver.Content(64<<10, 3)
	b.Add("/f.bin", content)
	a.Add("/away", nil, testserver.Redirect(302, b.URL("/f.bin")))
	a.Add("/g.bin", content)
	a.Add("/same", nil, testserver.Redirect(302, "/g.bin"))

	for _, tc := range []struct {
		start string
		end   *testserver.Server
		path  string
		sent  bool
	}{
		{a.URL("/away"), b, "/f.bin", false},
		{a.URL("/same"), a, "/g.bin", true},
	} {
		root := t.TempDir()
		m := openEngine(t, filepath.Join(root, "state"), filepath.Join(root, "dl"))
		sock := shortDir(t)
		engineWindow(t, sock, m)
		handOverMessage(t, sock, tc.start, a.URL("/page"))
		waitFor(t, m, "completion", func(s engine.Snapshot) bool { return s.State == engine.Completed })
		m.Close()
		for _, r := range tc.end.Requests(tc.path) {
			if has := r.Header.Get("Cookie") != ""; has != tc.sent {
				t.Errorf("%s -> %s: Cookie %q sent, want sent=%v", tc.start, tc.path, r.Header.Get("Cookie"), tc.sent)
			}
			if !tc.sent && (r.Header.Get("Referer") == a.URL("/page") || r.Header.Get("User-Agent") == "BrowserUA/2") {
				t.Errorf("%s -> %s: the handed-over Referer or User-Agent went to another origin", tc.start, tc.path)
			}
		}
		if first := a.Requests(tc.start[len(a.URL("")):]); len(first) == 0 || first[0].Header.Get("Cookie") != "sid="+secretCookie {
			t.Errorf("%s: the first request did not carry the cookie", tc.start)
		}
	}
}
