// Package schedule decides, from the wall clock, whether Haul's queue
// runs and which speed limit is in force: a queue window ("start at
// 01:00, stop at 07:00 on weekdays") and a limit window ("500 KiB/s from
// 09:00 to 18:00"). It is plain Go: the decisions are pure functions of a
// time, and Runner re-decides at each boundary on an injectable Clock, so
// tests never wait for real time.
package schedule

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Days is a set of weekdays, one bit per time.Weekday.
type Days uint8

// Common day sets.
const (
	Weekdays Days = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday
	Weekend  Days = 1<<time.Saturday | 1<<time.Sunday
	Everyday      = Weekdays | Weekend
)

// Has reports whether d holds day w.
func (d Days) Has(w time.Weekday) bool { return d&(1<<w) != 0 }

// With returns d with day w added or taken out.
func (d Days) With(w time.Weekday, on bool) Days {
	if on {
		return d | 1<<w
	}
	return d &^ (1 << w)
}

// String names the days, e.g. "Mon–Fri", "every day", "Sat, Sun".
func (d Days) String() string {
	switch d & Everyday {
	case Everyday:
		return "every day"
	case Weekdays:
		return "weekdays"
	case Weekend:
		return "weekends"
	case 0:
		return "no day"
	}
	var names []string
	for _, w := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if d.Has(w) {
			names = append(names, w.String()[:3])
		}
	}
	return strings.Join(names, ", ")
}

// MinutesPerDay is the number of minutes in a day on a DST-free clock.
const MinutesPerDay = 24 * 60

// Window is a daily span of wall-clock time, [Start, End) in minutes
// after midnight, on chosen days. An End before the Start runs past
// midnight into the next day; the day that counts is the one it starts
// on. Start equal to End is the whole day.
type Window struct {
	On         bool
	Start, End int // minutes after midnight, 0–1439
	Days       Days
}

// Valid reports what is wrong with w, if anything.
func (w Window) Valid() error {
	if w.Start < 0 || w.Start >= MinutesPerDay || w.End < 0 || w.End >= MinutesPerDay {
		return fmt.Errorf("times must be from 00:00 to 23:59")
	}
	if w.On && w.Days&Everyday == 0 {
		return fmt.Errorf("choose at least one day")
	}
	return nil
}

// occurrence is the span of the window that starts on the day of t. Both
// ends are wall-clock times, so a window keeps its hours on a day when
// the clock moves for daylight saving time.
func (w Window) occurrence(t time.Time) (from, to time.Time) {
	y, m, d := t.Date()
	from = time.Date(y, m, d, w.Start/60, w.Start%60, 0, 0, t.Location())
	endDay := d
	if w.End <= w.Start {
		endDay++ // past midnight, or the whole day
	}
	return from, time.Date(y, m, endDay, w.End/60, w.End%60, 0, 0, t.Location())
}

