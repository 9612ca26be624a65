package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/intake"
	"github.com/haul-dl/haul/internal/human"
)

// bigFile is the size from which reading a link file shows a progress
// dialog that can cancel it.
const bigFile = 1 << 20

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

// adder counts what the engine did with links fed through intake, from
// a background goroutine.
type adder struct {
	u       *UI
	dir     string
	rep     *report
	paused  bool         // add the downloads paused
	quality string       // engine.Request.Quality
	count   atomic.Int64 // links taken in so far, for progress read elsewhere
}

// request is the engine request for one link.
func (a *adder) request(l links.Link) engine.Request {
	return engine.Request{URL: l.URL, Dir: a.dir, Name: l.Name, Checksum: l.Checksum, Paused: a.paused, Quality: a.quality}
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
		if a.rep.added+a.rep.resumed+a.rep.present == 0 {
			id := r.ID
			a.u.post(func() { a.u.revealWhenShown(id) })
		}
		switch {
		case !r.Existing:
			a.rep.added++
		case a.downloaded(r.ID):
			a.rep.present++
		default:
			a.rep.resumed++
		}
	}
	return nil
}

// downloaded says whether a download already in the list is finished,
// so adding its link again left it as it is. Background goroutine.
func (a *adder) downloaded(id string) bool {
	s, ok := a.u.m.Get(id)
	return ok && s.State == engine.Completed
}

// revealWhenShown scrolls to a download once its row exists. UI goroutine only.
func (u *UI) revealWhenShown(id string) {
	if !u.dl.reveal(id) {
		u.scrollTo = id
	}
}

// addText adds the links found in text in the background and reports
// lines that could not be used. UI goroutine only.
func (u *UI) addText(text, dir, source string) {
	u.addLinks(func() ([]links.Link, *report) {
		found, sum := links.Parse(text)
		return found, &report{source: source, duplicates: sum.Duplicates, rejected: sum.Rejected, rejectedCount: sum.RejectedCount}
	}, dir, false, "")
}

// addLinks adds the links read returns, in the background, paused if
// asked, with the variant to save of video streams (engine.Request.Quality;
// "" for the best), and shows the report. UI goroutine only.
func (u *UI) addLinks(read func() ([]links.Link, *report), dir string, paused bool, quality string) {
	if dir == "" {
		dir = u.set.Dir
	}
	u.setActivity("Adding links…")
	u.addJob(func(ctx context.Context) {
		found, rep := read()
		a := &adder{u: u, dir: dir, rep: rep, paused: paused, quality: quality}
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
	u.addJob(func(ctx context.Context) {
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
