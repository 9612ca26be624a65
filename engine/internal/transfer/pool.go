package transfer

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
)

// FetchFunc fills span s over one connection: from body when given (the
// first answer's, for the first span) or from a request of its own.
type FetchFunc func(ctx context.Context, s *Span, body io.ReadCloser, alive func()) error

// pool is the set of connections of one attempt. Each worker holds a
// host slot, released exactly once when it leaves; an idle worker takes
// an unowned piece or the second half of the largest one left. Extra
// workers come and go with the connection setting and the host's free
// slots.
type pool struct {
	j     *Job
	host  string
	fetch FetchFunc
	ctx   context.Context
	stop  context.CancelCauseFunc
	wg    sync.WaitGroup

	mu       sync.Mutex
	workers  int
	allowed  int                       // connections the ramp allows now (see ramp.go)
	extras   map[*extraWorker]struct{} // the extra connections running
	firstErr error
	drops    int           // connections that left after a transient failure (see dropOne)
	lanes    int           // extra connections started: each has a lane of its own (lanes.go)
	none     chan struct{} // closed when the last worker left
}

// Pool runs fetch over as many connections as the limits and the host
// allow (only one when extra is false) until every piece is filled or a
// worker fails. The first worker uses slot, and body for the first piece
// when body is not nil. It returns the first error.
func (j *Job) Pool(ctx context.Context, slot *Slot, body io.ReadCloser, alive func(), fetch FetchFunc, extra bool) error {
	wctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	p := &pool{j: j, host: j.spec.URL.Host, fetch: fetch, ctx: wctx, stop: stop, none: make(chan struct{}),
		allowed: 1, extras: map[*extraWorker]struct{}{}}
	ps := j.pieces()
	j.env.Hosts.join(p.host)
	defer j.env.Hosts.leave(p.host)
	var first *Span
	if body != nil {
		first = ps.first()
	}
	// Extra connections only for a file large enough to split (pieces
	// never grow, so a small one never needs a second connection).
	extra = extra && ps.hasWork(j.env.MinPiece)
	if want, _, _ := j.wantConns(); !extra || want < 2 {
		// One connection, and never another: it runs here, without a
		// goroutine of its own (what most small files get).
		p.mu.Lock()
		p.countInLocked()
		p.mu.Unlock()
		p.wg.Add(1) // work's Done
		p.work(slot, first, body, alive, nil)
		return p.firstErr
	}
	p.spawn(slot, first, body, alive)
	if want, _, _ := j.wantConns(); want > 1 { // still, as before the spawn
		ramped := make(chan struct{}, 1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.ramp(func() {
				select {
				case ramped <- struct{}{}:
				default:
				}
			})
		}()
		// Extra connections when the ramp allows them, and again whenever
		// the setting changes or a connection to this host is freed. The
		// wake-up channels are taken before trying, so no wake-up is
		// missed.
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for {
				_, global, own := j.wantConns()
				freed := j.env.Hosts.freedCh()
				for p.spawnExtra() {
				}
				select {
				case <-global:
				case <-own:
				case <-freed:
				case <-ramped:
				case <-p.none:
					return
				case <-wctx.Done():
					return
				}
			}
		}()
	}
	p.wg.Wait()
	return p.firstErr
}

// spawnExtra starts one more worker if the download wants more
// connections, some work is left and the host has a fair free slot.
func (p *pool) spawnExtra() bool {
	want, _, _ := p.j.wantConns()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.workers == 0 || p.workers >= min(want, p.allowed) || p.j.oneConn.Load() || !p.j.pieces().hasWork(p.j.env.MinPiece) {
		return false
	}
	slot := p.j.env.Hosts.tryTake(p.host, p.workers)
	if slot == nil {
		return false
	}
	p.startLocked(slot, nil, nil, nil, true)
	return true
}

func (p *pool) spawn(slot *Slot, s *Span, body io.ReadCloser, alive func()) {
	p.mu.Lock()
	p.startLocked(slot, s, body, alive, false)
	p.mu.Unlock()
}

func (p *pool) startLocked(slot *Slot, s *Span, body io.ReadCloser, alive func(), extra bool) {
	p.countInLocked()
	var w *extraWorker
	if extra {
		ctx, cancel := context.WithCancelCause(p.ctx)
		p.lanes++
		w = &extraWorker{ctx: ctx, cancel: cancel, lane: p.lanes}
		p.extras[w] = struct{}{}
	}
	p.wg.Add(1)
	go p.work(slot, s, body, alive, w)
}

