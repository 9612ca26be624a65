package gui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/haul-dl/haul/engine"
)

// longSnaps are the golden downloads with a name, an error and a warning
// far longer than any window is wide.
func longSnaps() []engine.Snapshot {
	snaps := goldenSnaps()
	long := strings.Repeat("a-very-long-name-", 20)
	snaps[0].Name = long + ".zip"
	snaps[3].Err = "404 Not Found: http://127.0.0.1:8080/" + long
	snaps[4].Warning = "the server does not allow resuming: " + long
	return snaps
}

// selectThree selects three rows of the golden downloads.
func (h *harness) selectThree() {
	h.t.Helper()
	h.clickRow("b", 0)
	h.clickRow("d", fyne.KeyModifierShift)
	if n := len(h.u.dl.selected()); n != 3 {
		h.t.Fatalf("%d rows selected, want 3", n)
	}
}

// unreachable lists the toolbar's selection actions a click cannot
// reach: neither a button inside the window, left of Settings, nor an
// item of the More menu.
func (h *harness) unreachable() []string {
	t := h.u.tools
	d := fyne.CurrentApp().Driver()
	edge := d.AbsolutePositionForObject(t.settings).X
	var inMenu []string
	if t.selBar.more.Visible() {
		for _, it := range t.selBar.menu().Items {
			inMenu = append(inMenu, it.Label)
		}
	}
	var out []string
	for _, it := range t.selBar.items {
		if it.btn.Visible() {
			if d.AbsolutePositionForObject(it.btn).X+it.btn.Size().Width > edge {
				out = append(out, it.label+" (cut off)")
			}
			continue
		}
		if !slices.Contains(inMenu, it.label) {
			out = append(out, it.label+" (hidden)")
		}
	}
	return out
}

func TestWindowFitsItsDefaultWidthWithASelection(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(960, 640))
	h.u.apply(longSnaps(), false)
	h.u.setActivity("Added 15 downloads from " + strings.Repeat("a long list of links ", 10))
	h.selectThree()
	if w := h.u.win.Content().MinSize().Width; w > 960 {
		t.Errorf("with a selection the window needs %v px, more than its default 960", w)
	}
	if bad := h.unreachable(); len(bad) > 0 {
		t.Errorf("at 960 px these selection actions are out of reach: %q", bad)
	}
	// At the default width the main actions keep their labels.
	for _, it := range h.u.tools.selBar.items[:4] {
		if it.btn.Text == "" {
			t.Errorf("at 960 px %q shows no label", it.label)
		}
	}
}

func TestNarrowWindowKeepsEveryToolbarActionReachable(t *testing.T) {
	h := newHarness(t)
	h.u.apply(longSnaps(), false)
	h.selectThree()
	min := h.u.win.Content().MinSize().Width
	if min > 640 {
		t.Fatalf("the window cannot be narrower than %v px", min)
	}
	for _, w := range []float32{640, min} {
		h.u.win.Resize(fyne.NewSize(w, 600))
		if bad := h.unreachable(); len(bad) > 0 {
			t.Errorf("at %v px these selection actions are out of reach: %q", w, bad)
		}
	}
	// At the narrowest, some actions are in the More menu, and it runs them.
	bar := h.u.tools.selBar
	if !bar.more.Visible() {
		t.Fatalf("at %v px every button fits: the test shows nothing", min)
	}
	menu := bar.menu()
	last := menu.Items[len(menu.Items)-1]
	if last.Label != "Details" || !last.Disabled {
		t.Fatalf("with 3 selected the More menu ends with %q (disabled %v), want Details disabled", last.Label, last.Disabled)
	}
	h.clickRow("d", 0)
	menu = bar.menu()
	last = menu.Items[len(menu.Items)-1]
	if last.Label != "Details" || last.Disabled {
		t.Fatalf("with 1 selected the More menu ends with %q (disabled %v), want Details enabled", last.Label, last.Disabled)
	}
	last.Action()
	if !strings.Contains(h.overlayText(), "missing.iso") {
		t.Error("Details from the More menu did not open the details of the selected download")
	}
}

func TestStatusBarNeverDrawsTextOverItsNeighbour(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	h.u.setActivity("Added 15 downloads from the command line")
	for _, w := range []float32{960, 640, h.u.win.Content().MinSize().Width} {
		h.u.win.Resize(fyne.NewSize(w, 600))
		a := h.u.status.activity
		if a.Visible() && a.Size().Width < minTruncated(a) {
			t.Errorf("at %v px the activity label is %v px wide: too narrow to truncate, it draws its whole text over the summary", w, a.Size().Width)
		}
	}
}

func TestFilterBoxShowsItsWholeHintAtAnyWidth(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	f := h.u.dl.find
	for _, w := range []float32{960, 640, h.u.win.Content().MinSize().Width} {
		h.u.win.Resize(fyne.NewSize(w, 600))
		if got, need := f.text.Size().Width, hintWidth(f.text.PlaceHolder); got < need {
			t.Errorf("at %v px the filter box is %v px wide, too narrow for its hint %q (%v px): it scrolls", w, got, f.text.PlaceHolder, need)
		}
		if w == 960 && f.text.PlaceHolder != filterHint {
			t.Errorf("at 960 px the hint is %q", f.text.PlaceHolder)
		}
	}
}

func TestHoveredToolbarIconShowsItsWholeHintInANarrowWindow(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	h.u.setActivity("Added 6 downloads from the command line")
	h.selectThree()
	h.u.win.Resize(fyne.NewSize(640, 600))
	a := h.u.status.activity
	for _, it := range h.u.tools.selBar.items {
		if it.btn.Text != "" || !it.btn.Visible() {
			continue // it has a label, or it is in the More menu
		}
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(it.btn).Add(fyne.NewPos(8, 8))
		it.btn.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: at}})
		if got := h.waitTooltip(); got != it.btn.hint {
			t.Errorf("hovering %s shows the tooltip %q, want %q", it.label, got, it.btn.hint)
		}
		p := h.u.tips.panel
		if p.Position().X < 0 || p.Position().X+p.Size().Width > 640 || p.Size().Width < h.u.tips.label.MinSize().Width {
			t.Errorf("hovering %s: the tooltip is at %v, %v wide, in a 640 px window", it.label, p.Position(), p.Size().Width)
		}
		if s := h.u.status.label; s.Size().Width < natural(s) {
			t.Errorf("hovering %s squeezes the summary to %v px", it.label, s.Size().Width)
		}
		it.btn.MouseOut()
		if p.Visible() {
			t.Errorf("the tooltip of %s stayed after the pointer left", it.label)
		}
	}
	if a.Text != "Added 6 downloads from the command line" {
		t.Errorf("after the pointer left: %q", a.Text)
	}
}
