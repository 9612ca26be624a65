package engine

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

// start launches the transfer of one download with a copy of its inputs.
// Called with m.mu held.
func (m *Manager) start(d *download) {
	ctx, cancel := context.WithCancelCause(m.ctx)
	r := &runState{cancel: cancel, done: make(chan struct{})}
	d.run = r
	m.live[d] = struct{}{}
	m.running++
	d.state = Active
	d.problem, d.retry = Problem{}, nil
	d.lastRecv, d.lastTick, d.speed = d.received.Load(), time.Now(), 0
	d.hist.begin(d.lastTick, d.lastRecv)
	m.touch(d)
	m.persistLocked(d)
	u := *d.url
	spec := transfer.Spec{
		URL: &u, Header: d.header.Clone(), Dir: d.dir, Name: d.name, Fixed: d.nameFixed,
		Explicit: d.explicit, Checksum: d.checksum, Limits: d.limits, KindBase: d.kindBase,
	}
	if d.nameFixed && d.res.Pieces != nil {
		res := d.res
		res.Pieces = slices.Clone(d.res.Pieces)
		spec.Resume = &res
	}
	rep := &reporter{m: m, d: d, r: r}
	proto, quality := d.proto, d.quality
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(r.done)
		// The run's context goes with the run: until cancelled, a child
		// context stays listed in the Manager's, with the contexts of the
		// transfer under it, for as long as the Manager is open.
		defer cancel(nil)
		res, err := transfer.Run(ctx, m.env, spec, protocol(proto, quality), rep)
		if next := streamProto(err); next != "" && proto != next && ctx.Err() == nil {
			// The server said the link is an HLS playlist or a DASH
			// manifest: from now on the download is a stream (nothing was
			// written yet).
			m.mu.Lock()
			if d.run == r {
				d.proto = next
				m.touch(d)
				m.persistLocked(d)
			}
			m.mu.Unlock()
			res, err = transfer.Run(ctx, m.env, spec, protocol(next, quality), rep)
		}
		m.finish(ctx, d, r, res, err)
	}()
}

// finish records how a run ended. The download counts as running until
// the partial file it gives up is deleted, so whoever waits for it finds
// the folder as the new state says.
func (m *Manager) finish(ctx context.Context, d *download, r *runState, res transfer.Result, err error) {
	cause := context.Cause(ctx)
	m.mu.Lock()
	d.conn.Store(0)
	d.retry, d.placing = nil, ""
	m.endAttemptLocked(d, res, err, cause)
	switch {
	case err == nil:
		delete(m.reserved, nameKey(d.dir, d.name))
		delete(m.reserved, nameKey(d.dir, res.Name))
		d.state, d.problem, d.name = Completed, Problem{}, res.Name
		d.res.Total, d.res.Pieces, d.res.State = res.Total, nil, nil
		if res.Warning != "" {
			d.res.Warning = joinWarn(d.res.Warning, res.Warning)
		}
		d.received.Store(res.Total)
	case errors.Is(cause, errCancel), d.state == Canceled: // canceled while it stopped
		m.discardLocked(d)
	case errors.Is(cause, errRemove):
		if d.state != Completed {
			m.discardLocked(d)
		}
	case errors.Is(cause, errPause), errors.Is(cause, errShutdown):
		// state was set by whoever stopped it (Paused, Queued or Active).
	default:
		d.state, d.problem = Failed, problemOf(err)
		var ie *IntegrityError
		if errors.As(err, &ie) || errors.Is(err, transfer.ErrFolderGone) {
			// Bytes that failed verification are worth nothing, and a
			// deleted folder took them: a retry starts from zero.
			m.discardLocked(d)
		}
	}
	m.unlock() // deletes the partial file, if it goes
	if m.finishGap != nil {
		m.finishGap(d.id)
	}

	m.mu.Lock()
	if d.state == Canceled && d.nameFixed {
		// Canceled in the gap, when only a dead context heard it: the
		// partial file goes too, before the run ends.
		m.discardLocked(d)
		m.unlock()
		m.mu.Lock()
	}
	defer m.unlock()
	d.run = nil
	delete(m.live, d)
	if r.finishing {
		m.finishing--
	} else {
		m.running--
	}
	if _, listed := m.byID[d.id]; !listed {
		if d.state != Completed && d.nameFixed {
			m.discardLocked(d) // removed meanwhile
		}
		m.broadcastLocked()
		m.schedule()
		return
	}
	if d.state != Completed {
		var got int64
		for _, p := range d.res.Pieces {
			got += p.Pos - p.Start
		}
		d.received.Store(got)
	}
	d.refreshFinished()
	m.touch(d)
	m.persistLocked(d)
	m.startNowIfAsked(d, r)
	m.schedule()
}

