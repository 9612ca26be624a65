package gui

import (
	"time"

	"fyne.io/fyne/v2/data/binding"

	"github.com/haul-dl/haul/engine"
)

// counts sums up the list for the status bar and the toolbar.
type counts struct {
	Active, Queued, Paused, Completed, Failed, Canceled int
	Speed                                               float64 // bytes per second, all active downloads
}

// Total is the number of downloads in the list.
func (c counts) Total() int {
	return c.Active + c.Queued + c.Paused + c.Completed + c.Failed + c.Canceled
}

// model is the window's copy of the download list, fed by engine batches.
// It is touched only on the UI goroutine: the subscriber hands it each
// batch through one fyne.Do.
type model struct {
	order []string                   // IDs in the engine's order
	list  []engine.Snapshot          // the latest snapshots, in the same order
	pos   map[string]int             // index of each ID in order and list
	rows  map[string]binding.Untyped // per ID a row has shown: the latest engine.Snapshot
	sum   counts
	rates map[string]rateAvg // the smoothed speed of each running download (eta.go)
	now   func() time.Time
	// moved says the last batch added, removed or reordered a download, restated
	// that it changed the state of one: what the list shows, filtered and
	// sorted, may differ.
	moved, restated bool
}

func newModel() *model {
	return &model{pos: map[string]int{}, rows: map[string]binding.Untyped{}, rates: map[string]rateAvg{}, now: time.Now}
}

// apply folds one batch into the model: new downloads are appended in
// the engine's order, changed ones update their row's binding, removed
// ones leave. A full batch is the whole list: downloads missing from it
// leave too. It reports the IDs that are new.
func (md *model) apply(batch []engine.Snapshot, full bool) (added []string) {
	removed := map[string]bool{}
	if full {
		present := make(map[string]bool, len(batch))
		for _, s := range batch {
			present[s.ID] = true
		}
		for _, id := range md.order {
			if !present[id] {
				removed[id] = true
			}
		}
	}
	md.moved, md.restated = false, false
	reordered := false
	now := md.now()
	for _, s := range batch {
		i, ok := md.pos[s.ID]
		if s.Removed {
			if ok {
				removed[s.ID] = true
			}
			delete(md.rates, s.ID)
			continue
		}
		md.smoothETA(&s, now)
		if !ok {
			md.pos[s.ID] = len(md.order)
			md.order = append(md.order, s.ID)
			md.list = append(md.list, s)
			added = append(added, s.ID)
			continue
		}
		if md.list[i].State != s.State {
			md.restated = true
		}
		if md.list[i].Seq != s.Seq {
			reordered = true // moved in the queue
		}
		md.list[i] = s
		if b, ok := md.rows[s.ID]; ok {
			_ = b.Set(s) // cannot fail for an Untyped
		}
	}
	if len(removed) > 0 {
		md.drop(removed)
	}
	if len(removed) > 0 || len(added) > 0 || reordered {
		md.moved = true
	}
	md.sum = md.count()
	return added
}

// smoothETA replaces the time left of a running download with one worked
// out from its smoothed speed, so that it does not swing with every
// change of speed; the first snapshot keeps the engine's.
func (md *model) smoothETA(s *engine.Snapshot, now time.Time) {
	if s.State != engine.Active || s.Total < 0 || s.Finishing || s.Segments > 0 {
		delete(md.rates, s.ID)
		return
	}
	avg, ok := md.rates[s.ID]
	if !ok {
		md.rates[s.ID] = rateAvg{rate: s.Speed, at: now}
		return
	}
	avg = nextRate(avg, s.Speed, now, etaTau)
	md.rates[s.ID] = avg
	s.ETA = timeLeft(s.Total-s.Received, avg.rate)
}

// drop takes the removed downloads out, keeping the others' order.
func (md *model) drop(removed map[string]bool) {
	order, list := md.order[:0], md.list[:0]
	for i, id := range md.order {
		if removed[id] {
			delete(md.rows, id)
			delete(md.rates, id)
			delete(md.pos, id)
			continue
		}
		md.pos[id] = len(order)
		order = append(order, id)
		list = append(list, md.list[i])
	}
	clear(md.order[len(order):])
	clear(md.list[len(list):])
	md.order, md.list = order, list
}

func (md *model) count() counts {
	var c counts
	for _, s := range md.list {
		switch s.State {
		case engine.Queued:
			c.Queued++
		case engine.Active:
			c.Active++
			c.Speed += s.Speed
		case engine.Paused:
			c.Paused++
		case engine.Completed:
			c.Completed++
		case engine.Failed:
			c.Failed++
		case engine.Canceled:
			c.Canceled++
		}
	}
	return c
}

// len is the number of downloads in the list.
func (md *model) len() int { return len(md.order) }

// index returns the position of id in the engine's order, or -1.
func (md *model) index(id string) int {
	if i, ok := md.pos[id]; ok {
		return i
	}
	return -1
}

// snapshot returns the latest state of one download.
func (md *model) snapshot(id string) (engine.Snapshot, bool) {
	i, ok := md.pos[id]
	if !ok {
		return engine.Snapshot{}, false
	}
	return md.list[i], true
}

// snapshots returns the latest state of each of ids that is still there.
func (md *model) snapshots(ids []string) []engine.Snapshot {
	out := make([]engine.Snapshot, 0, len(ids))
	for _, id := range ids {
		if s, ok := md.snapshot(id); ok {
			out = append(out, s)
		}
	}
	return out
}

// row returns the binding of one download's state. Bindings are made
// when a row first shows the download, not when it arrives: each Set of
// a binding posts a function to the UI goroutine, which for a batch of
// 10,000 new links no row shows yet is a stall for nothing.
func (md *model) row(id string) (binding.Untyped, bool) {
	if b, ok := md.rows[id]; ok {
		return b, true
	}
	i, ok := md.pos[id]
	if !ok {
		return nil, false
	}
	b := binding.NewUntyped()
	_ = b.Set(md.list[i])
	md.rows[id] = b
	return b, true
}
