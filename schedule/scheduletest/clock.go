// Package scheduletest has a schedule.Clock for tests: it moves only when
// the test says, so schedules are tested at exact minutes without waiting.
package scheduletest

import (
	"sync"
	"time"
)

// Clock is a manual clock; the zero value is not usable, use NewClock.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	slept   chan struct{}
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock {
	return &Clock{now: t, slept: make(chan struct{}, 1000)}
}

// Now is part of schedule.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After is part of schedule.Clock: the channel delivers once Advance
// reaches now+d, at once when d is not positive.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now // due already, as with time.After
	} else {
		c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	}
	select {
	case c.slept <- struct{}{}:
	default: // nobody is counting
	}
	return ch
}

// Slept delivers once for each call of After, so a test can wait until
// the code under test is asleep before moving the clock.
func (c *Clock) Slept() <-chan struct{} { return c.slept }

// Advance moves the clock to t and wakes those whose time has come.
func (c *Clock) Advance(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- t
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}
