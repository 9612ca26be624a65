package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// hintButton is a flat icon button that says what it does in a tooltip
// while the pointer rests on it (tooltip.go).
type hintButton struct {
	widget.Button
	hint string
	show func(text string, at fyne.Position) // "" when the pointer leaves
}

func newHintButton(icon fyne.Resource, hint string, show func(string, fyne.Position), tapped func()) *hintButton {
	b := &hintButton{hint: hint, show: show}
	b.Icon = icon
	b.OnTapped = tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn is part of desktop.Hoverable.
func (b *hintButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	if b.show != nil {
		b.show(b.hint, e.AbsolutePosition)
	}
}

// Tapped is part of fyne.Tappable: a click puts the tooltip away.
func (b *hintButton) Tapped(e *fyne.PointEvent) {
	if b.show != nil {
		b.show("", fyne.Position{})
	}
	b.Button.Tapped(e)
}

// MouseOut is part of desktop.Hoverable.
func (b *hintButton) MouseOut() {
	b.Button.MouseOut()
	if b.show != nil {
		b.show("", fyne.Position{})
	}
}
