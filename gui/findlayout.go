package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The filter box's hints: the whole one, and the one for a narrow window.
const (
	filterHint      = "Filter by name, site or folder (Ctrl+F)"
	filterHintShort = "Filter (Ctrl+F)"
)

// findLayout lays out the find bar on one line: the filter box takes what
// the choices on its right leave. When that is too little for the box's
// hint, the "Sort by" label goes, then the hint gets shorter, so that the
// box never scrolls its own hint. Objects: filter box, show choice, "Sort
// by" label, sort choice, direction button.
type findLayout struct {
	text  *widget.Entry
	label *widget.Label
}

// hintWidth is the room an entry needs to show hint whole.
func hintWidth(hint string) float32 {
	return fyne.MeasureText(hint, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding() + 2*theme.Padding()
}

func (l *findLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	show, sortBy, dir := objs[1], objs[3], objs[4]
	right := show.MinSize().Width + sortBy.MinSize().Width + dir.MinSize().Width + 3*pad
	avail := size.Width - right
	labelW := l.label.MinSize().Width + pad
	withLabel := avail-labelW >= hintWidth(filterHint)
	setVisible(l.label, withLabel)
	if withLabel {
		avail -= labelW
	}
	hint := filterHint
	if avail < hintWidth(filterHint) {
		hint = filterHintShort
	}
	if l.text.PlaceHolder != hint {
		l.text.SetPlaceHolder(hint)
	}
	x := float32(0)
	place := func(o fyne.CanvasObject, w float32) {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
	place(objs[0], max(avail, 0))
	place(show, show.MinSize().Width)
	if withLabel {
		place(l.label, l.label.MinSize().Width)
	}
	place(sortBy, sortBy.MinSize().Width)
	place(dir, dir.MinSize().Width)
}

// MinSize is part of fyne.Layout: the choices, and the filter box at its
// narrowest (filterMinWidth); the label can go.
func (l *findLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	w, h := float32(filterMinWidth), float32(0)
	for i, o := range objs {
		m := o.MinSize()
		h = max(h, m.Height)
		if i != 0 && i != 2 {
			w += m.Width + pad
		}
	}
	return fyne.NewSize(w, h)
}
