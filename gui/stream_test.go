package gui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// TestAddDialogSavesAVideoStreamInTheQualityChosen adds an HLS master
// playlist through the Add dialog with "Worst" chosen and checks the
// download completes as one .ts file of the smaller variant's segments.
func TestAddDialogSavesAVideoStreamInTheQualityChosen(t *testing.T) {
	h := newHarness(t)
	h.srv.AddHLS("/v")
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	if d == nil || d.quality == nil || d.quality.Selected != "Best" {
		t.Fatal("the Add dialog has no quality choice set to Best")
	}
	test.Type(d.links, h.srv.URL("/v/master/master.m3u8"))
	d.quality.SetSelected("Worst")
	test.Tap(d.addBtn)
	id := h.idByName("master.ts")
	h.waitState(id, engine.Completed)
	got, err := os.ReadFile(filepath.Join(h.dl, "master.ts"))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != testserver.HLSExpectedSum("master/lo") {
		t.Errorf("master.ts (%d bytes) is not the worst variant's segments", len(got))
	}
}

func TestQualityOf(t *testing.T) {
	for choice, want := range map[string]string{"Best": "", "": "", "Worst": "worst", "720p": "720", "1080p": "1080"} {
		if got := qualityOf(choice); got != want {
			t.Errorf("qualityOf(%q) = %q, want %q", choice, got, want)
		}
	}
}

func TestStreamProgressSaysEstimatedAndSegments(t *testing.T) {
	s := engine.Snapshot{State: engine.Active, Received: 1 << 20, Total: 4 << 20, Estimated: true, Segments: 10, SegmentsDone: 3}
	if got, want := progressText(s), "1.0 MiB of about 4.0 MiB (25%), segment 3 of 10"; got != want {
		t.Errorf("progressText = %q, want %q", got, want)
	}
}

func TestStreamRowAndDetailsSayTheKindAndQuality(t *testing.T) {
	s := engine.Snapshot{State: engine.Active, Received: 1 << 20, Total: 4 << 20, Estimated: true, Segments: 10, SegmentsDone: 3,
		Stream: true, StreamKind: "DASH", Quality: "720p"}
	want := "DASH 720p, 1.0 MiB of about 4.0 MiB (25%), segment 3 of 10"
	if got := detailText(s); !strings.Contains(got, want) {
		t.Errorf("detailText = %q, want it to say %q", got, want)
	}
	if got := sizeText(s); got != want {
		t.Errorf("sizeText = %q, want %q", got, want)
	}
	s.State, s.Received, s.StreamKind, s.Quality = engine.Completed, 3<<20, "HLS", ""
	if got, want := detailText(s), "3.0 MiB, HLS"; got != want {
		t.Errorf("completed detailText = %q, want %q", got, want)
	}
	if got, want := sizeText(s), "3.0 MiB, HLS"; got != want {
		t.Errorf("completed sizeText = %q, want %q", got, want)
	}
}

func TestStreamRowShowsSegmentsBeforeTheFirstByte(t *testing.T) {
	s := engine.Snapshot{State: engine.Active, Total: -1, Segments: 40}
	if got := detailText(s); !strings.Contains(got, "segment 0 of 40") {
		t.Errorf("detailText = %q, want the segment count rather than Connecting…", got)
	}
}
