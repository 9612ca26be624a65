package transfer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// segmented is a Protocol like HLS: many segment URLs fetched one after
// the other into one .part, its position kept with SetState.
type segmented struct{ urls []string }

func (segmented) Begin(ctx context.Context, j *Job) (*Start, error) {
	return &Start{Total: -1, Ranges: true, ContentType: "video/mp2t"}, nil
}

func (s segmented) Fill(ctx context.Context, j *Job, _ *Start, slot *Slot) error {
	return j.Pool(ctx, slot, nil, nil, func(ctx context.Context, sp *Span, _ io.ReadCloser, _ func()) error {
		k := 0
		if st := j.State(); st != nil {
			var at int64
			fmt.Sscanf(string(st), "%d %d", &k, &at)
			j.Rewind(sp, at) // segment k was only partly in
		}
		for ; k < len(s.urls); k++ {
			pos, _, _ := j.Position(sp)
			j.SetState([]byte(strconv.Itoa(k) + " " + strconv.FormatInt(pos, 10)))
			req, err := j.NewRequest(ctx, s.urls[k])
			if err != nil {
				return err
			}
			resp, err := j.Client().Do(req)
			if err != nil {
				return err
			}
			err = j.Copy(ctx, sp, resp.Body, nil)
			resp.Body.Close()
			if err != nil {
				return err
			}
		}
		j.FinishOpen(sp)
		return nil
	}, false)
}

// memReporter keeps what a transfer reports, like the engine would.
type memReporter struct {
	mu       sync.Mutex
	names    map[string]bool
	pieces   []Piece
	state    []byte
	received int64
}

func (r *memReporter) Progress(n int64)         { r.mu.Lock(); r.received = n; r.mu.Unlock() }
func (r *memReporter) Connections(int)          {}
func (r *memReporter) Learned(string, Resume)   {}
func (r *memReporter) Retrying(*RetryInfo)      {}
func (r *memReporter) Segments(int, int, int64) {}
func (r *memReporter) Stream(string, string)    {}
func (r *memReporter) Filed(string)             {}
func (r *memReporter) Live(func() []Piece)      {}
func (r *memReporter) Fetching(bool)            {}
func (r *memReporter) Placing(string, []Piece)  {}
func (r *memReporter) Release(dir, name string) { r.mu.Lock(); delete(r.names, name); r.mu.Unlock() }
func (r *memReporter) Taken(dir, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.names[name]
}
func (r *memReporter) Reserve(dir, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		return false
	}
	r.names[name] = true
	return true
}
func (r *memReporter) Checkpoint(p []Piece, s []byte) {
	r.mu.Lock()
	r.pieces, r.state = p, s
	r.mu.Unlock()
}

func TestASegmentedProtocolFillsOneFileAndResumes(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	var want []byte
	var urls []string
	release := make(chan struct{})
	for i := range 4 {
		seg := bytes.Repeat([]byte{byte('a' + i)}, 100<<10)
		want = append(want, seg...)
		p := fmt.Sprintf("/seg%d.ts", i)
		var opts []testserver.Option
		if i == 2 {
			opts = append(opts, testserver.Hold(40<<10, release)) // the first run stops inside segment 2
		}
		srv.Add(p, seg, opts...)
		urls = append(urls, srv.URL(p))
	}
	client, err := NewClient(ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Client: func() *http.Client { return client }, Hosts: NewHostSlots(4), Global: NewLimits(1, 0),
		MinPiece: 1 << 20, Retries: 1, RetryBase: time.Millisecond, RetryMax: time.Millisecond, Stall: time.Minute, Checkpoint: time.Hour}
	u, _ := url.Parse(srv.URL("/video.m3u8"))
	dir := t.TempDir()
	rep := &memReporter{names: map[string]bool{}}
	spec := Spec{URL: u, Dir: dir, Name: "video.ts", Explicit: true}

	// First run: stopped while segment 2 is held half-way.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := Run(ctx, env, spec, segmented{urls}, rep); done <- err }()
	for {
		rep.mu.Lock()
		n := rep.received
		rep.mu.Unlock()
		if n == 240<<10 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	close(release)
	rep.mu.Lock()
	resume := &Resume{Total: -1, Ranges: true, Pieces: rep.pieces, State: rep.state}
	rep.mu.Unlock()
	if string(resume.State) != "2 "+strconv.Itoa(200<<10) || resume.Pieces[0].Pos != 240<<10 {
		t.Fatalf("checkpoint: state %q pieces %+v; want segment 2 from byte %d, 240 KiB in", resume.State, resume.Pieces, 200<<10)
	}

	// Second run: resumes at segment 2, from where it began.
	spec.Fixed, spec.Resume = true, resume
	res, err := Run(context.Background(), env, spec, segmented{urls}, rep)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, res.Name))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s: %d bytes, equal %v (%v)", res.Name, len(got), bytes.Equal(got, want), err)
	}
	if n := srv.Stats("/seg0.ts").Requests + srv.Stats("/seg1.ts").Requests; n != 2 {
		t.Errorf("segments 0 and 1 were fetched %d times in all, want once each", n)
	}
}
