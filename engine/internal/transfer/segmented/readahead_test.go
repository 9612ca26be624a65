package segmented

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestReadAheadDecisions(t *testing.T) {
	lim := ReadAhead{Segments: 3, Bytes: 100}
	for _, c := range []struct {
		name            string
		k, next         int
		held, size      int64
		start, got, res bool // mayStart, mayRead, mayReserve(size)
	}{
		{"the next part, nothing held", 4, 4, 0, 50, true, true, true},
		{"the next part over the bytes", 4, 4, 500, 50, true, true, true},
		{"one ahead, under the bytes", 5, 4, 49, 50, true, true, true},
		{"one ahead, fits exactly", 5, 4, 50, 50, true, true, true},
		{"one ahead, does not fit", 5, 4, 51, 50, true, true, false},
		{"one ahead, at the bytes", 5, 4, 100, 50, false, false, false},
		{"a part larger than the cap, nothing held", 5, 4, 0, 1 << 30, true, true, true},
		{"a part larger than the cap, some held", 5, 4, 1, 1 << 30, true, true, false},
		{"the last within the segments", 6, 4, 0, 50, true, true, true},
		{"past the segments", 7, 4, 0, 50, false, true, true},
		{"far past, over the bytes", 9, 4, 1 << 30, 50, false, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := lim.mayStart(c.k, c.next, c.held); got != c.start {
				t.Errorf("mayStart(%d, next %d, held %d) = %v, want %v", c.k, c.next, c.held, got, c.start)
			}
			if got := lim.mayRead(c.k, c.next, c.held); got != c.got {
				t.Errorf("mayRead(%d, next %d, held %d) = %v, want %v", c.k, c.next, c.held, got, c.got)
			}
			if got := lim.mayReserve(c.k, c.next, c.held, c.size); got != c.res {
				t.Errorf("mayReserve(%d, next %d, held %d, %d) = %v, want %v", c.k, c.next, c.held, c.size, got, c.res)
			}
		})
	}
}

// simulate runs workers that fetch parts of sizes in chunks under lim,
// one step at a time (each worker reads a chunk or starts a part; the
// writer writes the next part once it is whole), and returns the most
// bytes ever held for parts other than the next, and the most parts
// started and not written. With known, a part's size is known when it
// starts and taken from the cap at once (mayReserve); else its bytes are
// taken as they arrive (mayRead). It fails t if the parts do not all get
// written.
func simulate(t *testing.T, lim ReadAhead, sizes []int64, workers int, chunk int64, known bool) (maxAhead int64, maxParts int) {
	t.Helper()
	got := make([]int64, len(sizes))
	started := make([]bool, len(sizes))
	w := make([]int, workers) // the part each works on; -1: idle
	for i := range w {
		w[i] = -1
	}
	next, held, issue := 0, int64(0), 0
	reserved := make([]bool, len(sizes))
	for steps := 0; next < len(sizes); steps++ {
		if steps > 1_000_000 {
			t.Fatalf("stuck at part %d of %d with %d bytes held", next, len(sizes), held)
		}
		for i := range w {
			switch k := w[i]; {
			case k < 0 && issue < len(sizes) && lim.mayStart(issue, next, held):
				w[i], started[issue] = issue, true
				issue++
			case k >= 0 && known && !reserved[k]:
				if lim.mayReserve(k, next, held, sizes[k]) {
					reserved[k] = true
					held += sizes[k]
				}
			case k >= 0 && got[k] < sizes[k] && (known || lim.mayRead(k, next, held)):
				n := min(chunk, sizes[k]-got[k])
				got[k] += n
				if !known {
					held += n
				}
			case k >= 0 && got[k] == sizes[k]:
				w[i] = -1
			}
		}
		ahead := held - got[next]
		if known && reserved[next] {
			ahead = held - sizes[next]
		}
		maxAhead = max(maxAhead, ahead)
		maxParts = max(maxParts, issue-next)
		if got[next] == sizes[next] {
			held -= sizes[next]
			next++
		}
	}
	return maxAhead, maxParts
}

