package gui

import (
	"fmt"
	"sort"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/schedule"
)

// scheduler applies the schedule's decisions to the engine.
//
// The engine has no switch that stops it starting queued downloads
// (SetMaxActive keeps at least one running), so a closed queue window
// pauses the downloads that are active or queued, remembers them in
// held (saved in the preferences, so a restart inside the window keeps
// them paused and one after it resumes them), and pauses downloads added
// while it is closed too. When the window opens, exactly those are
// resumed: a download the user paused stays paused.
type scheduler struct {
	runner *schedule.Runner
	dec    schedule.Decision
	have   bool // dec has been applied
	held   map[string]bool
}

// startScheduler loads the held downloads and runs the schedule under
// the UI's context. UI goroutine only.
func (u *UI) startScheduler() {
	d := u.desk
	s := &scheduler{held: map[string]bool{}}
	for _, id := range u.app.Preferences().StringList(prefHeld) {
		s.held[id] = true
	}
	s.runner = schedule.NewRunner(d.opt.Clock, d.opt.Location, d.set.Plan, func(dec schedule.Decision) {
		u.post(func() { u.applyDecision(dec) })
	})
	d.sched = s
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		s.runner.Run(u.ctx)
	}()
}

// applyDecision does what the schedule decided. UI goroutine only.
func (u *UI) applyDecision(dec schedule.Decision) {
	s := u.desk.sched
	first, prev := !s.have, s.dec
	s.dec, s.have = dec, true
	if first || prev.QueueRuns != dec.QueueRuns {
		if dec.QueueRuns {
			u.releaseQueue()
		} else {
			u.holdQueue()
		}
	}
	rate := u.effectiveRate(u.set)
	u.enqueue(func() { u.m.SetRateLimit(rate) })
	u.showSummary()
}

// holdQueue pauses every active or queued download for the schedule.
// UI goroutine only.
func (u *UI) holdQueue() {
	var ids []string
	for _, id := range u.model.order {
		if st, ok := u.model.snapshot(id); ok && (st.State == engine.Active || st.State == engine.Queued) {
			ids = append(ids, id)
		}
	}
	u.hold(ids)
}

// holdAdded pauses new downloads while the queue window is closed. UI
// goroutine only.
func (u *UI) holdAdded(added []string) {
	s := u.desk.sched
	if s == nil || !s.have || s.dec.QueueRuns {
		return
	}
	var ids []string
	for _, id := range added {
		if st, ok := u.model.snapshot(id); ok && (st.State == engine.Active || st.State == engine.Queued) {
			ids = append(ids, id)
		}
	}
	u.hold(ids)
}

func (u *UI) hold(ids []string) {
	if len(ids) == 0 {
		return
	}
	s := u.desk.sched
	for _, id := range ids {
		s.held[id] = true
	}
	u.saveHeld()
	u.enqueue(func() {
		for _, id := range ids {
			_ = u.m.Pause(id) // one that finished meanwhile cannot be paused: fine
		}
	})
}

// releaseQueue resumes the downloads the schedule paused. UI goroutine
// only.
func (u *UI) releaseQueue() {
	s := u.desk.sched
	if len(s.held) == 0 {
		return
	}
	ids := make([]string, 0, len(s.held))
	for id := range s.held {
		ids = append(ids, id)
	}
	clear(s.held)
	u.saveHeld()
	// In the list's order, so the queue starts as it was.
	sort.Slice(ids, func(i, j int) bool { return u.model.index(ids[i]) < u.model.index(ids[j]) })
	u.enqueue(func() {
		for _, id := range ids {
			if st, ok := u.m.Get(id); ok && st.State == engine.Paused {
				_ = u.m.Resume(id)
			}
		}
	})
}

func (u *UI) saveHeld() {
	ids := make([]string, 0, len(u.desk.sched.held))
	for id := range u.desk.sched.held {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	u.app.Preferences().SetStringList(prefHeld, ids)
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
