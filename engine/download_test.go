package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

func TestDownloadCompletesByteForByte(t *testing.T) {
	checkNoLeaks(t)
	srv := testserver.New()
	defer srv.Close()
	small := randomBytes(10 << 10)
	big := randomBytes(3<<20 + 17)
	srv.Add("/small.jpg", small)
	// Throttled per connection, so splitting pays (see the ramp).
	srv.Add("/big.bin", big, testserver.Throttle(4<<20))
	e := newEnv(t)
	a := e.add(srv.URL("/small.jpg"))
	b := e.add(srv.URL("/big.bin"))
	sa := e.mustComplete(a, small)
	sb := e.mustComplete(b, big)
	if sa.Name != "small.jpg" || sb.Name != "big.bin" {
		t.Errorf("names %q %q", sa.Name, sb.Name)
	}
	if st := srv.Stats("/small.jpg"); st.Requests != 1 {
		t.Errorf("small file used %d requests, want 1", st.Requests)
	}
	if st := srv.Stats("/big.bin"); st.Requests < 2 {
		t.Errorf("big file used %d requests, want several connections", st.Requests)
	}
	if sb.Total != int64(len(big)) || sb.Received != int64(len(big)) {
		t.Errorf("total/received %d/%d", sb.Total, sb.Received)
	}
}

func TestNotFoundFailsWithClearErrorAndNoFile(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	e := newEnv(t)
	id := e.add(srv.URL("/missing.jpg"))
	s := e.wait(id)
	if s.State != Failed {
		t.Fatalf("state %v", s.State)
	}
	want := "404 Not Found: " + srv.URL("/missing.jpg")
	if s.Err != want {
		t.Errorf("err %q, want %q", s.Err, want)
	}
	if f := e.files(); len(f) != 0 {
		t.Errorf("files left: %v", f)
	}
	if n := srv.Stats("/missing.jpg").Requests; n != 1 {
		t.Errorf("a 404 was tried %d times; it is final", n)
	}
}

func TestActiveLimitHolds(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	e := newEnv(t, func(o *Options) { o.MaxActive = 2 })
	sub := e.m.Subscribe()
	defer sub.Close()
	var ids []string
	data := randomBytes(64 << 10)
	for i := range 6 {
		p := fmt.Sprintf("/f%d.bin", i)
		srv.Add(p, data, testserver.Throttle(256<<10))
		ids = append(ids, e.add(srv.URL(p)))
	}
	state := map[string]State{}
	finishing := map[string]bool{} // data all in: no longer holds a slot
	maxActive := 0
	done := 0
	timeout := time.After(60 * time.Second)
	for done < len(ids) {
		select {
		case batch := <-sub.C():
			for _, s := range batch {
				state[s.ID] = s.State
				finishing[s.ID] = s.Finishing
			}
			active := 0
			done = 0
			for id, st := range state {
				if st == Active && !finishing[id] {
					active++
				}
				if st == Completed {
					done++
				}
			}
			maxActive = max(maxActive, active)
		case <-timeout:
			t.Fatalf("timed out; states %v", state)
		}
	}
	if maxActive > 2 {
		t.Errorf("%d downloads were active at once, limit 2", maxActive)
	}
	if maxActive < 2 {
		t.Errorf("never ran 2 at once (max %d)", maxActive)
	}
}

