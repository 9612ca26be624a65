package gui

import (
	"fmt"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/haul-dl/haul/engine"
)

// rowStride is the height of one row of the list and the gap after it.
func rowStride(h *harness) float32 {
	return h.u.dl.rows[0].MinSize().Height + theme.Padding()
}

// wholeRows fails unless the list's offset starts a row, so the top row
// shows whole.
func wholeRows(t *testing.T, h *harness, when string) {
	t.Helper()
	off, stride := h.u.dl.list.GetScrollOffset(), rowStride(h)
	if cut := math.Mod(float64(off), float64(stride)); cut > 0.5 && float64(stride)-cut > 0.5 {
		t.Errorf("%s the list is at %v px, %v px into a row of %v: the top row is cut", when, off, cut, stride)
	}
}

// After an add the list scrolls to the new row, shown whole, and its top
// row shows whole too, at both densities and any window height, even
// from a position the scroll wheel left between rows.
func TestAddingScrollsToWholeRows(t *testing.T) {
	for _, compact := range []bool{true, false} {
		for _, height := range []float32{640, 700, 800} {
			t.Run(fmt.Sprintf("compact=%v/%v", compact, height), func(t *testing.T) {
				h := newHarness(t)
				h.u.dl.setCompact(compact)
				h.u.win.Resize(fyne.NewSize(960, height))
				h.u.apply(fakeSnaps(40, engine.Queued), false)
				h.u.dl.list.ScrollToOffset(123) // where a scroll wheel may leave it
				add := engine.Snapshot{ID: "new", Name: "new.bin", State: engine.Queued, Total: 1 << 20}
				h.u.revealWhenShown(add.ID)
				h.u.apply([]engine.Snapshot{add}, false)
				off, stride := h.u.dl.list.GetScrollOffset(), rowStride(h)
				top := float32(len(h.u.dl.shown)-1) * stride // the new row, last in the order added
				bottom := top + stride - theme.Padding()
				if view := h.u.dl.list.Size().Height; top < off || bottom > off+view+0.5 {
					t.Errorf("the new row (%v–%v px) is not whole in the view (%v–%v px)", top, bottom, off, off+view)
				}
				wholeRows(t, h, "after the add")
			})
		}
	}
}
