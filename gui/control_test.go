package gui

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

func TestPerDownloadLimitFromDetailsIsAppliedToTheEngine(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/own.bin"), "", "the test")
	id := h.idByName("own.bin")
	h.waitState(id, engine.Active)
	h.clickRow(id, 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	d.limitKiB.SetText("256")
	d.connsWanted.SetText("2")
	test.Tap(d.applyBtn)
	h.until("the engine to take the limits", func() bool {
		rate, conns, err := h.m.DownloadLimits(id)
		return err == nil && rate == 256<<10 && conns == 2
	})
	d.limitKiB.SetText("")
	test.Tap(d.applyBtn)
	h.until("the limit to go", func() bool {
		rate, _, _ := h.m.DownloadLimits(id)
		return rate == 0
	})
}

func TestStartNowFromTheToolbarRunsPastTheLimit(t *testing.T) {
	h := newHarness(t)
	ids := h.oneRunningRestQueued("first.bin", "second.bin")
	first, second := ids[0], ids[1]
	h.clickRow(second, 0)
	if h.u.tools.startNow.Disabled() {
		t.Fatal("Start now is disabled for a queued download")
	}
	test.Tap(h.u.tools.startNow)
	h.waitState(second, engine.Active)
	if h.state(first) != engine.Active {
		t.Errorf("the first download is %s", h.state(first))
	}
}

func TestFoldersByKindSwitchedInSettings(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	if d.byKind.Checked {
		t.Error("folders by kind is on by default")
	}
	d.byKind.SetChecked(true)
	test.Tap(d.saveBtn)
	if !h.app.Preferences().Bool(prefByKind) {
		t.Error("the setting was not saved")
	}
	h.u.addText(h.url("/f/pic.jpg"), "", "the test")
	id := h.idByName("pic.jpg")
	h.waitState(id, engine.Completed)
	if s, _ := h.m.Get(id); s.Dir != filepath.Join(h.dl, "Images") {
		t.Errorf("with folders by kind the picture went to %s", s.Dir)
	}
}

func TestDetailsApplySaysWhatItAppliedAndWhatTheLimitIs(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/said.bin"), "", "the test")
	id := h.idByName("said.bin")
	h.waitState(id, engine.Active)
	h.clickRow(id, 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	d.connsWanted.SetText("100")
	test.Tap(d.applyBtn)
	want := fmt.Sprintf("Connections: enter a whole number from 1 to %d", engine.MaxConnections)
	if !d.applied.Visible() || d.applied.Text != want || d.applied.Importance != widget.DangerImportance {
		t.Errorf("100 connections: %q (shown %v), want %q", d.applied.Text, d.applied.Visible(), want)
	}
	if n := len(h.u.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs open, want the details alone: the problem opened one over it", n)
	}
	d.connsWanted.SetText("3")
	d.limitKiB.SetText("512")
	test.Tap(d.applyBtn)
	h.until("Apply to say it applied", func() bool {
		return d.applied.Text == "Applied: at most 512 KiB/s, 3 connections" && d.applied.Importance == widget.SuccessImportance
	})
}

// The wheel over any input of the details (the limits, the new link)
// scrolls the details, as it does over their text.
func TestTheScrollWheelOverAFieldScrollsTheDetails(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(800, 480))
	h.u.apply(goldenSnaps(), false)
	h.clickRow("d", 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	c := h.u.win.Canvas()
	if d.scroll.Content.MinSize().Height <= d.scroll.Size().Height {
		t.Fatalf("the details fit (%v in %v): nothing to scroll", d.scroll.Content.MinSize(), d.scroll.Size())
	}
	drv := fyne.CurrentApp().Driver()
	view := drv.AbsolutePositionForObject(d.scroll)
	for _, f := range []struct {
		name  string
		input fyne.CanvasObject
	}{{"Speed limit", d.limitKiB}, {"Connections", d.connsWanted}, {"New link", d.newLink.entry}, {"File", d.name}} {
		d.scroll.ScrollToTop()
		at := drv.AbsolutePositionForObject(f.input).Add(fyne.NewPos(10, 10))
		if at.Y >= view.Y+d.scroll.Size().Height {
			t.Fatalf("the %s field is below the view (%v, the view ends at %v)", f.name, at.Y, view.Y+d.scroll.Size().Height)
		}
		test.Scroll(c, at, 0, -60)
		if d.scroll.Offset.Y == 0 {
			t.Errorf("the wheel over the %s field did not scroll the details", f.name)
		}
	}
}

// Until Apply says something, the details leave no blank row for it
// under the limits; once it does, what it says shows there.
func TestDetailsLeaveNoBlankRowUntilApplyHasSaidSomething(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	h.clickRow("d", 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	drv := fyne.CurrentApp().Driver()
	gap := func() float32 {
		d.dlg.Refresh()
		return drv.AbsolutePositionForObject(d.name).Y - (drv.AbsolutePositionForObject(d.connsWanted).Y + d.connsWanted.Size().Height)
	}
	if g := gap(); g > 2*theme.Padding() {
		t.Errorf("%v px between the Connections field and the File row: a blank row", g)
	}
	d.connsWanted.SetText("100")
	test.Tap(d.applyBtn)
	if g := gap(); g < d.applied.MinSize().Height {
		t.Errorf("%v px between the Connections field and the File row: no room for what Apply said", g)
	}
}

// An add asked for after Save waits for the settings to reach the
// engine: with the worker busy when Save is tapped, the link added next
// still goes to its kind's folder.
func TestAnAddAfterSaveWaitsForTheSettings(t *testing.T) {
	h := newHarness(t)
	busy := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(busy) }) }
	t.Cleanup(free)
	h.u.enqueue(func() { <-busy }) // an engine call still running
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	d.byKind.SetChecked(true)
	test.Tap(d.saveBtn)
	h.u.addText(h.url("/f/later.jpg"), "", "the test")
	h.until("the add to wait for the settings", func() bool { return h.u.addsWaiting.Load() == 1 })
	if n := len(h.m.List()); n != 0 {
		t.Fatalf("%d downloads were added before the settings reached the engine", n)
	}
	free()
	id := h.idByName("later.jpg")
	h.waitState(id, engine.Completed)
	if s, _ := h.m.Get(id); s.Dir != filepath.Join(h.dl, "Images") {
		t.Errorf("added after folders by kind was saved, the picture went to %s", s.Dir)
	}
}

// Save writes only the settings that differ from what is stored or the
// default: each change is a rewrite of the preferences file (see
// settings.save).
func TestSavingSettingsWritesOnlyWhatChanged(t *testing.T) {
	h := newHarness(t)
	var changes atomic.Int32
	h.app.Preferences().AddChangeListener(func() { changes.Add(1) })
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	d.maxActive.SetText("5")
	test.Tap(d.saveBtn)
	// The folder is kept from the first Save on; the rest are defaults
	// and are not written.
	if n := changes.Load(); n != 2 {
		t.Errorf("saving one changed setting changed the preferences %d times, want 2 (it and the folder)", n)
	}
	if got := h.app.Preferences().Int(prefMaxActive); got != 5 {
		t.Errorf("downloads at once saved as %d, want 5", got)
	}
}
