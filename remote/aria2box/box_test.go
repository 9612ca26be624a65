package aria2box

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/remote/aria2"
	"github.com/haul-dl/haul/remote/aria2/aria2test"
)

var quick = aria2.WatchOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}

// add adds the links and returns their IDs.
func add(t *testing.T, b *Box, reqs ...engine.Request) []string {
	t.Helper()
	var ids []string
	for _, a := range b.AddAll(reqs) {
		if a.Err != nil || a.ID == "" {
			t.Fatalf("AddAll: %+v", a)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

func open(t *testing.T, d *aria2test.Daemon) *Box {
	b := Open("nas", aria2.Config{URL: d.URL(), Secret: d.Secret}, quick)
	t.Cleanup(b.Close)
	return b
}

// follower keeps the list as the batches make it, like the window does.
type follower struct {
	t    *testing.T
	sub  *Subscription
	list map[string]engine.Snapshot
	conn Conn
}

func follow(t *testing.T, b *Box) *follower {
	t.Helper()
	f := &follower{t: t, sub: b.Subscribe(), list: map[string]engine.Snapshot{}}
	t.Cleanup(f.sub.Close)
	f.until("the box connected", func() bool { return f.conn.Connected })
	return f
}

// until applies batches (and connection states) until ok holds.
func (f *follower) until(what string, ok func() bool) {
	f.t.Helper()
	ctx := aria2test.Context(f.t)
	for !ok() {
		select {
		case batch := <-f.sub.C():
			for _, s := range batch {
				if s.Removed {
					delete(f.list, s.ID)
				} else {
					f.list[s.ID] = s
				}
			}
		case f.conn = <-f.sub.ConnC():
		case <-ctx.Done():
			f.t.Fatalf("never saw %s; list %+v, conn %+v", what, f.list, f.conn)
		}
	}
}

func (f *follower) state(id string, st engine.State) func() bool {
	return func() bool { s, ok := f.list[id]; return ok && s.State == st }
}

func TestBoxAddsFollowsAndRemoves(t *testing.T) {
	d := aria2test.Start(t, "box-secret")
	srv := testserver.New()
	defer srv.Close()
	body := testserver.Content(100<<10, 7)
	srv.Add("/song.mp3", body)
	b := open(t, d)
	f := follow(t, b)

	added := b.AddAll([]engine.Request{{URL: srv.URL("/song.mp3"), Header: http.Header{"Referer": {"https://example.test/"}}}})
	if len(added) != 1 || added[0].Err != nil || added[0].ID == "" {
		t.Fatalf("AddAll: %+v", added)
	}
	id := added[0].ID
	f.until("the download completed", f.state(id, engine.Completed))
	s := f.list[id]
	if s.Name != "song.mp3" || s.Received != int64(len(body)) || s.Total != int64(len(body)) || s.Dir != d.Dir {
		t.Fatalf("snapshot %+v", s)
	}
	if r := srv.Requests("/song.mp3"); len(r) == 0 || r[0].Header.Get("Referer") != "https://example.test/" {
		t.Fatalf("the box did not send the Referer: %+v", r)
	}
	again := b.AddAll([]engine.Request{{URL: srv.URL("/song.mp3")}})
	if !again[0].Existing || again[0].ID != id {
		t.Fatalf("adding the same link again: %+v, want the existing download", again)
	}
	det, ok := b.Details(id)
	if !ok || !reflect.DeepEqual(det.Have, []engine.ByteRange{{Start: 0, End: int64(len(body))}}) {
		t.Fatalf("details of a complete download: %+v", det.Have)
	}
	if err := b.Remove(id); err != nil {
		t.Fatal(err)
	}
	f.until("the download gone", func() bool { _, ok := f.list[id]; return !ok })
}

func TestBoxRemoveStopsARunningDownloadFirst(t *testing.T) {
	d := aria2test.Start(t, "box-secret")
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/held.bin", testserver.Content(200<<10, 8), testserver.Hold(4<<10, release))
	b := open(t, d)
	f := follow(t, b)
	id := add(t, b, engine.Request{URL: srv.URL("/held.bin")})[0]
	f.until("the download active", f.state(id, engine.Active))
	if err := b.Remove(id); err != nil {
		t.Fatal(err)
	}
	f.until("the running download gone", func() bool { _, ok := f.list[id]; return !ok })
}

func TestBoxRetryAddsAFailedDownloadAgain(t *testing.T) {
	d := aria2test.Start(t, "box-secret", "--max-tries=1")
	srv := testserver.New()
	defer srv.Close()
	b := open(t, d)
	f := follow(t, b)
	id := add(t, b, engine.Request{URL: srv.URL("/later.iso")})[0]
	f.until("the download failed", f.state(id, engine.Failed))
	if p := f.list[id].Problem; p.Kind != engine.KindHTTP || p.Status != 404 || f.list[id].Err == "" {
		t.Fatalf("the failure: %+v", f.list[id])
	}
	if err := b.Resume(id); err == nil {
		t.Fatal("resuming a failed download on the box did not fail")
	}
	srv.Add("/later.iso", testserver.Content(50<<10, 9))
	if err := b.Retry(id); err != nil {
		t.Fatal(err)
	}
	f.until("the retried download completed and the old one gone", func() bool {
		if _, ok := f.list[id]; ok {
			return false
		}
		for _, s := range f.list {
			if s.State == engine.Completed && s.Name == "later.iso" {
				return true
			}
		}
		return false
	})
}

func TestBoxMovesTheQueueAndSetsLimits(t *testing.T) {
	d := aria2test.Start(t, "box-secret", "--max-concurrent-downloads=1")
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	for _, p := range []string{"/1", "/2", "/3"} {
		srv.Add(p, testserver.Content(64<<10, 1), testserver.Hold(1<<10, release))
	}
	b := open(t, d)
	f := follow(t, b)
	ids := add(t, b, engine.Request{URL: srv.URL("/1")}, engine.Request{URL: srv.URL("/2")}, engine.Request{URL: srv.URL("/3")})
	f.until("two queued", func() bool { return f.state(ids[1], engine.Queued)() && f.state(ids[2], engine.Queued)() })
	if err := b.Move(ids[2], engine.MoveTop); err != nil {
		t.Fatal(err)
	}
	f.until("the last one ahead in the queue", func() bool {
		return f.list[ids[2]].Seq < f.list[ids[1]].Seq
	})
	// On a waiting download (aria2 applies "split" to a running one by
	// restarting it, after its answer).
	if err := b.SetDownloadLimit(ids[1], 64<<10); err != nil {
		t.Fatal(err)
	}
	if err := b.SetDownloadConnections(ids[1], 2); err != nil {
		t.Fatal(err)
	}
	rate, conns, err := b.DownloadLimits(ids[1])
	if err != nil || rate != 64<<10 || conns != 2 {
		t.Fatalf("limits %d %d (%v), want 65536 and 2", rate, conns, err)
	}
	if err := b.StartNow(ids[1]); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("StartNow: %v, want ErrUnsupported", err)
	}
	if err := b.SetMaxActive(2); err != nil {
		t.Fatal(err)
	}
	f.until("a second download started", f.state(ids[2], engine.Active))
}

func TestBoxSaysWhenItCannotBeReachedAndShowsTheListAgain(t *testing.T) {
	d := aria2test.Start(t, "box-secret")
	srv := testserver.New()
	defer srv.Close()
	b := open(t, d)
	f := follow(t, b)
	id := add(t, b, engine.Request{URL: srv.URL("/x.bin"), Paused: true})[0]
	f.until("the paused download", f.state(id, engine.Paused))
	d.Stop(true)
	f.until("the box unreachable", func() bool { return !f.conn.Connected && f.conn.Err != nil })
	if _, ok := f.list[id]; !ok {
		t.Fatal("the list was dropped while the box is unreachable")
	}
	if err := b.Pause(id); err == nil {
		t.Fatal("an action on an unreachable box did not fail")
	}
	d.Restart()
	f.until("the box back with its list", func() bool { return f.conn.Connected && f.state(id, engine.Paused)() })
}

func TestPiecesFromTheBitfield(t *testing.T) {
	// Pieces of 10 bytes, 10 pieces, a file of 95 bytes: "c1" sets 0, 1 and 7; "8" sets 8.
	got := pieces("c18", 10, 10, 95)
	want := []engine.ByteRange{{Start: 0, End: 20}, {Start: 70, End: 90}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pieces = %v, want %v", got, want)
	}
	if got := pieces("ff", 10, 10, 95); got != nil {
		t.Fatalf("a bitfield too short for its pieces: %v, want nil", got)
	}
	if got := pieces("fff", 10, 10, 95); !reflect.DeepEqual(got, []engine.ByteRange{{Start: 0, End: 95}}) {
		t.Fatalf("every piece: %v", got)
	}
	if got := pieces("zz0", 10, 10, 95); got != nil {
		t.Fatalf("a bitfield that is not hex: %v", got)
	}
}
