package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/intake"
	"github.com/haul-dl/haul/internal/human"
)

// liveCountLimit is the longest text the Add dialog counts links in as
// the user types; longer text is counted when added.
const liveCountLimit = 256 << 10

// bigFile is the size from which reading a link file shows a progress
// dialog that can cancel it.
const bigFile = 1 << 20

// maxFailures is how many refused links a report lists one by one.
const maxFailures = 1000

// addDialog asks for links and a destination folder.
type addDialog struct {
	dlg       *dialog.CustomDialog
	links     *widget.Entry
	found     *widget.Label
	dir       *widget.Entry
	browse    *widget.Button
	addBtn    *widget.Button
	cancelBtn *widget.Button
	quality   *widget.Select // the variant of a video stream (see quality.go)
}

// showAdd opens the Add dialog with text in it; if it is open already,
// text is added to what it holds. UI goroutine only.
func (u *UI) showAdd(text string) {
	if d := u.addDlg; d != nil {
		if text != "" {
			cur := d.links.Text
			if cur != "" && !strings.HasSuffix(cur, "\n") {
				cur += "\n"
			}
			d.links.SetText(cur + text)
		}
		u.win.Canvas().Focus(d.links)
		return
	}
	d := &addDialog{}
	d.links = widget.NewMultiLineEntry()
	d.links.SetPlaceHolder("https://example.com/file.zip\nhttps://example.com/photos/img[001-100].jpg\n…or any text, page or list that holds links")
	d.links.SetMinRowsVisible(9)
	d.links.Wrapping = fyne.TextWrapOff
	d.found = widget.NewLabel("")
	d.found.Importance = widget.LowImportance
	d.dir = widget.NewEntry()
	d.dir.SetText(u.set.Dir)
	d.browse = widget.NewButton("Browse…", func() { u.pickFolder(d.dir) })
	d.cancelBtn = widget.NewButton("Cancel", func() { d.dlg.Hide() })
	d.addBtn = widget.NewButton("Add", func() {
		text, dir := d.links.Text, strings.TrimSpace(d.dir.Text)
		d.dlg.Hide()
		u.addTextQuality(text, dir, "the pasted text", qualityOf(d.quality.Selected))
	})
	d.addBtn.Importance = widget.HighImportance
	d.links.OnChanged = func(string) { d.count() }
	d.links.SetText(text)
	d.count()

	folder := container.NewBorder(nil, nil, widget.NewLabel("Save to"), d.browse, d.dir)
	d.quality = newQualitySelect()
	content := container.NewBorder(
		widget.NewLabel("Paste links, or any text that contains them:"),
		container.NewVBox(d.found, folder, qualityRow(d.quality)), nil, nil, d.links)
	d.dlg = dialog.NewCustomWithoutButtons("Add downloads", content, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancelBtn, d.addBtn})
	d.dlg.SetOnClosed(func() {
		if u.addDlg == d {
			u.addDlg = nil
		}
	})
	u.addDlg = d
	d.dlg.Resize(fyne.NewSize(680, 460))
	d.dlg.Show()
	u.win.Canvas().Focus(d.links)
}

// count shows how many links the entry holds and enables Add.
func (d *addDialog) count() {
	text := d.links.Text
	if len(text) > liveCountLimit {
		d.found.SetText("A long text: its links are counted when you add it.")
		d.addBtn.Enable()
		return
	}
	found, sum := links.Parse(text)
	switch {
	case strings.TrimSpace(text) == "":
		d.found.SetText("No links yet.")
	case len(found) == 0:
		d.found.SetText("No links found in this text.")
	case len(found) == 1:
		d.found.SetText("1 link found.")
	default:
		d.found.SetText(fmt.Sprintf("%d links found.", len(found)))
	}
	if sum.RejectedCount > 0 && len(found) > 0 {
		d.found.SetText(d.found.Text + fmt.Sprintf(" %d line(s) will be skipped.", sum.RejectedCount))
	}
	setEnabled(d.addBtn, len(found) > 0)
}

// pickFolder lets the user choose a folder for entry.
func (u *UI) pickFolder(entry *widget.Entry) {
	fd := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(fmt.Errorf("choosing a folder: %w", err))
			return
		}
		if dir != nil {
			entry.SetText(dir.Path())
		}
	}, u.win)
	if cur := strings.TrimSpace(entry.Text); cur != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(cur)); err == nil {
			fd.SetLocation(l)
		}
	}
	fd.Resize(fyne.NewSize(760, 520))
	fd.Show()
}

// pickFile lets the user choose a file with one of these extensions
// for entry.
func (u *UI) pickFile(entry *widget.Entry, exts []string) {
	fd := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(fmt.Errorf("choosing a file: %w", err))
			return
		}
		if f != nil {
			f.Close()
			entry.SetText(f.URI().Path())
		}
	}, u.win)
	fd.SetFilter(storage.NewExtensionFileFilter(exts))
	if cur := strings.TrimSpace(entry.Text); cur != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(cur))); err == nil {
			fd.SetLocation(l)
		}
	}
	fd.Resize(fyne.NewSize(760, 520))
	fd.Show()
}

