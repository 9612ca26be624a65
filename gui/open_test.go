package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine"
)

func TestOpenFailuresShowTheirErrorInTheWindow(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, []byte("%PDF"), 0o644); err != nil {
		t.Fatal(err)
	}
	dismiss := func() {
		for top := h.u.win.Canvas().Overlays().Top(); top != nil; top = h.u.win.Canvas().Overlays().Top() {
			h.u.win.Canvas().Overlays().Remove(top)
		}
	}
	// Nothing can open it: the opener fails, as xdg-open does then.
	h.u.openCmd = []string{"sh", "-c", `echo "no application is registered for this file" >&2; exit 4`, "opener"}
	h.u.open(engine.Snapshot{Dir: dir, Name: "report.pdf"})
	h.until("the error of Open", func() bool {
		got := h.overlayText()
		return strings.Contains(got, "Could not open") && strings.Contains(got, "no application is registered")
	})
	dismiss()
	// No opener at all.
	h.u.openCmd = []string{filepath.Join(dir, "no-such-opener")}
	h.u.openFolder(engine.Snapshot{Dir: dir})
	h.until("the error of Open folder", func() bool { return strings.Contains(h.overlayText(), "no program to open it with") })
	dismiss()
	// The file went away.
	h.u.openCmd = []string{"true"}
	h.u.open(engine.Snapshot{Dir: dir, Name: "gone.zip"})
	h.until("the error of a missing file", func() bool { return strings.Contains(h.overlayText(), "not there any more") })
	dismiss()
	// An opener that works is no error.
	if err := runOpener(t.Context(), []string{"true"}, file); err != nil {
		t.Errorf("a working opener: %v", err)
	}
}