func TestTransientFailuresAreRetried(t *testing.T) {
	const size = 600 << 10
	data := randomBytes(size)
	// lost is what the faults cost at most: the body bytes of the
	// answers they cut short (a retry may fetch them again). On one
	// connection nothing else is fetched twice.
	cases := []struct {
		name     string
		opts     []testserver.Option
		requests int   // the answers the server gives, retries included
		lost     int64 // body bytes the faults may waste
	}{
		{"reset mid-body", []testserver.Option{testserver.ResetAfter(100<<10, 2)}, 3, 2 * 100 << 10},
		{"503 with Retry-After", []testserver.Option{testserver.Status(503, 2, "0")}, 3, 0},
		{"429", []testserver.Option{testserver.Status(429, 1, "")}, 2, 0},
		{"500", []testserver.Option{testserver.Status(500, 2, "")}, 3, 0},
		{"stalled body", []testserver.Option{testserver.Stall(50<<10, 10*time.Second, 1)}, 2, 50 << 10},
		{"chunked", []testserver.Option{testserver.Chunked()}, 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			srv.Add("/f.bin", data, tc.opts...)
			e := newEnv(t, func(o *Options) { o.StallTimeout = 300 * time.Millisecond; o.Connections = 1 })
			id := e.add(srv.URL("/f.bin"))
			s := e.mustComplete(id, data)
			if s.Warning != "" {
				t.Errorf("warning %q", s.Warning)
			}
			st := srv.Stats("/f.bin")
			if st.BytesSent < size || st.BytesSent > size+tc.lost {
				t.Errorf("the server sent %d body bytes for a %d-byte file; want from %d to %d", st.BytesSent, size, size, size+tc.lost)
			}
			if st.Requests != tc.requests {
				t.Errorf("the server answered %d requests; want %d", st.Requests, tc.requests)
			}
		})
	}
	t.Run("slow headers forever", func(t *testing.T) {
		srv := testserver.New()
		defer srv.Close()
		srv.Add("/f.bin", data, testserver.SlowHeaders(time.Minute))
		e := newEnv(t, func(o *Options) { o.StallTimeout = 100 * time.Millisecond; o.Retries = 2 })
		s := e.wait(e.add(srv.URL("/f.bin")))
		if s.State != Failed || !strings.Contains(s.Err, "stopped sending") {
			t.Fatalf("state %v err %q", s.State, s.Err)
		}
		if n := srv.Stats("/f.bin").Requests; n != 3 {
			t.Errorf("%d requests, want 1 + 2 retries", n)
		}
	})
}

func TestPermanentFailures(t *testing.T) {
	data := randomBytes(100 << 10)
	cases := []struct {
		name    string
		opts    []testserver.Option
		errHas  string
		maxReqs int
	}{
		{"500 forever", []testserver.Option{testserver.Status(500, 1000, "")}, "gave up after 3 attempts: 500 Internal Server Error", 3},
		{"403", []testserver.Option{testserver.Status(403, 1000, "")}, "403 Forbidden", 1},
		{"410", []testserver.Option{testserver.Status(410, 1000, "")}, "410 Gone", 1},
		{"short body", []testserver.Option{testserver.IgnoreRange(), testserver.LieLength(+1000)}, "before sending the whole file", 3},
		{"lying length with ranges", []testserver.Option{testserver.LieLength(-1000)}, "Content-Length", 1},
		{"wrong digest", []testserver.Option{testserver.WrongDigest()}, "checksum mismatch", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			srv.Add("/f.bin", data, tc.opts...)
			e := newEnv(t, func(o *Options) { o.Retries = 2 })
			s := e.wait(e.add(srv.URL("/f.bin")))
			if s.State != Failed {
				t.Fatalf("state %v", s.State)
			}
			if !strings.Contains(s.Err, tc.errHas) {
				t.Errorf("err %q, want it to mention %q", s.Err, tc.errHas)
			}
			if n := srv.Stats("/f.bin").Requests; n > tc.maxReqs {
				t.Errorf("%d requests, want at most %d", n, tc.maxReqs)
			}
			if f := e.files(); len(f) != 0 && tc.name != "short body" {
				t.Errorf("files left: %v", f)
			}
			for _, f := range e.files() {
				if !strings.HasSuffix(f, partSuffix) {
					t.Errorf("a failed download left %q, which looks complete", f)
				}
			}
		})
	}
}

func TestDigestsAreVerified(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(300 << 10)
	srv.Add("/ok.bin", data, testserver.Digest())
	srv.Add("/plain.bin", data)
	e := newEnv(t)
	e.mustComplete(e.add(srv.URL("/ok.bin")), data)
	bad := e.add(srv.URL("/plain.bin"), func(r *Request) {
		r.Checksum = "sha256=0000000000000000000000000000000000000000000000000000000000000000"
	})
	s := e.wait(bad)
	if s.State != Failed || !strings.Contains(s.Err, "checksum mismatch") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	if _, err := os.Stat(s.Path()); err == nil {
		t.Error("a file that failed its checksum is in place")
	}
}

