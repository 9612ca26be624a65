package transfer

import (
	"context"
	"errors"
	"time"
)

// The ramp decides whether splitting a download over several connections
// helps. A fresh download starts on one connection (its first answer's);
// it measures that connection's rate for rampSingle, opens every extra
// connection allowed at once, waits until each of them delivers bytes and
// measures them together for rampTogether. If the connections together do not beat the single one
// by rampGain — a fast server on a fast link, where more connections only
// add work for the CPU and the disk — the extra ones are closed and the
// download goes on with one. A server that throttles each connection
// gains nearly N× and keeps them all.
//
// The decision is made once per attempt; a retry measures again.
const (
	// rampSingle is short: while it runs, a throttled download uses one
	// connection of many (a connection's slow start only makes splitting
	// look better, never worse).
	rampSingle   = 60 * time.Millisecond
	rampTogether = 100 * time.Millisecond
	rampGain     = 1.3
	// rampWait bounds the wait for the extra connections' first bytes: if
	// they do not all deliver by then, they are kept (no evidence).
	rampWait = 3 * time.Second
)

// errShed ends an extra connection the ramp found useless.
var errShed = errors.New("connection closed: one connection is as fast")

// ramp runs the measurement for pool p (see above); wake makes the
// spawner try to add connections.
func (p *pool) ramp(wake func()) {
	j := p.j
	t0, b0 := time.Now(), j.received()
	if !p.sleep(rampSingle) {
		return
	}
	single := float64(j.received()-b0) / time.Since(t0).Seconds()
	if above := j.env.SplitAbove; above > 0 && single >= float64(above) {
		return // not throttled per connection: more would only add work
	}
	p.mu.Lock()
	p.allowed = MaxRamp
	p.mu.Unlock()
	for p.spawnExtra() {
	}
	wake() // the spawner adds more as slots free up
	// Wait until every connection delivers, then measure them together.
	deadline := time.Now().Add(rampWait)
	for !p.allFlowing() {
		if time.Now().After(deadline) || !p.sleep(rampTogether/10) {
			return
		}
	}
	if p.extraCount() == 0 {
		return
	}
	t1, b1 := time.Now(), j.received()
	if !p.sleep(rampTogether) {
		return
	}
	together := float64(j.received()-b1) / time.Since(t1).Seconds()
	if single > 0 && together < rampGain*single {
		p.shed()
	}
}

// MaxRamp is the number of connections the ramp allows once splitting
// proved useful: no limit of its own (the connection setting and the
// host's slots still apply).
const MaxRamp = 1 << 20

// sleep waits for d; false if the pool ended meanwhile.
func (p *pool) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-p.none:
		return false
	case <-p.ctx.Done():
		return false
	}
}

// allFlowing reports whether every worker's current piece has received
// bytes since the worker took it.
func (p *pool) allFlowing() bool {
	p.mu.Lock()
	n := p.workers
	p.mu.Unlock()
	return p.j.pieces().flowing() >= n
}

func (p *pool) extraCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.extras)
}

// shed closes every extra connection and allows no new one: their pieces
// go back to the remaining connection.
func (p *pool) shed() {
	p.mu.Lock()
	p.allowed = 1
	extras := p.extras
	p.extras = map[*extraWorker]struct{}{}
	p.mu.Unlock()
	for w := range extras {
		w.cancel(errShed)
	}
}

// extraWorker is an extra connection the ramp may close.
type extraWorker struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// shedded reports whether err ended a worker the ramp closed.
func (w *extraWorker) shedded() bool {
	return w != nil && errors.Is(context.Cause(w.ctx), errShed)
}
