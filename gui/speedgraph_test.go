package gui

import (
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func TestSpeedHistoryKeepsTheLastMinute(t *testing.T) {
	var h speedHistory
	t0 := time.Unix(1000, 0)
	for i := range 70 {
		h.add(t0.Add(time.Duration(i)*time.Second), float64(i))
	}
	v := h.values()
	if len(v) != speedSamples || v[0] != 10 || v[len(v)-1] != 69 {
		t.Fatalf("after 70 s: %d samples, %v … %v; want 60 from 10 to 69", len(v), v[0], v[len(v)-1])
	}
	// A second sample within the same second replaces the newest one.
	h.add(t0.Add(69*time.Second+500*time.Millisecond), 500)
	if v := h.values(); len(v) != speedSamples || v[len(v)-1] != 500 || v[len(v)-2] != 68 {
		t.Fatalf("update within a second: ... %v %v", v[len(v)-2], v[len(v)-1])
	}
	// Three silent seconds are drawn as zeros, not skipped.
	h.add(t0.Add(73*time.Second), 7)
	v = h.values()
	if got := v[len(v)-4:]; !reflect.DeepEqual(got, []float64{0, 0, 0, 7}) {
		t.Fatalf("after a gap: %v, want [0 0 0 7]", got)
	}
	// An hour asleep leaves a flat minute, not the old samples.
	h.add(t0.Add(time.Hour), 1)
	v = h.values()
	for _, x := range v[:len(v)-1] {
		if x != 0 {
			t.Fatalf("after an hour: %v", v)
		}
	}
}

func TestSpeedPointsScaleToThePeak(t *testing.T) {
	var h speedHistory
	t0 := time.Unix(0, 0)
	h.add(t0, 2048)
	h.add(t0.Add(time.Second), 4096)
	h.add(t0.Add(2*time.Second), 0)
	pts := h.points(118, 20)
	want := []fyne.Position{{X: 114, Y: 10}, {X: 116, Y: 0}, {X: 118, Y: 20}}
	if !reflect.DeepEqual(pts, want) {
		t.Errorf("points = %v, want %v", pts, want)
	}
	var quiet speedHistory
	quiet.add(t0, 100) // below the 1 KiB floor: near the bottom, not the top
	if p := quiet.points(118, 20); p[0].Y < 18 {
		t.Errorf("100 B/s drawn at y=%v of 20", p[0].Y)
	}
}

func TestSpeedGraphDrawsOneLinePerStep(t *testing.T) {
	test.NewTempApp(t)
	g := newSpeedGraph()
	g.Resize(fyne.NewSize(118, 20))
	t0 := time.Unix(0, 0)
	for i := range 5 {
		g.add(t0.Add(time.Duration(i)*time.Second), float64(1024*(i+1)))
	}
	r := test.WidgetRenderer(g)
	segments := 0
	for _, o := range r.Objects()[:speedSamples-1] {
		l, ok := o.(*canvas.Line)
		if !ok {
			t.Fatalf("the graph draws a %T; only lines keep it cheap", o)
		}
		if l.Visible() {
			segments++
			if l.Position2.Y >= l.Position1.Y {
				t.Errorf("segment %v→%v does not rise with the speed", l.Position1, l.Position2)
			}
		}
	}
	if segments != 4 {
		t.Errorf("%d segments drawn, want 4 between 5 samples", segments)
	}
	if n := len(r.Objects()); n != speedSamples+1 {
		t.Errorf("%d objects; the renderer makes its %d lines and its scale once", n, speedSamples)
	}
}

func TestSpeedGraphSaysItsScaleAndIsBigEnoughToRead(t *testing.T) {
	test.NewTempApp(t)
	g := newSpeedGraph()
	r := test.WidgetRenderer(g).(*speedGraphRenderer)
	if min := r.MinSize(); min.Width < 140 || min.Height < 28 {
		t.Errorf("the graph is %v, want at least 140×28", min)
	}
	if r.scale.Text != "" {
		t.Errorf("an empty graph says %q", r.scale.Text)
	}
	t0 := time.Unix(0, 0)
	for i := range 5 { // a few seconds of nothing, as in a window just opened
		g.add(t0.Add(time.Duration(i)*time.Second), 0)
	}
	if r.scale.Text != "" {
		t.Errorf("a graph of nothing but 0 B/s says %q", r.scale.Text)
	}
	t0 = t0.Add(5 * time.Second)
	for i, v := range []float64{100 << 10, 2.5 * (1 << 20), 1 << 20} {
		g.add(t0.Add(time.Duration(i)*time.Second), v)
	}
	if r.scale.Text != "peak 2.5 MiB/s" {
		t.Errorf("the graph's scale says %q, want its peak", r.scale.Text)
	}
}
