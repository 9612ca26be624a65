package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/internal/outcome"
)

// outMode is how results are written to standard output.
type outMode int

const (
	modePlain outMode = iota // a pipe or a file: plain lines, no escape codes
	modeLive                 // a terminal: progress lines redrawn in place
	modeJSON                 // --json: one JSON object per finished download
)

// ANSI sequences used on a terminal only.
const (
	ansiUpClear = "\x1b[1A\x1b[2K" // cursor up one line, clear it
	ansiClear   = "\r\x1b[2K"      // clear the current line
	ansiGreen   = "\x1b[32m"
	ansiRed     = "\x1b[31m"
	ansiYellow  = "\x1b[33m"
	ansiReset   = "\x1b[0m"
)

// result is how one download ended.
type result struct {
	ID, URL, Path, Name string
	OK                  bool
	Already             bool // completed before this run
	Bytes               int64
	Err, Warning        string
	Kind                engine.ErrorKind // what sort of failure, for --json
}

// jsonResult is the --json form of a result.
type jsonResult struct {
	ID      string `json:"id"`
	URL     string `json:"url"`
	Path    string `json:"path"`
	Status  string `json:"status"`
	Bytes   int64  `json:"bytes"`
	Error   string `json:"error"`
	Warning string `json:"warning,omitempty"`
	Kind    string `json:"kind,omitempty"` // a failure's engine.ErrorKind: "network", "http", "certificate", …
}

// totals sums up a run for the closing line.
type totals struct {
	Completed, Already, Failed int
	Rejected                   int
	Bytes                      int64 // received in this run
	Elapsed                    time.Duration
}

// view writes everything the user sees. It is used from one goroutine.
type view struct {
	out, errw io.Writer
	mode      outMode
	color     bool
	errTTY    bool              // stderr is a terminal: a status line may be drawn there
	size      func() (w, h int) // terminal size of stdout (live mode)
	drawn     int               // lines of the live area now on screen
	queued    []string          // finished lines not yet printed (live mode)
	status    bool              // a status line is on stderr
	failures  []result          // kept for the closing list (live mode)
	moreFails int               // failures beyond those kept
	encode    func(v any) error // JSON encoder on out
}

// maxListedFailures bounds the failures repeated at the end of a live run.
const maxListedFailures = 50

func newView(out, errw io.Writer, mode outMode, color, errTTY bool, size func() (int, int)) *view {
	v := &view{out: out, errw: errw, mode: mode, color: color && mode == modeLive, errTTY: errTTY, size: size}
	if mode == modeJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		v.encode = enc.Encode
	}
	return v
}

func (v *view) paint(s, color string) string {
	if !v.color {
		return s
	}
	return color + s + ansiReset
}

// resultLine is the one-line report of a finished download.
func (v *view) resultLine(r result) string {
	if r.OK {
		line := v.paint("done", ansiGreen) + "  " + safename.Display(r.Name) + "  " + human.Bytes(r.Bytes)
		if r.Already {
			line += "  (already there)"
		}
		if r.Warning != "" {
			line += "  " + v.paint("warning:", ansiYellow) + " " + safename.Display(r.Warning)
		}
		return line
	}
	url := safename.Display(links.Scrub(r.URL)) // a line that may go to a log
	reason := safename.Display(r.Err)
	if url != "" && strings.Contains(reason, url) {
		return v.paint("FAILED", ansiRed) + "  " + reason
	}
	return v.paint("FAILED", ansiRed) + "  " + url + ": " + reason
}

// finished reports one download that ended.
func (v *view) finished(r result) error {
	switch v.mode {
	case modeJSON:
		status := "completed"
		if !r.OK {
			status = "failed"
		}
		return v.encode(jsonResult{ID: r.ID, URL: r.URL, Path: r.Path, Status: status, Bytes: r.Bytes, Error: r.Err, Warning: r.Warning, Kind: r.Kind.String()})
	case modeLive:
		v.queued = append(v.queued, v.resultLine(r))
		if !r.OK {
			if len(v.failures) < maxListedFailures {
				v.failures = append(v.failures, r)
			} else {
				v.moreFails++
			}
		}
		return nil
	}
	_, err := fmt.Fprintln(v.out, v.resultLine(r))
	return err
}

// message writes a line for people to standard error, out of the way of
// the live area and the status line.
func (v *view) message(line string) {
	v.erase()
	v.clearStatus()
	fmt.Fprintln(v.errw, line)
}

