package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// nameLabel shows a file name on one line. A name too long for its room
// is cut in the middle, so that its end, the extension, stays in view.
// It never holds the window wide.
type nameLabel struct {
	widget.BaseWidget
	Text  string // the whole name
	label *widget.Label
}

func newNameLabel() *nameLabel {
	l := &nameLabel{label: widget.NewLabel("")}
	l.label.TextStyle.Bold = true
	l.ExtendBaseWidget(l)
	return l
}

// SetText changes the name shown.
func (l *nameLabel) SetText(s string) {
	if s == l.Text {
		return
	}
	l.Text = s
	l.Refresh()
}

// shown is the text on screen: the name, or its shortened form.
func (l *nameLabel) shown() string { return l.label.Text }

// CreateRenderer is part of fyne.Widget.
func (l *nameLabel) CreateRenderer() fyne.WidgetRenderer { return &nameRenderer{l: l} }

type nameRenderer struct{ l *nameLabel }

func (r *nameRenderer) Layout(size fyne.Size) {
	l := r.l
	th := l.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	sizeName := l.label.SizeName
	if sizeName == "" {
		sizeName = theme.SizeNameText
	}
	textSize := th.Size(sizeName)
	text := fitMiddle(l.Text, size.Width-2*pad-th.Size(theme.SizeNamePadding), func(s string) float32 {
		return fyne.MeasureText(s, textSize, l.label.TextStyle).Width
	})
	if text != l.label.Text {
		l.label.SetText(text)
	}
	l.label.Resize(size)
}

func (r *nameRenderer) MinSize() fyne.Size {
	h := r.l.label.MinSize().Height
	return fyne.NewSize(2*r.l.Theme().Size(theme.SizeNameInnerPadding), h)
}

func (r *nameRenderer) Refresh() {
	r.Layout(r.l.Size())
	r.l.label.Refresh()
}

func (r *nameRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.l.label} }
func (r *nameRenderer) Destroy()                     {}

// fitMiddle shortens s to fit width as measured, cutting it in the
// middle: "a-very-long-na…e-of-it-v2.mkv". The end kept is the extension
// and a few characters before it, at most a third of the name; when even that
// does not fit, s is cut at its end instead.
func fitMiddle(s string, width float32, measure func(string) float32) string {
	if s == "" || measure(s) <= width {
		return s
	}
	const ell = "…"
	r := []rune(s)
	tail := 0
	for i := len(r) - 1; i > 0 && len(r)-i <= 8; i-- {
		if r[i] == '.' {
			tail = len(r) - i
			break
		}
	}
	tail = min(tail+8, len(r)/3)
	end := string(r[len(r)-tail:])
	fits := func(n int) bool { return measure(string(r[:n])+ell+end) <= width }
	if tail == 0 || !fits(1) {
		// No room for the end: keep as much of the start as fits.
		n := longest(len(r)-1, func(n int) bool { return measure(string(r[:n])+ell) <= width })
		return string(r[:n]) + ell
	}
	n := longest(len(r)-tail-1, fits)
	return string(r[:n]) + ell + end
}

// longest is the largest n in [0, hi] with ok(n), where ok holds up to
// some n and not after; 0 if none.
func longest(hi int, ok func(int) bool) int {
	lo := 0
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if ok(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// tapLabel is a label that does something when clicked, and says what in
// the status bar while the pointer is over it. Empty, it does nothing.
type tapLabel struct {
	widget.Label
	hint   string
	show   func(text string, at fyne.Position) // "" when the pointer leaves
	tapped func()
}

func newTapLabel(hint string, show func(string, fyne.Position), tapped func()) *tapLabel {
	l := &tapLabel{hint: hint, show: show, tapped: tapped}
	l.ExtendBaseWidget(l)
	return l
}

// Tapped is part of fyne.Tappable.
func (l *tapLabel) Tapped(*fyne.PointEvent) {
	if l.show != nil {
		l.show("", fyne.Position{})
	}
	if l.Text != "" && l.tapped != nil {
		l.tapped()
	}
}

// Cursor is part of desktop.Cursorable.
func (l *tapLabel) Cursor() desktop.Cursor {
	if l.Text != "" {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// MouseIn is part of desktop.Hoverable.
func (l *tapLabel) MouseIn(e *desktop.MouseEvent) {
	if l.Text != "" && l.show != nil {
		l.show(l.hint, e.AbsolutePosition)
	}
}

// MouseMoved is part of desktop.Hoverable.
func (l *tapLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut is part of desktop.Hoverable.
func (l *tapLabel) MouseOut() {
	if l.show != nil {
		l.show("", fyne.Position{})
	}
}
