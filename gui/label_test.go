package gui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

func TestFitMiddleKeepsTheExtension(t *testing.T) {
	runes := func(s string) float32 { return float32(utf8.RuneCountInString(s)) }
	long := strings.Repeat("conference-recording-", 6) + "final-cut.mkv"
	for _, tc := range []struct {
		s     string
		width float32
		want  string
	}{
		{"short.zip", 20, "short.zip"},
		{"exactly-twenty-c.zip", 20, "exactly-twenty-c.zip"},
		{long, 30, "conference-record…inal-cut.mkv"},
		{"東京の写真アルバム2025年夏の旅行.zip", 12, "東京の写…の旅行.zip"},
		{"no-extension-at-all-here", 12, "no-…all-here"},
		{long, 5, "conf…"}, // no room for the end
		{long, 0, "…"},
	} {
		got := fitMiddle(tc.s, tc.width, runes)
		if got != tc.want {
			t.Errorf("fitMiddle(%q, %v) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
		if tc.width > 0 && runes(got) > tc.width {
			t.Errorf("fitMiddle(%q, %v) = %q is too wide", tc.s, tc.width, got)
		}
	}
}

func TestPairGivesTheLineToWhatNeedsIt(t *testing.T) {
	test.NewTempApp(t)
	first, second := widget.NewLabel("12.3 MiB of 40.0 MiB (30%)"), widget.NewLabel("")
	pair := newPair(first, second, 0.6)
	layout := func(width float32) {
		pair.Resize(fyne.NewSize(width, 30))
		pair.Layout.Layout(pair.Objects, pair.Size())
	}
	layout(100) // narrower than the text
	if w := first.Size().Width; w != 100 {
		t.Errorf("alone on a narrow line, the first label is %v wide, want the whole 100", w)
	}
	second.SetText("the server does not allow resuming")
	n1, n2 := natural(first), natural(second)
	layout(n1 + n2 + 50)
	if first.Size().Width != n1 || second.Position().X != n1 {
		t.Errorf("both fit: first %v at 0, second at %v; want %v", first.Size().Width, second.Position().X, n1)
	}
	layout(n1 + n2/2)
	if w := first.Size().Width; w != (n1+n2/2)*0.6 && w != n1+n2/2-n2 {
		t.Errorf("crowded: first is %v wide", w)
	}
	if first.Size().Width+second.Size().Width != n1+n2/2 {
		t.Errorf("crowded: %v + %v does not fill the line", first.Size().Width, second.Size().Width)
	}
}

func TestLongNameIsCutInTheMiddle(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(600, 500))
	long := strings.Repeat("very-long-file-name-of-a-conference-recording-", 4) + "final-cut.mkv"
	h.u.apply([]engine.Snapshot{{ID: "x", Name: long, State: engine.Queued, Total: -1, ETA: -1}}, false)
	r := h.rowFor("x")
	shown := r.name.shown()
	if r.name.Text != long || !strings.HasSuffix(shown, "-cut.mkv") || !strings.Contains(shown, "…") {
		t.Errorf("name %q shown as %q", r.name.Text, shown)
	}
	// Compact rows keep the state next to the name: even a wide window
	// cuts a long name at maxName, keeping its end.
	h.u.win.Resize(fyne.NewSize(2000, 500))
	if got := r.name.shown(); !strings.HasSuffix(got, "-cut.mkv") || r.name.Size().Width > maxName {
		t.Errorf("compact, in a wide window the name is shown as %q in %v px", got, r.name.Size().Width)
	}
	// The three-line rows give it the whole line.
	h.u.dl.setCompact(false)
	h.u.win.Resize(fyne.NewSize(2001, 500))
	if got := h.rowFor("x").name.shown(); got != long {
		t.Errorf("in a wide window the name is shown as %q", got)
	}
}

func TestMessageClickShowsItWhole(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(600, 500))
	long := h.url("/missing/" + strings.Repeat("deeply/nested/", 12) + "page.html")
	h.u.addText(long, "", "the test")
	id := h.idByName("page.html")
	h.waitState(id, engine.Failed)
	r := h.rowFor(id)
	if !strings.Contains(r.message.Text, "404") {
		t.Fatalf("message %q", r.message.Text)
	}
	r.message.MouseIn(&desktop.MouseEvent{})
	if got := h.waitTooltip(); got != "Click to read the whole message" {
		t.Errorf("tooltip over the message = %q", got)
	}
	test.Tap(r.message)
	if h.u.tips.panel.Visible() {
		t.Error("the tooltip stayed with the dialog open")
	}
	d := h.u.infoDlg
	if d == nil {
		t.Fatal("a click on the message showed nothing")
	}
	if d.message.Text != r.message.Text || !strings.HasSuffix(d.message.Text, "page.html") || d.link.Text != long || d.name.Text != "page.html" {
		t.Errorf("details: message %q, link %q, name %q", d.message.Text, d.link.Text, d.name.Text)
	}
	if !strings.Contains(h.overlayText(), "Download failed") {
		t.Error("the details are not on screen")
	}
}
