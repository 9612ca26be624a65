package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/intake"
	"github.com/haul-dl/haul/internal/human"
)

// Reading the input: the up-front check of a link file, feeding links to
// the engine as they are read, and what the terminal says about it.

// feedEvent is what the feeding goroutine tells the main loop: a link
// added to the manager (or refused by it), or the end of the input.
type feedEvent struct {
	id  string
	url string // as given: may hold a password, redact before showing
	err error  // Add refused the link
	// existing: the download was in the list before this run added it,
	// with had bytes already.
	existing bool
	had      int64
	// input: the link was read from the -i input, not given as an
	// argument (see item.unload).
	input bool

	end     bool // no more links
	sum     links.Summary
	scanErr error
}

// check reads the input file once before anything is downloaded: its
// mistakes are reported at once, and the number of links is known. The
// file is then read again, a little at a time, as downloads go. A file
// too long to read within checkBudget is read only as downloads go, as
// standard input is (no total; mistakes reported as they are found). It
// returns stop when there is nothing to do, with the exit status.
func (s *session) check(ctx context.Context) (code int, stop bool) {
	type outcome struct {
		sum links.Summary
		err error
	}
	done := make(chan outcome, 1)
	scanCtx, stopScan := context.WithCancel(ctx)
	defer stopScan()
	go func() {
		sum, err := links.Scan(scanCtx, s.in.r, links.Options{Progress: s.progress, Base: s.cfg.Base}, func(links.Link) error { return nil })
		done <- outcome{sum, err}
	}()
	tick := time.NewTicker(redrawEvery)
	defer tick.Stop()
	budget := time.NewTimer(checkBudget)
	defer budget.Stop()
	var o outcome
	long := false
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			return s.interrupted(), true
		case o = <-done:
			waiting = false
		case <-budget.C:
			// A long input: downloads start now, and its mistakes are
			// reported as they are read, as for standard input.
			stopScan()
			o, long, waiting = <-done, true, false
		case <-tick.C:
			s.redraw()
		}
	}
	if ctx.Err() != nil {
		return s.interrupted(), true
	}
	if long && errors.Is(o.err, context.Canceled) {
		if _, err := s.in.f.Seek(0, io.SeekStart); err != nil {
			s.v.message(fmt.Sprintf("haul get: reading %s again: %v", safename.Display(s.in.name), err))
			return ExitFailed, true
		}
		s.readBytes.Store(0)
		s.readLines.Store(0)
		return 0, false
	}
	s.sum, s.scanErr, s.checked = o.sum, o.err, true
	s.reportInput()
	name := safename.Display(s.in.name)
	switch {
	case errors.Is(o.err, links.ErrBinary):
		return ExitUsage, true
	case o.err != nil:
		return ExitFailed, true
	case o.sum.Links == 0 && len(s.given) == 0 && o.sum.RejectedCount > 0:
		s.v.message("haul get: nothing to download: no line of " + name + " could be used")
		return ExitFailed, true
	case o.sum.Links == 0 && len(s.given) == 0:
		s.v.message("haul get: nothing to download: " + name + " has no links")
		return ExitUsage, true
	}
	s.total = len(s.given) + o.sum.Links
	if _, err := s.in.f.Seek(0, io.SeekStart); err != nil {
		s.v.message(fmt.Sprintf("haul get: reading %s again: %v", name, err))
		return ExitFailed, true
	}
	s.readBytes.Store(0)
	s.readLines.Store(0)
	return 0, false
}

// progress records how far reading the input got (links.Options.Progress).
func (s *session) progress(n int64, lines int) {
	s.readBytes.Store(n)
	s.readLines.Store(int64(lines))
}

