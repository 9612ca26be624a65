package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/schedule"
)

// nightQueue saves a queue window of 01:00–07:00 every day.
func nightQueue(p fyne.Preferences) {
	p.SetBool(prefQueueOn, true)
	p.SetInt(prefQueueStart, 60)
	p.SetInt(prefQueueEnd, 7*60)
	p.SetInt(prefQueueDays, int(schedule.Everyday))
}

func TestScheduleHoldsTheQueueUntilItsWindow(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nightQueue)
	h.until("the schedule in the status bar", func() bool {
		return strings.Contains(text(h.u.status.text), "Queue paused until 01:00")
	})
	// Added while the window is closed: paused, not started.
	h.u.addText(h.url("/hold/s1.bin")+"\n"+h.url("/hold/s2.bin"), "", "the test")
	s1, s2 := h.idByName("s1.bin"), h.idByName("s2.bin")
	h.waitState(s1, engine.Paused)
	h.waitState(s2, engine.Paused)
	if held := h.app.Preferences().StringList(prefHeld); len(held) != 2 {
		t.Errorf("held downloads saved: %q", held)
	}

	// 01:00 the next day, exactly: the queue starts.
	h.clock.Advance(time.Date(2026, 6, 2, 1, 0, 0, 0, zone))
	h.waitState(s1, engine.Active)
	h.waitState(s2, engine.Active)
	if st := text(h.u.status.text); strings.Contains(st, "Queue paused") {
		t.Errorf("status still says paused: %q", st)
	}
	if held := h.app.Preferences().StringList(prefHeld); len(held) != 0 {
		t.Errorf("held after the start: %q", held)
	}

	// 07:00: stopped again, and the status bar says until when.
	h.clock.Advance(time.Date(2026, 6, 2, 7, 0, 0, 0, zone))
	h.waitState(s1, engine.Paused)
	h.waitState(s2, engine.Paused)
	h.until("the status", func() bool { return strings.Contains(text(h.u.status.text), "Queue paused until 01:00") })
}

func TestScheduleChangeWhileRunningTakesEffectAtOnce(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nightQueue)
	h.u.addText(h.url("/hold/c1.bin"), "", "the test")
	c1 := h.idByName("c1.bin")
	h.waitState(c1, engine.Paused)
	// A download the user paused is not the schedule's to resume.
	h.u.applyDecision(h.u.desk.sched.dec) // no change: nothing resumes
	if h.state(c1) != engine.Paused {
		t.Fatal("an unchanged decision resumed the queue")
	}

	s := h.u.desk.set
	s.Plan.Queue.On = false
	s.Plan.Limit = schedule.Window{On: true, Start: 9 * 60, End: 18 * 60, Days: schedule.Everyday}
	s.Plan.LimitBytes = 500 << 10
	h.u.applyDesktopSettings(s)
	h.waitState(c1, engine.Active)
	h.until("the limit in the status bar", func() bool {
		return strings.Contains(text(h.u.status.text), "Limited to 500 KiB/s until 18:00")
	})
	if got := h.u.effectiveRate(h.u.set); got != 500<<10 {
		t.Errorf("rate in force = %d, want the schedule's 500 KiB/s", got)
	}
	// Saved with the other settings: a restart loads the same plan.
	if got := loadDesktopSettings(h.app.Preferences()).Plan; got != s.Plan {
		t.Errorf("saved plan = %+v, want %+v", got, s.Plan)
	}

	// 18:00: the limit of the settings applies again.
	h.clock.Advance(time.Date(2026, 6, 1, 18, 0, 0, 0, zone))
	h.until("the limit to end", func() bool { return !strings.Contains(text(h.u.status.text), "Limited") })
	if got := h.u.effectiveRate(h.u.set); got != 0 {
		t.Errorf("rate after 18:00 = %d, want unlimited", got)
	}
}

