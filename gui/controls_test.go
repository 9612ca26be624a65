package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestSettingsDialogIsSizedToItsContent(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(1280, 800))
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	if d == nil {
		t.Fatal("no settings dialog")
	}
	if d.maxActive.Size().Width == 0 {
		t.Fatal("the dialog is not laid out")
	}
	if w := d.maxActive.Size().Width; w > 100 {
		t.Errorf("the field of a number is %v px wide", w)
	}
	if w := d.dir.Size().Width; w < 200 {
		t.Errorf("the folder field is %v px wide", w)
	}
	if min := d.dlg.MinSize(); min.Width > 700 || min.Height > 640 {
		t.Errorf("the settings need %v, more than a 960×640 window gives", min)
	}
}

func TestStatusBarLeavesTheLimitToItsButton(t *testing.T) {
	h := newHarness(t)
	h.u.set.RateLimitKiB = 256
	h.u.apply(goldenSnaps(), false)
	if got := text(h.u.status.text); strings.Contains(got, "limit") || strings.Contains(got, "256") {
		t.Errorf("the summary repeats the limit: %q", got)
	}
	if h.u.status.limit.Text != "256 KiB/s" {
		t.Errorf("the limit button says %q", h.u.status.limit.Text)
	}
}

func TestTheClipboardOfferLeavesOneBlueAddButton(t *testing.T) {
	h := newHarness(t)
	h.u.showOffer([]string{"https://example.org/a.zip"})
	blue := 0
	for _, o := range test.LaidOutObjects(h.u.win.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Importance == widget.HighImportance {
			blue++
		}
	}
	if blue != 1 {
		t.Errorf("%d blue buttons with the clipboard offer shown, want 1", blue)
	}
}

// The fields of each Settings tab start clear of the tab bar.
func TestSettingsTabsKeepTheirFieldsClearOfTheTabBar(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	drv := fyne.CurrentApp().Driver()
	page := d.tabs.Items[0].Content
	if gap := drv.AbsolutePositionForObject(d.maxActive).Y - drv.AbsolutePositionForObject(page).Y; gap < theme.Padding() {
		t.Errorf("the first field is %v px below the tab bar, want at least %v", gap, theme.Padding())
	}
}
