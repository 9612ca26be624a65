package transfer

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// progressReporter is a memReporter that keeps every progress report.
type progressReporter struct {
	memReporter
	seen []int64 // guarded by memReporter.mu
}

func (r *progressReporter) Progress(n int64) {
	r.mu.Lock()
	r.seen = append(r.seen, n)
	r.mu.Unlock()
}

// retryEnv is an Env for conns connections that retries at once.
func retryEnv(t *testing.T, conns int) *Env {
	t.Helper()
	client, err := NewClient(ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Client: func() *http.Client { return client }, Hosts: NewHostSlots(conns), Global: NewLimits(conns, 0),
		MinPiece: 256 << 10, Retries: 8, RetryBase: time.Millisecond, RetryMax: time.Millisecond,
		Stall: time.Minute, Checkpoint: time.Hour}
}

// fetchWhole runs a transfer of srv's /f.bin with env and checks that the
// file saved is data; it returns the reporter, which kept every progress
// report.
func fetchWhole(t *testing.T, env *Env, srv *testserver.Server, data []byte) *progressReporter {
	t.Helper()
	u, _ := url.Parse(srv.URL("/f.bin"))
	dir := t.TempDir()
	rep := &progressReporter{memReporter: memReporter{names: map[string]bool{}}}
	res, err := Run(context.Background(), env, Spec{URL: u, Dir: dir}, HTTP{}, rep)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, res.Name))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("%s: %d bytes, equal %v (%v)", res.Name, len(got), bytes.Equal(got, data), err)
	}
	return rep
}

// A retry after a dropped, refused or stalled connection asks only for
// the bytes not yet written: over the whole download the server sends
// the file once, plus at most what one read of each connection may
// leave behind (a tail another connection took over), and the progress
// reported never goes back.
func TestARetryAsksOnlyForTheBytesNotWritten(t *testing.T) {
	const size = 8 << 20
	tests := []struct {
		name  string
		conns int
		stall time.Duration // the Env's stall timeout; 0: a minute
		opts  []testserver.Option
	}{
		{"three drops, one connection", 1, 0, []testserver.Option{testserver.ResetAfter(700<<10, 3)}},
		{"three drops, eight connections", 8, 0, []testserver.Option{testserver.ResetLonger(512<<10, 3), testserver.Throttle(4 << 20)}},
		{"a drop, then refused three times", 1, 0, []testserver.Option{testserver.ResetAfter(700<<10, 1), testserver.Refuse(1, 3)}},
		{"stalled twice", 1, 300 * time.Millisecond, []testserver.Option{testserver.Stall(1<<20, time.Minute, 2)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			data := testserver.Content(size, 7)
			srv.Add("/f.bin", data, tc.opts...)
			env := retryEnv(t, tc.conns)
			if tc.stall > 0 {
				env.Stall = tc.stall
			}
			rep := fetchWhole(t, env, srv, data)
			st := srv.Stats("/f.bin")
			if st.Requests < 2 {
				t.Fatalf("%d request: the fault never made the transfer retry", st.Requests)
			}
			if limit := int64(size + tc.conns*fastReadBuf); st.BytesSent > limit {
				var asked []string
				for _, r := range srv.Requests("/f.bin") {
					asked = append(asked, r.Range)
				}
				t.Errorf("the server sent %d bytes for a file of %d (at most %d): ranges asked %s", st.BytesSent, size, limit, strings.Join(asked, ", "))
			}
			rep.mu.Lock()
			defer rep.mu.Unlock()
			for i := 1; i < len(rep.seen); i++ {
				if rep.seen[i] < rep.seen[i-1] {
					t.Fatalf("progress went back from %d to %d (report %d of %d)", rep.seen[i-1], rep.seen[i], i, len(rep.seen))
				}
			}
		})
	}
}

