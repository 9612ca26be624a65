package schedule

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source of a Runner: the real clock in Haul, a fake
// one in tests.
type Clock interface {
	Now() time.Time
	// After delivers once when d has passed.
	After(d time.Duration) <-chan time.Time
}

// RealClock is the system clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// recheck bounds how long a Runner sleeps between decisions, so that a
// clock set forward or a resumed laptop is noticed within a minute.
const recheck = time.Minute

// Runner applies a Plan as time passes: it calls apply with the decision
// at start, after every Set, and whenever the decision changes. Calls to
// apply come from Run's goroutine, one at a time.
type Runner struct {
	clock Clock
	loc   *time.Location
	apply func(Decision)

	mu   sync.Mutex
	plan Plan
	wake chan struct{}

	// applying is held from a decision to the end of its apply, so that
	// a decision made later is never applied before an earlier one.
	applying sync.Mutex
}

// NewRunner returns a Runner of plan on clock, deciding on the wall
// clock of loc (time.Local in Haul).
func NewRunner(clock Clock, loc *time.Location, plan Plan, apply func(Decision)) *Runner {
	return &Runner{clock: clock, loc: loc, apply: apply, plan: plan, wake: make(chan struct{}, 1)}
}

// Set replaces the plan; the new decision is applied at once.
func (r *Runner) Set(p Plan) {
	r.mu.Lock()
	r.plan = p
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Plan is the plan in force.
func (r *Runner) Plan() Plan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.plan
}

// ApplyNow decides for now and applies that at once, from the caller's
// goroutine: after Set, the new plan is in force when it returns.
func (r *Runner) ApplyNow() {
	r.applying.Lock()
	defer r.applying.Unlock()
	r.apply(r.Decide())
}

// Decide is the decision of the current plan at the clock's now.
func (r *Runner) Decide() Decision {
	return r.Plan().At(r.clock.Now().In(r.loc))
}

// Run applies decisions until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	var last Decision
	first := true
	for {
		r.applying.Lock()
		d := r.Decide()
		// Applied on a change, and always after a Set or at start: the
		// end times the status bar shows may have moved.
		if first || !d.Same(last) || !d.QueueUntil.Equal(last.QueueUntil) || !d.LimitUntil.Equal(last.LimitUntil) {
			r.apply(d)
		}
		r.applying.Unlock()
		first, last = false, d
		wait := recheck
		if next := d.Next(); !next.IsZero() {
			wait = min(max(next.Sub(r.clock.Now()), 0), recheck)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
			first = true
		case <-r.clock.After(wait):
		}
	}
}
