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
	count := testserver.NewCounter(nil)
	e := newEnv(t, func(o *Options) { o.PerHost = 3; o.Connections = 8; o.MaxActive = 4; o.Transport = count })
	var ids []string
	for i := range 4 {
		p := fmt.Sprintf("/f%d.bin", i)
		srv.Add(p, data, testserver.Throttle(1<<20))
		ids = append(ids, e.add(srv.URL(p)))
	}
	for _, id := range ids {
		e.mustComplete(id, data)
	}
	if got := count.Max(); got != 3 {
		t.Errorf("at most %d requests to one host at once, want exactly the limit of 3", got)
	}
}

func TestConnectionsPerDownloadAreCapped(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(2 << 20)
	release := make(chan struct{})
	srv.Add("/big.bin", data, testserver.Hold(0, release))
	count := testserver.NewCounter(nil)
	e := newEnv(t, func(o *Options) { o.StallTimeout = time.Minute; o.Connections = 8; o.Transport = count })
	id := e.add(srv.URL("/big.bin"), func(r *Request) { r.Connections = 3 })
	e.waitFor(id, "three connections", func(Snapshot) bool { return srv.Stats("/big.bin").InFlight >= 3 })
	close(release)
	e.mustComplete(id, data)
	if got := count.Max(); got != 3 {
		t.Errorf("at most %d connections at once, want the 3 asked for", got)
	}
}

func TestCloseWhileRetryingLeaksNothing(t *testing.T) {
	checkNoLeaks(t)
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/busy", []byte("x"), testserver.Status(503, 1000, "60"))
	e := newEnv(t)
	id := e.add(srv.URL("/busy"))
	s := e.waitFor(id, "a retry to be scheduled", func(s Snapshot) bool { return s.Retry != nil })
	if p := s.Retry.Problem; p.Kind != KindHTTP || p.Status != 503 || !strings.Contains(p.Message, "503") {
		t.Errorf("retry problem %+v does not say why", p)
	}
	if s.Err != "" {
		t.Errorf("Err = %q while retrying; the reason belongs in Retry", s.Err)
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
	releaseSmall, releaseBig := make(chan struct{}), make(chan struct{})
	// Both are held after their headers: the big download is still at
	// byte 0 of every piece when the small one frees its slot, however
	// fast or slow this machine is.
	srv.Add("/small.bin", small, testserver.Hold(0, releaseSmall))
	srv.Add("/big.bin", big, testserver.Hold(0, releaseBig))
	e := newEnv(t, func(o *Options) { o.StallTimeout = time.Minute; o.PerHost = 4; o.Connections = 4 })
	smallID := e.add(srv.URL("/small.bin"), func(r *Request) { r.Connections = 1 })
	e.waitFor(smallID, "the small download's request", func(Snapshot) bool { return srv.Stats("/small.bin").InFlight == 1 })
	bigID := e.add(srv.URL("/big.bin"))
	// Two downloads share four slots: two each.
	e.waitFor(bigID, "the big download's fair share", func(Snapshot) bool { return srv.Stats("/big.bin").InFlight == 2 })
	close(releaseSmall)
	e.mustComplete(smallID, small)
	e.waitFor(bigID, "the big download to take the freed slots", func(Snapshot) bool { return srv.Stats("/big.bin").InFlight == 4 })
	close(releaseBig)
	e.mustComplete(bigID, big)
}
