package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/intake"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/internal/outcome"
)

// advice is what the terminal tells a person to do about a kind of
// failure, after the engine's message.
var advice = outcome.Advice{
	engine.KindCertificate: "if it is your own server, add its CA with --ca-cert FILE",
	engine.KindAuth:        "run the command again with the link's user:password@",
}

// redrawEvery is the period of the live area's redraws (at most 5/s).
const redrawEvery = 200 * time.Millisecond

// bigInput is when reading the -i input is worth a progress line.
const bigInput = 1 << 20

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

	end     bool // no more links
	sum     links.Summary
	scanErr error
}

// item is a download this run waits for.
type item struct {
	last int64 // bytes it had at the last look
	got  int64 // bytes received during this run
}

// see counts the bytes received since the last look. A download that
// started over (the server cannot resume) counts again from zero.
func (it *item) see(received int64) {
	if received >= it.last {
		it.got += received - it.last
	} else {
		it.got += received
	}
	it.last = received
}

// session is one run of `haul get` against an open manager. Only the
// feeding goroutine calls Add; everything else happens in run's loop.
type session struct {
	m     *engine.Manager
	cfg   config
	in    *input
	given []links.Link
	v     *view

	pending  map[string]*item
	live     map[string]engine.Snapshot // latest snapshot of pending downloads
	reported map[string]bool            // downloads already reported
	slots    chan struct{}              // bounds how far adding runs ahead
	added    int
	t        totals
	sum      links.Summary
	scanErr  error
	fed      bool // every link has been handed to the manager
	checked  bool // the input was read once already and its rejections reported
	total    int  // links expected in all; 0 when unknown (standard input)

	readBytes, readLines atomic.Int64
	started              time.Time
}

func newSession(m *engine.Manager, cfg config, in *input, given []links.Link, v *view) *session {
	// Links are added a little ahead of the downloads that run, not all at
	// once: a list of a million links is never held in memory whole.
	window := max(4*cfg.Jobs, cfg.Jobs+16)
	return &session{
		m: m, cfg: cfg, in: in, given: given, v: v,
		pending:  map[string]*item{},
		live:     map[string]engine.Snapshot{},
		reported: map[string]bool{},
		slots:    make(chan struct{}, window),
	}
}

// run adds every link, waits for those downloads to end while reporting,
// and returns the exit status.
func (s *session) run(ctx context.Context) int {
	s.started = time.Now()
	if s.in != nil && s.in.f != nil {
		if code, stop := s.check(ctx); stop {
			return code
		}
	}
	sub := s.m.Subscribe()
	defer sub.Close()

	feedCtx, stopFeed := context.WithCancel(ctx)
	defer stopFeed()
	events := make(chan feedEvent)
	go s.feed(feedCtx, events)

	tick := time.NewTicker(redrawEvery)
	defer tick.Stop()
	updates := sub.C()
	for !s.fed || len(s.pending) > 0 {
		select {
		case <-ctx.Done():
			return s.interrupted()
		case ev := <-events:
			s.onFeed(ev)
			if ev.end {
				events = nil
			}
		case batch, ok := <-updates:
			if !ok {
				s.v.message("haul get: the download engine stopped unexpectedly")
				return ExitFailed
			}
			s.onBatch(batch)
		case <-tick.C:
			s.redraw()
		}
		if ctx.Err() != nil {
			return s.interrupted()
		}
	}
	s.t.Elapsed = time.Since(s.started)
	s.t.Rejected = s.sum.RejectedCount
	if s.added == 0 && s.t.Rejected == 0 && s.t.Failed == 0 && s.in != nil {
		s.v.message("haul get: nothing to download: " + safename.Display(s.in.name) + " has no links")
		return ExitUsage
	}
	s.v.summary(s.t)
	if s.t.Failed > 0 || s.t.Rejected > 0 || s.scanErr != nil {
		return ExitFailed
	}
	return ExitOK
}

// checkBudget is how long the first reading of an input file may hold
// back the downloads: a longer file is checked while downloading.
var checkBudget = 300 * time.Millisecond

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

