package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// randomBytes returns n bytes of random content.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// env is one test's manager with its own state and download folders.
type env struct {
	t     *testing.T
	m     *Manager
	state string
	dl    string
	opt   Options
}

// numbered serves n copies of data as /f00.bin, /f01.bin, ...
func numbered(srv *testserver.Server, n int, data []byte) {
	for i := range n {
		srv.Add(fmt.Sprintf("/f%02d.bin", i), data)
	}
}

// completeNumbered adds the n files numbered serves, at once, and waits
// for each to complete with data.
func (e *env) completeNumbered(srv *testserver.Server, n int, data []byte) {
	var ids []string
	for i := range n {
		ids = append(ids, e.add(srv.URL(fmt.Sprintf("/f%02d.bin", i))))
	}
	for _, id := range ids {
		e.mustComplete(id, data)
	}
}

// newEnv opens a manager with fast test timings; adjust options first.
func newEnv(t *testing.T, adjust ...func(*Options)) *env {
	t.Helper()
	base := t.TempDir()
	opt := Options{
		StateDir:           filepath.Join(base, "state"),
		DefaultDir:         filepath.Join(base, "dl"),
		MinPiece:           64 << 10,
		RetryBase:          20 * time.Millisecond,
		RetryMax:           100 * time.Millisecond,
		StallTimeout:       2 * time.Second,
		PublishInterval:    20 * time.Millisecond,
		CheckpointInterval: 50 * time.Millisecond,
	}
	for _, f := range adjust {
		f(&opt)
	}
	e := &env{t: t, state: opt.StateDir, dl: opt.DefaultDir, opt: opt}
	e.open()
	t.Cleanup(func() { e.m.Close() })
	return e
}

func (e *env) open() {
	e.t.Helper()
	m, err := Open(context.Background(), e.opt)
	if err != nil {
		e.t.Fatalf("Open: %v", err)
	}
	e.m = m
}

func (e *env) reopen() {
	e.t.Helper()
	if err := e.m.Close(); err != nil {
		e.t.Fatalf("Close: %v", err)
	}
	e.open()
}

func (e *env) add(url string, mod ...func(*Request)) string {
	e.t.Helper()
	req := Request{URL: url}
	for _, f := range mod {
		f(&req)
	}
	id, err := e.m.Add(req)
	if err != nil {
		e.t.Fatalf("Add(%s): %v", url, err)
	}
	return id
}

// wait waits until the downloads stop moving and returns the snapshot of id.
func (e *env) wait(id string) Snapshot {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.m.Wait(ctx, id); err != nil {
		e.t.Fatalf("Wait: %v", err)
	}
	s, ok := e.m.Get(id)
	if !ok {
		e.t.Fatalf("download %s vanished", id)
	}
	return s
}

// waitFor polls until cond holds for the download or the time is up.
func (e *env) waitFor(id string, what string, cond func(Snapshot) bool) Snapshot {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if s, ok := e.m.Get(id); ok && cond(s) {
			return s
		}
		time.Sleep(5 * time.Millisecond)
	}
	s, _ := e.m.Get(id)
	e.t.Fatalf("timed out waiting for %s: %+v", what, s)
	return s
}

// waitSaved waits until a checkpoint has flushed and recorded at least
// atLeast bytes of the download (Details.Saved), so that a restart finds
// them.
func (e *env) waitSaved(id string, atLeast int64) {
	e.t.Helper()
	e.waitFor(id, fmt.Sprintf("a checkpoint to record %d bytes", atLeast), func(Snapshot) bool {
		d, ok := e.m.Details(id)
		var saved int64
		for _, r := range d.Saved {
			saved += r.End - r.Start
		}
		return ok && saved >= atLeast
	})
}

func (e *env) mustComplete(id string, want []byte) Snapshot {
	e.t.Helper()
	s := e.wait(id)
	if s.State != Completed {
		e.t.Fatalf("state %v, err %q", s.State, s.Err)
	}
	got, err := os.ReadFile(s.Path())
	if err != nil {
		e.t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		e.t.Fatalf("%s: content differs (%d bytes, want %d)", s.Name, len(got), len(want))
	}
	if _, err := os.Stat(s.Path() + partSuffix); !os.IsNotExist(err) {
		e.t.Fatalf("%s.part left behind: %v", s.Name, err)
	}
	return s
}

// files lists the names in the download folder.
func (e *env) files() []string {
	e.t.Helper()
	ents, err := os.ReadDir(e.dl)
	if err != nil && !os.IsNotExist(err) {
		e.t.Fatal(err)
	}
	var names []string
	for _, d := range ents {
		names = append(names, d.Name())
	}
	return names
}

// checkNoLeaks fails if goroutines started during the test are still alive
// shortly after it closed everything.
func checkNoLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			n := runtime.NumGoroutine()
			if n <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				var ours []string
				for _, g := range strings.Split(string(buf), "\n\n") {
					if strings.Contains(g, "haul/engine") {
						ours = append(ours, g)
					}
				}
				if len(ours) > 0 {
					t.Errorf("%d goroutines leaked (had %d):\n%s", n-before, before, strings.Join(ours, "\n\n"))
				}
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
