package gui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

// nightPlan is the plan nightQueue saves.
var nightPlan = func() schedule.Plan {
	p := defaultPlan
	p.Queue.On = true
	return p
}()

// The engine holds the queue, not the window: links added while the
// queue window is closed wait queued (never started, never paused), and
// start at its opening. A plan an older Haul kept in the preferences
// moves into the engine once and leaves the preferences.
func TestScheduleHoldsTheQueueUntilItsWindow(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nightQueue)
	h.until("the schedule in the status bar", func() bool {
		return strings.Contains(text(h.u.status.text), "Queue paused until 01:00")
	})
	h.until("the plan to move into the engine", func() bool {
		_, inPrefs := storedPlan(h.app.Preferences())
		return h.m.Schedule() == nightPlan && !inPrefs
	})
	h.u.addText(h.url("/hold/s1.bin")+"\n"+h.url("/hold/s2.bin"), "", "the test")
	s1, s2 := h.idByName("s1.bin"), h.idByName("s2.bin")
	h.waitState(s1, engine.Queued)
	h.waitState(s2, engine.Queued)
	if got := h.m.List(); got[0].Received != 0 || got[1].Received != 0 {
		t.Errorf("downloads added while the queue is closed fetched bytes: %d, %d", got[0].Received, got[1].Received)
	}

	// 01:00 the next day, exactly: the queue starts.
	h.clock.Advance(time.Date(2026, 6, 2, 1, 0, 0, 0, zone))
	h.waitState(s1, engine.Active)
	h.waitState(s2, engine.Active)
	h.until("the status to drop the note", func() bool { return !strings.Contains(text(h.u.status.text), "Queue paused") })

	// 07:00: back in the queue, and the status bar says until when.
	h.clock.Advance(time.Date(2026, 6, 2, 7, 0, 0, 0, zone))
	h.waitState(s1, engine.Queued)
	h.waitState(s2, engine.Queued)
	h.until("the status", func() bool { return strings.Contains(text(h.u.status.text), "Queue paused until 01:00") })
}

func TestScheduleChangeWhileRunningTakesEffectAtOnce(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nightQueue)
	h.u.addText(h.url("/hold/c1.bin"), "", "the test")
	c1 := h.idByName("c1.bin")
	h.waitState(c1, engine.Queued)

	p := h.u.desk.sched.plan
	p.Queue.On = false
	p.Limit = schedule.Window{On: true, Start: 9 * 60, End: 18 * 60, Days: schedule.Everyday}
	p.LimitBytes = 500 << 10
	h.u.setPlan(p)
	h.waitState(c1, engine.Active)
	h.until("the limit in the status bar", func() bool {
		return strings.Contains(text(h.u.status.text), "Limited to 500 KiB/s until 18:00")
	})
	if got := h.m.Schedule(); got != p {
		t.Errorf("the engine's plan = %+v, want %+v", got, p)
	}

	// 18:00: the limit of the settings applies again.
	h.clock.Advance(time.Date(2026, 6, 1, 18, 0, 0, 0, zone))
	h.until("the limit to end", func() bool { return !strings.Contains(text(h.u.status.text), "Limited") })
}

// Downloads an older Haul's schedule had paused are resumed when its
// plan moves into the engine, which then keeps them queued while its
// window is closed; a download the user paused stays paused.
func TestHeldDownloadsMoveIntoTheEnginesQueue(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	h.u.addText(h.url("/hold/r1.bin")+"\n"+h.url("/hold/r2.bin"), "", "the test")
	r1, r2 := h.idByName("r1.bin"), h.idByName("r2.bin")
	h.waitState(r1, engine.Active)
	h.waitState(r2, engine.Active)
	h.tapMenu("Pause all")
	h.waitState(r1, engine.Paused)
	h.waitState(r2, engine.Paused)
	nightQueue(h.app.Preferences())
	h.app.Preferences().SetStringList(prefHeld, []string{r1})
	h.u.startScheduler() // as at the next start
	h.waitState(r1, engine.Queued)
	h.until("the preferences to forget the old schedule", func() bool {
		_, inPrefs := storedPlan(h.app.Preferences())
		return !inPrefs && len(h.app.Preferences().StringList(prefHeld)) == 0
	})
	if h.state(r2) != engine.Paused {
		t.Errorf("a download the user paused was resumed: %v", h.state(r2))
	}
	h.clock.Advance(time.Date(2026, 6, 2, 1, 0, 0, 0, zone))
	h.waitState(r1, engine.Active)
}

func TestQuitWhenTheQueueEmpties(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	h.u.setPlan(schedule.Plan{WhenEmpty: schedule.Quit})
	h.u.addText(h.url("/f/q1.bin")+"\n"+h.url("/f/q2.bin"), "", "the test")
	h.until("Haul to quit", func() bool { return h.quits > 0 })
	if h.u.model.sum.Completed != 2 || h.quits != 1 {
		t.Errorf("quit %d times with %d completed", h.quits, h.u.model.sum.Completed)
	}
}

