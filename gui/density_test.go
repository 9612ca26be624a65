package gui

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

// visibleRows counts the rows of the list wholly inside its view.
func visibleRows(h *harness) int {
	view := h.u.dl.list.Size().Height
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.u.dl.list).Y
	n := 0
	for _, r := range h.u.dl.rows {
		if !r.Visible() || r.snap.ID == "" {
			continue
		}
		y := fyne.CurrentApp().Driver().AbsolutePositionForObject(r).Y - top
		if y >= 0 && y+r.Size().Height <= view+0.5 {
			n++
		}
	}
	return n
}

func TestCompactListShowsTwelveRowsAt640PxOfHeight(t *testing.T) {
	h := newHarness(t)
	if !h.u.dl.compact {
		t.Fatal("the list is not compact by default")
	}
	h.u.win.Resize(fyne.NewSize(960, 640))
	h.u.apply(fakeSnaps(100, engine.Queued), false)
	if n := visibleRows(h); n < 12 {
		t.Errorf("%d whole rows fit at 640 px of height, want at least 12", n)
	}
	h.u.dl.setCompact(false)
	h.u.dl.list.Refresh()
	if n := visibleRows(h); n >= 12 {
		t.Errorf("the comfortable density fits %d rows: is it still the three-line row?", n)
	}
}

func TestCompactColumnsLineUpAndTheStateIsNextToTheName(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	for _, width := range []float32{1280, 960, 640} {
		h.u.win.Resize(fyne.NewSize(width, 640))
		a, c := h.rowFor("a"), h.rowFor("c")
		for _, col := range []struct {
			name string
			x, y fyne.CanvasObject
		}{{"state", a.state, c.state}, {"size", a.size, c.size}, {"speed", a.speed, c.speed}, {"time left", a.left, c.left}} {
			if col.x.Position().X != col.y.Position().X || col.x.Size().Width != col.y.Size().Width {
				t.Errorf("at %v px the %s column is at %v+%v in one row, %v+%v in another", width, col.name,
					col.x.Position().X, col.x.Size().Width, col.y.Position().X, col.y.Size().Width)
			}
		}
		gap := a.state.Position().X - (a.name.Position().X + a.name.Size().Width)
		if gap < 0 || gap > 1 || a.name.Size().Width < minName {
			t.Errorf("at %v px the state is %v px after a name %v px wide", width, gap, a.name.Size().Width)
		}
		if a.left.Position().X+a.left.Size().Width > a.buttons.Position().X {
			t.Errorf("at %v px the time left runs under the buttons", width)
		}
		if a.size.Text != "40.0 MiB" || a.speed.Text == "" || a.left.Text != "13 s" || a.pct.Text != "30%" {
			t.Errorf("at %v px the running row shows %q %q %q %q", width, a.pct.Text, a.size.Text, a.speed.Text, a.left.Text)
		}
	}
}

func TestCompletedRowDrawsNoBar(t *testing.T) {
	for _, compact := range []bool{true, false} {
		r := newRow(nopActions{}, compact)
		r.show(goldenSnaps()[2]) // completed
		rend := test.WidgetRenderer(r.bar).(*barRenderer)
		if rend.fill.FillColor != color.Transparent && rend.fill.Visible() || rend.track.FillColor != color.Transparent {
			t.Errorf("compact %v: a completed row draws a bar (fill %v, track %v)", compact, rend.fill.FillColor, rend.track.FillColor)
		}
		r.show(goldenSnaps()[0]) // running
		if rend.track.FillColor == color.Transparent {
			t.Errorf("compact %v: a running row draws no bar", compact)
		}
	}
}

func TestIconsTellKindsApart(t *testing.T) {
	names := []string{"a.zip", "b.tar.gz", "c.iso", "d.deb", "e.mp4", "f.mp3", "g.png", "h.pdf", "i.exe", "j.bin"}
	seen := map[fyne.Resource]string{}
	for _, n := range names {
		res := iconOf(n).resource()
		if other, ok := seen[res]; ok && !(n == "b.tar.gz" && other == "a.zip") {
			t.Errorf("%s and %s share an icon", other, n)
		}
		seen[res] = n
	}
	if iconOf("b.tar.gz") != iconArchive || iconOf("c.ISO") != iconDiskImage || iconOf("x.rpm") != iconPackage {
		t.Errorf("tar.gz %v, ISO %v, rpm %v", iconOf("b.tar.gz"), iconOf("c.ISO"), iconOf("x.rpm"))
	}
}

