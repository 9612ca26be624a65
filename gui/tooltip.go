package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// afterFunc runs f once d has passed, on another goroutine, unless the
// returned stop is called first: time.AfterFunc in the window, a clock
// the test moves in tests.
type afterFunc func(d time.Duration, f func()) (stop func() bool)

func realAfter(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// tooltipDelay is how long the pointer rests on a control before its
// tooltip shows.
const tooltipDelay = 600 * time.Millisecond

// tooltip is the window's one tooltip (Fyne 2.7 has none): a small panel
// by the pointer saying what the control under it does, after a delay.
// It is drawn in a layer above the window's content rather than as a
// pop-up, which would take the pointer away from the control.
type tooltip struct {
	after afterFunc
	post  func(func()) // runs a function on the UI goroutine
	layer *fyne.Container
	panel *fyne.Container
	label *widget.Label
	stop  func() bool
	gen   int // which show a timer is for
}

func newTooltip(after afterFunc, post func(func())) *tooltip {
	t := &tooltip{after: after, post: post, label: widget.NewLabel("")}
	t.label.SizeName = theme.SizeNameCaptionText
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	t.panel = container.NewStack(bg, t.label)
	t.panel.Hide()
	t.layer = container.NewWithoutLayout(t.panel)
	return t
}

// show shows text by the pointer at (absolute) after tooltipDelay, in
// place of any tooltip shown; "" hides it. UI goroutine only.
func (t *tooltip) show(text string, at fyne.Position) {
	t.hide()
	if text == "" {
		return
	}
	gen := t.gen
	t.stop = t.after(tooltipDelay, func() {
		t.post(func() {
			if gen == t.gen {
				t.open(text, at)
			}
		})
	})
}

// hide takes the tooltip away and forgets one about to show.
func (t *tooltip) hide() {
	t.gen++
	if t.stop != nil {
		t.stop()
		t.stop = nil
	}
	if t.panel.Visible() {
		t.panel.Hide()
		t.layer.Refresh()
	}
}

func (t *tooltip) open(text string, at fyne.Position) {
	t.label.SetText(text)
	size := t.panel.MinSize()
	t.panel.Resize(size)
	t.panel.Move(tooltipPosition(at, size, t.layer.Size()))
	t.panel.Show()
	t.layer.Refresh()
}

// tooltipOffset is how far below the pointer a tooltip shows, clear of
// the cursor's arrow.
const tooltipOffset = 20

// tooltipPosition places a tooltip of size s below and right of the
// pointer p, inside an area of size area: above the pointer when there is
// no room below, shifted left when there is none to the right.
func tooltipPosition(p fyne.Position, s, area fyne.Size) fyne.Position {
	x, y := p.X, p.Y+tooltipOffset
	if x+s.Width > area.Width {
		x = area.Width - s.Width
	}
	if y+s.Height > area.Height {
		y = p.Y - s.Height - 4
	}
	return fyne.NewPos(max(x, 0), max(y, 0))
}
