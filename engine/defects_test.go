package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// Tests for the defects of issue 7, each written to fail on the code
// before its fix.

// noSuchHost is a transport whose dialer answers like a resolver that
// does not know the name: no real lookup is made.
func noSuchHost(dials *atomic.Int32) http.RoundTripper {
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}
}

func TestNoSuchHostFailsAtOnce(t *testing.T) {
	var dials atomic.Int32
	e := newEnv(t, func(o *Options) { o.Transport = noSuchHost(&dials) })
	s := e.wait(e.add("http://mistyped.invalid/f.bin"))
	if s.State != Failed || !strings.Contains(s.Err, "no such host") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("a name that does not exist was looked up %d times; it is final", n)
	}
	if s.Problem.Kind != KindNetwork {
		t.Errorf("problem kind %v, want network", s.Problem.Kind)
	}
}

func TestMalformedResponseFailsAtOnce(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/f.bin", []byte("data"), testserver.ContentDisposition("attachment; filename=\"a\x1b.txt\""))
	e := newEnv(t)
	s := e.wait(e.add(srv.URL("/f.bin")))
	if s.State != Failed {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	if n := srv.Stats("/f.bin").Requests; n != 1 {
		t.Errorf("a malformed response was requested %d times; it will not parse better next time", n)
	}
	if s.Problem.Kind != KindProtocol {
		t.Errorf("problem %+v, want kind protocol", s.Problem)
	}
}

// blockingSync holds a .part file's Sync until release is closed.
type blockingSync struct {
	partFile
	release <-chan struct{}
}

func (b *blockingSync) Sync() error {
	<-b.release
	return b.partFile.Sync()
}

// holdFlushes makes the flushes of the first n .part files the manager
// opens wait until release is called (once; it is also called at the
// test's cleanup, before the manager closes).
func (e *env) holdFlushes(n int32) (release func()) {
	hold := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(hold) }) }
	e.t.Cleanup(release)
	var opened atomic.Int32
	e.m.wrapFile = func(f partFile) partFile {
		if opened.Add(1) <= n {
			return &blockingSync{f, hold}
		}
		return f
	}
	return release
}

