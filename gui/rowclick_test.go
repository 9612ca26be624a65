package gui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestDoubleClickOnARowOpensItsDetails(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	// A double-click is two presses, then DoubleTapped (no Tapped).
	r := h.rowFor("d")
	h.clickRow("d", 0)
	test.DoubleTap(r)
	if got := h.overlayText(); !strings.Contains(got, "missing.iso") || !strings.Contains(got, "404 Not Found") {
		t.Fatalf("a double-click on the row of missing.iso shows %q, want its details", got)
	}
	if got := h.u.dl.sel.IDs(h.u.dl.shown); !slices.Equal(got, []string{"d"}) {
		t.Errorf("after the double-click the selection is %q, want the row clicked", got)
	}
}

func TestATapWithoutAMouseSelectsTheRow(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	test.Tap(h.rowFor("c")) // a touch screen: no mouse press before the tap
	if got := h.u.dl.sel.IDs(h.u.dl.shown); !slices.Equal(got, []string{"c"}) {
		t.Errorf("a tap selected %q", got)
	}
	if h.u.win.Canvas().Overlays().Top() != nil {
		t.Error("a single tap opened a dialog")
	}
}
