package segmented

import (
	"context"
	"io"
	"sync"
)

// DefaultReadAheadBytes is how many bytes of fetched segments, not yet
// written, may wait in memory, beyond the segment the writer needs next
// (which is never held back: a segment is written whole, and one may be
// up to MaxPartBytes).
const DefaultReadAheadBytes = 64 << 20

// ReadAhead caps what the workers fetch ahead of the writer: at most
// Segments parts started past the one it writes next, and at most Bytes
// held for them. A part whose size its answer announces takes its bytes
// from the cap before it is read (its buffer is that large at once); one
// of unknown size takes them as they arrive, and may overshoot Bytes by
// one read. So memory stays under Bytes plus the next segment (or, when
// nothing else is held, one larger segment) plus a read per connection.
type ReadAhead struct {
	Segments int
	Bytes    int64
}

// mayStart says whether part k may be started while the writer waits for
// part next and held bytes of parts fetched ahead are in memory: the next
// part always, another within Segments of it while under Bytes.
func (r ReadAhead) mayStart(k, next int, held int64) bool {
	return k == next || (k-next < r.Segments && held < r.Bytes)
}

// mayRead says whether the worker of part k may read more bytes: the
// next part's always, another's while under Bytes.
func (r ReadAhead) mayRead(k, next int, held int64) bool {
	return k == next || held < r.Bytes
}

// mayReserve says whether the worker of part k may take n bytes of the
// cap for it at once: the next part's always, another's when they fit or
// when nothing is held (a part larger than the cap still goes, alone).
func (r ReadAhead) mayReserve(k, next int, held, n int64) bool {
	return k == next || held == 0 || held+n <= r.Bytes
}

// window is the read-ahead shared by the writer and the workers of one
// fill: the part written next and the bytes held, with a wake-up for
// those who wait on either.
type window struct {
	lim ReadAhead

	mu   sync.Mutex
	next int
	held int64
	wake chan struct{} // closed and replaced when next or held change
}

func newWindow(lim ReadAhead, from int) *window {
	return &window{lim: lim, next: from, wake: make(chan struct{})}
}

// wait blocks until ok (called with w.mu held) or ctx ends.
func (w *window) wait(ctx context.Context, ok func() bool) error {
	for {
		w.mu.Lock()
		if ok() {
			w.mu.Unlock()
			return nil
		}
		wake := w.wake
		w.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

func (w *window) changedLocked() {
	close(w.wake)
	w.wake = make(chan struct{})
}

// waitStart waits until part k may be started.
func (w *window) waitStart(ctx context.Context, k int) error {
	return w.wait(ctx, func() bool { return w.lim.mayStart(k, w.next, w.held) })
}

// reserve waits until part k may take n bytes of the cap, and takes
// them; alive is called at each change meanwhile (waiting for the writer
// is not a stall).
func (w *window) reserve(ctx context.Context, k int, n int64, alive func()) error {
	return w.wait(ctx, func() bool {
		alive()
		if !w.lim.mayReserve(k, w.next, w.held, n) {
			return false
		}
		w.held += n
		w.changedLocked()
		return true
	})
}

// add counts n bytes of a part as held (negative: given back, a fetch
// that failed).
func (w *window) add(n int64) {
	w.mu.Lock()
	w.held += n
	w.changedLocked()
	w.mu.Unlock()
}

// written says part k, of n bytes held, is written: the writer waits for
// part k+1 next.
func (w *window) written(k int, n int64) {
	w.mu.Lock()
	w.next, w.held = k+1, w.held-n
	w.changedLocked()
	w.mu.Unlock()
}

// reader is the body of part k's answer, read only as the window allows.
// While it waits, alive is called at each change of the window (bytes
// of the next part arriving): waiting for the writer is not a stall.
type reader struct {
	ctx   context.Context
	w     *window
	k     int
	r     io.Reader
	alive func()
}

func (r *reader) Read(p []byte) (int, error) {
	err := r.w.wait(r.ctx, func() bool {
		r.alive()
		return r.w.lim.mayRead(r.k, r.w.next, r.w.held)
	})
	if err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
