package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
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

func TestMovingSeveralKeepsTheirOrderAndAltUpStopsAtTheTop(t *testing.T) {
	h := newHarness(t)
	h.m.SetMaxActive(1)
	h.u.addText(h.url("/hold/first.bin"), "", "the test")
	first := h.idByName("first.bin")
	h.waitState(first, engine.Active)
	var q []string
	for _, n := range []string{"q1.bin", "q2.bin", "q3.bin", "q4.bin"} {
		h.u.addText(h.url("/hold/"+n), "", "the test")
		q = append(q, h.idByName(n))
	}
	rows := func(what string, want ...string) {
		t.Helper()
		h.until(what, func() bool { return slices.Equal(h.u.dl.shown, want) })
	}
	rows("the rows in the order added", first, q[0], q[1], q[2], q[3])

	h.clickRow(q[2], 0)
	h.clickRow(q[3], fyne.KeyModifierShift)
	h.u.tools.moveMenu.Items[0].Action() // Move to top
	rows("q3 and q4 to move to the top, in their order", first, q[2], q[3], q[0], q[1])

	// Already at the top of the queue (first runs): Alt+Up leaves them.
	// Move down then moves both one place, so a wrong Alt+Up shows.
	alt := func(key fyne.KeyName) {
		h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt})
	}
	alt(fyne.KeyUp)
	alt(fyne.KeyDown)
	rows("q3 and q4 to move down one place together", first, q[0], q[2], q[3], q[1])
}
