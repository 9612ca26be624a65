package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/internal/outcome"
)

func fixedSize(w, h int) func() (int, int) { return func() (int, int) { return w, h } }

func TestResultLines(t *testing.T) {
	v := newView(&bytes.Buffer{}, &bytes.Buffer{}, modePlain, true, false, fixedSize(80, 24))
	cases := []struct {
		r    result
		want string
	}{
		{result{OK: true, Name: "a.jpg", Bytes: 1536}, "done  a.jpg  1.5 KiB"},
		{result{OK: true, Name: "a.jpg", Bytes: 10, Already: true}, "done  a.jpg  10 B  (already there)"},
		{result{OK: true, Name: "b.bin", Bytes: 5, Warning: "size unknown: cannot be verified"}, "done  b.bin  5 B  warning: size unknown: cannot be verified"},
		{result{URL: "http://h/x", Err: "404 Not Found: http://h/x"}, "FAILED  404 Not Found: http://h/x"},
		{result{URL: "http://h/x", Err: "the disk is full"}, "FAILED  http://h/x: the disk is full"},
		{result{OK: true, Name: "evil\x1b[2Jname", Bytes: 1}, `done  evil\x1b[2Jname  1 B`},
	}
	for _, c := range cases {
		if got := v.resultLine(c.r); got != c.want {
			t.Errorf("resultLine(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestSummaryLine(t *testing.T) {
	got := summaryLine(totals{Completed: 3, Failed: 1, Bytes: 12897485, Elapsed: 4200 * time.Millisecond})
	if want := "3 completed, 1 failed · 12.3 MiB in 4.2 s (2.9 MiB/s)"; got != want {
		t.Errorf("summaryLine = %q, want %q", got, want)
	}
	got = summaryLine(totals{Completed: 2, Already: 2, Rejected: 1, Elapsed: 100 * time.Millisecond})
	if want := "2 completed (2 already there), 1 input line rejected · 0 B in 0.1 s"; got != want {
		t.Errorf("summaryLine = %q, want %q", got, want)
	}
}

func TestPlainViewWritesNoEscapes(t *testing.T) {
	var out, errw bytes.Buffer
	v := newView(&out, &errw, modePlain, true, false, fixedSize(80, 24))
	v.finished(result{OK: true, Name: "a", Bytes: 1})
	v.finished(result{URL: "http://h/b", Err: "boom"})
	v.draw([]string{"should not appear"})
	v.showStatus("nor this", 80)
	v.message("a note")
	v.summary(totals{Completed: 1, Failed: 1})
	if strings.Contains(out.String()+errw.String(), "\x1b") {
		t.Fatalf("plain output has escape codes: %q / %q", out.String(), errw.String())
	}
	wantOut := "done  a  1 B\nFAILED  http://h/b: boom\n1 completed, 1 failed · 0 B in 0.0 s\n"
	if out.String() != wantOut {
		t.Errorf("stdout = %q, want %q", out.String(), wantOut)
	}
	if errw.String() != "a note\n" {
		t.Errorf("stderr = %q", errw.String())
	}
}

func TestJSONViewWritesOnlyJSON(t *testing.T) {
	var out, errw bytes.Buffer
	v := newView(&out, &errw, modeJSON, true, false, fixedSize(80, 24))
	v.finished(result{ID: "1", URL: "http://h/a", Path: "/d/a", OK: true, Bytes: 7})
	v.finished(result{ID: "2", URL: "http://h/b", Err: "404 Not Found: http://h/b", Bytes: 0})
	v.summary(totals{Completed: 1, Failed: 1})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("stdout has %d lines, want 2: %q", len(lines), out.String())
	}
	var got []jsonResult
	for _, l := range lines {
		var r jsonResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, r)
	}
	if got[0] != (jsonResult{ID: "1", URL: "http://h/a", Path: "/d/a", Status: "completed", Bytes: 7}) {
		t.Errorf("first = %+v", got[0])
	}
	if got[1].Status != "failed" || got[1].Error != "404 Not Found: http://h/b" {
		t.Errorf("second = %+v", got[1])
	}
	if !strings.Contains(errw.String(), "1 completed, 1 failed") {
		t.Errorf("summary not on stderr: %q", errw.String())
	}
}

func TestLiveViewRedrawsInPlace(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, &bytes.Buffer{}, modeLive, false, false, fixedSize(40, 24))
	v.draw([]string{"one", "two"})
	if out.String() != "one\ntwo\n" {
		t.Fatalf("first draw = %q", out.String())
	}
	out.Reset()
	v.finished(result{OK: true, Name: "x", Bytes: 1})
	v.draw([]string{"three " + strings.Repeat("z", 100)})
	want := ansiClear + ansiUpClear + ansiUpClear + "done  x  1 B\n" + "three " + strings.Repeat("z", 32) + "…\n"
	if out.String() != want {
		t.Fatalf("redraw = %q, want %q", out.String(), want)
	}
	out.Reset()
	v.summary(totals{Completed: 1})
	if !strings.HasPrefix(out.String(), ansiClear+ansiUpClear+"1 completed") {
		t.Fatalf("summary = %q", out.String())
	}
}

