package engine

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/testserver"
)

// hintGate holds back every write of a test's downloads once gateAt
// bytes of a file are written, until the first writeback hint of any of
// them: a download that hints at all is then seen hinting before its
// last byte is in. Without hints it opens anyway, later, and the test
// fails on the count rather than hanging.
type hintGate struct {
	gateAt int64
	open   chan struct{}
	once   sync.Once
}

func newHintGate(gateAt int64) *hintGate {
	g := &hintGate{gateAt: gateAt, open: make(chan struct{})}
	time.AfterFunc(20*time.Second, g.release)
	return g
}

func (g *hintGate) release() { g.once.Do(func() { close(g.open) }) }

// hintWatch is a .part file that counts the writeback hints it gets
// (transfer.WritebackHinter) and the bytes written before each.
type hintWatch struct {
	partFile
	gate *hintGate

	mu      sync.Mutex
	written int64
	hints   []int64 // bytes written when each hint came
}

func (h *hintWatch) WriteAt(p []byte, off int64) (int, error) {
	h.mu.Lock()
	gated := h.written >= h.gate.gateAt
	h.mu.Unlock()
	if gated {
		<-h.gate.open
	}
	n, err := h.partFile.WriteAt(p, off)
	h.mu.Lock()
	h.written += int64(n)
	h.mu.Unlock()
	return n, err
}

func (h *hintWatch) HintWriteback() {
	h.mu.Lock()
	h.hints = append(h.hints, h.written)
	h.mu.Unlock()
	h.gate.release()
	transfer.HintWriteback(h.partFile) // the real hint as well
}

func (h *hintWatch) seen() (hints []int64, written int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int64(nil), h.hints...), h.written
}

// watchHints wraps every .part file e's downloads open, by name.
func watchHints(e *env, gateAt int64) func(name string) *hintWatch {
	var mu sync.Mutex
	gate := newHintGate(gateAt)
	watches := map[string]*hintWatch{}
	e.m.wrapFile = func(f partFile) partFile {
		st, err := f.Stat()
		if err != nil {
			return f
		}
		h := &hintWatch{partFile: f, gate: gate}
		mu.Lock()
		watches[strings.TrimSuffix(st.Name(), partSuffix)] = h
		mu.Unlock()
		return h
	}
	return func(name string) *hintWatch {
		mu.Lock()
		defer mu.Unlock()
		return watches[name]
	}
}

// A large download asks the kernel to start writing its pages while the
// data still arrives (so the final flush has little left), about once per
// transfer.WritebackStep, whether one connection writes it, several
// connections at different offsets, or an HLS stream's segments; a small
// one never asks.
func TestLargeDownloadsStartWritebackWhileTheyRunSmallOnesNever(t *testing.T) {
	const step = transfer.WritebackStep
	const big = 3 * step
	srv := testserver.New()
	defer srv.Close()
	data := randomBytes(big)
	srv.Add("/one.bin", data)
	srv.Add("/split.bin", data, testserver.Throttle(8<<20))
	srv.Add("/small.bin", data[:1<<20])
	var playlist strings.Builder
	playlist.WriteString("#EXTM3U\n#EXT-X-TARGETDURATION:1\n")
	const segs = 4
	for i := range segs {
		seg := data[i*big/segs : (i+1)*big/segs]
		srv.Add(fmt.Sprintf("/v/s%d.ts", i), seg)
		fmt.Fprintf(&playlist, "#EXTINF:1,\ns%d.ts\n", i)
	}
	playlist.WriteString("#EXT-X-ENDLIST\n")
	srv.Add("/v/video.m3u8", []byte(playlist.String()))

	for _, c := range []struct {
		name, link, file string
		size             int64
		conns            int
	}{
		{"one connection", "/one.bin", "one.bin", big, 1},
		{"several connections", "/split.bin", "split.bin", big, 4},
		{"HLS", "/v/video.m3u8", "video.ts", big, 2},
		{"small", "/small.bin", "small.bin", 1 << 20, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) {
				o.Connections, o.SplitAbove = c.conns, -1
				o.StallTimeout = time.Minute // a write held at the gate is no stall
			})
			watch := watchHints(e, 2*step+step/2)
			id := e.add(srv.URL(c.link))
			most := 0
			s := e.waitFor(id, "the end", func(s Snapshot) bool {
				most = max(most, s.Conns)
				return s.State != Active && s.State != Queued
			})
			if s.State != Completed || s.Name != c.file {
				t.Fatalf("state %v, name %q, err %q", s.State, s.Name, s.Err)
			}
			got, err := os.ReadFile(s.Path())
			if err != nil || !bytes.Equal(got, data[:c.size]) {
				t.Fatalf("%s: %d bytes, not the content (%v)", s.Name, len(got), err)
			}
			if c.conns > 1 && c.link == "/split.bin" && most < 2 {
				t.Errorf("at most %d connection at once: the file was not split", most)
			}
			w := watch(c.file)
			if w == nil {
				t.Fatalf("%s.part was never opened", c.file)
			}
			hints, written := w.seen()
			t.Logf("%d writeback hints, the first at %v of %d bytes", len(hints), hints[:min(len(hints), 1)], c.size)
			if written != c.size {
				t.Errorf("%d bytes written, want %d", written, c.size)
			}
			if c.size < step {
				if len(hints) != 0 {
					t.Errorf("a %d-byte file got %d writeback hints, want none", c.size, len(hints))
				}
				return
			}
			if len(hints) == 0 || hints[0] >= c.size {
				t.Fatalf("%d writeback hints, none while the data arrived", len(hints))
			}
			if limit := c.size / step; int64(len(hints)) > limit {
				t.Errorf("%d hints for %d bytes, want at most one per %d", len(hints), c.size, step)
			}
		})
	}
}
