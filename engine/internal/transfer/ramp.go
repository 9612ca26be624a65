package transfer

import (
	"context"
	"errors"
	"net/http/httptrace"
	"sync/atomic"
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
//
// On a far server (the first answer's time from request to first byte,
// about a round trip, above rampSingle/rampWindowRTTs) the single
// connection is measured in windows of rampWindowRTTs round trips until
// its rate stops growing by rampGrowth a window (TCP's slow start is
// over: the path is full, or the server caps the connection), for at most
// rampMaxRTTs; the connections together are measured for rampMaxRTTs/3. A
// window shorter than a round trip sees one burst of a connection still in
// slow start, so on a link where one connection fills the path the extra
// ones were always kept, each cut of a piece throwing away what the server
// had already sent (the network lab, scripts/netlab.sh: at 100 ms, 8
// connections made the server send 1.2-1.4x the file and lost to wget).
const (
	// rampSingle is short: while it runs, a throttled download uses one
	// connection of many (a connection's slow start only makes splitting
	// look better, never worse).
	rampSingle     = 60 * time.Millisecond
	rampTogether   = 100 * time.Millisecond
	rampWindowRTTs = 2
	rampMaxRTTs    = 30
	rampGrowth     = 1.25
	rampGain       = 1.3
	// rampWait bounds the wait for the extra connections' first bytes: if
	// they do not all deliver by then, they are kept (no evidence).
	rampWait = 3 * time.Second
)

// rampWindows are the ramp's times for a round trip of rtt (0: unknown):
// the single connection is measured in windows of window, for at most
// most; the connections together for together, once all of them deliver
// or wait has passed. A near server gets one window of rampSingle.
func rampWindows(rtt time.Duration) (window, most, together, wait time.Duration) {
	window = max(rampSingle, rampWindowRTTs*rtt)
	most = max(window, rampMaxRTTs*rtt)
	return window, most, max(rampTogether, rampMaxRTTs/3*rtt), max(rampWait, rampMaxRTTs*rtt)
}

// singleRate measures the first connection's rate (see above); false if
// the pool ended meanwhile.
func (p *pool) singleRate(window, most time.Duration) (float64, bool) {
	deadline := time.Now().Add(most)
	prev := 0.0
	for {
		t0, b0 := time.Now(), p.j.received()
		if !p.sleep(window) {
			return 0, false
		}
		rate := float64(p.j.received()-b0) / time.Since(t0).Seconds()
		if !time.Now().Before(deadline) || (prev > 0 && rate < rampGrowth*prev) {
			return rate, true
		}
		prev = rate
	}
}

// errShed ends an extra connection the ramp found useless.
var errShed = errors.New("connection closed: one connection is as fast")

// ramp runs the measurement for pool p (see above); wake makes the
// spawner try to add connections.
func (p *pool) ramp(wake func()) {
	j := p.j
	window, most, togetherFor, waitFor := rampWindows(time.Duration(j.rtt.Load()))
	single, ok := p.singleRate(window, most)
	if !ok {
		return
	}
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
	deadline := time.Now().Add(waitFor)
	for !p.allFlowing() {
		if time.Now().After(deadline) || !p.sleep(rampTogether/10) {
			return
		}
	}
	if p.extraCount() == 0 {
		return
	}
	t1, b1 := time.Now(), j.received()
	if !p.sleep(togetherFor) {
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

// timeAnswer returns ctx with a trace that records in j.rtt how long the
// answer took from the end of the request to its first byte.
func (j *Job) timeAnswer(ctx context.Context) context.Context {
	var wrote atomic.Int64 // the transport calls the two from different goroutines
	j.rtt.Store(0)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(time.Now().UnixNano()) },
		GotFirstResponseByte: func() {
			if w := wrote.Load(); w != 0 {
				j.rtt.Store(max(0, time.Now().UnixNano()-w))
			}
		},
	})
}
