package segmented

import (
	"github.com/haul-dl/haul/engine/internal/transfer"

	"context"
	"sync"
)

// fetched is one part's bytes, or why it could not be fetched.
type fetched struct {
	data []byte
	err  error
}

// fetchTask is one part for a worker, and where its bytes go.
type fetchTask struct {
	k   int
	out chan fetched
}

// fetchAhead fetches parts[from:] over one worker per connection the
// download may use (the first on the attempt's slot, the others on free
// slots of the host, coming and going as the connection setting
// changes), at most a few parts ahead of the writer. It returns, in part
// order, a channel per part that delivers it, and the window the writer
// moves as it writes them (see ReadAhead); stop ends the workers and
// waits for them.
func (p *Protocol) fetchAhead(ctx context.Context, j *transfer.Job, parts []part, from int) (<-chan chan fetched, *window, func()) {
	ctx, cancel := context.WithCancel(ctx)
	want, _, _ := j.WantConns()
	lim := p.ReadAhead
	if lim.Segments <= 0 {
		lim.Segments = 2 * max(want, 4)
	}
	if lim.Bytes <= 0 {
		lim.Bytes = DefaultReadAheadBytes
	}
	win := newWindow(lim, from)
	order := make(chan chan fetched, lim.Segments+1) // the window bounds what waits
	tasks := make(chan fetchTask)
	fed := make(chan struct{})
	w := &fetchWorkers{p: p, j: j, parts: parts, ctx: ctx, tasks: tasks, win: win}
	w.wg.Add(2)
	go func() {
		defer w.wg.Done()
		defer close(fed)
		defer close(tasks)
		for k := from; k < len(parts); k++ {
			if win.waitStart(ctx, k) != nil {
				return
			}
			out := make(chan fetched, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return
			}
			select {
			case tasks <- fetchTask{k, out}:
			case <-ctx.Done():
				return
			}
		}
	}()
	w.start(nil) // on the attempt's slot, which the pool's worker holds
	go func() {  // more workers when the setting or a freed slot allows
		defer w.wg.Done()
		for {
			_, global, own := j.WantConns()
			freed := j.SlotFreed()
			for w.more() {
			}
			select {
			case <-global:
			case <-own:
			case <-freed:
			case <-fed:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return order, win, func() { cancel(); w.wg.Wait() }
}

// fetchWorkers are the connections of fetchAhead.
type fetchWorkers struct {
	p     *Protocol
	j     *transfer.Job
	parts []part
	ctx   context.Context
	tasks chan fetchTask
	win   *window
	wg    sync.WaitGroup

	mu sync.Mutex
	n  int // workers running
}

// more starts a worker if the download wants more connections and the
// host has a fair free slot.
func (w *fetchWorkers) more() bool {
	want, _, _ := w.j.WantConns()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n >= want {
		return false
	}
	slot := w.j.TrySlot(w.n)
	if slot == nil {
		return false
	}
	w.startLocked(slot)
	return true
}

func (w *fetchWorkers) start(slot *transfer.Slot) {
	w.mu.Lock()
	w.startLocked(slot)
	w.mu.Unlock()
}

// startLocked runs a worker: the first (slot nil) is counted as a
// connection by the pool already; an extra one leaves, giving its slot
// back, when the user lowers the connection count.
func (w *fetchWorkers) startLocked(slot *transfer.Slot) {
	w.n++
	extra := slot != nil
	if extra {
		w.j.Joined(1)
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		if extra {
			defer w.j.Joined(-1)
			defer slot.Release()
		}
		for t := range w.tasks {
			b, err := w.p.fetchPart(w.ctx, w.j, &w.parts[t.k], w.win, t.k)
			t.out <- fetched{b, err}
			if extra && w.tooMany() {
				return
			}
		}
		w.mu.Lock()
		w.n--
		w.mu.Unlock()
	}()
}

// tooMany counts a leaving worker out when there are more than wanted.
func (w *fetchWorkers) tooMany() bool {
	want, _, _ := w.j.WantConns()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n > want {
		w.n--
		return true
	}
	return false
}
