package gui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/internal/human"
)

// speedSpan is how far back the speed graph reaches, and speedStep the
// time one sample stands for.
const (
	speedSpan    = time.Minute
	speedStep    = time.Second
	speedSamples = int(speedSpan / speedStep)
)

// speedHistory keeps the total speed of the last minute, one sample a
// second: a fixed ring, so a window open for days keeps 60 numbers.
type speedHistory struct {
	ring [speedSamples]float64
	next int       // where the next sample goes
	n    int       // samples kept, up to speedSamples
	last time.Time // when the newest sample was taken
}

// add records speed v (bytes per second) seen at now. Samples closer than
// a step to the newest one update it; a gap of several steps (the window
// was asleep, nothing ran) is filled with zeros.
func (h *speedHistory) add(now time.Time, v float64) {
	if h.n > 0 && now.Sub(h.last) < speedStep {
		h.ring[(h.next+speedSamples-1)%speedSamples] = v
		return
	}
	if h.n > 0 {
		for gap := min(int(now.Sub(h.last)/speedStep)-1, speedSamples); gap > 0; gap-- {
			h.push(0)
		}
	}
	h.push(v)
	h.last = now
}

func (h *speedHistory) push(v float64) {
	h.ring[h.next] = v
	h.next = (h.next + 1) % speedSamples
	h.n = min(h.n+1, speedSamples)
}

// idle says the last minute was all zero: a full ring of zeros.
func (h *speedHistory) idle() bool {
	if h.n < speedSamples {
		return false
	}
	for _, v := range h.ring {
		if v != 0 {
			return false
		}
	}
	return true
}

// values returns the samples, oldest first.
func (h *speedHistory) values() []float64 {
	out := make([]float64, 0, h.n)
	for i := h.n; i > 0; i-- {
		out = append(out, h.ring[(h.next+speedSamples-i)%speedSamples])
	}
	return out
}

// points places the samples in a w×h box: the newest at the right edge, a
// step apart, the highest sample (at least minScale) at the top.
func (h *speedHistory) points(w, ht float32) []fyne.Position {
	vals := h.values()
	peak := h.peak()
	dx := w / float32(speedSamples-1)
	pts := make([]fyne.Position, len(vals))
	for i, v := range vals {
		x := w - dx*float32(len(vals)-1-i)
		pts[i] = fyne.NewPos(x, ht-ht*float32(v/peak))
	}
	return pts
}

// minScale is the lowest top of the graph's scale: a trickle of 100 B/s
// is not drawn full height.
const minScale = 1024

// peak is the speed at the top of the graph: the highest sample of the
// last minute, at least minScale.
func (h *speedHistory) peak() float64 {
	peak := float64(minScale)
	for _, v := range h.values() {
		peak = max(peak, v)
	}
	return peak
}

// scaleText says in words what the top of the graph stands for, and
// nothing while the graph shows no speed at all: a window just opened
// has no peak of 1 KiB/s.
func scaleText(h *speedHistory) string {
	for _, v := range h.values() {
		if v > 0 {
			return "peak " + human.Speed(h.peak())
		}
	}
	return ""
}

// speedGraph draws the speed history as one polyline of canvas lines
// (one per pair of samples, made once), under the status bar's numbers.
type speedGraph struct {
	widget.BaseWidget
	hist    speedHistory
	redraws int // how many samples redrew the graph, for tests
}

func newSpeedGraph() *speedGraph {
	g := &speedGraph{}
	g.ExtendBaseWidget(g)
	return g
}

// add records the total speed at now and redraws, unless the graph was
// flat at zero and still is: an idle window draws nothing. UI goroutine
// only.
func (g *speedGraph) add(now time.Time, v float64) {
	was := g.hist.idle()
	g.hist.add(now, v)
	if was && g.hist.idle() {
		return
	}
	g.redraws++
	g.Refresh()
}

// CreateRenderer is part of fyne.Widget.
func (g *speedGraph) CreateRenderer() fyne.WidgetRenderer {
	r := &speedGraphRenderer{g: g, base: canvas.NewLine(color.Transparent), scale: canvas.NewText("", color.Transparent)}
	r.scale.TextSize = theme.CaptionTextSize()
	for i := range r.lines {
		r.lines[i] = canvas.NewLine(color.Transparent)
		r.lines[i].StrokeWidth = 1.5
		r.objs = append(r.objs, r.lines[i])
	}
	r.objs = append(r.objs, r.base, r.scale)
	r.Refresh()
	return r
}

type speedGraphRenderer struct {
	g     *speedGraph
	lines [speedSamples - 1]*canvas.Line
	base  *canvas.Line
	scale *canvas.Text // the peak the top stands for, in words
	objs  []fyne.CanvasObject
}

func (r *speedGraphRenderer) Layout(size fyne.Size) {
	pts := r.g.hist.points(size.Width, size.Height)
	for i, l := range r.lines {
		if i+1 >= len(pts) {
			l.Hide()
			continue
		}
		l.Position1, l.Position2 = pts[i], pts[i+1]
		l.Show()
	}
	r.base.Position1 = fyne.NewPos(0, size.Height)
	r.base.Position2 = fyne.NewPos(size.Width, size.Height)
	r.scale.Move(fyne.NewPos(0, 0)) // top left: what the top of the graph stands for
	r.scale.Resize(r.scale.MinSize())
}

// MinSize is part of fyne.WidgetRenderer: big enough to read.
func (r *speedGraphRenderer) MinSize() fyne.Size { return fyne.NewSize(140, 28) }

func (r *speedGraphRenderer) Refresh() {
	th, v := r.g.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	for _, l := range r.lines {
		l.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	}
	r.base.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	r.scale.Color = th.Color(theme.ColorNamePlaceHolder, v)
	r.scale.Text = scaleText(&r.g.hist)
	r.Layout(r.g.Size())
	for _, o := range r.objs {
		o.Refresh()
	}
}

func (r *speedGraphRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *speedGraphRenderer) Destroy() {}
