package aria2

import (
	"context"
	"testing"
	"time"

	"github.com/haul-dl/haul/remote/aria2/aria2test"
)

// quick reconnects fast, so the restart test does not wait long.
var quick = WatchOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}

// dial connects to the daemon with its secret.
func dial(t *testing.T, d *aria2test.Daemon) *Client {
	t.Helper()
	c, err := Dial(aria2test.Context(t), Config{URL: d.URL(), Secret: d.Secret})
	if err != nil {
		t.Fatalf("Dial: %v\n%s", err, d.Output())
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// watch runs a watcher on the daemon until the test ends, and returns it
// with a subscription.
func watch(t *testing.T, cfg Config) (*Watcher, <-chan Snapshot) {
	t.Helper()
	w := NewWatcher(cfg, quick)
	ch, unsubscribe := w.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; unsubscribe() })
	return w, ch
}

// waitSnap reads snapshots until ok accepts one (each snapshot is an
// event from the watcher; the context is only a safety net).
func waitSnap(t *testing.T, ch <-chan Snapshot, what string, ok func(Snapshot) bool) Snapshot {
	t.Helper()
	ctx := aria2test.Context(t)
	var last Snapshot
	for {
		select {
		case s := <-ch:
			if ok(s) {
				return s
			}
			last = s
		case <-ctx.Done():
			t.Fatalf("never saw %s; last snapshot: %+v", what, last)
		}
	}
}

// waitNote reads the client's notifications until one of method for gid.
func waitNote(t *testing.T, c *Client, method, gid string) {
	t.Helper()
	ctx := aria2test.Context(t)
	for {
		select {
		case n, ok := <-c.Notifications():
			if !ok {
				t.Fatalf("connection ended before %s: %v", method, c.Err())
			}
			if n.Method == method && n.GID == gid {
				return
			}
		case <-ctx.Done():
			t.Fatalf("no %s for %s", method, gid)
		}
	}
}

func state(gid, want string) func(Snapshot) bool {
	return func(s Snapshot) bool {
		d, ok := s.Find(gid)
		return ok && d.State == want
	}
}