// paste opens the Add dialog with the clipboard's text in it, so the
// user sees what was found and where it goes before anything starts.
func (u *UI) paste(s fyne.Shortcut) {
	var clip fyne.Clipboard
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		clip = p.Clipboard
	} else {
		clip = u.app.Clipboard()
	}
	text := clip.Content()
	if strings.TrimSpace(text) == "" {
		u.setActivity("The clipboard holds no text to add.")
		return
	}
	u.showAdd(text)
}

// report is what one add job did, for the user.
type report struct {
	source        string // "the pasted text", a file name
	found         int    // links read
	added         int    // links the engine took
	duplicates    int
	rejected      []links.Rejected // lines that held no usable link
	rejectedCount int
	failed        []links.Rejected // links the engine refused
	failedCount   int
	err           error // reading failed (e.g. a binary file)
}

// adder counts what the engine did with links fed through intake, from
// a background goroutine.
type adder struct {
	u       *UI
	dir     string
	quality string // engine.Request.Quality
	rep     *report
	count   atomic.Int64 // links taken in so far, for progress read elsewhere
}

// request is the engine request for one link.
func (a *adder) request(l links.Link) engine.Request {
	return engine.Request{URL: l.URL, Dir: a.dir, Name: l.Name, Checksum: l.Checksum, Quality: a.quality}
}

// added takes in one chunk's outcome (intake.Options.Added).
func (a *adder) added(rs []intake.Result) error {
	a.count.Add(int64(len(rs)))
	for _, r := range rs {
		a.rep.found++
		if r.Err != nil {
			a.rep.failedCount++
			if len(a.rep.failed) < maxFailures {
				a.rep.failed = append(a.rep.failed, links.Rejected{Line: r.Link.Line, Text: displayURL(r.Link.URL), Reason: safename.Display(r.Err.Error())})
			}
			continue
		}
		if a.rep.added == 0 {
			id := r.ID
			a.u.post(func() { a.u.revealWhenShown(id) })
		}
		a.rep.added++
	}
	return nil
}

// revealWhenShown scrolls to a download once its row exists. UI goroutine only.
func (u *UI) revealWhenShown(id string) {
	if i := u.model.index(id); i >= 0 {
		u.list.ScrollTo(i)
		return
	}
	u.scrollTo = id
}

// goJob runs job on a goroutine of its own that Close waits for.
func (u *UI) goJob(job func(ctx context.Context)) {
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		job(u.ctx)
	}()
}

// addText adds the links found in text in the background and reports
// lines that could not be used. UI goroutine only.
func (u *UI) addText(text, dir, source string) { u.addTextQuality(text, dir, source, "") }

// addTextQuality is addText with the variant to save of video streams
// (engine.Request.Quality; "" for the best).
func (u *UI) addTextQuality(text, dir, source, quality string) {
	if dir == "" {
		dir = u.set.Dir
	}
	u.setActivity("Adding links…")
	u.goJob(func(ctx context.Context) {
		found, sum := links.Parse(text)
		rep := &report{source: source, duplicates: sum.Duplicates, rejected: sum.Rejected, rejectedCount: sum.RejectedCount}
		a := &adder{u: u, dir: dir, rep: rep, quality: quality}
		tick := newTicker()
		err := intake.Links(ctx, u.m, found, intake.Options{Request: a.request, Added: func(rs []intake.Result) error {
			a.added(rs)
			if tick.due() {
				msg := fmt.Sprintf("Adding links… %d of %d", rep.found, len(found))
				u.post(func() { u.setActivity(msg) })
			}
			return nil
		}})
		if err != nil {
			return // the window closed
		}
		u.post(func() { u.showReport(rep) })
	})
}

// addArgs adds what the command line or a second launch named: link
// files are read, everything else is taken as text holding links.
func (u *UI) addArgs(args []string) {
	var files, text []string
	for _, a := range args {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !strings.Contains(a, "://") {
			if fi, err := os.Stat(a); err == nil && !fi.IsDir() {
				files = append(files, a)
				continue
			}
		}
		text = append(text, a)
	}
	if len(text) > 0 {
		u.addText(strings.Join(text, "\n"), "", "the command line")
	}
	if len(files) > 0 {
		u.addFiles(files, nil)
	}
}

// receive takes text a second launch handed over: it brings the window
// to the front and adds the links. Called from the instance listener.
func (u *UI) receive(text string) {
	u.post(func() {
		u.win.Show()
		u.win.RequestFocus()
		if strings.TrimSpace(text) != "" {
			u.addArgs(strings.Split(text, "\n"))
		}
	})
}

