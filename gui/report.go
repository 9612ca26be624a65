package gui

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
)

// maxFailures is how many refused links a report lists one by one.
const maxFailures = 1000

// report is what one add job did, for the user.
type report struct {
	source        string // "the pasted text", a file name
	found         int    // links read
	added         int    // links the engine took
	resumed       int    // links already in the list, unfinished: the engine resumed or requeued them
	present       int    // links already in the list and downloaded: left as they are
	duplicates    int
	rejected      []links.Rejected // lines that held no usable link
	rejectedCount int
	failed        []links.Rejected // links the engine refused
	failedCount   int
	err           error // reading failed (e.g. a binary file)
}

// scanDialog shows the progress of reading a big link file.
type scanDialog struct {
	dlg       *dialog.CustomDialog
	label     *widget.Label
	bar       *widget.ProgressBar
	cancelBtn *widget.Button
}

// showScan opens the progress dialog of a big file. UI goroutine only.
func (u *UI) showScan(name string, stop func()) *scanDialog {
	d := &scanDialog{label: widget.NewLabel("Reading " + name + "…"), bar: widget.NewProgressBar()}
	d.label.Truncation = fyne.TextTruncateEllipsis
	d.cancelBtn = widget.NewButton("Stop reading", stop)
	d.dlg = dialog.NewCustomWithoutButtons("Reading a list of links", container.NewVBox(d.label, d.bar), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancelBtn})
	d.dlg.Resize(fyne.NewSize(520, 180))
	d.dlg.Show()
	u.scanDlg = d
	return d
}

func (d *scanDialog) update(msg string, frac float64) {
	d.label.SetText(msg)
	d.bar.SetValue(frac)
}

// reportDialog lists what could not be added.
type reportDialog struct {
	dlg     *dialog.CustomDialog
	summary *widget.Label
	lines   []reportLine
	list    *widget.List
}

// reportLine is one line that could not be used: the line (its number
// and text) and why.
type reportLine struct{ head, reason string }

// showReport tells the user how an add job went: a line in the status
// bar when all went well, a dialog listing the problems otherwise. UI
// goroutine only.
func (u *UI) showReport(r *report) {
	added := plural(r.added, "download")
	done := addedText(r)
	if r.err != nil {
		msg := r.err.Error()
		if r.added > 0 {
			msg += fmt.Sprintf(" (%s added before that)", added)
		}
		u.setActivity("")
		u.showError(errors.New(msg))
		return
	}
	if r.rejectedCount == 0 && r.failedCount == 0 {
		if r.found == 0 {
			u.setActivity("")
			dialog.ShowInformation("No links found", "There are no web links in "+r.source+".", u.win)
			return
		}
		u.setActivity(done)
		return
	}
	u.setActivity(done)

	d := &reportDialog{}
	for _, f := range r.failed {
		d.lines = append(d.lines, rejectedLine(f))
	}
	for _, rj := range r.rejected {
		d.lines = append(d.lines, rejectedLine(rj))
	}
	skipped := r.rejectedCount + r.failedCount
	shown := len(r.failed) + len(r.rejected)
	summary := fmt.Sprintf("%s. %s could not be used:", done, plural(skipped, "line"))
	if shown < skipped {
		summary += fmt.Sprintf(" (the first %d are listed)", shown)
	}
	d.summary = widget.NewLabel(summary)
	d.summary.Wrapping = fyne.TextWrapWord
	d.list = widget.NewList(func() int { return len(d.lines) },
		func() fyne.CanvasObject {
			head, reason := widget.NewLabel(""), widget.NewLabel("")
			head.Truncation = fyne.TextTruncateEllipsis
			reason.Truncation = fyne.TextTruncateEllipsis
			reason.SizeName = theme.SizeNameCaptionText
			reason.Importance = widget.DangerImportance
			return container.New(layout.NewCustomPaddedVBoxLayout(0), head, reason)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(d.lines[i].head)
			c.Objects[1].(*widget.Label).SetText(d.lines[i].reason)
		})
	d.list.OnSelected = func(i widget.ListItemID) { d.list.Unselect(i) }
	title := "Some lines were skipped"
	if r.added == 0 {
		title = "Nothing was added"
	}
	d.dlg = dialog.NewCustom(title, "Close", container.NewBorder(d.summary, nil, nil, nil, d.list), u.win)
	d.dlg.Resize(fyne.NewSize(720, 420))
	d.dlg.Show()
	u.reportDlg = d
}

// addedText says what an add job did with the links it took: how many
// it added, and of those already in the list, how many were resumed and
// how many were downloaded already and left as they are.
func addedText(r *report) string {
	var parts []string
	if r.added > 0 || r.resumed+r.present == 0 {
		parts = append(parts, fmt.Sprintf("Added %s from %s", plural(r.added, "download"), r.source))
	}
	if r.resumed > 0 {
		parts = append(parts, fmt.Sprintf("resumed %s already in the list", plural(r.resumed, "download")))
	}
	if r.present > 0 {
		left := "left as they are"
		if r.present == 1 {
			left = "left as it is"
		}
		parts = append(parts, fmt.Sprintf("%s downloaded already, %s (remove it from the list to fetch it again)", plural(r.present, "file"), left))
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// rejectedLine is one entry of a report: "Line 4: text" and the reason.
func rejectedLine(r links.Rejected) reportLine {
	head := r.Text
	if r.Line > 0 {
		head = strings.TrimSuffix(fmt.Sprintf("Line %d: %s", r.Line, head), ": ")
	}
	return reportLine{head: head, reason: r.Reason}
}

// plural writes a count with its noun: "1 download", "3 downloads".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// displayURL is a URL fit to show: no password, no control characters,
// at most 120 characters.
func displayURL(s string) string {
	s = safename.Display(links.Redact(s))
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:119]) + "…"
	}
	return s
}
