package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestPerHostLimitCapsConnections(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 20)
	e := newEnv(t, func(o *Options) { o.PerHost = 3; o.Connections = 8; o.MaxActive = 4 })
	var ids []string
	for i := range 4 {
		p := fmt.Sprintf("/f%d.bin", i)
		srv.Add(p, data, testserver.Throttle(1<<20))
		ids = append(ids, e.add(srv.URL(p)))
	}
	peak := 0
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		conns, busy := 0, false
		for _, s := range e.m.List() {
			conns += s.Conns
			busy = busy || !s.State.Finished()
		}
		peak = max(peak, conns)
		if !busy {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	for _, id := range ids {
		e.mustComplete(id, data)
	}
	if peak > 3 {
		t.Errorf("%d connections to one host at once, limit 3", peak)
	}
	if peak < 2 {
		t.Errorf("peak %d: the limit was never reached, the test proves nothing", peak)
	}
}

func TestCloseWhileRetryingLeaksNothing(t *testing.T) {
	checkNoLeaks(t)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/busy", []byte("x"), testserver.Status(503, 1000, "60"))
	e := newEnv(t)
	id := e.add(srv.URL("/busy"))
	s := e.waitFor(id, "a retry to be scheduled", func(s Snapshot) bool { return strings.Contains(s.Err, "retrying in") })
	if !strings.Contains(s.Err, "503") {
		t.Errorf("retry message %q does not say why", s.Err)
	}
	start := time.Now()
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Close waited %v for a Retry-After of 60s", d)
	}
	e.open()
	if s, _ := e.m.Get(id); s.State != Active && s.State != Queued {
		t.Errorf("after restart: %v, want it back in line", s.State)
	}
}

func TestCorruptStateIsMovedAsideAndHaulStarts(t *testing.T) {
	base := t.TempDir()
	state := filepath.Join(base, "state")
	os.MkdirAll(state, 0o700)
	garbage := []byte("this is not a bbolt file, just garbage bytes ......................")
	if err := os.WriteFile(filepath.Join(state, "haul.db"), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) { o.StateDir = state })
	if !strings.Contains(e.m.Notice(), "corrupt") && !strings.Contains(e.m.Notice(), "moved") {
		t.Errorf("notice %q does not tell the user", e.m.Notice())
	}
	ents, _ := os.ReadDir(state)
	kept := false
	for _, d := range ents {
		if b, err := os.ReadFile(filepath.Join(state, d.Name())); err == nil && string(b) == string(garbage) {
			kept = true
		}
	}
	if !kept {
		t.Error("the corrupt file was deleted instead of moved aside")
	}
	if len(e.m.List()) != 0 {
		t.Error("fresh list expected")
	}
}

func TestDeletedFolderFailsClearly(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/slow.bin", randomBytes(1<<20), testserver.Throttle(128<<10))
	e := newEnv(t)
	dir := filepath.Join(e.dl, "sub")
	id := e.add(srv.URL("/slow.bin"), func(r *Request) { r.Dir = dir })
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 0 })
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	s := e.wait(id)
	if s.State != Failed || !strings.Contains(s.Err, "was deleted") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
}

func TestFreedHostSlotsAreTakenUpByRunningDownloads(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	big := randomBytes(4 << 20)
	small := randomBytes(512 << 10)
	srv.Add("/small.bin", small, testserver.Throttle(512<<10))
	srv.Add("/big.bin", big, testserver.Throttle(512<<10))
	e := newEnv(t, func(o *Options) { o.PerHost = 4; o.Connections = 4 })
	smallID := e.add(srv.URL("/small.bin")) // takes one slot for a second
	bigID := e.add(srv.URL("/big.bin"))
	e.mustComplete(smallID, small)
	s := e.waitFor(bigID, "the big download to use every slot", func(s Snapshot) bool { return s.Conns == 4 || s.State.Finished() })
	if s.State.Finished() {
		t.Fatalf("finished before using the freed slot: %v", s.State)
	}
	e.mustComplete(bigID, big)
}