func TestHeldDownloadsResumeAfterARestart(t *testing.T) {
	// Haul quit while the schedule held a download; it starts again
	// inside the queue window and resumes what the schedule paused, and
	// only that.
	h := newDesktopHarness(t, time.Date(2026, 6, 2, 2, 0, 0, 0, zone), true, nil)
	h.u.addText(h.url("/hold/r1.bin")+"\n"+h.url("/hold/r2.bin"), "", "the test")
	r1, r2 := h.idByName("r1.bin"), h.idByName("r2.bin")
	h.waitState(r1, engine.Active)
	h.waitState(r2, engine.Active)
	h.tapMenu("Pause all")
	h.waitState(r1, engine.Paused)
	h.waitState(r2, engine.Paused)
	h.app.Preferences().SetStringList(prefHeld, []string{r1})
	h.u.desk.sched.held = map[string]bool{r1: true}
	h.u.desk.sched.have = false // as at a start
	h.u.applyDecision(h.u.desk.sched.runner.Decide())
	h.waitState(r1, engine.Active)
	if h.state(r2) != engine.Paused {
		t.Errorf("a download the user paused was resumed: %v", h.state(r2))
	}
}

func TestQuitWhenTheQueueEmpties(t *testing.T) {
	h := newDesktopHarness(t, noon, true, func(p fyne.Preferences) { p.SetInt(prefWhenEmpty, int(schedule.Quit)) })
	h.u.addText(h.url("/f/q1.bin")+"\n"+h.url("/f/q2.bin"), "", "the test")
	h.until("Haul to quit", func() bool { return h.quits > 0 })
	if h.u.model.sum.Completed != 2 || h.quits != 1 {
		t.Errorf("quit %d times with %d completed", h.quits, h.u.model.sum.Completed)
	}
}

func TestScheduleDialogSavesAndValidates(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	test.Tap(h.u.tools.settings)
	open := findButton(h.u.win.Canvas().Overlays().Top(), "Schedule and desktop…")
	if open == nil {
		t.Fatal("Settings has no Schedule and desktop button")
	}
	test.Tap(open)
	d := h.u.desk.schedDlg
	if d == nil || d.queue.on.Checked || d.limit.on.Checked || d.whenEmpty.Selected != "Do nothing" || !d.closeToTray.Checked || !d.notify.Checked || d.watchClipboard.Checked {
		t.Fatal("the schedule dialog does not show the defaults")
	}
	test.Tap(d.queue.on)
	d.queue.start.SetText("23:00")
	d.queue.end.SetText("25:00")
	test.Tap(d.saveBtn)
	if !d.problem.Visible() || !strings.Contains(d.problem.Text, "Queue: end") {
		t.Fatalf("a bad time is accepted; problem %q", d.problem.Text)
	}
	d.queue.end.SetText("07:00")
	for i := 5; i < 7; i++ { // Saturday and Sunday off
		d.queue.days[i].SetChecked(false)
	}
	test.Tap(d.limit.on)
	d.limitKiB.SetText("500")
	d.whenEmpty.SetSelected("Quit Haul")
	test.Tap(d.watchClipboard)
	test.Tap(d.saveBtn)

	got := loadDesktopSettings(h.app.Preferences())
	want := schedule.Plan{
		Queue:      schedule.Window{On: true, Start: 23 * 60, End: 7 * 60, Days: schedule.Weekdays},
		Limit:      schedule.Window{On: true, Start: 9 * 60, End: 18 * 60, Days: schedule.Weekdays},
		LimitBytes: 500 << 10,
		WhenEmpty:  schedule.Quit,
	}
	if got.Plan != want || !got.WatchClipboard || !h.u.watching.Load() {
		t.Errorf("saved %+v, want plan %+v and watching on", got, want)
	}
	h.until("the new plan in force", func() bool {
		return strings.Contains(text(h.u.status.text), "Queue paused until 23:00") && strings.Contains(text(h.u.status.text), "Limited to 500 KiB/s until 18:00")
	})
}

func TestScheduleNote(t *testing.T) {
	now := noon
	d := schedule.Decision{QueueRuns: false, QueueUntil: now.Add(3 * 24 * time.Hour), Limited: true, Limit: 0, LimitUntil: now.Add(6 * time.Hour)}
	if got := scheduleNote(d, now); got != "Queue paused until Thu 12:00  ·  Unlimited until 18:00" {
		t.Errorf("note = %q", got)
	}
	if got := scheduleNote(schedule.Decision{QueueRuns: true}, now); got != "" {
		t.Errorf("note with nothing in force = %q", got)
	}
}

// findButton is the button with this text in the tree of o, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
		return nil
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, c := range test.WidgetRenderer(w).Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}
