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
	ids := h.oneRunningRestQueued("first.bin", "second.bin", "third.bin")
	first, second, third := ids[0], ids[1], ids[2]
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
	ids := h.oneRunningRestQueued("first.bin", "q1.bin", "q2.bin", "q3.bin", "q4.bin")
	first, q := ids[0], ids[1:]
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

// oneRunningRestQueued allows one download at a time and adds held
// downloads of the names, in order: the first runs, the others wait
// queued. It returns their IDs in the same order.
func (h *harness) oneRunningRestQueued(names ...string) []string {
	h.t.Helper()
	h.m.SetMaxActive(1)
	ids := make([]string, len(names))
	for i, n := range names {
		h.u.addText(h.url("/hold/"+n), "", "the test")
		ids[i] = h.idByName(n)
		if i == 0 {
			h.waitState(ids[i], engine.Active)
		}
	}
	for _, id := range ids[1:] {
		h.waitState(id, engine.Queued)
	}
	return ids
}
