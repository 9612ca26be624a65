package engine

import (
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestAddPausedWaitsForResume(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := []byte("the body of a file added paused")
	srv.Add("/p.bin", body)
	e := newEnv(t)
	id := e.add(srv.URL("/p.bin"), func(r *Request) { r.Paused = true })
	if s := e.wait(id); s.State != Paused {
		t.Fatalf("added paused, the download is %v", s.State)
	}
	if n := len(srv.Requests("/p.bin")); n != 0 {
		t.Fatalf("a download added paused sent %d requests", n)
	}
	e.reopen()
	if s := e.wait(id); s.State != Paused {
		t.Fatalf("after a restart the paused download is %v", s.State)
	}
	// Adding the same link paused again leaves it paused.
	if a := e.m.AddAll([]Request{{URL: srv.URL("/p.bin"), Paused: true}}); !a[0].Existing {
		t.Fatal("the same link was added twice")
	}
	if s := e.wait(id); s.State != Paused {
		t.Fatalf("adding it paused again made it %v", s.State)
	}
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(id, body)
}