// feed adds the links given as arguments, then those read from the
// input, in chunks through intake, never more than the free slots ahead
// of the downloads, and ends with an end event.
func (s *session) feed(ctx context.Context, events chan<- feedEvent) {
	send := func(ev feedEvent) error {
		select {
		case events <- ev:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	input := false // the links come from the arguments, then the input
	opt := intake.Options{
		Slots: s.slots,
		Request: func(l links.Link) engine.Request {
			return engine.Request{URL: l.URL, Name: l.Name, Checksum: l.Checksum, Quality: s.cfg.Quality}
		},
		Added: func(rs []intake.Result) error {
			for _, r := range rs {
				ev := feedEvent{id: r.ID, url: r.Link.URL, err: r.Err, existing: r.Existing, input: input}
				if snap, ok := s.m.Get(r.ID); ok && r.Existing {
					ev.had = snap.Received // bytes from earlier runs are not this run's
				}
				if err := send(ev); err != nil {
					return err
				}
			}
			return nil
		},
	}
	if err := intake.Links(ctx, s.m, s.given, opt); err != nil {
		return
	}
	end := feedEvent{end: true}
	if s.in != nil {
		input = true
		opt.Scan = links.Options{Progress: s.progress, Base: s.cfg.Base}
		if s.checked {
			opt.Scan = links.Options{MaxRejected: -1, Base: s.cfg.Base} // reported by check already
		}
		end.sum, end.scanErr = intake.Reader(ctx, s.m, s.in.r, opt)
		if ctx.Err() != nil {
			return
		}
	}
	_ = send(end)
}

// onFeed takes in what the feeding goroutine did.
func (s *session) onFeed(ev feedEvent) {
	if ev.end {
		s.fed = true
		if s.checked {
			if ev.scanErr != nil {
				s.scanErr = ev.scanErr
				s.v.message(fmt.Sprintf("%s: reading stopped: %s", safename.Display(s.in.name), safename.Display(ev.scanErr.Error())))
			}
			return
		}
		s.sum, s.scanErr = ev.sum, ev.scanErr
		s.reportInput()
		return
	}
	if ev.err != nil {
		s.release()
		s.finish(result{URL: links.Redact(ev.url), Err: links.Scrub(ev.err.Error())})
		return
	}
	s.added++
	if _, ok := s.pending[ev.id]; ok {
		s.release() // the same download twice
		return
	}
	snap, ok := s.m.Get(ev.id)
	if !ok {
		s.release()
		s.finish(result{ID: ev.id, URL: links.Redact(ev.url), Err: "removed from the list"})
		return
	}
	if s.reported[ev.id] && stopped(snap.State) {
		s.release() // already reported in this run
		return
	}
	s.pending[ev.id] = &item{last: ev.had, unload: ev.input}
	if stopped(snap.State) {
		s.resolve(snap, ev.existing && snap.State == engine.Completed)
		return
	}
	if snap.State == engine.Queued {
		s.sayHeld()
	}
}

// reportInput tells about the rejected lines of the input and how
// reading it ended.
func (s *session) reportInput() {
	if s.in == nil {
		return
	}
	name := safename.Display(s.in.name)
	for _, r := range s.sum.Rejected {
		s.v.message(fmt.Sprintf("%s:%d: %s: %s", name, r.Line, r.Reason, r.Text))
	}
	if more := s.sum.RejectedCount - len(s.sum.Rejected); more > 0 {
		s.v.message(fmt.Sprintf("%s: … and %d more rejected %s", name, more, plural(more, "line", "lines")))
	}
	if s.sum.Duplicates > 0 {
		s.v.message(fmt.Sprintf("%s: skipped %d duplicate %s", name, s.sum.Duplicates, plural(s.sum.Duplicates, "link", "links")))
	}
	if n := s.sum.Unresolved; n > 0 {
		s.v.message(fmt.Sprintf("%s: skipped %d relative %s: the page names no address of its own; give it with --base URL", name, n, plural(n, "link", "links")))
	}
	if s.scanErr != nil {
		msg := s.scanErr.Error()
		if !errors.Is(s.scanErr, links.ErrBinary) {
			msg = "reading stopped: " + msg
		}
		s.v.message(fmt.Sprintf("%s: %s", name, safename.Display(msg)))
	}
	s.v.clearStatus()
}

// readingText describes how far reading the input got; "" once read.
func (s *session) readingText() string {
	if s.in == nil || s.fed || s.checked {
		return ""
	}
	n, lines := s.readBytes.Load(), s.readLines.Load()
	if n == 0 {
		return ""
	}
	text := fmt.Sprintf("reading %s: %s, %d %s", safename.Display(s.in.name), human.Bytes(n), lines, plural(int(lines), "line", "lines"))
	if s.in.size > 0 {
		text += fmt.Sprintf(" (%.0f%%)", 100*float64(min(n, s.in.size))/float64(s.in.size))
	}
	return text
}