func TestNoDecompressionBehindTheUsersBack(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	gz := []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x57\x28\xcf\x2f\xca\x49\xe1\x02\x00\x2d\x3b\x08\xaf\x0c\x00\x00\x00")
	srv.Add("/a.txt.gz", gz, testserver.Header("Content-Encoding", "gzip"))
	e := newEnv(t)
	e.mustComplete(e.add(srv.URL("/a.txt.gz")), gz)
}

func TestUnknownLengthIsFlagged(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(50 << 10)
	srv.Add("/stream", data, testserver.CloseDelimited())
	e := newEnv(t)
	s := e.mustComplete(e.add(srv.URL("/stream")), data)
	if !strings.Contains(s.Warning, "cannot be verified") {
		t.Errorf("warning %q", s.Warning)
	}
}

// faultyFile fails writes past a limit, like a full disk.
type faultyFile struct {
	partFile
	mu    sync.Mutex
	limit int64
}

func (f *faultyFile) WriteAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if off+int64(len(p)) > f.limit {
		return 0, &os.PathError{Op: "write", Path: "x.part", Err: syscall.ENOSPC}
	}
	return f.partFile.WriteAt(p, off)
}

func TestDiskFullFailsOneDownloadKeepsPartOthersContinue(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	big := randomBytes(1 << 20)
	small := randomBytes(100 << 10)
	srv.Add("/big.bin", big, testserver.Throttle(1<<20))
	srv.Add("/small.bin", small, testserver.Throttle(256<<10))
	e := newEnv(t, func(o *Options) { o.Connections = 1 })
	e.m.Close()
	e.open()
	e.m.wrapFile = func(f partFile) partFile {
		if st, err := f.Stat(); err == nil && st.Name() == "big.bin.part" {
			return &faultyFile{partFile: f, limit: 256 << 10}
		}
		return f
	}
	bigID := e.add(srv.URL("/big.bin"))
	smallID := e.add(srv.URL("/small.bin"))
	s := e.wait(bigID)
	if s.State != Failed || !strings.Contains(s.Err, "disk is full") {
		t.Fatalf("state %v err %q", s.State, s.Err)
	}
	if _, err := os.Stat(filepath.Join(e.dl, "big.bin.part")); err != nil {
		t.Errorf("the partial file was not kept: %v", err)
	}
	e.mustComplete(smallID, small)
	// Space freed: retry resumes from what was kept.
	e.m.wrapFile = nil
	before := srv.Stats("/big.bin").BytesSent
	if err := e.m.Retry(bigID); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(bigID, big)
	if again := srv.Stats("/big.bin").BytesSent - before; again > int64(len(big))-200<<10 {
		t.Errorf("retry fetched %d bytes; it should resume", again)
	}
}

func TestSecondManagerOnSameStateIsLocked(t *testing.T) {
	e := newEnv(t)
	_, err := Open(t.Context(), e.opt)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("got %v, want ErrLocked", err)
	}
}

