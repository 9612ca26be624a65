package transfer

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestShedClosesEveryExtraConnectionAndAllowsNoNewOne is the table of the
// ramp's shedding of every extra connection (pool.shedNew with none kept): every extra connection is cancelled with
// errShed, which its worker reads as "shed", not failed (shedded); the
// pool then allows one connection; a worker ended for another reason is
// never taken for shed.
func TestShedClosesEveryExtraConnectionAndAllowsNoNewOne(t *testing.T) {
	cases := []struct {
		name      string
		extras    int
		otherStop bool // one extra ended before the shed, for another reason
	}{
		{"no extra connection", 0, false},
		{"one extra connection", 1, false},
		{"seven extra connections", 7, false},
		{"an extra connection that failed first", 3, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &pool{allowed: MaxRamp, extras: map[*extraWorker]struct{}{}}
			var ws []*extraWorker
			for range tc.extras {
				ctx, cancel := context.WithCancelCause(context.Background())
				w := &extraWorker{ctx: ctx, cancel: cancel}
				ws = append(ws, w)
				p.extras[w] = struct{}{}
			}
			failed := errors.New("connection reset")
			if tc.otherStop {
				ws[0].cancel(failed)
			}
			p.shedNew(nil, 1) // every extra connection
			if p.allowed != 1 {
				t.Errorf("after the shed %d connections are allowed; want 1", p.allowed)
			}
			if n := len(p.extras); n != 0 {
				t.Errorf("%d extra connections still listed", n)
			}
			for i, w := range ws {
				if w.ctx.Err() == nil {
					t.Errorf("extra connection %d still runs", i)
				}
				wantShed := !(tc.otherStop && i == 0)
				if got := w.shedded(); got != wantShed {
					t.Errorf("extra connection %d: shedded = %v, want %v (cause %v)", i, got, wantShed, context.Cause(w.ctx))
				}
			}
			var first *extraWorker // the first connection is no extraWorker
			if first.shedded() {
				t.Error("the first connection was taken for shed")
			}
		})
	}
}

// TestAllFlowingCountsEveryWorker is the table of the ramp's wait for
// the extra connections: it measures them together only once every
// worker's piece received bytes since the worker took it.
func TestAllFlowingCountsEveryWorker(t *testing.T) {
	cases := []struct {
		name    string
		workers int
		pieces  []struct{ busy, flowing bool }
		want    bool
	}{
		{"every worker's piece delivers", 2, []struct{ busy, flowing bool }{{true, true}, {true, true}}, true},
		{"one worker's piece has not delivered yet", 2, []struct{ busy, flowing bool }{{true, true}, {true, false}}, false},
		{"a free piece that delivered earlier does not count", 2, []struct{ busy, flowing bool }{{true, true}, {false, true}}, false},
		{"a worker between pieces holds the measure back", 3, []struct{ busy, flowing bool }{{true, true}, {true, true}}, false},
		{"one worker alone", 1, []struct{ busy, flowing bool }{{true, true}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := &pieceSet{}
			for i, s := range tc.pieces {
				ps.pieces = append(ps.pieces, &Span{start: int64(i) * 100, pos: int64(i) * 100, end: int64(i+1) * 100, busy: s.busy, flowing: s.flowing})
			}
			j := &Job{ps: ps}
			p := &pool{j: j, workers: tc.workers}
			if got := p.allFlowing(); got != tc.want {
				t.Errorf("allFlowing = %v; want %v", got, tc.want)
			}
		})
	}
}

// TestRampClimbsByDoublingUpToTheSetting is the table of the ramp's
// steps (rampNext): rampFirst (8) connections first, then twice as many
// each step, never more than the setting allows; at the setting there is
// no next step.
func TestRampClimbsByDoublingUpToTheSetting(t *testing.T) {
	cases := []struct{ n, want, next int }{
		{1, 16, 8}, {8, 16, 16}, {16, 16, 16}, {1, 32, 8}, {8, 32, 16}, {16, 32, 32},
		{1, 8, 8}, {1, 4, 4}, {1, 2, 2}, {4, 16, 8}, {5, 16, 10}, {1, 1, 1},
	}
	for _, tc := range cases {
		if got := rampNext(tc.n, tc.want); got != tc.next {
			t.Errorf("rampNext(%d, %d) = %d; want %d", tc.n, tc.want, got, tc.next)
		}
	}
}

