// Package listview decides what the download list shows: which downloads
// pass the filter box and the state choice, in which order, and which are
// selected. It is plain Go over engine snapshots, so that the window's
// widgets only draw what it decides and every rule is tested without them.
package listview

import (
	"net/url"
	"strings"

	"github.com/haul-dl/haul/engine"
)

// Show is the state choice above the list.
type Show int

// The state choices, in the order the window offers them.
const (
	ShowAll Show = iota
	ShowActive
	ShowPaused
	ShowQueued
	ShowCompleted
	ShowFailed
)

// Shows lists every choice, in order.
var Shows = []Show{ShowAll, ShowActive, ShowPaused, ShowQueued, ShowCompleted, ShowFailed}

var showNames = [...]string{"All", "Active", "Paused", "Queued", "Completed", "Failed"}

// String is the choice's label ("All", "Active", ...).
func (s Show) String() string {
	if s < 0 || int(s) >= len(showNames) {
		return showNames[0]
	}
	return showNames[s]
}

// Has reports whether a download in state st belongs under the choice.
// Active is what is downloading now, as the status bar counts it, and
// Paused has its own choice; Failed includes canceled downloads (both
// stopped without a file).
func (s Show) Has(st engine.State) bool {
	switch s {
	case ShowActive:
		return st == engine.Active
	case ShowPaused:
		return st == engine.Paused
	case ShowQueued:
		return st == engine.Queued
	case ShowCompleted:
		return st == engine.Completed
	case ShowFailed:
		return st == engine.Failed || st == engine.Canceled
	}
	return true
}

// Filter is what the list is narrowed to: the filter box's text and the
// state choice.
type Filter struct {
	Text string
	Show Show
}

// matcher is a Filter prepared for many snapshots.
type matcher struct {
	words []string // lower-case; all must match
	show  Show
}

func (f Filter) matcher() matcher {
	return matcher{words: strings.Fields(strings.ToLower(f.Text)), show: f.Show}
}

// Match reports whether s passes f: its state is under the choice, and
// every word of the text is found, ignoring case, in its file name, its
// URL's host or its folder.
func (f Filter) Match(s engine.Snapshot) bool { return f.matcher().match(s) }

func (m matcher) match(s engine.Snapshot) bool {
	if !m.show.Has(s.State) {
		return false
	}
	if len(m.words) == 0 {
		return true
	}
	name, dir, host := strings.ToLower(s.Name), strings.ToLower(s.Dir), strings.ToLower(hostOf(s.URL))
	for _, w := range m.words {
		if !strings.Contains(name, w) && !strings.Contains(host, w) && !strings.Contains(dir, w) {
			return false
		}
	}
	return true
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// Counts returns how many downloads each state choice holds, for the
// labels "Active (3)" and so on. It ignores the filter text, so that the
// counts do not jump while the user types.
func Counts(snaps []engine.Snapshot) map[Show]int {
	c := make(map[Show]int, len(Shows))
	for _, s := range snaps {
		for _, sh := range Shows {
			if sh.Has(s.State) {
				c[sh]++
			}
		}
	}
	return c
}
