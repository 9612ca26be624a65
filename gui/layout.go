package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pairLayout puts two truncating labels side by side on one line. The
// first gets the width its text needs, up to share of the line, and the
// second the rest; when the second is hidden or empty the first gets the
// whole line. Both shrink with the window instead of holding it wide.
type pairLayout struct {
	first, second *widget.Label
	share         float32
}

func newPair(first, second *widget.Label, share float32) fyne.CanvasObject {
	first.Truncation = fyne.TextTruncateEllipsis
	second.Truncation = fyne.TextTruncateEllipsis
	return &fyne.Container{Layout: &pairLayout{first: first, second: second, share: share}, Objects: []fyne.CanvasObject{first, second}}
}

// natural is the width a label needs to show all its text.
func natural(l *widget.Label) float32 {
	if l.Text == "" || !l.Visible() {
		return 0
	}
	size := theme.Size(theme.SizeNameText)
	if l.SizeName != "" {
		size = theme.Size(l.SizeName)
	}
	// The label pads its text by InnerPadding on each side; Padding more
	// keeps rounding from cutting the last character.
	return fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*theme.InnerPadding() + theme.Padding()
}

func (p *pairLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	w1 := natural(p.first)
	if natural(p.second) == 0 {
		w1 = size.Width
	}
	w1 = min(w1, size.Width*p.share)
	p.first.Move(fyne.NewPos(0, 0))
	p.first.Resize(fyne.NewSize(w1, size.Height))
	p.second.Move(fyne.NewPos(w1, 0))
	p.second.Resize(fyne.NewSize(size.Width-w1, size.Height))
}

func (p *pairLayout) MinSize(_ []fyne.CanvasObject) fyne.Size {
	a, b := p.first.MinSize(), p.second.MinSize()
	return fyne.NewSize(a.Width+b.Width, max(a.Height, b.Height))
}
