package transfer

import (
	"context"
	"errors"
	"maps"
	"time"
)

// The ramp decides how many connections a download is split over. A
// fresh download starts on one connection (its first answer's) and
// measures its rate for rampSingle. A first connection already faster
// than SplitAbove stays alone. Otherwise the ramp climbs in steps: it
// opens connections up to the step's count (rampFirst, then twice as
// many each step, up to what the connection setting and the host's fair
// share allow), waits until every one of them delivers bytes, and
// measures them together. A step is kept while it raises the total — by
// rampGain over the single connection for the first step, by rampStepGain
// over the step before for the others — and the climb goes on; the first
// step that does not pay is shed (its connections closed) and the climb
// ends. A fast server on a fast link sheds the first step and goes on
// with one; a server that throttles each connection, or a far or lossy
// link, where each TCP connection's window is held by the round trip and
// the losses, keeps climbing to the cap.
//
// Each measure lasts at least rampRTTs times the time the step's new
// connections took to deliver their first bytes (a TCP and HTTP setup,
// about two round trips), so that on a far link the decision is taken
// over several round trips, not on one burst of slow start; on loopback
// that is nothing and the measure lasts rampTogether.
//
// The decision is made once per attempt; a retry measures again.
const (
	// rampSingle is short: while it runs, a throttled download uses one
	// connection of many (a connection's slow start only makes splitting
	// look better, never worse).
	rampSingle = 60 * time.Millisecond
	// rampTogether is the shortest measure of a step.
	rampTogether = 100 * time.Millisecond
	// rampRTTs scales a step's measure by its connections' setup time.
	rampRTTs = 2
	// rampLongest bounds a step's measure (a very slow setup).
	rampLongest = 2 * time.Second
	// rampFirst is the connections of the first step. Each step costs a
	// measure of several round trips: in the lab (scripts/netlab.sh) a
	// climb 1, 4, 8 took case a (100 ms RTT) from 0.90× to 0.66× the best
	// peer, against main's 1 to 8 at once.
	rampFirst = 8
	// rampGain is what the first step must beat the single connection by.
	rampGain = 1.3
	// rampStepGain is what each later step (twice the connections) must
	// beat the step before by.
	rampStepGain = 1.15
	// rampWait bounds the wait for a step's connections' first bytes: if
	// they do not all deliver by then, they are kept (no evidence) and the
	// climb ends.
	rampWait = 3 * time.Second
)

// errShed ends an extra connection the ramp found useless.
var errShed = errors.New("connection closed: fewer connections are as fast")

// rampNext is the connections of the step after one with n, when want
// are allowed: rampFirst, then twice as many, never above want.
func rampNext(n, want int) int {
	return min(max(rampFirst, 2*n), want)
}

// rampKeeps reports whether a step measured at after bytes per second
// beats the step before it (before; the single connection when first)
// by enough to keep its connections. No measure before (0) keeps them.
func rampKeeps(before, after float64, first bool) bool {
	gain := rampStepGain
	if first {
		gain = rampGain
	}
	return before <= 0 || after >= gain*before
}

// rampWindow is how long a step is measured when its connections took
// setup to deliver their first bytes.
func rampWindow(setup time.Duration) time.Duration {
	return min(max(rampTogether, rampRTTs*setup), rampLongest)
}

// ramp runs the climb for pool p (see above); wake makes the spawner try
// to add connections.
func (p *pool) ramp(wake func()) {
	j := p.j
	t0, b0 := time.Now(), j.received()
	if !p.sleep(rampSingle) {
		return
	}
	rate := float64(j.received()-b0) / time.Since(t0).Seconds()
	if above := j.env.SplitAbove; above > 0 && rate >= float64(above) {
		return // not throttled per connection: more would only add work
	}
	defer wake() // the spawner adds more as slots free up, up to what the ramp allows
	for first := true; ; first = false {
		p.mu.Lock()
		before, old := p.workers, maps.Clone(p.extras)
		p.mu.Unlock()
		want, _, _ := j.wantConns()
		next := rampNext(before, want)
		if next <= before {
			p.allow(MaxRamp) // at the cap: the setting and the host decide
			return
		}
		p.allow(next)
		for p.spawnExtra() {
		}
		p.mu.Lock()
		added := p.workers > before
		p.mu.Unlock()
		if !added {
			p.allow(MaxRamp) // no slot or no work for more now
			return
		}
		setup, ok := p.waitFlowing()
		if !ok {
			p.allow(MaxRamp)
			return
		}
		t1, b1 := time.Now(), j.received()
		if !p.sleep(rampWindow(setup)) {
			return
		}
		after := float64(j.received()-b1) / time.Since(t1).Seconds()
		if !rampKeeps(rate, after, first) {
			p.shedNew(old, before)
			return
		}
		rate = after
	}
}

// waitFlowing waits until every connection delivers and returns how long
// that took; false when they did not by rampWait or the pool ended.
func (p *pool) waitFlowing() (time.Duration, bool) {
	t := time.Now()
	for !p.allFlowing() {
		if time.Since(t) > rampWait || !p.sleep(rampTogether/10) {
			return 0, false
		}
	}
	return time.Since(t), true
}

// MaxRamp is the number of connections the ramp allows once splitting
// proved useful: no limit of its own (the connection setting and the
// host's slots still apply).
const MaxRamp = 1 << 20

// allow sets the connections the ramp allows now.
func (p *pool) allow(n int) {
	p.mu.Lock()
	p.allowed = n
	p.mu.Unlock()
}

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

// shedNew closes the extra connections not in keep and allows allowed
// connections from now on: the pieces of those closed go back to the
// others.
func (p *pool) shedNew(keep map[*extraWorker]struct{}, allowed int) {
	p.mu.Lock()
	p.allowed = allowed
	var closing []*extraWorker
	for w := range p.extras {
		if _, ok := keep[w]; !ok {
			closing = append(closing, w)
			delete(p.extras, w)
		}
	}
	p.mu.Unlock()
	for _, w := range closing {
		w.cancel(errShed)
	}
}

// extraWorker is an extra connection the ramp may close.
type extraWorker struct {
	ctx    context.Context // cancelled (errShed) when the ramp sheds it
	cancel context.CancelCauseFunc
	lane   int // its transport (lanes.go)
}

// shedded reports whether err ended a worker the ramp closed.
func (w *extraWorker) shedded() bool {
	return w != nil && errors.Is(context.Cause(w.ctx), errShed)
}
