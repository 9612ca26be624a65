package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// TestTheRowNeverGoesBackThroughRetries records every snapshot of a
// download whose connections are dropped three times, over one
// connection and over four: Received never goes down, and the file is
// fetched once.
func TestTheRowNeverGoesBackThroughRetries(t *testing.T) {
	for _, conns := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d connections", conns), func(t *testing.T) { testRowThroughDrops(t, conns) })
	}
}

func testRowThroughDrops(t *testing.T, conns int) {
	const size = 4 << 20
	srv := testserver.New()
	defer srv.Close()
	data := testserver.Content(size, 21)
	srv.Add("/f.bin", data, testserver.ResetLonger(300<<10, 3), testserver.Throttle(16<<20))
	e := newEnv(t, func(o *Options) { o.Connections, o.MinPiece = conns, 1<<20 })
	sub := e.m.Subscribe()
	defer sub.Close()
	id := e.add(srv.URL("/f.bin"))
	var seen []int64
	for done := false; !done; {
		batch, ok := <-sub.C()
		if !ok {
			t.Fatal("the subscription ended before the download did")
		}
		for _, s := range batch {
			if s.ID != id {
				continue
			}
			seen = append(seen, s.Received)
			if s.State == Failed {
				t.Fatalf("failed: %s", s.Err)
			}
			done = s.State == Completed
		}
	}
	e.mustComplete(id, data)
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Fatalf("Received went back from %d to %d (snapshot %d of %d)", seen[i-1], seen[i], i, len(seen))
		}
	}
	st := srv.Stats("/f.bin")
	// Over one connection each of the three cuts is reached; over four,
	// a connection may end its piece before the cut, and the file with it.
	if st.Resets != 3 && (conns == 1 || st.Resets == 0) {
		t.Errorf("%d connections were dropped, want 3", st.Resets)
	}
	if limit := int64(size + conns*256<<10); st.BytesSent > limit {
		t.Errorf("the server sent %d bytes for a file of %d (at most %d)", st.BytesSent, size, limit)
	}
}

// A .part that cannot be deleted when its download is canceled is said
// in Notice, not dropped.
func TestAPartThatCannotBeDeletedIsReported(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	srv.Add("/f.bin", testserver.Content(1<<20, 3), testserver.Hold(100<<10, release))
	e := newEnv(t)
	id := e.add(srv.URL("/f.bin"))
	e.waitFor(id, "bytes written", func(s Snapshot) bool { return s.Received > 0 })
	if err := e.m.Pause(id); err != nil {
		t.Fatal(err)
	}
	s := e.wait(id) // the run is over
	part := s.Path() + ".part"
	if err := os.Remove(part); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(part, "in-the-way"), 0o755); err != nil { // cannot be removed as a file
		t.Fatal(err)
	}
	if n := e.m.Notice(); n != "" {
		t.Fatalf("Notice before: %q", n)
	}
	if err := e.m.Cancel(id); err != nil {
		t.Fatal(err)
	}
	if n := e.m.Notice(); !strings.Contains(n, "could not delete") || !strings.Contains(n, "f.bin.part") {
		t.Errorf("Notice %q, want the .part that stayed", n)
	}
}

// A Cancel that comes between the two halves of finish (a download
// failing) still deletes the .part and gives its name back.
func TestACancelWhileADownloadFailsDeletesItsPart(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/f.bin", testserver.Content(1<<20, 3), testserver.ResetAfter(100<<10, 1), testserver.Refuse(1, testserver.Always))
	e := newEnv(t, func(o *Options) { o.Retries = 1 })
	gap := make(chan error, 1)
	e.m.finishGap = func(id string) { gap <- e.m.Cancel(id) } // the one run of the one download
	id := e.add(srv.URL("/f.bin"))
	if err := <-gap; err != nil {
		t.Fatal(err)
	}
	s := e.wait(id)
	if s.State != Canceled {
		t.Fatalf("state %v (%s), want Canceled", s.State, s.Err)
	}
	if _, err := os.Lstat(s.Path() + ".part"); !os.IsNotExist(err) {
		t.Errorf("the .part is still there (%v)", err)
	}
	e.m.mu.Lock()
	reserved := e.m.reserved[nameKey(s.Dir, s.Name)]
	e.m.mu.Unlock()
	if reserved {
		t.Errorf("the name %s is still reserved", s.Name)
	}
}
