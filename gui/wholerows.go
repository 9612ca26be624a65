package gui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// wholeRowsLayout gives the list a height of a whole number of rows,
// leaving what is over (less than a row) blank below it. Every position
// the list scrolls to by itself (to a download just added, to the
// selection) then starts a row: widget.List scrolls a row below the view
// to its bottom edge, which in a view of any other height cuts the top
// row in half.
type wholeRowsLayout struct {
	rowHeight func() float32 // the height of one row, 0 if unknown
}

// Layout fits the list's height to whole rows.
func (w wholeRowsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := size.Height
	if rh := w.rowHeight(); rh > 0 {
		sep := theme.Padding() // widget.List's gap between rows
		if k := math.Floor(float64((h + sep) / (rh + sep))); k >= 1 {
			h = float32(k)*(rh+sep) - sep
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(size.Width, h))
	}
}

// MinSize is the list's.
func (w wholeRowsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objs {
		min = min.Max(o.MinSize())
	}
	return min
}