func TestLiveViewFitsTheScreenHeight(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, &bytes.Buffer{}, modeLive, false, false, fixedSize(80, 6))
	v.draw([]string{"1", "2", "3", "4", "5", "6", "7", "8"})
	if got := strings.Count(out.String(), "\n"); got != 4 {
		t.Fatalf("drew %d lines on a 6-line screen: %q", got, out.String())
	}
	if !strings.Contains(out.String(), "and 5 more") {
		t.Errorf("no overflow line: %q", out.String())
	}
}

func TestLiveViewListsFailuresAtTheEnd(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, &bytes.Buffer{}, modeLive, true, false, fixedSize(80, 24))
	v.finished(result{URL: "http://h/b", Err: "the disk is full"})
	v.summary(totals{Failed: 1})
	s := out.String()
	if !strings.Contains(s, "Failed:") || !strings.Contains(s, "  http://h/b: the disk is full\n") {
		t.Fatalf("failures not listed: %q", s)
	}
	if !strings.Contains(s, ansiRed) {
		t.Errorf("no colour on a terminal: %q", s)
	}
}

func TestProgressLinesFitWidth(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	snaps := []engine.Snapshot{
		{ID: "1", Name: "a-rather-long-file-name-for-an-installer-image.iso", State: engine.Active, Total: 100 << 20, Received: 45 << 20, Speed: 3 << 20, ETA: 18 * time.Second},
		{ID: "2", Name: "short.txt", State: engine.Active, Total: -1, Received: 1000, ETA: -1},
		{ID: "3", Name: "retry.bin", State: engine.Active, Total: 10, Received: 5, ETA: -1, Err: "503 Service Unavailable",
			Retry: &engine.RetryInfo{Attempt: 1, Of: 6, At: now.Add(2 * time.Second), Problem: engine.Problem{Kind: engine.KindHTTP, Status: 503, Message: "503 Service Unavailable"}}},
		{ID: "4", Name: "\u202egpj.exe", State: engine.Active, Total: -1, ETA: -1},
	}
	for _, w := range []int{40, 60, 80, 120, 200} {
		lines := progressLines(snaps, w, "  3 waiting", now)
		if len(lines) != 5 {
			t.Fatalf("width %d: %d lines", w, len(lines))
		}
		for _, l := range lines {
			if strings.ContainsRune(l, '\u202e') || strings.ContainsRune(l, '\x1b') {
				t.Errorf("unsafe text in %q", l)
			}
		}
		for _, l := range lines {
			if textWidth(l) > w-1 {
				t.Errorf("width %d: line %q is %d columns", w, l, textWidth(l))
			}
		}
	}
	lines := progressLines(snaps, 120, "", now)
	for i, want := range []string{"a-rather-long-file-name-for-an-installer-image.iso   45%  45.0 MiB / 100 MiB  3.0 MiB/s  18 s left", "1000 B", "50%  5 B / 10 B  retrying in 2 s (attempt 2 of 6): 503 Service Unavailable"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want it to contain %q", i, lines[i], want)
		}
	}
}

func TestProgressLinesOnANarrowTerminal(t *testing.T) {
	snap := engine.Snapshot{ID: "1", Name: "alpha.iso", State: engine.Active, Total: 6 << 20, Received: 3 << 20, Speed: 1 << 20, ETA: 3 * time.Second}
	wide := progressLines([]engine.Snapshot{snap}, 100, "", time.Now())[0]
	if !strings.Contains(wide, "3.0 MiB / 6.0 MiB") {
		t.Errorf("wide line = %q", wide)
	}
	narrow := progressLines([]engine.Snapshot{snap}, 40, "", time.Now())[0]
	if strings.Contains(narrow, " / ") || !strings.Contains(narrow, "alpha.iso") || !strings.Contains(narrow, "50%  1.0 MiB/s  3 s left") {
		t.Errorf("narrow line = %q: want the name, percent, speed and time left, without byte counts", narrow)
	}
	if textWidth(narrow) > 39 {
		t.Errorf("narrow line is %d columns", textWidth(narrow))
	}
}

