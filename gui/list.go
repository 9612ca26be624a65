package gui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/gui/internal/listview"
)

// emptyHint is shown in place of the list while it is empty.
const emptyHint = "Paste links with Ctrl+V, click Add, or drop a text file of links here"

// noMatchHint is shown in place of the list when the filter hides every row.
const noMatchHint = "No download matches the filter"

// downloadList is the list of downloads as the filter and sort order
// show it, the selection in it, and the hint shown in its place while
// there is nothing to show. What it shows is decided by listview; this
// type only keeps the widgets in step.
type downloadList struct {
	model *model
	list  *widget.List
	find  *findBar

	filter listview.Filter
	order  listview.Order
	shown  []string // IDs of the rows shown, in order
	sel    listview.Selection

	keys      *listFocus      // takes the keyboard focus for the list
	stack     *fyne.Container // the list under the hint
	act       rowActions
	compact   bool // one line per download (rowcompact.go)
	hint      fyne.CanvasObject
	hintText  *widget.Label
	rows      []*row // every row the list created, for tests
	template  *row   // a row of the list's density, for its height
	box       fyne.CanvasObject
	onChanged func() // after the rows shown or the selection change
}

// newDownloadList builds the list over the model; act is what the rows'
// buttons do, onKey what a key typed in the focused list does. order is
// the sort order to start with, compact the density.
func newDownloadList(md *model, act rowActions, order listview.Order, compact bool, onKey func(*fyne.KeyEvent, bool)) *downloadList {
	l := &downloadList{model: md, order: order, act: act, compact: compact}
	l.list = l.newList()
	l.find = newFindBar(l)

	hintIcon := widget.NewIcon(appIcon())
	l.hintText = widget.NewLabel(emptyHint)
	l.hintText.Alignment = fyne.TextAlignCenter
	l.hintText.Wrapping = fyne.TextWrapWord
	hintIconBox := container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), hintIcon))
	l.hint = container.NewCenter(container.NewVBox(hintIconBox,
		container.NewGridWrap(fyne.NewSize(360, 80), l.hintText)))
	l.stack = container.NewStack(l.fitRows(l.list), l.hint)
	l.keys = newListFocus(l.stack, onKey)
	l.box = container.NewBorder(l.find.box, nil, nil, nil, l.keys)
	return l
}

// fitRows lays the list out a whole number of rows high (wholerows.go).
func (l *downloadList) fitRows(list *widget.List) fyne.CanvasObject {
	return container.New(wholeRowsLayout{rowHeight: func() float32 { return l.template.MinSize().Height }}, list)
}

// newList builds the list widget, with rows of the list's density.
func (l *downloadList) newList() *widget.List {
	l.template = newRow(l.act, l.compact)
	list := widget.NewList(func() int { return len(l.shown) },
		func() fyne.CanvasObject {
			r := newRow(l.act, l.compact)
			l.rows = append(l.rows, r)
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(l.shown) {
				return
			}
			id := l.shown[i]
			r := o.(*row)
			if data, ok := l.model.row(id); ok {
				r.bind(data)
			}
			r.setSelected(l.sel.Has(id))
		})
	list.OnSelected = func(id widget.ListItemID) { list.Unselect(id) }
	return list
}

// setCompact changes the density: the list is built again with rows of
// the other kind. UI goroutine only.
func (l *downloadList) setCompact(on bool) {
	if on == l.compact {
		return
	}
	l.compact = on
	for _, r := range l.rows {
		r.unbind()
	}
	l.rows = nil
	l.list = l.newList()
	l.stack.Objects[0] = l.fitRows(l.list)
	l.stack.Refresh()
}

// update follows a batch the model took in: the rows shown are worked
// out again when the batch can have changed which rows pass the filter
// or where they sort. UI goroutine only.
func (l *downloadList) update() {
	byState := l.filter.Show != listview.ShowAll || l.order.Key == listview.ByState
	if l.model.moved || (l.model.restated && byState) ||
		l.order.Key == listview.BySize || l.order.Key == listview.ByProgress || l.order.Key == listview.BySpeed {
		l.reshow()
	}
	l.find.showCounts(listview.Counts(l.model.list))
	l.showHint()
}

// reshow works out the rows shown from the model, the filter and the
// order, and redraws the list if they changed. UI goroutine only.
func (l *downloadList) reshow() {
	shown := listview.Rows(l.model.list, l.filter, l.order)
	if slices.Equal(shown, l.shown) {
		return
	}
	l.shown = shown
	l.sel.Keep(shown)
	l.list.Refresh()
	l.showHint()
	l.changed()
}

func (l *downloadList) showHint() {
	switch {
	case l.model.len() == 0:
		l.hintText.SetText(emptyHint)
		setVisible(l.hint, true)
	case len(l.shown) == 0:
		l.hintText.SetText(noMatchHint)
		setVisible(l.hint, true)
	default:
		setVisible(l.hint, false)
	}
}

func (l *downloadList) changed() {
	if l.onChanged != nil {
		l.onChanged()
	}
}

// setFilter shows only the rows that pass f.
func (l *downloadList) setFilter(f listview.Filter) {
	if f == l.filter {
		return
	}
	l.filter = f
	l.reshow()
}

// setOrder sorts the rows by o.
func (l *downloadList) setOrder(o listview.Order) {
	if o == l.order {
		return
	}
	l.order = o
	l.reshow()
}

// click selects like a file manager: a plain click selects one row,
// Ctrl adds or takes away one, Shift selects a range.
func (l *downloadList) click(id string, mod fyne.KeyModifier) {
	switch {
	case mod&fyne.KeyModifierShift != 0:
		l.sel.Extend(id, l.shown)
	case mod&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0:
		l.sel.Toggle(id)
	default:
		l.sel.Click(id)
	}
	l.selectionChanged()
}

// step moves the selection delta rows (Up, Down), extending it with
// extend (Shift), and scrolls to keep the row reached in view.
func (l *downloadList) step(delta int, extend bool) {
	l.scrollToRow(l.sel.Step(delta, l.shown, extend))
}

// jump moves the selection to row i (Home, End) as step does.
func (l *downloadList) jump(i int, extend bool) {
	l.scrollToRow(l.sel.Jump(i, l.shown, extend))
}

func (l *downloadList) scrollToRow(i int) {
	if i < 0 {
		return
	}
	l.list.ScrollTo(i)
	l.selectionChanged()
}

// selectAll selects every row shown.
func (l *downloadList) selectAll() {
	l.sel.All(l.shown)
	l.selectionChanged()
}

// clearSelection selects nothing.
func (l *downloadList) clearSelection() {
	if l.sel.Len() == 0 {
		return
	}
	l.sel.Clear()
	l.selectionChanged()
}

func (l *downloadList) selectionChanged() {
	l.list.Refresh()
	l.changed()
}

// selected returns the selected downloads in the order shown.
func (l *downloadList) selected() []engine.Snapshot {
	if l.sel.Len() == 0 {
		return nil
	}
	return l.model.snapshots(l.sel.IDs(l.shown))
}

// reveal scrolls to a download; false if it is not shown.
func (l *downloadList) reveal(id string) bool {
	i := slices.Index(l.shown, id)
	if i < 0 {
		return false
	}
	l.list.ScrollTo(i)
	return true
}