func TestReadAheadIsCappedInBytesAndSegments(t *testing.T) {
	const mib = 1 << 20
	repeat := func(n int, size int64) []int64 {
		s := make([]int64, n)
		for i := range s {
			s[i] = size
		}
		return s
	}
	for _, c := range []struct {
		name    string
		lim     ReadAhead
		sizes   []int64
		workers int
		chunk   int64
		known   bool // the sizes are announced
	}{
		{"small segments: the segment count binds", ReadAhead{Segments: 8, Bytes: 64 * mib}, repeat(40, mib), 4, 256 << 10, false},
		{"1 GiB segments: the bytes bind", ReadAhead{Segments: 8, Bytes: 64 * mib}, repeat(6, 1<<30), 4, 256 << 10, false},
		{"one huge segment among small ones", ReadAhead{Segments: 8, Bytes: 16 * mib}, append(append(repeat(3, mib), 512*mib), repeat(10, mib)...), 4, 256 << 10, false},
		{"one connection", ReadAhead{Segments: 8, Bytes: 4 * mib}, repeat(20, 3*mib), 1, 256 << 10, false},
		{"a cap smaller than a read", ReadAhead{Segments: 4, Bytes: 1}, repeat(10, mib), 3, 256 << 10, false},
		{"announced 1 GiB segments", ReadAhead{Segments: 8, Bytes: 64 * mib}, repeat(6, 1<<30), 4, 256 << 10, true},
		{"announced 32 MiB segments", ReadAhead{Segments: 8, Bytes: 64 * mib}, repeat(12, 32*mib), 4, 256 << 10, true},
		{"announced small segments", ReadAhead{Segments: 8, Bytes: 64 * mib}, repeat(40, mib), 4, 256 << 10, true},
		{"announced, one huge among small ones", ReadAhead{Segments: 8, Bytes: 16 * mib}, append(append(repeat(3, mib), 512*mib), repeat(10, mib)...), 4, 256 << 10, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ahead, parts := simulate(t, c.lim, c.sizes, c.workers, c.chunk, c.known)
			// A part taken as it arrives may overshoot by a read per worker;
			// one taken at once, by nothing, unless it is alone and larger.
			limit := c.lim.Bytes + int64(c.workers)*c.chunk
			if c.known {
				limit = max(c.lim.Bytes, slices.Max(c.sizes))
			}
			if ahead > limit {
				t.Errorf("%d bytes held ahead of the writer, over %d (cap %d + a read per worker)", ahead, limit, c.lim.Bytes)
			}
			if parts > c.lim.Segments {
				t.Errorf("%d parts started ahead, over %d", parts, c.lim.Segments)
			}
		})
	}
}

// A reader of a part ahead of the writer waits while the bytes held are
// at the cap and goes on once the writer writes the part before it.
func TestReadAheadReaderWaitsForTheWriter(t *testing.T) {
	win := newWindow(ReadAhead{Segments: 4, Bytes: 10}, 0)
	win.add(10) // part 0 whole, not yet written
	r := &reader{ctx: context.Background(), w: win, k: 1, r: strings.NewReader("abc"), alive: func() {}}
	if win.lim.mayRead(1, win.next, win.held) {
		t.Fatal("part 1 may read while part 0's bytes fill the window")
	}
	done := make(chan string)
	go func() {
		b := make([]byte, 3)
		n, _ := r.Read(b)
		done <- string(b[:n])
	}()
	win.written(0, 10)
	if got := <-done; got != "abc" {
		t.Errorf("read %q after the writer moved on", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	win.add(10)
	r2 := &reader{ctx: ctx, w: win, k: 3, r: strings.NewReader("x"), alive: func() {}}
	cancel()
	if _, err := r2.Read(make([]byte, 1)); err == nil {
		t.Error("a waiting reader did not end with its context")
	}
}

// The video's and the audio's parts are interleaved by their place in
// the stream, init sections first, so both are fetched in parallel.
func TestPartsInterleaveVideoAndAudio(t *testing.T) {
	seg := func(n int) []Part { return make([]Part, n) }
	for _, c := range []struct {
		name         string
		video, audio int
		want         string
	}{
		{"no audio", 3, 0, "Vi v1 v2 v3"},
		{"as many", 3, 3, "Vi Ai v1 a1 v2 a2 v3 a3"},
		{"audio in longer segments", 4, 2, "Vi Ai v1 a1 v2 v3 a2 v4"},
		{"more audio", 2, 4, "Vi Ai v1 a1 a2 v2 a3 a4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl := &Plan{Video: &Track{Init: &Part{}, Segments: seg(c.video)}}
			if c.audio > 0 {
				pl.Audio = &Track{Init: &Part{}, Segments: seg(c.audio)}
			}
			var got []string
			for _, pt := range (&Protocol{plan: pl}).parts() {
				s := "v"
				if pt.audio {
					s = "a"
				}
				if pt.init {
					s = strings.ToUpper(s) + "i"
				} else {
					s += fmt.Sprint(pt.index)
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("order %q, want %q", strings.Join(got, " "), c.want)
			}
		})
	}
}
