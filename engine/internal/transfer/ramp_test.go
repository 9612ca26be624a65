package transfer

import (
	"context"
	"errors"
	"testing"
)

// TestShedClosesEveryExtraConnectionAndAllowsNoNewOne is the table of the
// ramp's shedding (pool.shed): every extra connection is cancelled with
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
			p.shed()
			if p.allowed != 1 {
				t.Errorf("after the shed %d connections are allowed; want 1", p.allowed)
			}
			if n := p.extraCount(); n != 0 {
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
