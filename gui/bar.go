package gui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// barLook is how a progress bar is coloured.
type barLook int

const (
	barRunning barLook = iota // primary colour
	barDone                   // nothing drawn: a finished file needs no bar
	barFailed                 // error colour
	barIdle                   // muted: queued, paused, canceled
)

// barHeight is the thickness of the drawn bar.
const barHeight = 6

// progressBar is a thin progress bar. A negative value means the size is
// unknown: while busy, a segment sweeps along it instead.
type progressBar struct {
	widget.BaseWidget
	value float64
	look  barLook
	busy  bool
}

func newProgressBar() *progressBar {
	b := &progressBar{}
	b.ExtendBaseWidget(b)
	return b
}

// set changes what the bar shows, redrawing only on a change.
func (b *progressBar) set(value float64, look barLook, busy bool) {
	if b.value == value && b.look == look && b.busy == busy {
		return
	}
	b.value, b.look, b.busy = value, look, busy
	b.Refresh()
}

// CreateRenderer is part of fyne.Widget.
func (b *progressBar) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{b: b, track: canvas.NewRectangle(color.Transparent), fill: canvas.NewRectangle(color.Transparent)}
	r.track.CornerRadius = barHeight / 2
	r.fill.CornerRadius = barHeight / 2
	r.anim = fyne.NewAnimation(1400*time.Millisecond, func(f float32) {
		r.sweep = f
		r.Layout(b.Size())
		canvas.Refresh(r.fill)
	})
	r.anim.RepeatCount = fyne.AnimationRepeatForever
	r.anim.Curve = fyne.AnimationEaseInOut
	r.Refresh()
	return r
}

type barRenderer struct {
	b           *progressBar
	track, fill *canvas.Rectangle
	anim        *fyne.Animation
	running     bool
	sweep       float32 // position of the busy segment, 0..1
}

// Layout draws the bar inset like a label's text, so that it lines up
// with the name above it and the numbers below.
func (r *barRenderer) Layout(size fyne.Size) {
	inset := r.b.Theme().Size(theme.SizeNameInnerPadding)
	x, w := inset, max(size.Width-2*inset, 0)
	y := (size.Height - barHeight) / 2
	r.track.Move(fyne.NewPos(x, y))
	r.track.Resize(fyne.NewSize(w, barHeight))
	v := r.b.value
	switch {
	case v >= 0:
		r.fill.Move(fyne.NewPos(x, y))
		r.fill.Resize(fyne.NewSize(w*float32(min(v, 1)), barHeight))
	case r.b.busy:
		seg := w / 4
		r.fill.Move(fyne.NewPos(x+(w-seg)*r.sweep, y))
		r.fill.Resize(fyne.NewSize(seg, barHeight))
	default:
		r.fill.Resize(fyne.NewSize(0, barHeight))
	}
	// A rounded rectangle of no width still draws a sliver.
	setVisible(r.fill, r.fill.Size().Width >= 1)
}

func (r *barRenderer) MinSize() fyne.Size { return fyne.NewSize(48, barHeight+2) }

func (r *barRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	switch r.b.look {
	case barDone:
		r.track.FillColor, r.fill.FillColor = color.Transparent, color.Transparent
	case barFailed:
		r.fill.FillColor = th.Color(theme.ColorNameError, v)
	case barIdle:
		r.fill.FillColor = th.Color(theme.ColorNameDisabled, v)
	default:
		r.fill.FillColor = th.Color(theme.ColorNamePrimary, v)
	}
	want := r.b.value < 0 && r.b.busy && r.b.Visible()
	if want != r.running {
		if want {
			r.anim.Start()
		} else {
			r.anim.Stop()
		}
		r.running = want
	}
	r.Layout(r.b.Size())
	r.track.Refresh()
	r.fill.Refresh()
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.fill} }

func (r *barRenderer) Destroy() {
	if r.running {
		r.anim.Stop()
		r.running = false
	}
}

// soften makes a colour half transparent, for bars that need no attention.
func soften(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a>>8) * 3 / 5}
}