// openScheduleTab opens Settings on its "Schedule & desktop" tab, and
// fails unless the schedule is there, in the one Settings dialog.
func openScheduleTab(t *testing.T, h *desktopHarness) *settingsDialog {
	t.Helper()
	test.Tap(h.u.tools.settings)
	s := h.u.setDlg
	if s == nil {
		t.Fatal("Settings did not open")
	}
	if n := len(h.u.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open, want Settings alone", n)
	}
	if s.tabs == nil || s.desk == nil {
		t.Fatal("Settings has no schedule tab")
	}
	var tab *container.TabItem
	for _, it := range s.tabs.Items {
		if it.Text == "Schedule & desktop" {
			tab = it
		}
	}
	if tab == nil {
		t.Fatal("Settings has no \"Schedule & desktop\" tab")
	}
	s.tabs.Select(tab)
	if min := s.dlg.MinSize(); min.Width > 900 || min.Height > 640 {
		t.Errorf("Settings with its schedule tab needs %v, more than a 960×640 window gives", min)
	}
	return s
}

func TestScheduleTabSavesAndValidates(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	s := openScheduleTab(t, h)
	d := s.desk
	if d.queue.on.Checked || d.limit.on.Checked || d.whenEmpty.Selected != "Do nothing" || !d.closeToTray.Checked || !d.notify.Checked || d.watchClipboard.Checked {
		t.Fatal("the schedule dialog does not show the defaults")
	}
	test.Tap(d.queue.on)
	d.queue.start.SetText("23:00")
	d.queue.end.SetText("25:00")
	s.tabs.SelectIndex(0)
	test.Tap(s.saveBtn)
	if !s.problem.Visible() || !strings.Contains(s.problem.Text, "Queue: end") {
		t.Fatalf("a bad time is accepted; problem %q", s.problem.Text)
	}
	if h.u.setDlg != s || s.tabs.Selected().Text != "Schedule & desktop" {
		t.Error("a bad time closed Settings or left the schedule tab hidden")
	}
	d.queue.end.SetText("07:00")
	for i := 5; i < 7; i++ { // Saturday and Sunday off
		d.queue.days[i].SetChecked(false)
	}
	test.Tap(d.limit.on)
	d.limitKiB.SetText("500")
	d.whenEmpty.SetSelected("Quit Haul")
	test.Tap(d.watchClipboard)
	test.Tap(s.saveBtn)
	if h.u.setDlg != nil {
		t.Error("Settings stayed open after Save")
	}

	got := loadDesktopSettings(h.app.Preferences())
	want := schedule.Plan{
		Queue:      schedule.Window{On: true, Start: 23 * 60, End: 7 * 60, Days: schedule.Weekdays},
		Limit:      schedule.Window{On: true, Start: 9 * 60, End: 18 * 60, Days: schedule.Weekdays},
		LimitBytes: 500 << 10,
		WhenEmpty:  schedule.Quit,
	}
	if !got.WatchClipboard || !h.u.watching.Load() {
		t.Errorf("saved %+v, want watching on", got)
	}
	h.until("the engine to have the plan", func() bool { return h.m.Schedule() == want })
	if _, inPrefs := storedPlan(h.app.Preferences()); inPrefs {
		t.Error("the plan was saved in the preferences too")
	}
	h.until("the new plan in force", func() bool {
		return strings.Contains(text(h.u.status.text), "Queue paused until 23:00") && strings.Contains(text(h.u.status.text), "Limited to 500 KiB/s until 18:00")
	})
}

// Saving a new plan writes no preference: the plan goes to the engine's
// store. (Fyne's preferences file is rewritten on every change, and a
// second change within its 100 ms window can make its file watcher read
// the file half written: "Preferences load error: EOF". The old window
// wrote a dozen keys for every save of the schedule.)
func TestSavingTheScheduleWritesNoPreference(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	// The first Save of Settings stores the download folder, which
	// was never stored; the schedule is saved by a second one.
	test.Tap(h.u.tools.settings)
	test.Tap(h.u.setDlg.saveBtn)
	var changes atomic.Int32
	h.app.Preferences().AddChangeListener(func() { changes.Add(1) })
	s := openScheduleTab(t, h)
	d := s.desk
	test.Tap(d.queue.on)
	d.queue.start.SetText("22:00")
	d.queue.end.SetText("06:00")
	test.Tap(s.saveBtn)
	want := schedule.Window{On: true, Start: 22 * 60, End: 6 * 60, Days: schedule.Everyday}
	h.until("the engine to have the plan", func() bool { return h.m.Schedule().Queue == want })
	if n := changes.Load(); n != 0 {
		t.Errorf("saving the schedule changed the preferences %d times, want none", n)
	}
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

// In a 640 px window Settings fits, its schedule tab too (its fields are
// wider than the window can hold beside their labels): the labels go
// above the fields and the tab scrolls. In a 960 px window they stay
// beside them.
func TestSettingsFitA640PxWindow(t *testing.T) {
	for _, c := range []struct {
		width    float32
		vertical bool
	}{{640, true}, {960, false}} {
		t.Run(fmt.Sprint(c.width), func(t *testing.T) {
			h := newDesktopHarness(t, noon, false, nil) // no tray: the longest tick box
			h.u.win.Resize(fyne.NewSize(c.width, 640))
			s := openScheduleTab(t, h)
			if min := s.dlg.MinSize(); min.Width > c.width {
				t.Errorf("Settings needs %v px in a %v px window", min.Width, c.width)
			}
			if got := s.desk.form.Orientation == widget.Vertical; got != c.vertical {
				t.Errorf("in a %v px window the labels are above the fields: %v, want %v", c.width, got, c.vertical)
			}
		})
	}
}
