package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/internal/human"
)

// qualityChoices are the Add dialog's choices of the variant to save of
// a video stream (an HLS master playlist offers several qualities).
var qualityChoices = []string{"Best", "1080p", "720p", "480p", "360p", "Worst"}

// newQualitySelect is the Add dialog's quality choice, "Best" chosen.
func newQualitySelect(keys *dialogKeys) *keySelect {
	s := newKeySelect(qualityChoices, keys)
	s.SetSelected(qualityChoices[0])
	return s
}

// qualityRow lays the choice out with its label. The Add dialog shows it
// only when a link looks like a stream, so it needs no more words.
func qualityRow(s fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(widget.NewLabel("Video quality"), s)
}

// qualityOf turns a choice into engine.Request.Quality: "" for the best,
// "worst", or a height ("720p" → "720": that height or the closest below).
func qualityOf(choice string) string {
	switch choice {
	case "", "Best":
		return ""
	case "Worst":
		return "worst"
	}
	return strings.TrimSuffix(choice, "p")
}

// streamProgress is progressText for a video stream: "DASH 720p, 1.2 MiB
// of about 3.4 MiB (35%), segment 4 of 10" while its size is estimated
// (the kind and quality once its manifest is read).
func streamProgress(s engine.Snapshot) string {
	t := human.Bytes(s.Received)
	if k := streamKindText(s); k != "" {
		t = k + ", " + t
	}
	switch {
	case s.Total >= 0 && s.Estimated:
		t += " of about " + human.Bytes(s.Total)
	case s.Total >= 0:
		t += " of " + human.Bytes(s.Total)
	}
	if p := s.Progress(); p >= 0 && s.State != engine.Completed {
		t += fmt.Sprintf(" (%d%%)", int(p*100))
	}
	return t + fmt.Sprintf(", segment %d of %d", s.SegmentsDone, s.Segments)
}

// streamKindText is a stream's kind and chosen quality, "DASH 720p" or
// "HLS"; "" before its manifest is read and for a file.
func streamKindText(s engine.Snapshot) string {
	return strings.TrimSpace(s.StreamKind + " " + s.Quality)
}

// completedText is a completed download's size, with a stream's kind and
// quality: "12.3 MiB, HLS 720p".
func completedText(s engine.Snapshot) string {
	if k := streamKindText(s); k != "" {
		return human.Bytes(s.Received) + ", " + k
	}
	return human.Bytes(s.Received)
}