func TestItemCountsBytesOfThisRun(t *testing.T) {
	it := &item{last: 100} // resumed with 100 bytes from an earlier run
	it.see(150)
	it.see(400)
	if it.got != 300 {
		t.Fatalf("got = %d, want 300", it.got)
	}
	it.see(50) // started over from zero: 50 new bytes
	it.see(120)
	if it.got != 420 {
		t.Fatalf("after a restart got = %d, want 420", it.got)
	}
}

// TestProgressLineWithEmojiFitsTheTerminal: an emoji takes two columns.
// Counted as one, the line would wrap and the live area's redraw (which
// moves up one row per line) would leave stale rows behind.
func TestProgressLineWithEmojiFitsTheTerminal(t *testing.T) {
	name := strings.Repeat("🚀", 30) + ".bin"
	snap := engine.Snapshot{ID: "1", Name: name, State: engine.Active, Total: 6 << 20, Received: 3 << 20, Speed: 1 << 20, ETA: 3 * time.Second}
	for _, w := range []int{40, 60, 80} {
		line := progressLines([]engine.Snapshot{snap}, w, "", time.Now())[0]
		// Columns counted by hand: two per rocket, one per other rune.
		cols := 0
		for _, r := range line {
			if r == '🚀' {
				cols += 2
			} else {
				cols++
			}
		}
		if cols > w-1 {
			t.Errorf("width %d: line %q takes %d columns", w, line, cols)
		}
	}
}

// TestRetryIsToldFromRetryInfoOnly: an active download with an error but
// no RetryInfo is not waiting to retry (the terminal no longer guesses
// from Active && Err != ""), and one with RetryInfo says when and why.
func TestRetryIsToldFromRetryInfoOnly(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := engine.Snapshot{ID: "1", Name: "a.bin", State: engine.Active, Total: 100, Received: 50, Speed: 10, ETA: 5 * time.Second, Err: "an old message"}
	if got := progressText(s, false, now); strings.Contains(got, "retrying") || strings.Contains(got, "old message") || !strings.Contains(got, "5 s left") {
		t.Errorf("without RetryInfo: %q, want progress and no retry", got)
	}
	s.Retry = &engine.RetryInfo{Attempt: 2, Of: 5, At: now.Add(8 * time.Second), Problem: engine.Problem{Kind: engine.KindNetwork, Message: "the connection was reset by the server"}}
	if got, want := progressText(s, false, now), " 50%  50 B / 100 B  retrying in 8 s (attempt 3 of 5): the connection was reset by the server"; got != want {
		t.Errorf("with RetryInfo: %q, want %q", got, want)
	}
}

// TestFailureAdviceIsWordedForTheTerminal: the engine's message never
// names a flag; the terminal adds its own advice from the kind.
func TestFailureAdviceIsWordedForTheTerminal(t *testing.T) {
	snap := engine.Snapshot{State: engine.Failed, Err: "the server's certificate is not trusted (unknown authority)",
		Problem: engine.Problem{Kind: engine.KindCertificate, Message: "the server's certificate is not trusted (unknown authority)"}}
	got := outcome.Failed(snap, advice)
	if want := "the server's certificate is not trusted (unknown authority); if it is your own server, add its CA with --ca-cert FILE"; got != want {
		t.Errorf("certificate failure = %q, want %q", got, want)
	}
	snap.Problem = engine.Problem{Kind: engine.KindHTTP, Status: 404, Message: "404 Not Found: http://h/a"}
	if got := outcome.Failed(snap, advice); strings.Contains(got, "--") {
		t.Errorf("404 failure = %q: advice of another kind", got)
	}
}

// TestAFileBeingFlushedSaysSaving: once every byte is in, the line says
// the file is being saved rather than show a speed and time left.
func TestAFileBeingFlushedSaysSaving(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := engine.Snapshot{ID: "1", Name: "a.bin", State: engine.Active, Total: 100, Received: 100, Speed: 10, ETA: time.Second, Finishing: true}
	if got, want := progressText(s, false, now), "100%  100 B / 100 B  saving"; got != want {
		t.Errorf("finishing: %q, want %q", got, want)
	}
}