func TestPasswordIsNeverStored(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(10 << 10)
	srv.Add("/private.bin", data, testserver.RequireAuth("alice", "s3cret-pw"))
	e := newEnv(t)
	u := strings.Replace(srv.URL("/private.bin"), "http://", "http://alice:s3cret-pw@", 1)
	id := e.add(u)
	s := e.mustComplete(id, data)
	if strings.Contains(s.URL, "s3cret-pw") {
		t.Errorf("snapshot shows the password: %s", s.URL)
	}
	e.m.Close()
	raw, err := os.ReadFile(filepath.Join(e.state, "haul.db"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "s3cret-pw") {
		t.Error("the password is in the state store in plain text")
	}
	e.open()
}

func TestSameURLAddedTwiceIsOneDownload(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(10 << 10)
	srv.Add("/a.jpg", data)
	e := newEnv(t)
	a := e.add(srv.URL("/a.jpg"))
	b := e.add(srv.URL("/a.jpg"))
	if a != b {
		t.Errorf("two entries for one URL")
	}
	e.mustComplete(a, data)
	if c := e.add(srv.URL("/a.jpg")); c != a {
		t.Error("a completed download was added again while its file exists")
	}
}

func TestSameNameAtOnceGetsTwoFiles(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	d1, d2 := randomBytes(200<<10), randomBytes(200<<10)
	release := make(chan struct{})
	// Both answers are held right after their headers: both names are
	// chosen while the other download is running.
	srv.Add("/x/photo.jpg", d1, testserver.Hold(0, release))
	srv.Add("/y/photo.jpg", d2, testserver.Hold(0, release))
	e := newEnv(t, func(o *Options) { o.StallTimeout = time.Minute })
	added := e.m.AddAll([]Request{{URL: srv.URL("/x/photo.jpg")}, {URL: srv.URL("/y/photo.jpg")}})
	for _, p := range []string{"/x/photo.jpg", "/y/photo.jpg"} {
		e.waitFor(added[0].ID, "both answers held", func(Snapshot) bool { return srv.Stats(p).InFlight >= 1 })
	}
	e.waitFor(added[1].ID, "both names chosen", func(Snapshot) bool {
		a, _ := e.m.Get(added[0].ID)
		b, _ := e.m.Get(added[1].ID)
		return a.Name != b.Name
	})
	close(release)
	a := e.mustComplete(added[0].ID, d1)
	b := e.mustComplete(added[1].ID, d2)
	if names := []string{a.Name, b.Name}; !(names[0] == "photo.jpg" && names[1] == "photo (1).jpg") && !(names[1] == "photo.jpg" && names[0] == "photo (1).jpg") {
		t.Fatalf("saved as %q, want photo.jpg and photo (1).jpg", names)
	}
}

func TestRateLimitChangesLive(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(256 << 10)
	release := make(chan struct{})
	srv.Add("/a.bin", data, testserver.IgnoreRange(), testserver.Hold(64<<10, release))
	e := newEnv(t)
	id := e.add(srv.URL("/a.bin"))
	e.waitFor(id, "the bytes before the hold", func(s Snapshot) bool { return s.Received == 64<<10 })
	// Lowered while the download runs: the rest is there at once, yet it
	// may only come in at 1 KiB/s (plus one burst).
	e.m.SetRateLimit(1 << 10)
	begin := time.Now()
	close(release)
	time.Sleep(500 * time.Millisecond)
	s, _ := e.m.Get(id)
	allowed := int64(float64(1<<10) * (time.Since(begin).Seconds() + 2))
	if got := s.Received - 64<<10; got > allowed {
		t.Errorf("%d bytes in %v under a 1 KiB/s limit set live", got, time.Since(begin))
	}
	// Raised while it runs: the rest would take three minutes at 1 KiB/s.
	e.m.SetRateLimit(0)
	e.mustComplete(id, data)
}

func TestSubscribeSendsTheWholeListFirstEvenWhenEmpty(t *testing.T) {
	e := newEnv(t)
	sub := e.m.Subscribe()
	defer sub.Close()
	select {
	case batch := <-sub.C():
		if len(batch) != 0 {
			t.Fatalf("first batch %d entries, want 0", len(batch))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no first batch for an empty list")
	}
}

func TestSlowRateLimitIsNotAStall(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(16 << 10)
	srv.Add("/a.bin", data)
	// 8 KiB/s for 16 KiB takes about 2 s, four times the stall timeout.
	e := newEnv(t, func(o *Options) { o.RateLimit = 8 << 10; o.StallTimeout = 500 * time.Millisecond })
	e.mustComplete(e.add(srv.URL("/a.bin")), data)
	if n := srv.Stats("/a.bin").Requests; n != 1 {
		t.Errorf("%d requests: waiting for the speed limit was taken for a stall", n)
	}
}
