package gui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
)

// fakeSnaps makes n snapshots with IDs id0000, id0001, ... in state st.
func fakeSnaps(n int, st engine.State) []engine.Snapshot {
	out := make([]engine.Snapshot, n)
	for i := range out {
		out[i] = engine.Snapshot{ID: fmt.Sprintf("id%04d", i), Name: fmt.Sprintf("file-%04d.bin", i),
			State: st, Total: 1 << 20, Received: int64(i) << 10, Speed: 1000, ETA: time.Minute}
	}
	return out
}

func TestModelAppliesThousandsAddsAndRemoves(t *testing.T) {
	test.NewTempApp(t)
	md := newModel()
	added := md.apply(fakeSnaps(1000, engine.Queued), true)
	if len(added) != 1000 || md.len() != 1000 {
		t.Fatalf("added %d, len %d, want 1000", len(added), md.len())
	}
	if n := len(md.list); n != 1000 {
		t.Errorf("snapshot list has %d items", n)
	}
	if md.sum.Queued != 1000 || md.sum.Total() != 1000 {
		t.Errorf("counts = %+v", md.sum)
	}

	// A later batch: one changed, two removed, one new.
	changed := engine.Snapshot{ID: "id0500", Name: "file-0500.bin", State: engine.Active, Speed: 2048, Total: -1}
	batch := []engine.Snapshot{changed, {ID: "id0000", Removed: true}, {ID: "id0999", Removed: true},
		{ID: "new", Name: "new.bin", State: engine.Completed}}
	added = md.apply(batch, false)
	if len(added) != 1 || added[0] != "new" {
		t.Errorf("added = %q", added)
	}
	if md.len() != 999 || len(md.list) != 999 {
		t.Errorf("len %d, snapshots %d, want 999", md.len(), len(md.list))
	}
	if first := md.order[0]; first != "id0001" || md.list[0].ID != first {
		t.Errorf("first ID = %q", first)
	}
	if last := md.order[998]; last != "new" || md.list[998].ID != last || md.index("new") != 998 {
		t.Errorf("last ID = %q", last)
	}
	b, _ := md.row("id0500")
	if v, _ := b.Get(); v.(engine.Snapshot) != changed {
		t.Errorf("row binding holds %+v", v)
	}
	if md.sum.Active != 1 || md.sum.Completed != 1 || md.sum.Queued != 997 || md.sum.Speed != 2048 {
		t.Errorf("counts = %+v", md.sum)
	}
	if md.index("id0001") != 0 || md.index("id0000") != -1 {
		t.Errorf("index: %d %d", md.index("id0001"), md.index("id0000"))
	}

	// A full batch drops whatever it does not hold.
	md.apply(fakeSnaps(10, engine.Paused)[1:], true)
	if md.len() != 9 || md.sum.Paused != 9 {
		t.Errorf("after a full batch: len %d, counts %+v", md.len(), md.sum)
	}
}

func TestListOfThousandIsVirtual(t *testing.T) {
	h := newHarness(t)
	h.u.apply(fakeSnaps(1000, engine.Queued), false)
	if n := h.u.dl.list.Length(); n != 1000 {
		t.Fatalf("list length = %d, want 1000", n)
	}
	if h.u.dl.hint.Visible() {
		t.Error("empty hint shown over 1000 rows")
	}
	if len(h.u.dl.rows) == 0 || len(h.u.dl.rows) > 40 {
		t.Errorf("the list built %d rows for 1000 downloads in a 700 px window", len(h.u.dl.rows))
	}
	h.u.dl.list.ScrollToBottom()
	r := h.rowFor("id0999")
	if r.name.Text != "file-0999.bin" {
		t.Errorf("last row shows %q", r.name.Text)
	}
	if got := text(h.u.status.text); got != "0 active  ·  1000 queued  ·  0 done" {
		t.Errorf("status = %q", got)
	}
}

