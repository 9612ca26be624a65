package gui

import (
	"cmp"
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/engine"
)

// span is a stretch of the file map in pixels, [x0, x1).
type span struct{ x0, x1 float32 }

// mapSpans turns the byte ranges on disk of a total-byte file into the
// stretches to paint on a bar w pixels wide: sorted, clipped to the file,
// and merged where they touch or are less than a pixel apart, so a file
// with thousands of pieces still draws a handful of rectangles.
func mapSpans(total int64, have []engine.ByteRange, w float32) []span {
	if total <= 0 || w <= 0 {
		return nil
	}
	rs := slices.Clone(have)
	slices.SortFunc(rs, func(a, b engine.ByteRange) int { return cmp.Compare(a.Start, b.Start) })
	scale := w / float32(total)
	var out []span
	for _, r := range rs {
		r.Start, r.End = max(r.Start, 0), min(r.End, total)
		if r.End <= r.Start {
			continue
		}
		s := span{float32(r.Start) * scale, float32(r.End) * scale}
		if n := len(out); n > 0 && s.x0-out[n-1].x1 < 1 {
			out[n-1].x1 = max(out[n-1].x1, s.x1)
			continue
		}
		out = append(out, s)
	}
	return out
}

// fileMap is a bar showing which byte ranges of a download are on disk,
// redrawn as pieces fill in.
type fileMap struct {
	widget.BaseWidget
	total int64
	have  []engine.ByteRange
}

func newFileMap() *fileMap {
	m := &fileMap{}
	m.ExtendBaseWidget(m)
	return m
}

// set shows the ranges on disk of a total-byte file (total <= 0: unknown
// size, nothing to map). UI goroutine only.
func (m *fileMap) set(total int64, have []engine.ByteRange) {
	if m.total == total && slices.Equal(m.have, have) {
		return
	}
	m.total, m.have = total, slices.Clone(have)
	m.Refresh()
}

// CreateRenderer is part of fyne.Widget.
func (m *fileMap) CreateRenderer() fyne.WidgetRenderer {
	r := &fileMapRenderer{m: m, track: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

type fileMapRenderer struct {
	m     *fileMap
	track *canvas.Rectangle
	fills []*canvas.Rectangle // reused between refreshes
	color color.Color
}

const fileMapHeight = 12

func (r *fileMapRenderer) Layout(size fyne.Size) {
	y := (size.Height - fileMapHeight) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, fileMapHeight))
	spans := mapSpans(r.m.total, r.m.have, size.Width)
	for len(r.fills) < len(spans) {
		r.fills = append(r.fills, canvas.NewRectangle(r.color))
	}
	for i, f := range r.fills {
		if i >= len(spans) {
			f.Hide()
			continue
		}
		f.FillColor = r.color
		f.Move(fyne.NewPos(spans[i].x0, y))
		f.Resize(fyne.NewSize(max(spans[i].x1-spans[i].x0, 1), fileMapHeight))
		f.Show()
	}
}

// MinSize is as tall as a line of text, so that the bar sits level with
// its label in a form.
func (r *fileMapRenderer) MinSize() fyne.Size {
	line := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
	return fyne.NewSize(120, max(line, fileMapHeight))
}

func (r *fileMapRenderer) Refresh() {
	th, v := r.m.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.color = th.Color(theme.ColorNamePrimary, v)
	r.Layout(r.m.Size())
	r.track.Refresh()
	for _, f := range r.fills {
		f.Refresh()
	}
}

func (r *fileMapRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, 1+len(r.fills))
	objs = append(objs, r.track)
	for _, f := range r.fills {
		objs = append(objs, f)
	}
	return objs
}

func (r *fileMapRenderer) Destroy() {}