// reporter is how one run of a transfer tells the manager what happens.
// Each call takes the manager's lock only for in-memory bookkeeping.
type reporter struct {
	m *Manager
	d *download
	r *runState
}

func (p *reporter) Progress(n int64) { p.d.received.Store(n) }

// Segments is a stream's progress (see transfer.Reporter).
func (p *reporter) Segments(done, total int, estimate int64) {
	p.d.segs.Store(int64(done)<<32 | int64(total))
	p.d.estimate.Store(estimate)
}
func (p *reporter) Connections(n int) { p.d.conn.Store(int32(n)) }

// Fetching gives the run's slot back while its file is finished (flushed,
// placed, its folder flushed): another download can start fetching
// meanwhile. The download stays Active until the file is in place; no
// new download starts while twice MaxActive have a run, finishing ones
// included (see schedule). A run whose finishing failed and that tries
// again takes a slot again, even if that puts one more over the limit for
// a moment (see transfer.Reporter.Fetching).
func (p *reporter) Fetching(on bool) {
	p.m.mu.Lock()
	defer p.m.unlock()
	if p.d.run != p.r || p.r.finishing == !on {
		return
	}
	p.r.finishing = !on
	p.m.touch(p.d)
	if on {
		p.m.running++
		p.m.finishing--
		return
	}
	p.m.running--
	p.m.finishing++
	p.m.schedule()
}

// current reports whether the run is still the download's (called with
// the lock held): a late report from a finished run is ignored.
func (p *reporter) current() bool {
	_, listed := p.m.byID[p.d.id]
	return p.d.run == p.r && listed
}

func (p *reporter) Learned(name string, r transfer.Resume) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.d.run != p.r {
		return
	}
	p.d.name, p.d.nameFixed, p.d.res = name, true, p.d.refreshLearned(r)
	p.d.received.Store(0)
	p.m.touch(p.d)
	if p.current() {
		p.m.persistLocked(p.d)
	}
}

func (p *reporter) Checkpoint(pieces []transfer.Piece, state []byte) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.d.run != p.r {
		return
	}
	p.d.res.Pieces, p.d.res.State = pieces, state
	if p.current() {
		p.m.persistLocked(p.d)
	}
}

// Placing records the final name the complete .part is about to take,
// with its pieces, and waits until the record is written: a crash from
// here on leaves a record that says where the file went (see
// takePlacedLocked).
func (p *reporter) Placing(name string, pieces []transfer.Piece) {
	p.m.mu.Lock()
	if !p.current() {
		p.m.mu.Unlock()
		return
	}
	p.d.placing, p.d.res.Pieces = name, pieces
	saved := p.m.waitSavedLocked(p.d)
	p.m.mu.Unlock()
	select {
	case <-saved:
	case <-p.m.ctx.Done(): // closing: the last flush writes it
	}
}

func (p *reporter) Retrying(info *transfer.RetryInfo) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if info == nil {
		p.d.retry = nil
	} else {
		p.d.retry = &RetryInfo{Attempt: info.Attempt, Of: info.Of, At: info.At, Problem: publicProblem(info.Problem)}
	}
	p.attemptRetrying(info)
	p.m.touch(p.d)
}

func (p *reporter) Taken(dir, name string) bool {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	return p.m.reserved[nameKey(dir, name)]
}

func (p *reporter) Reserve(dir, name string) bool {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	k := nameKey(dir, name)
	if p.m.reserved[k] {
		return false
	}
	p.m.reserved[k] = true
	return true
}

func (p *reporter) Release(dir, name string) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	delete(p.m.reserved, nameKey(dir, name))
}