// countInLocked counts a worker in, before it starts.
func (p *pool) countInLocked() {
	p.workers++
	p.j.rep.Connections(int(p.j.live.Add(1)))
}

// tooMany tells an extra worker to leave when the user lowered the
// connection count; it counts the leaving worker out at once.
func (p *pool) tooMany() bool {
	want, _, _ := p.j.wantConns()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.workers > min(want, p.allowed) {
		p.leaveLocked()
		return true
	}
	return false
}

func (p *pool) leaveLocked() {
	if p.workers--; p.workers == 0 {
		close(p.none)
	}
}

// dropOne reports whether a connection that failed with err may leave
// quietly rather than fail the attempt: the failure is transient (a drop,
// a reset, a stall), other connections still run, and fewer than
// maxDrops connections left this way in this attempt. Their bytes in
// flight are kept; a failing attempt would cancel all of them.
func (p *pool) dropOne(err error) bool {
	if again, _ := Retryable(err); !again || errors.Is(err, context.Canceled) || p.ctx.Err() != nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.workers < 2 || p.drops >= maxDrops {
		return false
	}
	p.drops++
	return true
}

// maxDrops bounds the connections of one attempt that leave after a
// transient failure while others go on (see dropOne): a server that
// drops every extra connection soon fails the attempt, which then waits
// its backoff.
const maxDrops = 8

// others reports whether workers other than the caller are running.
func (p *pool) others() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.workers > 1
}

func (p *pool) fail(err error) {
	p.mu.Lock()
	if p.firstErr == nil {
		p.firstErr = err
	}
	p.mu.Unlock()
	p.stop(err)
}

// work is one connection: fill pieces until none is left. w is set for
// an extra connection (the ramp may close it).
func (p *pool) work(slot *Slot, s *Span, body io.ReadCloser, alive func(), w *extraWorker) {
	defer p.wg.Done()
	defer slot.release()
	extra := w != nil
	// The ramp's shed (w.ctx) does not cancel a request: the worker
	// finishes the one it sent (see leaving), so that no bytes the server
	// already sent are thrown away. Its fetch runs under the pool's
	// context, on its own lane, and carries w for leaving.
	ctx := p.ctx
	if extra {
		ctx = context.WithValue(withLane(p.ctx, w.lane), leaveKey{}, w)
	}
	counted := true
	defer func() {
		p.j.rep.Connections(int(p.j.live.Add(-1)))
		p.mu.Lock()
		if extra {
			delete(p.extras, w)
			w.cancel(nil)
		}
		if counted {
			p.leaveLocked()
		}
		p.mu.Unlock()
	}()
	ps := p.j.pieces()
	for {
		if s == nil {
			if extra && p.tooMany() {
				counted = false
				return
			}
			if s = ps.next(p.j.env.MinPiece); s == nil {
				return
			}
		}
		if w.shedded() {
			ps.release(s)
			return
		}
		err := p.fetch(ctx, s, body, alive)
		body, alive = nil, nil
		ps.release(s)
		s = nil
		if w.shedded() && p.ctx.Err() == nil {
			return // shed by the ramp: the others take the rest of its piece
		}
		if err != nil {
			if errors.Is(err, errWrongRange) {
				if p.others() {
					// The server botches parallel ranges: the download goes
					// on over the other connections, and opens no more (an
					// attempt they leave unfinished is retried over one).
					p.j.oneConn.Store(true)
					return
				}
				if p.j.oneConn.Load() {
					// The server is known to botch parallel ranges, and
					// If-Range held: not a change, a retry over one.
					err = &botchedRange{err}
				}
			}
			if p.dropOne(err) {
				return // the others go on and take its piece; the spawner may open another
			}
			var se *StatusError
			if extra && errors.As(err, &se) && (se.Code == http.StatusServiceUnavailable || se.Code == http.StatusTooManyRequests) {
				return // the server wants fewer connections: leave it to the others
			}
			if p.ctx.Err() == nil || !errors.Is(err, context.Canceled) {
				p.fail(err)
			}
			return
		}
	}
}

// leaveKey carries an extra worker in its fetch's context (see leaving).
type leaveKey struct{}

// leaving reports whether the connection fetching under ctx was shed by
// the ramp: it sends no new request and leaves once the current one is
// done.
func leaving(ctx context.Context) bool {
	w, _ := ctx.Value(leaveKey{}).(*extraWorker)
	return w.shedded()
}
