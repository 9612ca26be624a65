package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
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

// item is a download this run waits for.
type item struct {
	last int64 // bytes it had at the last look
	got  int64 // bytes received during this run
	// unload: once reported complete, the download leaves the manager's
	// memory (its record stays stored), so that a run over a long input
	// holds the downloads to come, not every one done. Links from the
	// input are deduplicated as they are read; those given as arguments
	// stay loaded, so that the input naming one again finds it.
	unload bool
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
	heldSaid bool // the schedule's closed queue was reported

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

// interrupted saves progress and explains how to go on.
func (s *session) interrupted() int {
	s.v.erase()
	s.v.clearStatus()
	s.m.Close() // saves every download's progress
	fmt.Fprintln(s.v.errw, "interrupted: run the same command again to resume")
	return ExitInterrupted
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
	if it.unload && snap.State == engine.Completed {
		_ = s.m.Unload(snap.ID) // refused only if it started again: then it stays
	}
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

// sayHeld tells, once, that the schedule's queue window is closed, so a
// download that waits queued is not taken for a hang. The engine keeps
// the schedule (the window edits it); haul get follows it.
func (s *session) sayHeld() {
	if s.heldSaid {
		return
	}
	dec := s.m.ScheduleDecision()
	if dec.QueueRuns {
		return
	}
	s.heldSaid = true
	until := ""
	if !dec.QueueUntil.IsZero() {
		until = " until " + dec.QueueUntil.Format("Mon 15:04")
	}
	s.v.message("haul get: the schedule keeps the queue closed" + until + ": the downloads wait (the schedule is set in Haul's window; Ctrl+C stops)")
}