// drop adds what was dropped on the window: http(s) URLs directly, files
// as lists of links. UI goroutine only.
func (u *UI) drop(uris []fyne.URI) {
	var files, urls []string
	var other []string
	for _, uri := range uris {
		switch strings.ToLower(uri.Scheme()) {
		case "file":
			files = append(files, uri.Path())
		case "http", "https":
			urls = append(urls, uri.String())
		default:
			other = append(other, uri.String())
		}
	}
	if len(urls) > 0 {
		u.addText(strings.Join(urls, "\n"), "", "the dropped links")
	}
	if len(files) > 0 {
		u.addFiles(files, nil)
	}
	if len(other) > 0 {
		u.showError(fmt.Errorf("only web links and files of links can be dropped here, not %s", displayURL(other[0])))
	}
}

// addFiles reads each file as a list of links, one after the other, in
// the background, and adds their links. done, if set, is called on the
// UI goroutine when all are read. UI goroutine only.
func (u *UI) addFiles(paths []string, done func()) {
	dir := u.set.Dir
	u.goJob(func(ctx context.Context) {
		for _, p := range paths {
			if ctx.Err() != nil {
				return
			}
			rep := u.scanFile(ctx, p, dir)
			u.post(func() { u.showReport(rep) })
		}
		if done != nil {
			u.post(done)
		}
	})
}

// scanFile reads one link file and adds its links. A big file shows a
// dialog with its progress and a Cancel button. Background goroutine.
func (u *UI) scanFile(ctx context.Context, path, dir string) *report {
	name := safename.Display(filepath.Base(path))
	rep := &report{source: name}
	f, err := os.Open(path)
	if err != nil {
		rep.err = fmt.Errorf("opening %s: %w", name, err)
		return rep
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		rep.err = fmt.Errorf("reading %s: %w", name, err)
		return rep
	}
	if fi.IsDir() {
		rep.err = fmt.Errorf("%s is a folder, not a file of links", name)
		return rep
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	size := fi.Size()
	big := size >= bigFile
	var dlg *scanDialog
	if big {
		u.post(func() { dlg = u.showScan(name, stop) })
		defer u.post(func() {
			if dlg != nil {
				dlg.dlg.Hide()
			}
		})
	}
	a := &adder{u: u, dir: dir, rep: rep}
	tick := newTicker()
	progress := func(read int64, _ int) {
		if !tick.due() {
			return
		}
		msg := fmt.Sprintf("Reading %s: %s of %s, %d links", name, human.Bytes(read), human.Bytes(size), a.count.Load())
		frac := 0.0
		if size > 0 {
			frac = float64(read) / float64(size)
		}
		u.post(func() {
			u.setActivity(msg)
			if dlg != nil {
				dlg.update(msg, frac)
			}
		})
	}
	sum, err := intake.Reader(ctx, u.m, f, intake.Options{Request: a.request, Scan: links.Options{Progress: progress}, Added: a.added})
	rep.duplicates, rep.rejected, rep.rejectedCount = sum.Duplicates, sum.Rejected, sum.RejectedCount
	switch {
	case errors.Is(err, links.ErrBinary):
		rep.err = fmt.Errorf("cannot read links from %s: %w", name, err)
	case errors.Is(err, context.Canceled):
		rep.err = fmt.Errorf("stopped reading %s after %d links", name, rep.found)
	case err != nil:
		rep.err = fmt.Errorf("reading %s: %w", name, err)
	}
	return rep
}

// ticker says when a background job should report progress again: at
// most ten times a second.
type ticker struct{ next time.Time }

func newTicker() *ticker { return &ticker{} }

func (t *ticker) due() bool {
	now := time.Now()
	if now.Before(t.next) {
		return false
	}
	t.next = now.Add(100 * time.Millisecond)
	return true
}

// setActivity shows what a background job did last in the status bar.
// UI goroutine only.
func (u *UI) setActivity(s string) {
	u.lastActivity = s
	u.showActivity()
}

// hint shows what the button under the pointer does in place of the
// last activity. UI goroutine only.
func (u *UI) hint(s string) {
	u.hovering = s
	u.showActivity()
}

func (u *UI) showActivity() {
	if u.hovering != "" {
		u.activity.Importance = widget.MediumImportance
		u.activity.SetText(u.hovering)
	} else {
		u.activity.Importance = widget.LowImportance
		u.activity.SetText(u.lastActivity)
	}
	u.statusBar.Refresh()
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
		u.setActivity(fmt.Sprintf("Added %s from %s", added, r.source))
		return
	}
	u.setActivity(fmt.Sprintf("Added %s from %s", added, r.source))

	d := &reportDialog{}
	for _, f := range r.failed {
		d.lines = append(d.lines, rejectedLine(f))
	}
	for _, rj := range r.rejected {
		d.lines = append(d.lines, rejectedLine(rj))
	}
	skipped := r.rejectedCount + r.failedCount
	shown := len(r.failed) + len(r.rejected)
	summary := fmt.Sprintf("Added %s from %s. %s could not be used:", added, r.source, plural(skipped, "line"))
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
