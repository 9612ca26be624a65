package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
)

func TestMoveToTopFromTheToolbarReordersAndStartsItNext(t *testing.T) {
	h := newHarness(t)
	h.m.SetMaxActive(1)
	h.u.addText(h.url("/hold/first.bin"), "", "the test")
	first := h.idByName("first.bin")
	h.waitState(first, engine.Active)
	h.u.addText(h.url("/hold/second.bin"), "", "the test")
	second := h.idByName("second.bin")
	h.u.addText(h.url("/hold/third.bin"), "", "the test")
	third := h.idByName("third.bin")
	h.waitState(third, engine.Queued)
	h.until("the rows in the order added", func() bool {
		return slices.Equal(h.u.dl.shown, []string{first, second, third})
	})

	h.clickRow(third, 0)
	if h.u.tools.move.Disabled() {
		t.Fatal("Move is disabled for a queued download")
	}
	test.Tap(h.u.tools.move)
	if h.u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Move showed no menu")
	}
	item := h.u.tools.moveMenu.Items[0]
	if item.Label != "Move to top" {
		t.Fatalf("the first item is %q", item.Label)
	}
	item.Action()
	h.until("the third row to move above the second", func() bool {
		return slices.Equal(h.u.dl.shown, []string{first, third, second})
	})

	if err := h.m.Cancel(first); err != nil { // frees the one slot
		t.Fatal(err)
	}
	h.waitState(third, engine.Active)
	if st := h.state(second); st != engine.Queued {
		t.Errorf("the second download is %s; the third was moved ahead of it", st)
	}
}
