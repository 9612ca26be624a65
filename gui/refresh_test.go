package gui

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// pausedOnOldLink adds /old.bin, which stops sending after 256 KiB (an
// expired link, say), pauses it there and opens its details.
func pausedOnOldLink(h *harness, data []byte) (string, *detailsDialog, int64) {
	h.t.Helper()
	release := make(chan struct{})
	h.t.Cleanup(func() { close(release) })
	h.srv.Add("/old.bin", data, testserver.ETag(`"v1"`), testserver.Hold(256<<10, release))
	h.u.addText(h.srv.URL("/old.bin"), "", "the test")
	id := h.idByName("old.bin")
	h.until("the first bytes", func() bool { s, _ := h.m.Get(id); return s.Received >= 256<<10 })
	if err := h.m.Pause(id); err != nil {
		h.t.Fatal(err)
	}
	h.waitState(id, engine.Paused)
	s, _ := h.m.Get(id)
	h.clickRow(id, 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	h.until("the details to show the pause", func() bool { return !d.newLink.btn.Disabled() })
	return id, d, s.Received
}

func TestNewLinkInDetailsKeepsTheBytesOfTheSameFile(t *testing.T) {
	h := newHarness(t)
	data := testserver.Content(1<<20, 3)
	h.srv.Add("/new.bin", data, testserver.ETag(`"v1"`))
	id, d, had := pausedOnOldLink(h, data)
	test.Type(d.newLink.entry, h.srv.URL("/new.bin"))
	test.Tap(d.newLink.btn)
	h.waitState(id, engine.Completed)
	s, _ := h.m.Get(id)
	got, err := os.ReadFile(s.Path())
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("file differs (%d bytes, err %v)", len(got), err)
	}
	if sent := h.srv.Stats("/new.bin").BytesSent; sent != int64(len(data))-had {
		t.Errorf("the new link sent %d bytes; want only the %d missing", sent, int64(len(data))-had)
	}
	if msg := h.rowFor(id).message.Text; strings.Contains(msg, "started over") {
		t.Errorf("row says %q for the same file", msg)
	}
	h.until("the details to show the new link", func() bool { return strings.HasSuffix(d.link.Text, "/new.bin") })
}

func TestNewLinkToAnotherFileStartsOverAndTheRowSaysWhy(t *testing.T) {
	h := newHarness(t)
	data := testserver.Content(1<<20, 3)
	other := testserver.Content(1<<20+500, 4)
	h.srv.Add("/new.bin", other)
	id, d, _ := pausedOnOldLink(h, data)
	test.Type(d.newLink.entry, h.srv.URL("/new.bin"))
	test.Tap(d.newLink.btn)
	h.waitState(id, engine.Completed)
	s, _ := h.m.Get(id)
	if got, err := os.ReadFile(s.Path()); err != nil || !bytes.Equal(got, other) {
		t.Fatalf("file is not the new link's (%d bytes, err %v)", len(got), err)
	}
	r := h.rowFor(id)
	h.until("the row to say why", func() bool {
		return strings.Contains(r.message.Text, "the new link serves a different file; started over")
	})
}

func TestNewLinkInDetailsRefusesABadLink(t *testing.T) {
	h := newHarness(t)
	data := testserver.Content(1<<20, 3)
	id, d, _ := pausedOnOldLink(h, data)
	test.Type(d.newLink.entry, "ftp://example.invalid/a.bin")
	test.Tap(d.newLink.btn)
	h.until("an error", func() bool { return strings.Contains(h.overlayText(), "only http and https") })
	if s, _ := h.m.Get(id); !strings.HasSuffix(s.URL, "/old.bin") || s.State != engine.Paused {
		t.Errorf("a refused link changed the download: %+v", s)
	}
}