// span returns the occurrence of the window that holds t, if any. Only
// an On window holds anything.
func (w Window) span(t time.Time) (from, to time.Time, ok bool) {
	if !w.On {
		return time.Time{}, time.Time{}, false
	}
	// An occurrence lasts at most a day, so it started today or yesterday.
	for _, day := range []time.Time{t, t.AddDate(0, 0, -1)} {
		if !w.Days.Has(day.Weekday()) {
			continue
		}
		from, to := w.occurrence(day)
		if !t.Before(from) && t.Before(to) {
			return from, to, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Time) bool {
	_, _, ok := w.span(t)
	return ok
}

// nextStart is the first start of the window after t, or the zero time
// when it never starts.
func (w Window) nextStart(t time.Time) time.Time {
	if !w.On || w.Days&Everyday == 0 {
		return time.Time{}
	}
	for i := 0; i <= 7; i++ {
		day := t.AddDate(0, 0, i)
		if !w.Days.Has(day.Weekday()) {
			continue
		}
		if from, _ := w.occurrence(day); from.After(t) {
			return from
		}
	}
	return time.Time{}
}

// Until is when the inside-or-outside state of w at t next changes: the
// end of the occurrence that holds t (merged with any that follows on
// without a gap), or the next start. The zero time means never.
func (w Window) Until(t time.Time) time.Time {
	if _, to, ok := w.span(t); ok {
		// Back-to-back occurrences (a whole-day window on consecutive
		// days, or 22:00–22:00) are one stretch.
		for i := 0; i < 8; i++ {
			_, next, ok := w.span(to)
			if !ok {
				return to
			}
			to = next
		}
		return time.Time{} // inside for good
	}
	return w.nextStart(t)
}

// EmptyAction is what Haul does when the queue empties.
type EmptyAction int

const (
	// DoNothing keeps Haul open (the default).
	DoNothing EmptyAction = iota
	// Quit quits Haul once every download has finished.
	Quit
)

// Plan is the whole schedule.
type Plan struct {
	// Queue, when On, is when queued downloads may run; outside it the
	// queue is paused.
	Queue Window
	// Limit, when On, is when LimitBytes caps the total speed; outside
	// it the usual limit of the settings applies.
	Limit      Window
	LimitBytes int64 // bytes per second; 0 = unlimited during the window
	WhenEmpty  EmptyAction
}

// Valid reports what is wrong with p, if anything.
func (p Plan) Valid() error {
	if err := p.Queue.Valid(); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if err := p.Limit.Valid(); err != nil {
		return fmt.Errorf("speed limit: %w", err)
	}
	if p.LimitBytes < 0 {
		return fmt.Errorf("speed limit: must not be negative")
	}
	return nil
}

// Decision is what the plan says at one moment.
type Decision struct {
	// QueueRuns is false while the queue window is on and t is outside it.
	QueueRuns bool
	// QueueScheduled is true when the queue window is on at all.
	QueueScheduled bool
	// QueueUntil is when QueueRuns next changes; zero if never.
	QueueUntil time.Time
	// Limited is true inside the limit window; Limit is then the cap in
	// bytes per second (0 = unlimited).
	Limited    bool
	Limit      int64
	LimitUntil time.Time // when Limited next changes; zero if never
}

// At decides for time t, in t's location.
func (p Plan) At(t time.Time) Decision {
	d := Decision{QueueRuns: true, QueueScheduled: p.Queue.On}
	if p.Queue.On {
		d.QueueRuns = p.Queue.Contains(t)
		d.QueueUntil = p.Queue.Until(t)
	}
	if p.Limit.On {
		d.Limited = p.Limit.Contains(t)
		if d.Limited {
			d.Limit = p.LimitBytes
		}
		d.LimitUntil = p.Limit.Until(t)
	}
	return d
}

// Next is the first moment after t when the decision changes; zero if
// it never does.
func (d Decision) Next() time.Time {
	times := []time.Time{}
	for _, x := range []time.Time{d.QueueUntil, d.LimitUntil} {
		if !x.IsZero() {
			times = append(times, x)
		}
	}
	if len(times) == 0 {
		return time.Time{}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	return times[0]
}

// Same reports whether two decisions ask the same of the engine (the
// same queue state and limit), whatever their end times.
func (d Decision) Same(e Decision) bool {
	return d.QueueRuns == e.QueueRuns && d.Limited == e.Limited && d.Limit == e.Limit
}

// FormatMinutes writes minutes after midnight as "HH:MM".
func FormatMinutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// ParseMinutes reads "H:MM" or "HH:MM" as minutes after midnight.
func ParseMinutes(s string) (int, error) {
	var h, m int
	s = strings.TrimSpace(s)
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || h < 0 || h > 23 || m < 0 || m > 59 || len(s) < 4 || len(s) > 5 || s[len(s)-3] != ':' {
		return 0, fmt.Errorf("enter a time as HH:MM, from 00:00 to 23:59")
	}
	return h*60 + m, nil
}
