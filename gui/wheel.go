package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// newWheelVScroll is a vertical scroll of content in which the scroll
// wheel scrolls the whole, wherever the pointer is. Fyne hands the wheel
// to the innermost scrollable object under the pointer, and every entry
// holds one for its own text: over an entry the wheel did nothing. A pane
// laid over content, drawing nothing and taking nothing but the wheel,
// is that innermost object and hands the wheel on to the scroll; taps,
// typing, hovering and drags still reach the inputs under it.
func newWheelVScroll(content fyne.CanvasObject) *container.Scroll {
	pane := &wheelPane{}
	pane.ExtendBaseWidget(pane)
	s := container.NewVScroll(container.NewStack(content, pane))
	pane.to = s
	return s
}

// wheelPane takes the scroll wheel and hands it to a scroll.
type wheelPane struct {
	widget.BaseWidget
	to fyne.Scrollable
}

// Scrolled hands the wheel to the scroll.
func (p *wheelPane) Scrolled(ev *fyne.ScrollEvent) {
	p.to.Scrolled(ev)
}

// CreateRenderer draws nothing.
func (p *wheelPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
