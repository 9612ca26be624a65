package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/internal/human"
)

// detailsRefresh is how often an open details view of a running download
// asks the engine again, so its file map and history look live.
const detailsRefresh = 250 * time.Millisecond

// historyText words a download's last attempts, newest first, one a
// line: when it started, how it ended, how far it got and its error; the
// newest, when the download waits to retry, with "next try in 12 s" as
// of now.
func historyText(det engine.Details, now time.Time) string {
	if len(det.Attempts) == 0 {
		return "Not started yet"
	}
	lines := make([]string, 0, len(det.Attempts)+1)
	for i, a := range det.Attempts {
		line := attemptTime(a.Started, now) + "  " + attemptOutcome(a)
		if a.Bytes > 0 {
			line += " · " + human.Bytes(a.Bytes)
		}
		if a.Problem.Message != "" && (a.Outcome == engine.AttemptRetrying || a.Outcome == engine.AttemptFailed) {
			line += ": " + a.Problem.Message // made safe to show by the engine
		}
		if i == 0 && a.Outcome == engine.AttemptRetrying && det.Retry != nil && !det.Retry.At.IsZero() {
			line += " · next try in " + human.Duration(max(det.Retry.At.Sub(now), 0))
		}
		lines = append(lines, line)
	}
	if det.AttemptsDropped > 0 {
		lines = append(lines, fmt.Sprintf("… and %s before", plural(det.AttemptsDropped, "older attempt")))
	}
	return strings.Join(lines, "\n")
}

// attemptOutcome is how an attempt ended, in a word or two.
func attemptOutcome(a engine.Attempt) string {
	switch a.Outcome {
	case engine.AttemptRunning:
		return "running"
	case engine.AttemptCompleted:
		return "completed"
	case engine.AttemptRetrying:
		return "failed, retried"
	case engine.AttemptFailed:
		return "failed"
	case engine.AttemptPaused:
		return "stopped"
	case engine.AttemptCanceled:
		return "canceled"
	}
	return "interrupted"
}

// attemptTime is when an attempt started: the time of day today, else
// the date too.
func attemptTime(t, now time.Time) string {
	t = t.Local()
	if y, m, d := t.Date(); now.Local().Year() == y && now.Local().Month() == m && now.Local().Day() == d {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 2 15:04:05")
}

// followDetails refreshes the open details view d while the download it
// shows runs, every detailsRefresh, until the view is closed (stop).
// UI goroutine only.
func (u *UI) followDetails(d *detailsDialog) (stop func()) {
	ctx, cancel := context.WithCancel(u.ctx)
	u.goJob(func(context.Context) {
		t := time.NewTicker(detailsRefresh)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if d.running.Load() && !d.asking.Load() {
				u.post(func() {
					if ctx.Err() == nil {
						u.refreshDetails()
					}
				})
			}
		}
	})
	return cancel
}
