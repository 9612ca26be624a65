package gui

import (
	"fmt"

	"github.com/haul-dl/haul/engine"
)

// batchTracker tells when a batch of downloads has finished: the queue
// drains (nothing active or queued) after having had work. It remembers
// which downloads took part, so that the report counts only those, and
// it reports once per batch however many files the batch held.
type batchTracker struct {
	members map[string]bool
}

// batchReport is how a finished batch ended.
type batchReport struct {
	Completed, Failed int
}

// observe folds one engine batch into the tracker; added are the
// downloads new in it, sum the counts of the whole list after it and
// lookup gives a download's latest state. It returns the report and
// true when the batch just finished.
//
// A new download takes part even when it is already over: the engine
// publishes coalesced changes, so a link that fails at once or a small
// file may be seen first as failed or completed, never queued.
func (b *batchTracker) observe(batch []engine.Snapshot, added []string, sum counts, lookup func(string) (engine.Snapshot, bool)) (batchReport, bool) {
	join := func(id string) {
		if b.members == nil {
			b.members = map[string]bool{}
		}
		b.members[id] = true
	}
	for _, s := range batch {
		if !s.Removed && (s.State == engine.Active || s.State == engine.Queued) {
			join(s.ID)
		}
	}
	for _, id := range added {
		join(id)
	}
	if sum.Active+sum.Queued > 0 || len(b.members) == 0 {
		return batchReport{}, false
	}
	var r batchReport
	for id := range b.members {
		if s, ok := lookup(id); ok {
			switch s.State {
			case engine.Completed:
				r.Completed++
			case engine.Failed:
				r.Failed++
			}
		}
	}
	b.members = nil
	return r, r.Completed+r.Failed > 0
}

// batchText is the notification of a finished batch, e.g. "12 downloads
// finished, 1 failed".
func batchText(r batchReport) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return fmt.Sprintf(many, n)
	}
	switch {
	case r.Failed == 0:
		return plural(r.Completed, "1 download finished", "%d downloads finished")
	case r.Completed == 0:
		return plural(r.Failed, "1 download failed", "%d downloads failed")
	}
	return plural(r.Completed, "1 download finished", "%d downloads finished") + fmt.Sprintf(", %d failed", r.Failed)
}
