package transfer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// A steal splits a piece only after the bytes its worker's request asked
// for: the victim's answer is never cut short (the bytes the server sent
// for it are all kept), and a piece whose unasked rest is too small is
// left alone.
func TestAStealLeavesTheVictimTheBytesItAskedFor(t *testing.T) {
	cases := []struct {
		name           string
		pos, asked     int64 // the victim's position and its request's end (0: none)
		wantStart      int64 // the thief's piece's start; -1: no steal
		wantVictimTill int64
	}{
		{"nothing asked: the half of what is left", 200, 0, 600, 600},
		{"asked a little: half of what follows the request", 200, 400, 700, 700},
		{"asked past the middle: the split moves after the request", 200, 800, 900, 900},
		{"asked nearly all: too little left to split", 200, 985, -1, 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := newPieceSet([]Piece{{Start: 0, Pos: tc.pos, End: 1000}})
			v := ps.next(10)
			v.asked = tc.asked
			got := ps.next(10)
			if tc.wantStart < 0 {
				if got != nil {
					t.Fatalf("stole %d-%d from a piece with %d bytes unasked", got.start, got.end, 1000-tc.asked)
				}
				return
			}
			if got == nil || got.start != tc.wantStart || got.end != 1000 || v.end != tc.wantVictimTill {
				t.Fatalf("steal = %+v, victim ends at %d; want [%d,1000) and the victim ending at %d", got, v.end, tc.wantStart, tc.wantVictimTill)
			}
			if tc.asked > 0 && v.end < tc.asked {
				t.Errorf("the victim's request asked up to %d but its piece now ends at %d: its answer is cut", tc.asked, v.end)
			}
		})
	}
}

// askUpTo bounds a request to n bytes, asks for the whole rest when less
// than minTail would remain, and records the request's end.
func TestAskUpToBoundsTheRequest(t *testing.T) {
	cases := []struct {
		name        string
		pos, end, n int64
		wantEnd     int64
		wantDone    bool
	}{
		{"a chunk of a long piece", 0, 1000, 100, 100, false},
		{"the rest when a tiny tail would remain", 0, 1000, 995, 1000, false},
		{"no more than the piece", 900, 1000, 500, 1000, false},
		{"unknown end: open", 0, -1, 100, -1, false},
		{"a full piece", 1000, 1000, 100, 1000, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := newPieceSet([]Piece{{Start: 0, Pos: tc.pos, End: tc.end}})
			s := ps.pieces[0]
			pos, end, done := ps.askUpTo(s, tc.n, 10)
			if pos != tc.pos || end != tc.wantEnd || done != tc.wantDone {
				t.Fatalf("askUpTo = %d, %d, %v; want %d, %d, %v", pos, end, done, tc.pos, tc.wantEnd, tc.wantDone)
			}
			if want := max(tc.wantEnd, 0); !done && s.asked != want {
				t.Errorf("asked = %d; want %d", s.asked, want)
			}
		})
	}
}

// A chunk lasts chunkTrips round trips at the connection's last rate,
// within [minChunk, maxChunk]; near the end of a download it is at most
// half of each connection's share, so an idle connection always finds
// bytes nobody asked for.
func TestChunkSizeFollowsTheRateAndShrinksAtTheEnd(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		name    string
		n       int64 // the last request's bytes (0: no measure)
		ttfb, d time.Duration
		left    int64
		conns   int
		want    int64
		piece   int64 // the pieces' minimum size (-1: none set; 0: 1 MiB)
	}{
		{"no measure yet", 0, 0, 0, 1 << 40, 4, 2 * mib, 0},
		{"no measure and no piece size", 0, 0, 0, 1 << 40, 4, 64 << 10, -1},
		{"10 MiB/s at 100 ms", 10 * mib, 100 * time.Millisecond, time.Second, 1 << 40, 4, 100 * mib, 0},
		{"a fast far link is capped", 1000 * mib, 100 * time.Millisecond, time.Second, 1 << 40, 4, maxChunk, 0},
		{"loopback gets the least", 100 * mib, 10 * time.Microsecond, 100 * time.Millisecond, 1 << 40, 4, minChunk, 0},
		{"the end: half a share", 10 * mib, 100 * time.Millisecond, time.Second, 80 * mib, 4, 10 * mib, 0},
		{"the very end: a piece's minimum", 10 * mib, 100 * time.Millisecond, time.Second, 2 * mib, 4, mib, 0},
		{"one connection: no share", 10 * mib, 100 * time.Millisecond, time.Second, 20 * mib, 1, 100 * mib, 0},
		{"unknown size: no share", 10 * mib, 100 * time.Millisecond, time.Second, -1, 1, 100 * mib, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c chunker
			c.measured(tc.n, tc.ttfb, tc.d)
			piece := int64(mib)
			if tc.piece != 0 {
				piece = max(tc.piece, 0)
			}
			if got := c.size(tc.left, tc.conns, piece); got != tc.want {
				t.Errorf("size = %d; want %d", got, tc.want)
			}
		})
	}
}

