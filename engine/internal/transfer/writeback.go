package transfer

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
)

// WritebackStep is how many bytes a download writes to its .part file
// before it asks the kernel to start writing the file's dirty pages to
// disk (see HintWriteback). The disk then works while the data arrives,
// and the checkpoints' and the completion's fsync have little left to
// do. A file smaller than this never asks.
const WritebackStep = 16 << 20

// WritebackHinter is a File that can ask for its dirty pages to start
// going to disk now, without waiting for them. A File that wraps another
// (Env.WrapFile) implements it to pass the hint on (see HintWriteback);
// a wrapper that does not simply gets no hints.
type WritebackHinter interface {
	HintWriteback()
}

// HintWriteback asks the kernel to start writing all of f's dirty pages
// to disk, without waiting (on Linux, sync_file_range with
// SYNC_FILE_RANGE_WRITE over the whole file; nothing elsewhere). It is
// only a hint: it never blocks on the disk's work finishing, its error is
// ignored, and nothing is claimed on the strength of it — checkpoints and
// the completion still flush with fsync first. A WritebackHinter gets the
// call; an *os.File gets the system call; any other File nothing.
func HintWriteback(f File) {
	switch f := f.(type) {
	case WritebackHinter:
		f.HintWriteback()
	case *os.File:
		startWriteback(f)
	}
}

// writeback issues a job's writeback hints from a goroutine of its own,
// off the connections' copy loops: a hint can take as long as the disk
// needs to accept the pages, and the connections keep reading meanwhile.
// The goroutine starts with the first hint, so a small file costs
// nothing but an atomic add per write.
type writeback struct {
	pending atomic.Int64 // bytes written since the last hint was asked for
	kick    chan File    // the file to hint; one waiting hint at most

	mu      sync.Mutex
	ctx     context.Context // nil outside a Run: no hints
	started bool
	done    chan struct{}
}

// during lets the job's writes ask for hints until the returned stop is
// called (or ctx ends); stop waits for a hint in progress.
func (w *writeback) during(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	w.mu.Lock()
	w.ctx, w.started = ctx, false
	w.kick, w.done = make(chan File, 1), make(chan struct{})
	done := w.done
	w.mu.Unlock()
	return func() {
		cancel()
		w.mu.Lock()
		started := w.started
		w.ctx = nil
		w.mu.Unlock()
		if started {
			<-done
		}
	}
}

// wrote counts n bytes just written to f, and asks for a hint of f when
// another WritebackStep bytes have been written since the last one. It
// never blocks: a hint asked for while one is waiting is the same hint.
func (w *writeback) wrote(f File, n int64) {
	p := w.pending.Add(n)
	if p < WritebackStep || !w.pending.CompareAndSwap(p, 0) {
		return // not enough yet, or another writer asks for this one
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ctx == nil || w.ctx.Err() != nil {
		return
	}
	if !w.started {
		w.started = true
		go w.loop(w.ctx, w.kick, w.done)
	}
	select {
	case w.kick <- f:
	default: // a hint is waiting already: it covers these bytes too
	}
}

func (w *writeback) loop(ctx context.Context, kick <-chan File, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-kick:
			HintWriteback(f)
		}
	}
}
