package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/safename"
)

// ErrBusy is returned by SetURL for a download that is queued to run,
// running or still stopping: pause it first.
var ErrBusy = errors.New("the download is running: pause it first")

// ErrNotRefreshable is returned by SetURL for a completed or canceled
// download: there is nothing left to fetch.
var ErrNotRefreshable = errors.New("only a paused or failed download can get a new link")

// startedOverNote is the warning of a download whose new link served a
// different file (another size or validator): its bytes were dropped.
const startedOverNote = "the new link serves a different file; started over"

// SetURL gives a paused or failed download a new link, such as a fresh
// copy of one that expired. The link is checked like Add's (http or
// https) and stored without its password. The download stays as it is:
// Resume continues it. On that run the saved size and validator (ETag,
// else Last-Modified) are checked against the new link with If-Range: if
// it serves the same file the bytes on disk are kept; if not the download
// starts over from zero and its Warning says why.
func (m *Manager) SetURL(id, rawURL string) error {
	u, err := ParseURL(rawURL)
	if err != nil {
		return fmt.Errorf("new link: %w", err)
	}
	return m.actErr(id, func(d *download) error {
		switch {
		case d.run != nil || d.state == Active || d.state == Queued:
			return fmt.Errorf("%w: %s", ErrBusy, safeName(d))
		case d.state != Paused && d.state != Failed:
			return fmt.Errorf("%w (%s is %s)", ErrNotRefreshable, safeName(d), d.state)
		}
		m.unkeyLocked(d)
		d.url = u
		m.keyLocked(d)
		// The new link is the user's: the headers a browser handed over
		// with the old one are no longer owed.
		d.headers = len(d.header) > 0
		if d.problem == needHeadersAgain {
			d.problem = Problem{}
		}
		if !d.nameFixed && !d.explicit && !isStream(d.proto) {
			d.name = transfer.TentativeName(u)
		}
		d.res.Warning = strings.ReplaceAll(d.res.Warning, startedOverNote, "")
		d.res.Warning = strings.Trim(d.res.Warning, "; ")
		// Only bytes on disk can be lost to a different file.
		d.refreshed = d.nameFixed && d.res.Pieces != nil
		d.refreshBase = d.received.Load()
		m.touch(d)
		return nil
	})
}

func safeName(d *download) string { return safename.Display(d.name) }

// refreshLearned adds the reason to what a run learned when it starts
// over after SetURL. Called with m.mu held.
func (d *download) refreshLearned(r transfer.Resume) transfer.Resume {
	if d.refreshed && !strings.Contains(r.Warning, startedOverNote) {
		r.Warning = joinWarn(r.Warning, startedOverNote)
	}
	return r
}

// refreshFinished ends the watch SetURL started once a run has shown
// whether the new link serves the same file: it is complete, it started
// over (the warning says so), or it got bytes past those it had. A run
// that stopped or failed before that (a pause, a dead server) leaves the
// watch to the next one. Called with m.mu held, after the run.
func (d *download) refreshFinished() {
	if d.refreshed && (d.state == Completed || d.state == Canceled ||
		strings.Contains(d.res.Warning, startedOverNote) || d.received.Load() > d.refreshBase) {
		d.refreshed = false
	}
}
