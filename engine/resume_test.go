package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestResumeAfterRestartUsesRangeAndValidator(t *testing.T) {
	checkNoLeaks(t)
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(2 << 20)
	srv.Add("/video.mp4", data, testserver.Throttle(512<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 2 })
	id := e.add(srv.URL("/video.mp4"))
	e.waitSaved(id, 300<<10)
	e.reopen()
	s, ok := e.m.Get(id)
	if !ok {
		t.Fatal("download not restored")
	}
	if s.Received == 0 {
		t.Fatal("progress not restored")
	}
	e.mustComplete(id, data)
	if sent := srv.Stats("/video.mp4").BytesSent; sent > int64(len(data))*13/10 {
		t.Errorf("server sent %d bytes for a %d-byte file", sent, len(data))
	}
	sawIfRange := false
	for _, r := range srv.Requests("/video.mp4") {
		if r.IfRange != "" {
			sawIfRange = true
		}
		if r.Header.Get("Accept-Encoding") != "identity" {
			t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
	}
	if !sawIfRange {
		t.Error("resume did not send If-Range")
	}
}

func TestPauseResume(t *testing.T) {
	checkNoLeaks(t)
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 20)
	srv.Add("/a.bin", data, testserver.Throttle(256<<10))
	e := newEnv(t)
	id := e.add(srv.URL("/a.bin"))
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 100<<10 })
	if err := e.m.Pause(id); err != nil {
		t.Fatal(err)
	}
	s := e.wait(id)
	if s.State != Paused {
		t.Fatalf("state %v", s.State)
	}
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(id, data)
	if sent := srv.Stats("/a.bin").BytesSent; sent > int64(len(data))*13/10 {
		t.Errorf("server sent %d bytes for %d", sent, len(data))
	}
}

func TestCancelDeletesPartAndRemoveForgets(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/a.bin", randomBytes(1<<20), testserver.Throttle(128<<10))
	e := newEnv(t)
	id := e.add(srv.URL("/a.bin"))
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 0 })
	if err := e.m.Cancel(id); err != nil {
		t.Fatal(err)
	}
	s := e.wait(id)
	if s.State != Canceled {
		t.Fatalf("state %v", s.State)
	}
	if f := e.files(); len(f) != 0 {
		t.Errorf("files after cancel: %v", f)
	}
	if err := e.m.Remove(id); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.m.Get(id); ok {
		t.Error("still listed after Remove")
	}
	e.reopen()
	if n := len(e.m.List()); n != 0 {
		t.Errorf("removed download came back after restart (%d listed)", n)
	}
}

func TestFileChangedDuringResumeStartsOver(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	v1 := randomBytes(1 << 20)
	v2 := randomBytes(1<<20 + 5)
	srv.Add("/doc.pdf", v1, testserver.Throttle(256<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	id := e.add(srv.URL("/doc.pdf"))
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 100<<10 })
	e.m.Pause(id)
	e.wait(id)
	srv.Set("/doc.pdf", v2)
	e.m.Resume(id)
	e.mustComplete(id, v2) // never a mix of v1 and v2
}

func TestIgnoredRangeOnResumeRestartsCleanly(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 20)
	srv.Add("/a.bin", data, testserver.Throttle(256<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	id := e.add(srv.URL("/a.bin"))
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 100<<10 })
	e.m.Pause(id)
	e.wait(id)
	srv.Set("/a.bin", data, testserver.IgnoreRange())
	e.m.Resume(id)
	e.mustComplete(id, data)
}

func TestListOrderSurvivesRestart(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.HoldRestored = true; o.MaxActive = 1 })
	add := func(from, to int) []string {
		var reqs []Request
		for i := from; i < to; i++ {
			reqs = append(reqs, Request{URL: fmt.Sprintf("http://127.0.0.1:1/file%02d.jpg", i)})
		}
		var ids []string
		for _, a := range e.m.AddAll(reqs) {
			if a.Err != nil || a.Existing {
				t.Fatal(a)
			}
			e.m.Pause(a.ID)
			ids = append(ids, a.ID)
		}
		return ids
	}
	// Added in two batches, with removals in between: the list keeps the
	// order of adding, which is neither the order of IDs nor of names.
	first := add(20, 50)
	var want []string
	for i, id := range first {
		if i%3 == 0 {
			if err := e.m.Remove(id); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want = append(want, id)
	}
	want = append(want, add(0, 20)...)
	e.reopen()
	list := e.m.List()
	if len(list) != len(want) {
		t.Fatalf("%d restored, want %d", len(list), len(want))
	}
	for i, s := range list {
		if s.ID != want[i] {
			t.Fatalf("position %d: %s, want the one added %d-th", i, s.Name, i)
		}
	}
}

func TestPasswordIsAskedForAgainAfterRestart(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 20)
	srv.Add("/private.bin", data, testserver.RequireAuth("alice", "pw"), testserver.Throttle(256<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	u := strings.Replace(srv.URL("/private.bin"), "http://", "http://alice:pw@", 1)
	id := e.add(u)
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 100<<10 })
	time.Sleep(100 * time.Millisecond)
	e.reopen()
	s := e.wait(id)
	if s.State != Failed || !strings.Contains(s.Err, "401") || !strings.Contains(s.Err, "add the link again") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	if again := e.add(u); again != id {
		t.Fatal("adding the link again should resume the same download")
	}
	e.mustComplete(id, data)
}