// interrupted saves progress and explains how to go on.
func (s *session) interrupted() int {
	s.v.erase()
	s.v.clearStatus()
	s.m.Close() // saves every download's progress
	fmt.Fprintln(s.v.errw, "interrupted: run the same command again to resume")
	return ExitInterrupted
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
	opt := intake.Options{
		Slots: s.slots,
		Request: func(l links.Link) engine.Request {
			return engine.Request{URL: l.URL, Name: l.Name, Checksum: l.Checksum, Quality: s.cfg.Quality}
		},
		Added: func(rs []intake.Result) error {
			for _, r := range rs {
				ev := feedEvent{id: r.ID, url: r.Link.URL, err: r.Err, existing: r.Existing}
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
		s.finish(result{URL: links.Redact(ev.url), Err: ev.err.Error()})
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
	s.pending[ev.id] = &item{last: ev.had}
	if stopped(snap.State) {
		s.resolve(snap, ev.existing && snap.State == engine.Completed)
	}
}

// stopped tells whether a download of ours has nothing more to do: it
// finished, or was paused (which only a person can do; nothing here
// would resume it).
func stopped(st engine.State) bool { return st.Finished() || st == engine.Paused }

// onBatch takes in an update from the manager. Snapshots only hint that
// a download ended; the manager's current state decides, since a batch
// may predate the Add that restarted a download.
func (s *session) onBatch(batch []engine.Snapshot) {
	for _, snap := range batch {
		it, ok := s.pending[snap.ID]
		if !ok {
			continue
		}
		if snap.Removed {
			s.resolve(engine.Snapshot{ID: snap.ID, State: engine.Failed, Err: "removed from the list"}, false)
			continue
		}
		s.live[snap.ID] = snap
		it.see(snap.Received)
		if !stopped(snap.State) {
			continue
		}
		if cur, ok := s.m.Get(snap.ID); !ok {
			s.resolve(engine.Snapshot{ID: snap.ID, URL: snap.URL, State: engine.Failed, Err: "removed from the list"}, false)
		} else if stopped(cur.State) {
			s.resolve(cur, false)
		}
	}
}

// resolve reports a pending download that ended.
func (s *session) resolve(snap engine.Snapshot, already bool) {
	it := s.pending[snap.ID]
	delete(s.pending, snap.ID)
	delete(s.live, snap.ID)
	s.reported[snap.ID] = true
	s.release()
	if snap.State == engine.Completed || snap.Received > 0 {
		it.see(snap.Received)
	}
	s.t.Bytes += it.got
	r := result{ID: snap.ID, URL: snap.URL, Name: snap.Name, Bytes: snap.Received, Warning: snap.Warning}
	if snap.Name != "" {
		r.Path = snap.Path()
	}
	switch snap.State {
	case engine.Completed:
		r.OK, r.Already = true, already
	case engine.Paused:
		r.Err = "paused by another program"
	case engine.Canceled:
		r.Err = "canceled"
	default:
		r.Err, r.Kind = outcome.Failed(snap, advice), snap.Problem.Kind
		if r.Err == "" {
			r.Err = "failed"
		}
	}
	s.finish(r)
}

// finish counts and reports one ended download.
func (s *session) finish(r result) {
	switch {
	case r.OK && r.Already:
		s.t.Completed++
		s.t.Already++
	case r.OK:
		s.t.Completed++
	default:
		s.t.Failed++
	}
	if err := s.v.finished(r); err != nil {
		s.v.message("haul get: writing the results: " + err.Error())
	}
}

func (s *session) release() { <-s.slots }

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

// redraw refreshes the live area, or the reading status on standard error.
func (s *session) redraw() {
	reading := s.readingText()
	if s.v.mode != modeLive {
		if reading != "" && s.readBytes.Load() >= bigInput {
			w, _ := s.v.size()
			s.v.showStatus(reading, w)
		}
		return
	}
	active := make([]engine.Snapshot, 0, len(s.live))
	var speed float64
	for _, snap := range s.live {
		if snap.State == engine.Active {
			active = append(active, snap)
			speed += snap.Speed
		}
	}
	slices.SortFunc(active, func(a, b engine.Snapshot) int {
		if c := a.Added.Compare(b.Added); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var foot []string
	if done := s.t.Completed + s.t.Failed; s.total > 1 {
		foot = append(foot, fmt.Sprintf("%d of %d done", done, s.total))
	} else if done > 0 && s.total == 0 {
		foot = append(foot, fmt.Sprintf("%d done", done))
	}
	if q := len(s.pending) - len(active); q > 0 {
		foot = append(foot, fmt.Sprintf("%d waiting", q))
	}
	if len(active) > 1 {
		foot = append(foot, human.Speed(speed)+" in all")
	}
	if reading != "" {
		foot = append(foot, reading)
	}
	footer := ""
	if len(foot) > 0 {
		footer = "  " + strings.Join(foot, " · ")
	}
	w, _ := s.v.size()
	s.v.draw(progressLines(active, w, footer, time.Now()))
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
