package gui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/haul-dl/haul/engine"
)

// noon is Monday 2026-06-01 12:00 in zone.
var noon = time.Date(2026, 6, 1, 12, 0, 0, 0, zone)

func TestTrayMenuActionsDriveTheEngine(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	if h.tray.menu == nil || h.tray.icon == nil {
		t.Fatal("no tray menu or icon was set")
	}
	var labels []string
	for _, it := range h.tray.menu.Items {
		labels = append(labels, it.Label)
	}
	if got := strings.Join(labels, "|"); got != "No downloads||Pause all|Resume all|Speed limit||Show window|Quit" {
		t.Errorf("tray menu = %q", got)
	}

	h.u.addText(h.url("/hold/t1.bin")+"\n"+h.url("/hold/t2.bin"), "", "the test")
	t1, t2 := h.idByName("t1.bin"), h.idByName("t2.bin")
	h.waitState(t1, engine.Active)
	h.waitState(t2, engine.Active)

	h.tapMenu("Pause all")
	h.waitState(t1, engine.Paused)
	h.waitState(t2, engine.Paused)
	if s, _ := h.m.Get(t1); s.State != engine.Paused {
		t.Errorf("engine: t1 is %v after Pause all", s.State)
	}
	h.tapMenu("Resume all")
	h.waitState(t1, engine.Active)
	h.waitState(t2, engine.Active)

	if it := h.u.desk.tray.item("Unlimited"); !it.Checked {
		t.Error("Unlimited is not ticked at first")
	}
	menus := h.tray.menus
	h.tapMenu("256 KiB/s")
	if h.u.set.RateLimitKiB != 256 || loadSettings(h.app.Preferences(), "").RateLimitKiB != 256 {
		t.Errorf("the preset set %d KiB/s, saved %d", h.u.set.RateLimitKiB, loadSettings(h.app.Preferences(), "").RateLimitKiB)
	}
	if !h.u.desk.tray.item("256 KiB/s").Checked || h.u.desk.tray.item("Unlimited").Checked {
		t.Error("the ticked preset did not follow")
	}
	if h.tray.menus == menus {
		t.Error("the changed menu was not handed to the tray")
	}
	if h.u.status.limit.Text != "256 KiB/s" {
		t.Errorf("the limit button says %q", h.u.status.limit.Text)
	}

	h.tapMenu("Quit")
	if h.quits != 1 {
		t.Errorf("Quit quit %d times", h.quits)
	}
}

func TestTrayTotals(t *testing.T) {
	cases := []struct {
		c    counts
		want string
	}{
		{counts{}, "No downloads"},
		{counts{Completed: 3}, "Idle  ·  3 done"},
		{counts{Active: 2, Queued: 5, Speed: 1536}, "2 active  ·  5 queued  ·  1.5 KiB/s"},
		{counts{Queued: 1}, "0 active  ·  1 queued"},
	}
	for _, c := range cases {
		if got := trayTotals(c.c); got != c.want {
			t.Errorf("trayTotals(%+v) = %q, want %q", c.c, got, c.want)
		}
	}
}

func TestTrayRefreshIsThrottled(t *testing.T) {
	host := &fakeTray{}
	tr := &tray{host: host, totals: fyne.NewMenuItem("", nil), menu: fyne.NewMenu("")}
	start := time.Unix(1e9, 0)
	tr.last = start
	if later := tr.update(counts{Active: 1, Speed: 100}, 0, start.Add(time.Second)); later != trayRefreshEvery-time.Second || host.menus != 0 {
		t.Errorf("a new speed 1 s after a refresh: later %v, %d refreshes", later, host.menus)
	}
	if later := tr.update(counts{Active: 1, Speed: 200}, 0, start.Add(2*time.Second)); later != 0 || host.menus != 0 {
		t.Errorf("a second change while one waits: later %v, %d refreshes", later, host.menus)
	}
	if later := tr.update(counts{Active: 1, Speed: 300}, 0, start.Add(trayRefreshEvery+time.Second)); later != 0 || host.menus != 1 {
		t.Errorf("a change after the interval: later %v, %d refreshes", later, host.menus)
	}
	if tr.totals.Label != trayTotals(counts{Active: 1, Speed: 300}) {
		t.Errorf("totals = %q", tr.totals.Label)
	}
}

func TestCloseToTrayKeepsRunningAndSaysSoOnce(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	h.u.closeWindow()
	h.u.closeWindow()
	if h.quits != 0 {
		t.Fatalf("closing the window quit Haul %d times", h.quits)
	}
	if n := h.notifications(); len(n) != 1 || !strings.Contains(n[0], "tray") {
		t.Errorf("notifications = %q, want one about the tray", n)
	}
	h.tapMenu("Show window")

	// Switched off in the settings, closing quits.
	s := h.u.desk.set
	s.CloseToTray = false
	h.u.applyDesktopSettings(s)
	h.u.closeWindow()
	if h.quits != 1 {
		t.Errorf("closing with close-to-tray off quit %d times", h.quits)
	}
}

