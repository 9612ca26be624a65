package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pairLayout puts two truncating labels side by side on one line. When
// both fit, each gets the width its text needs. Otherwise the first gets
// what it needs up to share of the line (more if the second needs less
// than the rest), and the second the rest; when the second is hidden or
// empty the first gets the whole line. Both shrink with the window
// instead of holding it wide.
type pairLayout struct {
	first, second *widget.Label
	share         float32
	// squeezed is whether the layout hid the second label for want of
	// room: a label narrower than its padding draws its whole text
	// instead of truncating it.
	squeezed bool
}

// newPair lays out first and second side by side. A label extended into
// another widget is measured as a label but laid out as what it is: put
// that widget in its place in Objects.
func newPair(first, second *widget.Label, share float32) *fyne.Container {
	first.Truncation = fyne.TextTruncateEllipsis
	second.Truncation = fyne.TextTruncateEllipsis
	return &fyne.Container{Layout: &pairLayout{first: first, second: second, share: share}, Objects: []fyne.CanvasObject{first, second}}
}

// natural is the width a label needs to show all its text.
func natural(l *widget.Label) float32 {
	if l.Text == "" {
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

func (p *pairLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n1, n2 := natural(p.first), float32(0)
	if p.second.Text != "" && (p.second.Visible() || p.squeezed) {
		n2 = natural(p.second)
	}
	var w1 float32
	switch {
	case n2 == 0:
		w1 = size.Width
	case n1+n2 <= size.Width:
		w1 = n1
	default:
		w1 = max(min(n1, size.Width*p.share), size.Width-n2)
	}
	// The first always keeps room for "…": narrower, a label draws its
	// whole text over its neighbour.
	if n1 > 0 {
		w1 = max(w1, min(minTruncated(p.first), size.Width))
	}
	// Too little room for the second to show even "…": the first gets
	// the line.
	squeeze := n2 > 0 && size.Width-w1 < minTruncated(p.second)
	if squeeze {
		w1 = size.Width
	}
	if squeeze != p.squeezed {
		p.squeezed = squeeze
		setVisible(objs[1], !squeeze)
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w1, size.Height))
	objs[1].Move(fyne.NewPos(w1, 0))
	objs[1].Resize(fyne.NewSize(size.Width-w1, size.Height))
}

// minTruncated is the narrowest a truncating label can be and still
// show something: its padding and an ellipsis.
func minTruncated(l *widget.Label) float32 {
	return natural(&widget.Label{Text: "…", TextStyle: l.TextStyle, SizeName: l.SizeName})
}

func (p *pairLayout) MinSize(_ []fyne.CanvasObject) fyne.Size {
	a, b := p.first.MinSize(), p.second.MinSize()
	return fyne.NewSize(a.Width+b.Width, max(a.Height, b.Height))
}

// relayout lays c out again in its size without refreshing what is in
// it: for a container whose split follows its labels' texts, after the
// labels refreshed themselves.
func relayout(c *fyne.Container) { c.Layout.Layout(c.Objects, c.Size()) }
