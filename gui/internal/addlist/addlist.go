// Package addlist is what the Add dialog shows before anything is added:
// the links found, each with a tick box, marked when the download list
// has them already; the patterns and how many links each expands to; and
// the lines that could not be used, with their reasons. It is plain Go, so
// that every rule is tested without widgets.
package addlist

import (
	"github.com/haul-dl/haul/engine/links"
)

// Entry is one link the dialog offers.
type Entry struct {
	Link    links.Link
	Checked bool // to be added
	// Existing means the download list has this link already; it starts
	// unticked, so adding a page twice does not queue it twice.
	Existing bool
}

// Pattern is one URL pattern of the input and how many links it gave.
type Pattern struct {
	Line  int
	Text  string // display-safe
	Count int
}

// List is the dialog's model of one input.
type List struct {
	Entries  []Entry
	Patterns []Pattern
	// Rejected are the lines that could not be used (the first ones;
	// RejectedCount counts all), and Unresolved the relative links of an
	// HTML page whose address is unknown.
	Rejected      []links.Rejected
	RejectedCount int
	Duplicates    int // links skipped because they repeat one above
	Unresolved    int
	Base          string // the page address the input declared, if any
	checked       int
}

// Known tells whether the download list has a link already.
type Known func(url string) bool

// KnownURLs returns a Known for the URLs of the downloads in the list
// (as the engine shows them, password redacted).
func KnownURLs(urls []string) Known {
	set := make(map[string]struct{}, len(urls))
	for _, u := range urls {
		set[links.Key(u)] = struct{}{}
	}
	return func(u string) bool {
		_, ok := set[links.Key(u)]
		return ok
	}
}

// New builds the list from what links.Scan found; known may be nil.
func New(found []links.Link, sum links.Summary, known Known) *List {
	l := &List{
		Entries:       make([]Entry, len(found)),
		Rejected:      sum.Rejected,
		RejectedCount: sum.RejectedCount,
		Duplicates:    sum.Duplicates,
		Unresolved:    sum.Unresolved,
		Base:          sum.Base,
	}
	for i, f := range found {
		e := Entry{Link: f}
		e.Existing = known != nil && known(f.URL)
		e.Checked = !e.Existing
		if e.Checked {
			l.checked++
		}
		l.Entries[i] = e
		if f.Pattern != "" {
			if n := len(l.Patterns); n > 0 && l.Patterns[n-1].Line == f.Line && l.Patterns[n-1].Text == f.Pattern {
				l.Patterns[n-1].Count++
			} else {
				l.Patterns = append(l.Patterns, Pattern{Line: f.Line, Text: f.Pattern, Count: 1})
			}
		}
	}
	return l
}

// Set ticks or unticks entry i.
func (l *List) Set(i int, checked bool) {
	if i < 0 || i >= len(l.Entries) || l.Entries[i].Checked == checked {
		return
	}
	l.Entries[i].Checked = checked
	if checked {
		l.checked++
	} else {
		l.checked--
	}
}

// SetAll ticks or unticks every entry; with checked set, the ones already
// in the download list stay as they are unless withExisting.
func (l *List) SetAll(checked, withExisting bool) {
	for i, e := range l.Entries {
		if checked && e.Existing && !withExisting {
			continue
		}
		l.Set(i, checked)
	}
}

// Checked returns the links to add, in input order.
func (l *List) Checked() []links.Link {
	out := make([]links.Link, 0, l.checked)
	for _, e := range l.Entries {
		if e.Checked {
			out = append(out, e.Link)
		}
	}
	return out
}

// CheckedCount is how many entries are ticked.
func (l *List) CheckedCount() int { return l.checked }

// ExistingCount is how many entries the download list has already.
func (l *List) ExistingCount() int {
	n := 0
	for _, e := range l.Entries {
		if e.Existing {
			n++
		}
	}
	return n
}