// goldenSnaps is a list in a fixed state, one download of each kind.
func goldenSnaps() []engine.Snapshot {
	return []engine.Snapshot{
		{ID: "a", Name: "holiday-photos.zip", Dir: "/dl", State: engine.Active, Total: 40 << 20, Received: 12_900_000, Speed: 2.2e6, ETA: 13 * time.Second, Conns: 4},
		{ID: "b", Name: "podcast-episode-42.mp3", Dir: "/dl", State: engine.Active, Total: -1, Received: 3 << 20, Speed: 400 << 10, ETA: -1, Conns: 1},
		{ID: "c", Name: "report-2025.pdf", Dir: "/dl", State: engine.Completed, Total: 3 << 20, Received: 3 << 20, ETA: -1},
		{ID: "d", Name: "missing.iso", Dir: "/dl", State: engine.Failed, Total: -1, ETA: -1, Err: "404 Not Found: http://127.0.0.1:8080/missing.iso"},
		{ID: "e", Name: "notes.txt", Dir: "/dl", State: engine.Paused, Total: 10 << 20, Received: 5 << 20, ETA: -1, Warning: "the server does not allow resuming: it will start over"},
		{ID: "f", Name: "IMG_0042.jpg", Dir: "/dl", State: engine.Queued, Total: -1, ETA: -1},
	}
}

func TestGoldenEmptyWindow(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(800, 500))
	test.AssertRendersToMarkup(t, "empty.xml", h.u.win.Canvas())
}

// TestGoldenRows renders one row of each state, at both densities.
func TestGoldenRows(t *testing.T) {
	for _, density := range []struct {
		name    string
		compact bool
	}{{"compact", true}, {"comfortable", false}} {
		t.Run(density.name, func(t *testing.T) {
			h := newHarness(t)
			h.u.dl.setCompact(density.compact)
			h.u.win.Resize(fyne.NewSize(900, 720))
			snaps := goldenSnaps()
			saving := engine.Snapshot{ID: "g", Name: "debian-13-netinst.iso", Dir: "/dl", State: engine.Active, Total: 754 << 20, Received: 754 << 20, ETA: -1, Finishing: true}
			retrying := engine.Snapshot{ID: "h", Name: "big-archive.tar.gz", Dir: "/dl", State: engine.Failed, Total: 200 << 20, Received: 50 << 20, ETA: -1, Err: "connection reset by peer"}
			canceled := engine.Snapshot{ID: "i", Name: "setup-2.1.deb", Dir: "/dl", State: engine.Canceled, Total: 9 << 20, ETA: -1}
			snaps = append(snaps[:1], append([]engine.Snapshot{saving}, snaps[1:]...)...)
			snaps = append(snaps, retrying, canceled)
			h.u.apply(snaps, false)
			test.AssertRendersToMarkup(t, "rows-"+density.name+".xml", h.u.win.Canvas())
			test.AssertImageMatches(t, "rows-"+density.name+".png", h.u.win.Canvas().Capture())
		})
	}
}

func TestModelMakesARowBindingOnlyWhenARowShowsTheDownload(t *testing.T) {
	md := newModel()
	md.apply(fakeSnaps(10000, engine.Queued), false)
	if len(md.rows) != 0 {
		t.Fatalf("10,000 new downloads made %d bindings before any row showed them", len(md.rows))
	}
	b, ok := md.row("id0042")
	if !ok || len(md.rows) != 1 {
		t.Fatalf("row: ok %v, %d bindings", ok, len(md.rows))
	}
	changed, _ := md.snapshot("id0042")
	changed.State, changed.Speed = engine.Active, 1
	md.apply([]engine.Snapshot{changed}, false)
	if v, _ := b.Get(); v.(engine.Snapshot) != changed {
		t.Errorf("the binding holds %+v after a batch changed it", v)
	}
	if _, ok := md.row("missing"); ok || len(md.rows) != 1 {
		t.Errorf("a download not in the list got a binding")
	}
}