// erase removes the live area and prints the finished lines waiting above it.
func (v *view) erase() {
	if v.mode != modeLive {
		return
	}
	var b strings.Builder
	v.writeErase(&b)
	for _, l := range v.queued {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	v.queued = v.queued[:0]
	io.WriteString(v.out, b.String())
}

// writeErase writes what removes the live area: first the line under it,
// where the terminal may have echoed a ^C, then each line up from there.
func (v *view) writeErase(b *strings.Builder) {
	if v.drawn == 0 {
		return
	}
	b.WriteString(ansiClear)
	for range v.drawn {
		b.WriteString(ansiUpClear)
	}
	v.drawn = 0
}

// draw replaces the live area with lines (live mode only). Each line is
// fitted to the terminal's width so that none wraps, and the area to its
// height.
func (v *view) draw(lines []string) {
	if v.mode != modeLive {
		return
	}
	w, h := v.size()
	if maxLines := max(h-2, 1); len(lines) > maxLines {
		more := len(lines) - (maxLines - 1)
		lines = append(lines[:maxLines-1:maxLines-1], fmt.Sprintf("  … and %d more", more))
	}
	var b strings.Builder
	v.writeErase(&b)
	for _, l := range v.queued {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	v.queued = v.queued[:0]
	for _, l := range lines {
		b.WriteString(fitWidth(l, w-1))
		b.WriteByte('\n')
	}
	v.drawn = len(lines)
	io.WriteString(v.out, b.String())
}

// showStatus draws a one-line status (such as reading progress) on
// standard error when it is a terminal and standard output is not live.
func (v *view) showStatus(line string, width int) {
	if !v.errTTY || v.mode == modeLive {
		return
	}
	io.WriteString(v.errw, ansiClear+fitWidth(line, width-1))
	v.status = true
}

// clearStatus removes the status line from standard error.
func (v *view) clearStatus() {
	if v.status {
		io.WriteString(v.errw, ansiClear)
		v.status = false
	}
}

// summaryLine is the closing line: "3 completed, 1 failed · 12.3 MiB in
// 4.2 s (2.9 MiB/s)".
func summaryLine(t totals) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d completed", t.Completed)
	if t.Already > 0 {
		fmt.Fprintf(&b, " (%d already there)", t.Already)
	}
	if t.Failed > 0 {
		fmt.Fprintf(&b, ", %d failed", t.Failed)
	}
	if t.Rejected > 0 {
		fmt.Fprintf(&b, ", %d input %s rejected", t.Rejected, plural(t.Rejected, "line", "lines"))
	}
	fmt.Fprintf(&b, " · %s in %s", human.Bytes(t.Bytes), human.Elapsed(t.Elapsed))
	if t.Bytes > 0 && t.Elapsed > 0 {
		fmt.Fprintf(&b, " (%s)", human.Speed(float64(t.Bytes)/t.Elapsed.Seconds()))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// summary ends the output: on a terminal the failures again, each with
// its reason, then the closing line. With --json it goes to standard
// error, keeping standard output for the JSON lines.
func (v *view) summary(t totals) {
	v.erase()
	v.clearStatus()
	w := v.out
	if v.mode == modeJSON {
		w = v.errw
	}
	if v.mode == modeLive && len(v.failures) > 0 {
		fmt.Fprintln(w, v.paint("Failed:", ansiRed))
		for _, r := range v.failures {
			fmt.Fprintln(w, "  "+strings.TrimPrefix(v.resultLine(r), v.paint("FAILED", ansiRed)+"  "))
		}
		if v.moreFails > 0 {
			fmt.Fprintf(w, "  … and %d more\n", v.moreFails)
		}
	}
	fmt.Fprintln(w, summaryLine(t))
}

// progressLines renders the live area as of now: one line per active
// download, in the order given, and a footer (queued count, reading
// progress).
func progressLines(active []engine.Snapshot, width int, footer string, now time.Time) []string {
	type row struct{ name, right string }
	rows := make([]row, 0, len(active))
	nameW, rightW := 0, 0
	for _, s := range active {
		name := safename.Display(s.Name)
		if name == "" {
			name = safename.Display(s.URL)
		}
		r := row{name: name, right: progressText(s, false, now)}
		if width-1-2-textWidth(r.right) < minNameWidth {
			r.right = progressText(s, true, now) // a narrow terminal
		}
		nameW = max(nameW, textWidth(r.name))
		if s.Retry == nil { // a retry message may be cut instead
			rightW = max(rightW, textWidth(r.right))
		}
		rows = append(rows, r)
	}
	avail := width - 1
	nameW = min(nameW, max(avail-2-rightW, minNameWidth))
	out := make([]string, 0, len(rows)+1)
	for _, r := range rows {
		// A long retry message takes room from the name rather than lose its end.
		w := min(nameW, max(avail-2-textWidth(r.right), minNameWidth))
		out = append(out, fitWidth(padRight(fitMiddle(r.name, w), w)+"  "+r.right, avail))
	}
	if footer != "" {
		out = append(out, fitWidth(footer, avail))
	}
	return out
}

// minNameWidth is the least room a progress line leaves for the name.
const minNameWidth = 16

// progressText is the right-hand part of a progress line: percent, bytes,
// speed and time left, or the reason it is waiting to retry. Compact
// leaves out the byte counts when the size is known.
func progressText(s engine.Snapshot, compact bool, now time.Time) string {
	var b strings.Builder
	switch {
	case s.Total > 0 && compact:
		fmt.Fprintf(&b, "%3.0f%%", 100*s.Progress())
	case s.Total > 0:
		about := ""
		if s.Estimated {
			about = "~" // an HLS stream's size, estimated until every segment is in
		}
		fmt.Fprintf(&b, "%3.0f%%  %s / %s%s", 100*s.Progress(), human.Bytes(s.Received), about, human.Bytes(s.Total))
	default:
		b.WriteString(human.Bytes(s.Received))
	}
	if s.Segments > 0 && !compact {
		fmt.Fprintf(&b, "  segment %d/%d", s.SegmentsDone, s.Segments)
	}
	if retry := outcome.Retrying(s, now); retry != "" {
		b.WriteString("  " + retry)
		return b.String()
	}
	if s.Finishing { // every byte is in: the file is being flushed to disk
		b.WriteString("  saving")
		return b.String()
	}
	if s.Speed > 0 {
		b.WriteString("  " + human.Speed(s.Speed))
	}
	if eta := human.Duration(s.ETA); eta != "" {
		b.WriteString("  " + eta + " left")
	}
	return b.String()
}