// asked reads the byte ranges the server was asked for (a 200 is the
// whole file), sorted by start.
func askedRanges(t *testing.T, srv *testserver.Server, path string, size int64) [][2]int64 {
	t.Helper()
	var rs [][2]int64
	for _, r := range srv.Requests(path) {
		if r.Range == "" || r.Status == 200 {
			rs = append(rs, [2]int64{0, size})
			continue
		}
		a, b, ok := strings.Cut(strings.TrimPrefix(r.Range, "bytes="), "-")
		start, err := strconv.ParseInt(a, 10, 64)
		if !ok || err != nil {
			t.Fatalf("range %q", r.Range)
		}
		end := size
		if b != "" {
			last, err := strconv.ParseInt(b, 10, 64)
			if err != nil {
				t.Fatalf("range %q", r.Range)
			}
			end = min(last+1, size)
		}
		rs = append(rs, [2]int64{start, end})
	}
	sort.Slice(rs, func(i, k int) bool { return rs[i][0] < rs[k][0] })
	return rs
}

// Split over several connections of a throttled server, with work
// stealing and the ramp, a download asks for each byte of the file
// exactly once: no two requests overlap (a request that overlaps another
// makes the server send bytes that are thrown away when it is cut), they
// cover the file, and the server sends at most 1.02× the file's size.
func TestASplitDownloadAsksForEachByteOnce(t *testing.T) {
	const size = 24 << 20
	for _, conns := range []int{2, 8} {
		t.Run(fmt.Sprintf("%d connections", conns), func(t *testing.T) {
			srv := testserver.New()
			defer srv.Close()
			data := testserver.Content(size, 5)
			srv.Add("/f.bin", data, testserver.Throttle(8<<20))
			env := retryEnv(t, conns)
			fetchWhole(t, env, srv, data)
			st := srv.Stats("/f.bin")
			if st.RangeRequests < 2 {
				t.Fatalf("%d range requests: the download was never split", st.RangeRequests)
			}
			rs := askedRanges(t, srv, "/f.bin", size)
			var at, sum int64
			for _, r := range rs {
				if r[0] < at {
					t.Errorf("bytes %d-%d were asked for twice (ranges %v)", r[0], at-1, rs)
				}
				if r[0] > at {
					t.Errorf("bytes %d-%d were never asked for (ranges %v)", at, r[0]-1, rs)
				}
				at = max(at, r[1])
				sum += r[1] - r[0]
			}
			if at != size {
				t.Errorf("the requests end at %d of %d", at, size)
			}
			t.Logf("%d requests asked for %d bytes, the server sent %d, for a file of %d", len(rs), sum, st.BytesSent, size)
			if limit := int64(size * 102 / 100); st.BytesSent > limit || sum > limit {
				t.Errorf("the server was asked for %d bytes and sent %d for a file of %d (at most %d)", sum, st.BytesSent, size, limit)
			}
		})
	}
}

// An answer is written only up to what its request asked for: a body
// that goes on past it (a server that sends more than its Content-Range
// says) is not written, and one that stops before it ended too soon.
func TestAnAnswerIsWrittenOnlyUpToWhatItsRequestAskedFor(t *testing.T) {
	ps := newPieceSet([]Piece{{Start: 0, Pos: 0, End: 1000}})
	s := ps.pieces[0]
	if _, end, _ := ps.askUpTo(s, 300, 10); end != 300 {
		t.Fatalf("asked up to %d; want 300", end)
	}
	if off, w := ps.claim(s, 200); off != 0 || w != 200 {
		t.Fatalf("claim = %d, %d; want 0, 200", off, w)
	}
	ps.commit(s, 200)
	if !ps.short(s) {
		t.Error("an answer that stops at 200 of the 300 asked is not short")
	}
	if off, w := ps.claim(s, 200); off != 200 || w != 100 {
		t.Fatalf("claim past the request = %d, %d; want 200, 100 (up to the 300 asked)", off, w)
	}
	ps.commit(s, 100)
	if _, w := ps.claim(s, 50); w != 0 {
		t.Errorf("claimed %d bytes past what the request asked for", w)
	}
	if ps.short(s) {
		t.Error("an answer that delivered all it asked for is short")
	}
	if pos, end, done := ps.askUpTo(s, 1000, 10); pos != 300 || end != 1000 || done {
		t.Errorf("the next request = %d-%d, %v; want 300-1000", pos, end, done)
	}
}
