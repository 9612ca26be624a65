package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/haul-dl/haul/schedule"
)

// metaSchedule is the store's key of the schedule.
const metaSchedule = "schedule"

// The schedule (package schedule) is the engine's: its queue window says
// when queued downloads may start, its limit window which total speed
// limit is in force. While the queue window is closed nothing starts (a
// download added meanwhile waits queued) except by StartNow, and the
// downloads that were fetching when it closed go back to the queue; they
// start again, in the queue's order, when it opens. A download the user
// paused stays paused. The plan is kept in the state store, so `haul get`
// and the window follow the same one.

// loadSchedule reads the stored plan; none stored is the zero plan (the
// queue always runs, no limit window).
func (m *Manager) loadSchedule() (schedule.Plan, error) {
	var p schedule.Plan
	b, err := m.store.GetMeta(metaSchedule)
	if err != nil || b == nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return schedule.Plan{}, fmt.Errorf("reading the schedule: %w", err)
	}
	if err := p.Valid(); err != nil {
		return schedule.Plan{}, fmt.Errorf("reading the schedule: %w", err)
	}
	return p, nil
}

// startSchedule makes the schedule's runner, decides for now (before
// anything is started) and runs it under the Manager's context.
func (m *Manager) startSchedule(p schedule.Plan) {
	clock, loc := m.opt.Clock, m.opt.Location
	if clock == nil {
		clock = schedule.RealClock{}
	}
	if loc == nil {
		loc = time.Local
	}
	m.sched = schedule.NewRunner(clock, loc, p, m.applyDecision)
	m.mu.Lock()
	m.decideLocked(m.sched.Decide())
	m.mu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.sched.Run(m.ctx)
	}()
}

// Schedule returns the plan in force.
func (m *Manager) Schedule() schedule.Plan { return m.sched.Plan() }

// SetSchedule checks, stores and applies a new plan at once.
func (m *Manager) SetSchedule(p schedule.Plan) error {
	if err := p.Valid(); err != nil {
		return fmt.Errorf("engine: schedule: %w", err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("engine: schedule: %w", err)
	}
	if err := m.store.PutMeta(metaSchedule, b); err != nil {
		return fmt.Errorf("engine: saving the schedule: %w", err)
	}
	m.sched.Set(p)
	m.sched.ApplyNow() // in force before any later call
	return nil
}

// ScheduleDecision is what the schedule decided last: whether the queue
// runs, the limit in force and until when.
func (m *Manager) ScheduleDecision() schedule.Decision {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dec
}

// OnSchedule has f called with every decision of the schedule from now
// on, after the engine applied it, from the goroutine that made it (the
// schedule's own, or SetSchedule's caller): f must not block. nil stops
// it. One function is kept: a
// second call replaces the first. ScheduleDecision is the one in force.
func (m *Manager) OnSchedule(f func(schedule.Decision)) {
	m.mu.Lock()
	m.onSchedule = f
	m.mu.Unlock()
}

// applyDecision does what the schedule decided (the runner's apply).
func (m *Manager) applyDecision(dec schedule.Decision) {
	m.mu.Lock()
	m.decideLocked(dec)
	f := m.onSchedule
	m.unlock()
	if f != nil {
		f(dec)
	}
}

// decideLocked applies dec: the limit in force, and, when the queue
// window closes, the fetching downloads go back to the queue. Called
// with m.mu held.
func (m *Manager) decideLocked(dec schedule.Decision) {
	wasShut := m.shut
	m.dec, m.shut = dec, !dec.QueueRuns
	m.global.SetRate(m.rateLocked())
	switch {
	case m.shut && !wasShut:
		for _, d := range m.order {
			if d.state == Active && d.holdsSlot() {
				d.state = Queued
				d.run.cancel(errPause)
				m.touch(d)
			}
		}
	case wasShut && !m.shut:
		m.schedule() // the queue opened
	}
}

// rateLocked is the total speed limit in force: the schedule's inside
// its limit window, else the one set. Called with m.mu held.
func (m *Manager) rateLocked() int64 {
	if m.dec.Limited {
		return m.dec.Limit
	}
	return m.rate
}
