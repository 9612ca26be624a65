package gui

import (
	"cmp"
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

// moveItems are the queue moves the toolbar's Move menu offers.
var moveItems = []struct {
	label string
	to    engine.Position
}{
	{"Move to top", engine.MoveTop},
	{"Move up", engine.MoveUp},
	{"Move down", engine.MoveDown},
	{"Move to bottom", engine.MoveBottom},
}

// newMoveButton builds the toolbar's Move button: a menu of queue moves
// for the selected queued downloads.
func newMoveButton(u *UI) *barItem {
	menu := fyne.NewMenu("")
	for _, it := range moveItems {
		menu.Items = append(menu.Items, fyne.NewMenuItem(it.label, func() { u.moveSelected(it.to) }))
	}
	var b *barItem
	b = newBarItem("Move", theme.ListIcon(), "Move the selected queued downloads in the queue", u.hint, func() {
		c := fyne.CurrentApp().Driver().CanvasForObject(b.btn)
		if c == nil {
			return
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.btn).Add(fyne.NewPos(0, b.btn.Size().Height))
		widget.ShowPopUpMenuAtPosition(menu, c, pos)
	})
	b.sub = menu
	return b
}

// anyQueued says whether sel holds a download waiting in the queue.
func anyQueued(sel []engine.Snapshot) bool {
	return slices.ContainsFunc(sel, func(s engine.Snapshot) bool { return s.State == engine.Queued })
}

// moveSelected moves the selected queued downloads in the queue; the
// others are left alone. Several move together in the order they had.
// UI goroutine only.
func (u *UI) moveSelected(to engine.Position) {
	var sel []engine.Snapshot
	for _, s := range u.dl.selected() {
		if s.State == engine.Queued {
			sel = append(sel, s)
		}
	}
	if len(sel) == 0 {
		return
	}
	// Top and Down start from the last selected, Up and Bottom from the
	// first, so that several keep their order; a run of them already at
	// the edge they move toward stays there.
	slices.SortFunc(sel, func(a, b engine.Snapshot) int { return cmp.Compare(a.Seq, b.Seq) })
	switch to {
	case engine.MoveUp:
		sel = sel[atEdge(u.queued(), sel):]
	case engine.MoveDown:
		q := u.queued()
		slices.Reverse(q)
		slices.Reverse(sel)
		sel = sel[atEdge(q, sel):]
	case engine.MoveTop:
		slices.Reverse(sel)
	}
	u.engineCall("Could not move", func() error {
		var errs []error
		for _, s := range sel {
			// One that started meanwhile is no longer queued: leave it.
			if err := u.m.Move(s.ID, to); err != nil && !errors.Is(err, engine.ErrNotQueued) {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

// queued returns the IDs of the queued downloads, in queue order. UI
// goroutine only.
func (u *UI) queued() []string {
	var q []engine.Snapshot
	for _, s := range u.model.list {
		if s.State == engine.Queued {
			q = append(q, s)
		}
	}
	slices.SortStableFunc(q, func(a, b engine.Snapshot) int { return cmp.Compare(a.Seq, b.Seq) })
	ids := make([]string, len(q))
	for i, s := range q {
		ids[i] = s.ID
	}
	return ids
}

// atEdge counts how many of sel, in order, are the first of queue: they
// cannot move further that way.
func atEdge(queue []string, sel []engine.Snapshot) int {
	n := 0
	for n < len(sel) && n < len(queue) && sel[n].ID == queue[n] {
		n++
	}
	return n
}
