package gui

import (
	"fmt"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/schedule"
)

// scheduler is the window's view of the engine's schedule: the engine
// owns the plan (stored with the download list, so `haul get` follows it
// too) and applies it; the window edits the plan and shows what the last
// decision does, in the status bar. UI goroutine only.
type scheduler struct {
	plan schedule.Plan     // the engine's plan, as last read or saved
	dec  schedule.Decision // the engine's last decision
	have bool              // dec has been received
}

// startScheduler reads the engine's plan, moves a plan that an older
// Haul kept in the preferences into the engine (once), and follows the
// engine's decisions. UI goroutine only.
func (u *UI) startScheduler() {
	s := &scheduler{plan: u.m.Schedule()}
	u.desk.sched = s
	if old, ok := storedPlan(u.app.Preferences()); ok {
		s.plan = old
		held := u.app.Preferences().StringList(prefHeld)
		u.enqueue(func() {
			if err := u.m.SetSchedule(old); err != nil {
				u.post(func() { u.showError(fmt.Errorf("moving the schedule to the download list: %w", err)) })
				return
			}
			// Paused by the window's old schedule: the engine's keeps
			// them queued while its queue window is closed.
			for _, id := range held {
				if st, ok := u.m.Get(id); ok && st.State == engine.Paused {
					_ = u.m.Resume(id)
				}
			}
			u.post(func() { forgetStoredPlan(u.app.Preferences()) })
		})
	}
	u.m.OnSchedule(func(dec schedule.Decision) {
		u.post(func() { u.applyDecision(dec) })
	})
	u.applyDecision(u.m.ScheduleDecision())
}

// applyDecision shows what the engine's schedule decided. UI goroutine
// only.
func (u *UI) applyDecision(dec schedule.Decision) {
	s := u.desk.sched
	s.dec, s.have = dec, true
	u.showSummary()
}

// setPlan hands a new plan to the engine, which stores and applies it.
// UI goroutine only.
func (u *UI) setPlan(p schedule.Plan) {
	u.desk.sched.plan = p
	u.engineCall("Saving the schedule", func() error { return u.m.SetSchedule(p) })
}

// scheduleNote says what the schedule does now, for the status bar:
// "Queue paused until 01:00", "Limited to 500 KiB/s until 18:00". It is
// "" when the schedule changes nothing at the moment.
func scheduleNote(d schedule.Decision, now time.Time) string {
	var notes []string
	if !d.QueueRuns {
		notes = append(notes, "Queue paused"+until(d.QueueUntil, now))
	}
	if d.Limited {
		if d.Limit > 0 {
			notes = append(notes, fmt.Sprintf("Limited to %s", human.Speed(float64(d.Limit)))+until(d.LimitUntil, now))
		} else {
			notes = append(notes, "Unlimited"+until(d.LimitUntil, now))
		}
	}
	out := ""
	for i, n := range notes {
		if i > 0 {
			out += "  ·  "
		}
		out += n
	}
	return out
}

// until is " until 18:00", with the day when it is not within the next
// 24 hours (" until Mon 01:00"), or "" for never.
func until(t, now time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.Sub(now) < 24*time.Hour:
		return " until " + t.Format("15:04")
	}
	return " until " + t.Format("Mon 15:04")
}