// TestRampKeepsAStepOnlyWhenItRaisesTheTotal is the table of the ramp's
// decision (rampKeeps): the first step must beat the single connection
// by rampGain, each later step the one before by rampStepGain; with no
// measure before (nothing arrived yet) the step is kept.
func TestRampKeepsAStepOnlyWhenItRaisesTheTotal(t *testing.T) {
	cases := []struct {
		name          string
		before, after float64
		first, keep   bool
	}{
		{"a throttled server: four connections, four times the rate", 1 << 20, 4 << 20, true, true},
		{"a fast server: four connections, the same rate", 100 << 20, 104 << 20, true, false},
		{"the first step gains a little, not enough", 10 << 20, 12 << 20, true, false},
		{"a later step gains what a first step would not need", 10 << 20, 12 << 20, false, true},
		{"a later step that does not raise the total", 40 << 20, 41 << 20, false, false},
		{"a later step that lowers it", 40 << 20, 30 << 20, false, false},
		{"nothing measured before", 0, 1 << 20, true, true},
	}
	for _, tc := range cases {
		if got := rampKeeps(tc.before, tc.after, tc.first); got != tc.keep {
			t.Errorf("%s: rampKeeps(%v, %v, %v) = %v; want %v", tc.name, tc.before, tc.after, tc.first, got, tc.keep)
		}
	}
}

// TestRampMeasuresOverSeveralRoundTrips is the table of a step's measure
// (rampWindow): on loopback (a setup of no time) it lasts rampTogether;
// on a far link rampRTTs times the connections' setup, so at 100 ms RTT
// (a setup of about two round trips) it spans several round trips; never
// more than rampLongest.
func TestRampMeasuresOverSeveralRoundTrips(t *testing.T) {
	ms := time.Millisecond
	cases := []struct{ setup, window time.Duration }{
		{0, rampTogether}, {2 * ms, rampTogether}, {50 * ms, rampTogether},
		{200 * ms, 400 * ms}, {300 * ms, 600 * ms}, {5 * time.Second, rampLongest},
	}
	for _, tc := range cases {
		if got := rampWindow(tc.setup); got != tc.window {
			t.Errorf("rampWindow(%v) = %v; want %v", tc.setup, got, tc.window)
		}
	}
}

// TestShedNewClosesOnlyTheStepsConnections: a step that does not pay
// closes the connections it opened and keeps those of the steps before.
func TestShedNewClosesOnlyTheStepsConnections(t *testing.T) {
	p := &pool{allowed: 8, extras: map[*extraWorker]struct{}{}}
	var ws []*extraWorker
	for range 7 {
		ctx, cancel := context.WithCancelCause(context.Background())
		w := &extraWorker{ctx: ctx, cancel: cancel}
		ws = append(ws, w)
		p.extras[w] = struct{}{}
	}
	keep := map[*extraWorker]struct{}{ws[0]: {}, ws[1]: {}, ws[2]: {}} // the first step's three
	p.shedNew(keep, 4)
	if p.allowed != 4 {
		t.Errorf("after the shed %d connections are allowed; want 4", p.allowed)
	}
	for i, w := range ws {
		if kept := i < 3; w.shedded() == kept || (w.ctx.Err() == nil) != kept {
			t.Errorf("extra connection %d: shedded %v, running %v; want kept %v", i, w.shedded(), w.ctx.Err() == nil, kept)
		}
	}
	if n := len(p.extras); n != 3 {
		t.Errorf("%d extra connections listed; want 3", n)
	}
}
