package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

func TestSpeedGraphFollowsTheTotalSpeedAndRestsWhenIdle(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/busy.bin"), "", "the test")
	id := h.idByName("busy.bin")
	h.waitState(id, engine.Active)
	// The window samples the total speed once a second by itself.
	h.until("a second sample in the graph", func() bool { return len(h.u.status.graph.hist.values()) >= 2 })

	g := newSpeedGraph()
	start := time.Unix(1000, 0)
	g.add(start, 5000)
	for i := 1; i <= speedSamples; i++ {
		g.add(start.Add(time.Duration(i)*time.Second), 0)
	}
	before := g.redraws
	for i := 1; i <= 30; i++ {
		g.add(start.Add(time.Duration(speedSamples+i)*time.Second), 0)
	}
	if g.redraws != before {
		t.Errorf("a graph flat at zero for a minute redrew %d more times", g.redraws-before)
	}
	g.add(start.Add(time.Duration(speedSamples+31)*time.Second), 100)
	if g.redraws != before+1 {
		t.Error("the graph did not redraw when the speed came back")
	}
}

func TestSpeedPresetsOneClickFromTheStatusBar(t *testing.T) {
	h := newHarness(t)
	if h.u.status.limit.Text != "Unlimited" {
		t.Errorf("limit button reads %q", h.u.status.limit.Text)
	}
	test.Tap(h.u.status.limit)
	m := h.u.presetMenu
	if m == nil || len(m.Items) != 6 {
		t.Fatalf("preset menu: %v", m)
	}
	test.Tap(m.Items[2].(fyne.Tappable)) // 1 MiB/s
	if h.u.set.RateLimitKiB != 1024 || h.app.Preferences().Int(prefRateKiB) != 1024 {
		t.Errorf("after the 1 MiB/s preset the limit is %d KiB/s (saved %d)", h.u.set.RateLimitKiB, h.app.Preferences().Int(prefRateKiB))
	}
	if h.u.status.limit.Text != "1 MiB/s" {
		t.Errorf("limit button reads %q", h.u.status.limit.Text)
	}
}

func TestRowShowsTheFileKindIcon(t *testing.T) {
	h := newHarness(t)
	names := map[string]fyne.Resource{
		"a": theme.MediaPhotoIcon(), "b": theme.MediaVideoIcon(), "c": theme.MediaMusicIcon(),
		"d": archiveIcon, "e": theme.DocumentIcon(), "f": theme.FileApplicationIcon(), "g": theme.FileIcon(),
	}
	h.u.apply([]engine.Snapshot{
		{ID: "a", Name: "photo.JPG", State: engine.Queued, Total: -1},
		{ID: "b", Name: "film.mkv", State: engine.Queued, Total: -1},
		{ID: "c", Name: "song.flac", State: engine.Queued, Total: -1},
		{ID: "d", Name: "backup.tar.gz", State: engine.Queued, Total: -1},
		{ID: "e", Name: "paper.pdf", State: engine.Queued, Total: -1},
		{ID: "f", Name: "setup.exe", State: engine.Queued, Total: -1},
		{ID: "g", Name: "data.bin", State: engine.Queued, Total: -1},
	}, false)
	for id, want := range names {
		if got := h.rowFor(id).icon.Resource; got.Name() != want.Name() {
			t.Errorf("row %s shows icon %s, want %s", id, got.Name(), want.Name())
		}
	}
}

func TestDetailsViewShowsTheFileAndItsMapOnDisk(t *testing.T) {
	h := newHarness(t)
	release := make(chan struct{})
	h.srv.Add("/d/half.bin", testserver.Content(8<<20, 3), testserver.ETag(`"abc"`), testserver.Hold(300<<10, release))
	defer close(release)
	h.u.addText(h.srv.URL("/d/half.bin"), "", "the test")
	id := h.idByName("half.bin")
	h.waitState(id, engine.Active)
	h.clickRow(id, 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	if d == nil {
		t.Fatal("Details opened nothing")
	}
	if !strings.Contains(h.overlayText(), "Download details") {
		t.Error("the details are not on screen")
	}
	h.until("the map to show bytes on disk", func() bool {
		var have int64
		for _, r := range d.fmap.have {
			have += r.End - r.Start
		}
		return d.fmap.total == 8<<20 && have > 0 && have < 8<<20
	})
	if !strings.Contains(d.validators.Text, `ETag "abc"`) || !strings.Contains(d.validators.Text, "resumable") {
		t.Errorf("server line: %q", d.validators.Text)
	}
	if d.link.Text != h.srv.URL("/d/half.bin") || !strings.HasSuffix(d.dir.Text, "half.bin") || d.kind.Text != "Other" {
		t.Errorf("link %q, path %q, type %q", d.link.Text, d.dir.Text, d.kind.Text)
	}
	if !strings.HasSuffix(d.conns.Text, " connections") && d.conns.Text != "1 connection" || d.attempt.Text != "No failed attempt" {
		t.Errorf("connections %q, attempts %q", d.conns.Text, d.attempt.Text)
	}
}
