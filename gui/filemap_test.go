package gui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/haul-dl/haul/engine"
)

func TestMapSpansMergeSortAndClip(t *testing.T) {
	cases := []struct {
		name  string
		total int64
		have  []engine.ByteRange
		w     float32
		want  []span
	}{
		{"nothing yet", 1000, nil, 100, nil},
		{"unknown size", -1, []engine.ByteRange{{Start: 0, End: 10}}, 100, nil},
		{"two pieces, out of order", 1000, []engine.ByteRange{{Start: 500, End: 750}, {Start: 0, End: 250}}, 100, []span{{0, 25}, {50, 75}}},
		{"touching pieces merge", 1000, []engine.ByteRange{{Start: 0, End: 250}, {Start: 250, End: 500}}, 100, []span{{0, 50}}},
		{"under a pixel apart merge", 1000, []engine.ByteRange{{Start: 0, End: 250}, {Start: 255, End: 500}}, 100, []span{{0, 50}}},
		{"clipped to the file", 1000, []engine.ByteRange{{Start: -5, End: 100}, {Start: 900, End: 2000}, {Start: 400, End: 300}}, 100, []span{{0, 10}, {90, 100}}},
		{"overlaps", 1000, []engine.ByteRange{{Start: 0, End: 600}, {Start: 100, End: 200}}, 100, []span{{0, 60}}},
	}
	for _, tc := range cases {
		if got := mapSpans(tc.total, tc.have, tc.w); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: mapSpans = %v, want %v", tc.name, got, tc.want)
		}
	}
	// Ten thousand small pieces with tiny gaps draw as one stretch.
	var many []engine.ByteRange
	for i := int64(0); i < 10000; i++ {
		many = append(many, engine.ByteRange{Start: i * 100, End: i*100 + 99})
	}
	if got := mapSpans(1_000_000, many, 300); len(got) != 1 {
		t.Errorf("10,000 pieces make %d spans, want 1", len(got))
	}
}

func TestFileMapPaintsWhatIsOnDisk(t *testing.T) {
	test.NewTempApp(t)
	m := newFileMap()
	m.Resize(fyne.NewSize(200, 20))
	m.set(1000, []engine.ByteRange{{Start: 0, End: 250}, {Start: 500, End: 600}})
	painted := func() (out []span) {
		for _, o := range test.WidgetRenderer(m).Objects()[1:] {
			if r := o.(*canvas.Rectangle); r.Visible() {
				out = append(out, span{r.Position().X, r.Position().X + r.Size().Width})
			}
		}
		return out
	}
	if got, want := painted(), []span{{0, 50}, {100, 120}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("painted %v, want %v", got, want)
	}
	// Pieces fill in: the map follows.
	m.set(1000, []engine.ByteRange{{Start: 0, End: 400}, {Start: 500, End: 1000}})
	if got, want := painted(), []span{{0, 80}, {100, 200}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after more bytes: painted %v, want %v", got, want)
	}
	m.set(1000, []engine.ByteRange{{Start: 0, End: 1000}})
	if got, want := painted(), []span{{0, 200}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("complete: painted %v, want %v", got, want)
	}
}