func TestEveryCloseWaitsForTheOneShutdown(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/a.bin", randomBytes(1<<20), testserver.Throttle(256<<10))
	base := t.TempDir()
	opt := Options{StateDir: filepath.Join(base, "state"), DefaultDir: filepath.Join(base, "dl"), CheckpointInterval: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := Open(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	// The shutdown's last flush waits until the test calls Close, and
	// says when it is done: a Close that returned before it had not
	// waited for the shutdown (on a slow machine the flush only comes
	// later still).
	closing := make(chan struct{})
	var flushed atomic.Bool
	m.wrapFile = func(f partFile) partFile { return &flushAfter{f, closing, &flushed} }
	id, err := m.Add(Request{URL: srv.URL("/a.bin")})
	if err != nil {
		t.Fatal(err)
	}
	for s, _ := m.Get(id); s.Received == 0; s, _ = m.Get(id) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel() // like the window closing: Open's context starts the shutdown
	for started := false; !started; {
		m.mu.Lock()
		started = m.closed
		m.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	close(closing)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if !flushed.Load() {
		t.Fatal("Close returned while the shutdown was still saving progress")
	}
	m2, err := Open(context.Background(), opt)
	if err != nil {
		t.Fatalf("the state folder is still held after Close: %v", err)
	}
	defer m2.Close()
	if s, _ := m2.Get(id); s.Received == 0 {
		t.Error("progress was not saved")
	}
}

// flushAfter holds a .part file's Sync until start is closed, and marks
// done once it has flushed.
type flushAfter struct {
	partFile
	start <-chan struct{}
	done  *atomic.Bool
}

func (f *flushAfter) Sync() error {
	<-f.start
	err := f.partFile.Sync()
	f.done.Store(true)
	return err
}

func TestFailedOpenLeaksNothing(t *testing.T) {
	checkNoLeaks(t)
	base := t.TempDir()
	opt := Options{StateDir: filepath.Join(base, "state"), DefaultDir: base}
	m, err := Open(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := Open(ctx, opt); !errors.Is(err, ErrLocked) {
			t.Fatalf("got %v, want ErrLocked", err)
		}
		cancel()
	}
	bad := opt
	bad.StateDir = filepath.Join(base, "other")
	bad.CACertFile = filepath.Join(base, "missing.pem")
	if _, err := Open(t.Context(), bad); err == nil {
		t.Fatal("a missing CA bundle was accepted")
	}
}

func TestLoweringTheSpeedLimitMidReadFetchesNoByteTwice(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(256 << 10)
	release := make(chan struct{})
	srv.Add("/a.bin", data, testserver.IgnoreRange(), testserver.Hold(64<<10, release))
	e := newEnv(t)
	id := e.add(srv.URL("/a.bin"))
	// The first 64 KiB are in; the next read is waiting for the server.
	e.waitFor(id, "the bytes before the hold", func(s Snapshot) bool { return s.Received == 64<<10 })
	e.m.SetRateLimit(2 << 10) // a limit far below the read in progress
	close(release)
	e.waitFor(id, "a move under the low limit", func(s Snapshot) bool { return s.Received != 64<<10 || s.State.Finished() })
	e.m.SetRateLimit(0)
	e.mustComplete(id, data)
	if st := srv.Stats("/a.bin"); st.Requests != 1 || st.BytesSent != int64(len(data)) {
		t.Errorf("%d requests and %d bytes sent for a %d-byte file without ranges: bytes were dropped and fetched again", st.Requests, st.BytesSent, len(data))
	}
}

func TestReAddingDuringADownloadIsRaceFree(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(2 << 20)
	srv.Add("/private.bin", data, testserver.RequireAuth("alice", "pw"), testserver.Throttle(2<<20))
	e := newEnv(t, func(o *Options) { o.Connections = 4 })
	u := strings.Replace(srv.URL("/private.bin"), "http://", "http://alice:pw@", 1)
	id := e.add(u)
	for {
		s, _ := e.m.Get(id)
		if s.State.Finished() {
			break
		}
		if again := e.add(u); again != id {
			t.Fatal("the same link made a second download")
		}
		time.Sleep(time.Millisecond)
	}
	e.mustComplete(id, data)
}

func TestPauseResumeCancelOnADownloadAlreadyThereAreNoOps(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 10)
	srv.Add("/done.bin", data)
	e := newEnv(t)
	done := e.add(srv.URL("/done.bin"))
	e.mustComplete(done, data)
	canceled := e.add("http://127.0.0.1:1/never.bin", func(r *Request) { r.Dir = filepath.Join(e.dl, "c") })
	if err := e.m.Cancel(canceled); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{done, canceled} {
		s0, _ := e.m.Get(id)
		if err := e.m.Pause(id); err != nil {
			t.Errorf("Pause of a %v download: %v; want a no-op (pause all must go on)", s0.State, err)
		}
		if err := e.m.Cancel(id); err != nil {
			t.Errorf("Cancel of a %v download: %v; want a no-op", s0.State, err)
		}
		if err := e.m.Resume(id); err != nil {
			t.Errorf("Resume of a %v download: %v; want a no-op", s0.State, err)
		}
		if s, _ := e.m.Get(id); s.State != s0.State {
			t.Errorf("state moved from %v to %v", s0.State, s.State)
		}
	}
	if _, err := os.Stat(filepath.Join(e.dl, "done.bin")); err != nil {
		t.Errorf("the completed file is gone: %v", err)
	}
}

func TestAddAllRunsTheSchedulerOncePerBatch(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxActive = 1 })
	var reqs []Request
	for i := range 200 {
		reqs = append(reqs, Request{URL: fmt.Sprintf("http://127.0.0.1:1/f%03d.bin", i), Dir: filepath.Join(e.dl, "q")})
	}
	for _, a := range e.m.AddAll(reqs) {
		if a.Err != nil {
			t.Fatal(a.Err)
		}
		e.m.Pause(a.ID)
	}
	if err := e.m.Wait(t.Context()); err != nil { // nothing runs any more
		t.Fatal(err)
	}
	e.m.mu.Lock()
	before := e.m.schedules
	e.m.mu.Unlock()
	for _, a := range e.m.AddAll(reqs) { // every one resumed by the same batch
		if !a.Existing {
			t.Fatal("a paused download was added again")
		}
	}
	e.m.mu.Lock()
	runs := e.m.schedules - before
	e.m.mu.Unlock()
	if runs != 1 {
		t.Errorf("the scheduler ran %d times for one batch of %d; want 1", runs, len(reqs))
	}
}

func TestTenRedirectsAreFollowedElevenAreNot(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	for i := range 11 {
		srv.Add(fmt.Sprintf("/r%d", i), nil, testserver.Redirect(302, fmt.Sprintf("/r%d", i+1)))
	}
	srv.Add("/r11", []byte("end"))
	e := newEnv(t)
	e.mustComplete(e.add(srv.URL("/r1")), []byte("end")) // r1 → … → r11: ten redirects
	s := e.wait(e.add(srv.URL("/r0")))                   // eleven
	if s.State != Failed || !strings.Contains(s.Err, "more than 10") {
		t.Fatalf("eleven redirects: state %v err %q", s.State, s.Err)
	}
	if s.Problem.Kind != KindPolicy {
		t.Errorf("problem %+v, want kind policy", s.Problem)
	}
}

