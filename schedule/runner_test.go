package schedule

import (
	"context"
	"testing"
	"time"

	"github.com/haul-dl/haul/schedule/scheduletest"
)

// runner runs a Runner of p from start and hands back its decisions.
type runner struct {
	t     *testing.T
	clock *scheduletest.Clock
	r     *Runner
	got   chan Decision
}

func startRunner(t *testing.T, start time.Time, p Plan) *runner {
	t.Helper()
	rr := &runner{t: t, clock: scheduletest.NewClock(start), got: make(chan Decision, 100)}
	rr.r = NewRunner(rr.clock, zone, p, func(d Decision) { rr.got <- d })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		rr.r.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return rr
}

// next is the next decision the runner applied.
func (rr *runner) next() Decision {
	rr.t.Helper()
	select {
	case d := <-rr.got:
		return d
	case <-time.After(10 * time.Second):
		rr.t.Fatal("the runner applied no decision")
		return Decision{}
	}
}

// sleep waits until the runner sleeps on the clock again.
func (rr *runner) sleep() {
	rr.t.Helper()
	select {
	case <-rr.clock.Slept():
	case <-time.After(10 * time.Second):
		rr.t.Fatal("the runner did not sleep")
	}
}

// none checks that nothing was applied while the runner went to sleep.
func (rr *runner) none() {
	rr.t.Helper()
	rr.sleep()
	select {
	case d := <-rr.got:
		rr.t.Fatalf("unexpected decision %+v", d)
	default:
	}
}

func TestRunnerStopsAndStartsTheQueueAtTheBoundaries(t *testing.T) {
	p := Plan{Queue: Window{On: true, Start: hm(23, 0), End: hm(7, 0), Days: Weekdays}}
	rr := startRunner(t, at(1, 22, 0), p) // Monday 22:00
	if d := rr.next(); d.QueueRuns || !d.QueueUntil.Equal(at(1, 23, 0)) {
		t.Fatalf("at start: %+v", d)
	}
	rr.sleep()
	rr.clock.Advance(at(1, 22, 30)) // the minute-long recheck: nothing changes
	rr.none()
	rr.clock.Advance(at(1, 23, 0)) // exactly the start minute
	if d := rr.next(); !d.QueueRuns || !d.QueueUntil.Equal(at(2, 7, 0)) {
		t.Fatalf("at 23:00: %+v", d)
	}
	rr.sleep()
	rr.clock.Advance(at(2, 7, 0)) // across midnight, exactly the end
	if d := rr.next(); d.QueueRuns {
		t.Fatalf("at Tuesday 07:00: %+v", d)
	}
}

func TestRunnerSetTakesEffectAtOnce(t *testing.T) {
	rr := startRunner(t, at(1, 12, 0), Plan{})
	if d := rr.next(); !d.QueueRuns || d.Limited {
		t.Fatalf("with no plan: %+v", d)
	}
	rr.sleep()
	// A limit from 09:00 to 18:00, set at noon, applies without waiting.
	rr.r.Set(Plan{Limit: Window{On: true, Start: hm(9, 0), End: hm(18, 0), Days: Everyday}, LimitBytes: 500 << 10})
	if d := rr.next(); !d.Limited || d.Limit != 500<<10 || !d.LimitUntil.Equal(at(1, 18, 0)) {
		t.Fatalf("after Set: %+v", d)
	}
	rr.sleep()
	rr.clock.Advance(at(1, 18, 0))
	if d := rr.next(); d.Limited || d.Limit != 0 {
		t.Fatalf("at 18:00: %+v", d)
	}
	rr.sleep()
	// Switched off while outside: the decision is the same, still applied.
	rr.r.Set(Plan{})
	if d := rr.next(); d.Limited || !d.LimitUntil.IsZero() {
		t.Fatalf("after switching off: %+v", d)
	}
}

// ApplyNow applies the new plan's decision before it returns, from the
// caller's goroutine.
func TestApplyNowAppliesTheNewPlanAtOnce(t *testing.T) {
	clock := scheduletest.NewClock(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	var applied []Decision
	closed := Plan{Queue: Window{On: true, Start: 60, End: 120, Days: Everyday}}
	r := NewRunner(clock, time.UTC, closed, func(d Decision) { applied = append(applied, d) })
	r.Set(Plan{})
	r.ApplyNow()
	if len(applied) != 1 || !applied[0].QueueRuns {
		t.Fatalf("after Set and ApplyNow the decisions applied are %+v; want one that lets the queue run", applied)
	}
}