func TestWithoutTrayClosingQuits(t *testing.T) {
	h := newDesktopHarness(t, noon, false, nil)
	h.u.closeWindow()
	if h.quits != 1 || len(h.notifications()) != 0 {
		t.Errorf("without a tray: %d quits, notifications %q", h.quits, h.notifications())
	}
}

func TestBatchFinishedNotifiesOnce(t *testing.T) {
	h := newDesktopHarness(t, noon, true, nil)
	var list []string
	for i := range 12 {
		list = append(list, h.url(fmt.Sprintf("/f/n%02d.bin", i)))
	}
	list = append(list, h.url("/missing/gone.bin"))
	h.u.addText(strings.Join(list, "\n"), "", "the test")
	h.until("the batch to finish", func() bool {
		c := h.u.model.sum
		return c.Completed == 12 && c.Failed == 1
	})
	h.until("the notification", func() bool { return len(h.notifications()) > 0 })
	if n := h.notifications(); len(n) != 1 || n[0] != "12 downloads finished, 1 failed" {
		t.Errorf("notifications = %q", n)
	}
}

func TestBatchNotificationSwitchedOff(t *testing.T) {
	h := newDesktopHarness(t, noon, true, func(p fyne.Preferences) { p.SetBool(prefNotifyBatches, false) })
	h.u.addText(h.url("/f/a.bin")+"\n"+h.url("/f/b.bin"), "", "the test")
	h.until("the batch to finish", func() bool { return h.u.model.sum.Completed == 2 })
	if n := h.notifications(); len(n) != 0 {
		t.Errorf("notifications while switched off: %q", n)
	}
}

func TestBatchTrackerReportsOncePerBatch(t *testing.T) {
	var b batchTracker
	states := map[string]engine.Snapshot{}
	lookup := func(id string) (engine.Snapshot, bool) { s, ok := states[id]; return s, ok }
	set := func(id string, st engine.State) engine.Snapshot {
		s := engine.Snapshot{ID: id, State: st}
		states[id] = s
		return s
	}
	sum := func() counts {
		var c counts
		for _, s := range states {
			switch s.State {
			case engine.Active:
				c.Active++
			case engine.Queued:
				c.Queued++
			case engine.Completed:
				c.Completed++
			case engine.Failed:
				c.Failed++
			}
		}
		return c
	}
	// A thousand small files, finishing one after another while the
	// rest wait: one report, at the end.
	var all []engine.Snapshot
	for i := range 1000 {
		all = append(all, set(fmt.Sprint(i), engine.Queued))
	}
	reports := 0
	if _, done := b.observe(all, nil, sum(), lookup); done {
		reports++
	}
	for i := range 1000 {
		st := engine.Completed
		if i%100 == 0 {
			st = engine.Failed
		}
		r, done := b.observe([]engine.Snapshot{set(fmt.Sprint(i), st)}, nil, sum(), lookup)
		if done {
			reports++
			if i != 999 || r.Completed != 990 || r.Failed != 10 {
				t.Errorf("report after %d: %+v", i, r)
			}
		}
	}
	if reports != 1 {
		t.Errorf("%d reports for one batch, want 1", reports)
	}
	// A quiet list (say, the first batch after a start) reports nothing.
	if _, done := b.observe(nil, nil, sum(), lookup); done {
		t.Error("an idle list reported a batch")
	}
	// A batch that only paused ends with nothing to say.
	b.observe([]engine.Snapshot{set("p", engine.Active)}, nil, sum(), lookup)
	if _, done := b.observe([]engine.Snapshot{set("p", engine.Paused)}, nil, sum(), lookup); done {
		t.Error("a batch that was paused reported")
	}
	// New downloads first seen already over (a link that failed at once,
	// a small file done between two publishes) take part.
	b.observe([]engine.Snapshot{set("q", engine.Queued), set("fast", engine.Completed)}, []string{"q", "fast"}, sum(), lookup)
	r, done := b.observe([]engine.Snapshot{set("q", engine.Completed), set("404", engine.Failed)}, []string{"404"}, sum(), lookup)
	if !done || r != (batchReport{Completed: 2, Failed: 1}) {
		t.Errorf("a batch with new downloads seen over at once: %+v, %v; want 2 completed, 1 failed", r, done)
	}
	if r, done := b.observe([]engine.Snapshot{set("alone", engine.Failed)}, []string{"alone"}, sum(), lookup); !done || r != (batchReport{Failed: 1}) {
		t.Errorf("one new link that failed at once: %+v, %v; want 1 failed", r, done)
	}
	// Old downloads in a later full list do not.
	if _, done := b.observe([]engine.Snapshot{states["fast"], states["404"]}, nil, sum(), lookup); done {
		t.Error("finished downloads seen again reported a batch")
	}
}

func TestBatchText(t *testing.T) {
	for r, want := range map[batchReport]string{
		{12, 1}: "12 downloads finished, 1 failed",
		{1, 0}:  "1 download finished",
		{3, 0}:  "3 downloads finished",
		{0, 2}:  "2 downloads failed",
		{0, 1}:  "1 download failed",
		{1, 4}:  "1 download finished, 4 failed",
	} {
		if got := batchText(r); got != want {
			t.Errorf("batchText(%+v) = %q, want %q", r, got, want)
		}
	}
}
