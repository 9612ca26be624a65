package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
)

// recorder is an Adder that keeps every request and the size of each
// AddAll call, refusing URLs that end in "/bad".
type recorder struct {
	mu     sync.Mutex
	urls   []string
	chunks []int
	onAdd  func(calls int) // called after each AddAll, outside the lock
}

func (r *recorder) AddAll(reqs []engine.Request) []engine.Added {
	out := make([]engine.Added, len(reqs))
	r.mu.Lock()
	for i, q := range reqs {
		r.urls = append(r.urls, q.URL)
		out[i].ID = fmt.Sprint(len(r.urls))
		if strings.HasSuffix(q.URL, "/bad") {
			out[i] = engine.Added{Err: errors.New("refused")}
		}
	}
	r.chunks = append(r.chunks, len(reqs))
	calls := len(r.chunks)
	r.mu.Unlock()
	if r.onAdd != nil {
		r.onAdd(calls)
	}
	return out
}

func linkFile(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "https://example.org/f/%d.bin\n", i)
	}
	return b.String()
}

func TestManyLinksArriveInChunksInOrder(t *testing.T) {
	const n = 100_000
	rec := &recorder{}
	var results []Result
	sum, err := Reader(context.Background(), rec, strings.NewReader(linkFile(n)), Options{
		MaxDelay: time.Hour, // chunks by size only, however slow the machine
		Added:    func(rs []Result) error { results = append(results, rs...); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Links != n || len(rec.urls) != n || len(results) != n {
		t.Fatalf("scanned %d, added %d, reported %d links; want %d", sum.Links, len(rec.urls), len(results), n)
	}
	for i, u := range rec.urls {
		if want := fmt.Sprintf("https://example.org/f/%d.bin", i); u != want || results[i].Link.URL != want {
			t.Fatalf("link %d is %q (reported %q), want %q: the order was not kept", i, u, results[i].Link.URL, want)
		}
	}
	// One AddAll per chunk, not one per link: the engine's scheduler runs
	// once per call.
	if max := n/DefaultChunk + 1; len(rec.chunks) > max {
		t.Errorf("%d AddAll calls for %d links, want at most %d", len(rec.chunks), n, max)
	}
	for i, c := range rec.chunks {
		if c > DefaultChunk {
			t.Errorf("chunk %d has %d links, more than %d", i, c, DefaultChunk)
		}
	}
}

func TestResultsCarryRefusalsAndRejectedLinesAreSummed(t *testing.T) {
	rec := &recorder{}
	var results []Result
	text := "https://example.org/a\nftp://example.org/x\nhttps://example.org/bad\n  out=b.txt\n"
	sum, err := Reader(context.Background(), rec, strings.NewReader(text), Options{
		Request: func(l links.Link) engine.Request { return engine.Request{URL: l.URL, Dir: "/dl", Name: l.Name} },
		Added:   func(rs []Result) error { results = append(results, rs...); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.RejectedCount != 1 || sum.Rejected[0].Line != 2 {
		t.Errorf("summary = %+v, want line 2 rejected", sum)
	}
	if len(results) != 2 || results[0].Err != nil || results[0].ID == "" {
		t.Fatalf("results = %+v", results)
	}
	if r := results[1]; r.Err == nil || r.Link.Line != 3 || r.Link.Name != "b.txt" {
		t.Errorf("refused link = %+v, want line 3 with its name and the engine's error", r)
	}
}

func TestCancelStopsAdding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &recorder{onAdd: func(calls int) {
		if calls == 2 {
			cancel()
		}
	}}
	_, err := Reader(ctx, rec, strings.NewReader(linkFile(50_000)), Options{Chunk: 100, MaxDelay: time.Hour})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(rec.chunks) != 2 || len(rec.urls) != 200 {
		t.Errorf("after cancel: %d AddAll calls, %d links added; want 2 and 200", len(rec.chunks), len(rec.urls))
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	rec2 := &recorder{onAdd: func(int) { cancel2() }}
	ls, _ := links.Parse(linkFile(1000))
	if err := Links(ctx2, rec2, ls, Options{Chunk: 10, MaxDelay: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Links err = %v, want context.Canceled", err)
	}
	if len(rec2.urls) != 10 {
		t.Errorf("Links added %d links after cancel, want the first chunk's 10", len(rec2.urls))
	}
}

func TestAddedErrorStops(t *testing.T) {
	rec := &recorder{}
	stop := errors.New("stop")
	_, err := Reader(context.Background(), rec, strings.NewReader(linkFile(5000)), Options{
		Chunk:    100,
		MaxDelay: time.Hour,
		Added:    func([]Result) error { return stop },
	})
	if !errors.Is(err, stop) || len(rec.urls) != 100 {
		t.Errorf("err = %v after %d links, want stop after 100", err, len(rec.urls))
	}
}

// TestSlotsBoundHowFarAddingRuns: with three slots, a fourth link waits
// until the caller is done with one, and the links gathered so far are
// added first (else the caller would wait for them forever).
func TestSlotsBoundHowFarAddingRuns(t *testing.T) {
	rec := &recorder{}
	slots := make(chan struct{}, 3)
	got := make(chan Result, 100)
	done := make(chan error, 1)
	go func() {
		_, err := Reader(context.Background(), rec, strings.NewReader(linkFile(20)), Options{
			Slots:    slots,
			MaxDelay: time.Hour, // only the wait for a slot may add the chunk early
			Added: func(rs []Result) error {
				for _, r := range rs {
					got <- r
				}
				return nil
			},
		})
		close(got)
		done <- err
	}()
	n := 0
	timeout := time.After(10 * time.Second)
	for {
		select {
		case r, ok := <-got:
			if !ok {
				if err := <-done; err != nil || n != 20 {
					t.Fatalf("%d links, err %v; want 20", n, err)
				}
				return
			}
			if len(slots) > 3 {
				t.Fatalf("%d links outstanding", len(slots))
			}
			if want := fmt.Sprintf("https://example.org/f/%d.bin", n); r.Link.URL != want {
				t.Fatalf("link %d = %s, want %s", n, r.Link.URL, want)
			}
			n++
			<-slots // done with this link
		case <-timeout:
			t.Fatalf("stuck after %d links: links waiting for a slot were never added", n)
		}
	}
}

// TestSlowSourceStartsAtOnce: a link from a pipe that then sends nothing
// for a while is added without waiting for its chunk to fill. (links.Scan
// emits a link once the next line shows no option lines follow it.)
func TestSlowSourceStartsAtOnce(t *testing.T) {
	pr, pw := io.Pipe()
	rec := &recorder{}
	added := make(chan []Result, 10)
	done := make(chan error, 1)
	go func() {
		_, err := Reader(context.Background(), rec, pr, Options{Added: func(rs []Result) error { added <- rs; return nil }})
		done <- err
	}()
	fmt.Fprint(pw, strings.Repeat("# a comment to get past the check for binary input\n", 200))
	fmt.Fprintf(pw, "https://example.org/slow/0\n")
	for i := range 3 {
		fmt.Fprintf(pw, "https://example.org/slow/%d\n", i+1)
		select {
		case rs := <-added:
			if len(rs) != 1 || rs[0].Link.URL != fmt.Sprintf("https://example.org/slow/%d", i) {
				t.Fatalf("chunk %d = %+v", i, rs)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("link %d from a slow source was never added", i)
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