func TestStopIsOfferedOnlyWhereThereIsSomethingToDelete(t *testing.T) {
	r := newRow(nopActions{}, true)
	failed := goldenSnaps()[3] // failed, nothing received
	r.show(failed)
	if r.cancelBtn.Visible() {
		t.Error("a failed download with 0 bytes offers to delete what was downloaded")
	}
	failed.Received = 1 << 20
	r.show(failed)
	if !r.cancelBtn.Visible() {
		t.Error("a failed download with 1 MiB on disk offers no Stop")
	}
	if r.cancelBtn.Icon == r.removeBtn.Icon {
		t.Error("Stop and Remove look alike")
	}
}

// Stop and Remove are not neighbours that look alike: on a running row,
// at both densities, a separator and more than the usual gap between two
// buttons lie between them.
func TestStopAndRemoveAreSetApart(t *testing.T) {
	for _, compact := range []bool{true, false} {
		t.Run(fmt.Sprintf("compact=%v", compact), func(t *testing.T) {
			test.NewTempApp(t)
			r := newRow(nopActions{}, compact)
			r.show(goldenSnaps()[0]) // running: Stop and Remove both show
			w := test.NewWindow(r)
			defer w.Close()
			w.Resize(fyne.NewSize(960, r.MinSize().Height+2*theme.Padding()))
			drv := fyne.CurrentApp().Driver()
			stopEnd := drv.AbsolutePositionForObject(r.cancelBtn).X + r.cancelBtn.Size().Width
			removeAt := drv.AbsolutePositionForObject(r.removeBtn).X
			if !r.cancelBtn.Visible() || !r.removeBtn.Visible() {
				t.Fatal("a running row shows no Stop or no Remove")
			}
			if gap := removeAt - stopEnd; gap < 3*theme.Padding() {
				t.Errorf("Remove is %v px after Stop, want at least %v", gap, 3*theme.Padding())
			}
			between := false
			for _, o := range test.LaidOutObjects(r) {
				if sep, ok := o.(*widget.Separator); ok && sep.Visible() {
					x := drv.AbsolutePositionForObject(sep).X
					between = between || (x >= stopEnd && x+sep.Size().Width <= removeAt)
				}
			}
			if !between {
				t.Error("no separator between Stop and Remove")
			}
		})
	}
}

func TestPausedHasItsOwnChoiceAndActiveCountsOnlyRunningDownloads(t *testing.T) {
	h := newHarness(t)
	snaps := fakeSnaps(3, engine.Paused)
	h.u.apply(snaps, false)
	opts := h.u.dl.find.show.Options
	want := []string{"All (3)", "Active (0)", "Paused (3)", "Queued (0)", "Completed (0)", "Failed (0)"}
	if fmt.Sprint(opts) != fmt.Sprint(want) {
		t.Errorf("the state choices are %q, want %q", opts, want)
	}
	h.u.dl.find.show.SetSelected("Paused (3)")
	if len(h.u.dl.shown) != 3 {
		t.Errorf("Paused shows %d rows", len(h.u.dl.shown))
	}
	h.u.dl.find.show.SetSelected("Active (0)")
	if len(h.u.dl.shown) != 0 {
		t.Errorf("Active shows %d paused rows", len(h.u.dl.shown))
	}
}

// nopActions are row actions that do nothing, for a row on its own.
type nopActions struct{}

func (nopActions) pause(string)                   {}
func (nopActions) resume(string)                  {}
func (nopActions) retry(string)                   {}
func (nopActions) cancel(string)                  {}
func (nopActions) remove(string)                  {}
func (nopActions) open(engine.Snapshot)           {}
func (nopActions) openFolder(engine.Snapshot)     {}
func (nopActions) details(engine.Snapshot)        {}
func (nopActions) hint(string, fyne.Position)     {}
func (nopActions) click(string, fyne.KeyModifier) {}
func (nopActions) canOpen() bool                  { return true }
func (nopActions) focusList()                     {}