// blockingSync is a File whose Sync waits until release is closed,
// saying on entered when it starts.
type blockingSync struct {
	File
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (f *blockingSync) Sync() error {
	f.once.Do(func() { close(f.entered) })
	<-f.release
	return f.File.Sync()
}

// A checkpoint flushes the .part without holding the job's lock: while
// its flush waits for the disk, the lock is free and SetState (HLS's
// writer) goes through.
func TestACheckpointFlushDoesNotHoldTheJobsLock(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1/a.bin")
	bs := &blockingSync{entered: make(chan struct{}), release: make(chan struct{})}
	env := &Env{WrapFile: func(f File) File { bs.File = f; return bs }}
	rep := &memReporter{names: map[string]bool{}}
	j, err := newJob(env, Spec{URL: u, Dir: t.TempDir(), Name: "a.bin", Fixed: true}, rep)
	if err != nil {
		t.Fatal(err)
	}
	f, err := j.root.Create("a.bin" + PartSuffix)
	if err != nil {
		t.Fatal(err)
	}
	j.useFile(f, []Piece{{Start: 0, Pos: 0, End: 10}})
	done := make(chan struct{})
	go func() { j.checkpoint(false); close(done) }()
	<-bs.entered
	if !j.mu.TryLock() {
		close(bs.release)
		<-done
		t.Fatal("the job's lock is held while the checkpoint flushes the file")
	}
	j.mu.Unlock()
	j.SetState([]byte("next"))
	close(bs.release)
	<-done
	rep.mu.Lock()
	saved := rep.pieces
	rep.mu.Unlock()
	if len(saved) != 1 {
		t.Errorf("the checkpoint reported %v", saved)
	}
	j.close()
}

// A server that answers the extra connections with the wrong bytes,
// while the first connection works, gets the download over that one:
// the extra connections are dropped, what was written is kept, and the
// file is sent about once.
func TestWrongRangesOnExtraConnectionsFinishOverOne(t *testing.T) {
	const size = 12 << 20
	srv := testserver.New()
	defer srv.Close()
	data := testserver.Content(size, 9)
	srv.Add("/f.bin", data, testserver.ShiftConcurrent(-4096), testserver.Throttle(6<<20))
	env := retryEnv(t, 4)
	fetchWhole(t, env, srv, data)
	st := srv.Stats("/f.bin")
	if st.RangeRequests < 2 {
		t.Fatalf("%d range requests: no extra connection was tried", st.RangeRequests)
	}
	t.Logf("the server sent %d bytes for a file of %d (%.3f×) in %d requests", st.BytesSent, size, float64(st.BytesSent)/size, st.Requests)
	if limit := int64(size * 105 / 100); st.BytesSent > limit {
		var asked []string
		for _, r := range srv.Requests("/f.bin") {
			asked = append(asked, fmt.Sprintf("%s %d", r.Range, r.Status))
		}
		t.Errorf("the server sent %d bytes for a file of %d (at most %d): %s", st.BytesSent, size, limit, strings.Join(asked, ", "))
	}
}

// retryCounter is a progressReporter that counts the waits to retry.
type retryCounter struct {
	progressReporter
	waits atomic.Int32
}

func (r *retryCounter) Retrying(info *RetryInfo) {
	if info != nil {
		r.waits.Add(1)
	}
}

// A connection dropped while others run leaves without failing the
// attempt: the others go on with their bytes in flight, nothing waits to
// retry, and the file is sent once.
func TestADroppedConnectionLeavesTheOthersRunning(t *testing.T) {
	// Large enough that connections ask for chunks longer than the 1 MiB
	// the server cuts (a chunk is at most half a connection's share).
	const size = 32 << 20
	srv := testserver.New()
	defer srv.Close()
	data := testserver.Content(size, 11)
	srv.Add("/f.bin", data, testserver.ResetLonger(1<<20, 3), testserver.Throttle(4<<20))
	env := retryEnv(t, 8)
	u, _ := url.Parse(srv.URL("/f.bin"))
	dir := t.TempDir()
	rep := &retryCounter{progressReporter: progressReporter{memReporter: memReporter{names: map[string]bool{}}}}
	res, err := Run(context.Background(), env, Spec{URL: u, Dir: dir}, HTTP{}, rep)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, res.Name)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("%s: %d bytes, equal %v (%v)", res.Name, len(got), bytes.Equal(got, data), err)
	}
	if n := rep.waits.Load(); n != 0 {
		t.Errorf("the transfer waited %d times to retry; the other connections should have gone on", n)
	}
	st := srv.Stats("/f.bin")
	if st.Resets != 3 {
		t.Fatalf("%d connections were dropped, want 3", st.Resets)
	}
	if limit := int64(size + 8*fastReadBuf); st.BytesSent > limit {
		t.Errorf("the server sent %d bytes for a file of %d (at most %d)", st.BytesSent, size, limit)
	}
}