func TestRedirectWithoutAHostIsRefusedAtOnce(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/f", nil, testserver.Redirect(302, "http:///f.bin"))
	e := newEnv(t)
	s := e.wait(e.add(srv.URL("/f")))
	if s.State != Failed || !strings.Contains(s.Err, "malformed") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	if n := srv.Stats("/f").Requests; n != 1 {
		t.Errorf("a redirect to no host was tried %d times", n)
	}
}

func TestOutcomesAProgramCanRead(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.Add("/busy", []byte("x"), testserver.Status(503, testserver.Always, "60"))
	tlsSrv := testserver.NewTLS()
	defer tlsSrv.Close()
	tlsSrv.Add("/s.bin", []byte("secure"))
	srv.Add("/bad.bin", []byte("data"))
	e := newEnv(t, func(o *Options) { o.Retries = 3 })

	missing := e.wait(e.add(srv.URL("/missing")))
	if missing.Problem.Kind != KindHTTP || missing.Problem.Status != 404 || missing.Err != missing.Problem.Message || missing.Err == "" {
		t.Errorf("404: problem %+v err %q", missing.Problem, missing.Err)
	}
	if missing.Retry != nil {
		t.Errorf("a failed download says it will retry: %+v", missing.Retry)
	}

	cert := e.wait(e.add(tlsSrv.URL("/s.bin")))
	if cert.Problem.Kind != KindCertificate || strings.Contains(cert.Err, "--") {
		t.Errorf("untrusted certificate: problem %+v err %q (the engine never names a flag)", cert.Problem, cert.Err)
	}

	sum := e.wait(e.add(srv.URL("/bad.bin"), func(r *Request) {
		r.Checksum = "sha256=0000000000000000000000000000000000000000000000000000000000000000"
	}))
	if sum.Problem.Kind != KindIntegrity {
		t.Errorf("checksum mismatch: problem %+v", sum.Problem)
	}

	busy := e.add(srv.URL("/busy"))
	s := e.waitFor(busy, "a retry to be scheduled", func(s Snapshot) bool { return s.Retry != nil })
	if s.State != Active || s.Retry.Attempt != 1 || s.Retry.Of != 4 || s.Retry.Problem.Status != 503 || !s.Retry.At.After(time.Now()) {
		t.Errorf("retry info %+v in state %v", s.Retry, s.State)
	}
	if s.Problem.Kind != KindNone {
		t.Errorf("a download waiting to retry has failed: %+v", s.Problem)
	}

	e.reopen()
	if again, _ := e.m.Get(missing.ID); again.Problem != missing.Problem || again.Err != missing.Err {
		t.Errorf("after a restart: problem %+v err %q, want %+v", again.Problem, again.Err, missing.Problem)
	}
}

func TestOrphanPartFromALostListIsNotLeftBehind(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(1 << 20)
	srv.Add("/big.bin", data, testserver.Throttle(512<<10), testserver.Digest())
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	id := e.add(srv.URL("/big.bin"))
	e.waitFor(id, "progress", func(s Snapshot) bool { return s.Received > 100<<10 })
	e.m.Pause(id)
	e.wait(id)
	e.m.Close()
	// The list is lost (corrupt, moved aside): NAME.part belongs to no one.
	if err := os.WriteFile(filepath.Join(e.state, "haul.db"), []byte("garbage garbage garbage garbage garbage garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.open()
	s := e.mustComplete(e.add(srv.URL("/big.bin")), data)
	if s.Name != "big.bin" {
		t.Errorf("saved as %q beside the orphan", s.Name)
	}
	if f := e.files(); len(f) != 1 {
		t.Errorf("files %v, want only big.bin", f)
	}
}

func TestOrphanPartThatCannotBeProvedIsLeftWithAWarning(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(64 << 10)
	srv.Add("/f.bin", data) // no digest: nothing could prove the old bytes
	e := newEnv(t)
	if err := os.MkdirAll(e.dl, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := []byte("someone else's partial download")
	if err := os.WriteFile(filepath.Join(e.dl, "f.bin.part"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	s := e.mustComplete(e.add(srv.URL("/f.bin")), data)
	if s.Name != "f (1).bin" || !strings.Contains(s.Warning, "f.bin.part") {
		t.Errorf("saved as %q with warning %q; want f (1).bin and a word about the old f.bin.part", s.Name, s.Warning)
	}
	if got, _ := os.ReadFile(filepath.Join(e.dl, "f.bin.part")); string(got) != string(mine) {
		t.Error("a .part that could not be proved ours was changed")
	}
}
