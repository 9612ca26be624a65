package gui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/gui/internal/listview"
)

// sortNames are the sort keys as the window names them, in listview.Keys order.
var sortNames = []string{"Time added", "Name", "Size", "Progress", "Speed", "State"}

// filterMinWidth is the narrowest the filter box gets: with the choices
// beside it, it sets the narrowest the window can be.
const filterMinWidth = 160

// findBar is the line above the list: a filter box, a choice of which
// downloads to show (each with its count) and the sort order.
type findBar struct {
	l      *downloadList
	text   *filterEntry
	show   *widget.Select
	sortBy *widget.Select
	dir    *hintButton // ascending or descending
	counts map[listview.Show]int
	box    fyne.CanvasObject
	// onOrder is called when the user picks another sort order.
	onOrder func(listview.Order)
}

func newFindBar(l *downloadList) *findBar {
	f := &findBar{l: l}
	f.text = newFilterEntry()
	f.text.SetPlaceHolder(filterHint)
	f.text.OnChanged = func(s string) { f.apply() }
	f.show = widget.NewSelect(showOptions(nil), func(string) { f.apply() })
	f.show.SetSelectedIndex(0)
	f.sortBy = widget.NewSelect(sortNames, func(string) { f.applyOrder() })
	f.sortBy.SetSelectedIndex(slices.Index(listview.Keys, l.order.Key))
	f.dir = newHintButton(theme.MenuDropUpIcon(), "", l.act.hint, func() {
		o := f.l.order
		o.Desc = !o.Desc
		f.setOrder(o)
	})
	f.showDir()
	sortLabel := widget.NewLabel("Sort by")
	f.box = container.NewPadded(container.New(&findLayout{text: &f.text.Entry, label: sortLabel},
		f.text, f.show, sortLabel, f.sortBy, f.dir))
	return f
}

// showOptions are the choices of what to show, with counts when known:
// "All (12)", "Active (3)", ...
func showOptions(c map[listview.Show]int) []string {
	out := make([]string, len(listview.Shows))
	for i, sh := range listview.Shows {
		if c == nil {
			out[i] = sh.String()
		} else {
			out[i] = fmt.Sprintf("%s (%d)", sh, c[sh])
		}
	}
	return out
}

// showCounts puts the counts in the choices, redrawing only on a change.
func (f *findBar) showCounts(c map[listview.Show]int) {
	if f.counts != nil && equalCounts(f.counts, c) {
		return
	}
	f.counts = c
	i := f.show.SelectedIndex()
	f.show.Options = showOptions(c)
	f.show.Selected = f.show.Options[max(i, 0)]
	f.show.Refresh()
}

func equalCounts(a, b map[listview.Show]int) bool {
	for _, sh := range listview.Shows {
		if a[sh] != b[sh] {
			return false
		}
	}
	return true
}

// apply hands the filter to the list.
func (f *findBar) apply() {
	show := listview.ShowAll
	if i := f.show.SelectedIndex(); i >= 0 {
		show = listview.Shows[i]
	}
	f.l.setFilter(listview.Filter{Text: f.text.Text, Show: show})
}

func (f *findBar) applyOrder() {
	i := f.sortBy.SelectedIndex()
	if i < 0 {
		return
	}
	o := f.l.order
	o.Key = listview.Keys[i]
	f.setOrder(o)
}

func (f *findBar) setOrder(o listview.Order) {
	if o == f.l.order {
		return
	}
	f.l.setOrder(o)
	f.showDir()
	if f.onOrder != nil {
		f.onOrder(o)
	}
}

func (f *findBar) showDir() {
	if f.l.order.Desc {
		f.dir.hint = "Sorted descending: click to sort ascending"
		f.dir.SetIcon(theme.MenuDropDownIcon())
	} else {
		f.dir.hint = "Sorted ascending: click to sort descending"
		f.dir.SetIcon(theme.MenuDropUpIcon())
	}
}
