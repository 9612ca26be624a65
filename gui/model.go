package gui

import (
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
	ids   binding.StringList         // IDs in the engine's order; the list widget follows it
	order []string                   // the same IDs, kept here to avoid copying on every lookup
	rows  map[string]binding.Untyped // per ID: the latest engine.Snapshot
	snaps map[string]engine.Snapshot
	sum   counts
}

func newModel() *model {
	return &model{
		ids:   binding.NewStringList(),
		rows:  map[string]binding.Untyped{},
		snaps: map[string]engine.Snapshot{},
	}
}

// apply folds one batch into the model: new downloads are appended in
// the engine's order, changed ones update their row's binding, removed
// ones leave. A full batch is the whole list: downloads missing from it
// leave too. It reports the IDs that are new.
func (md *model) apply(batch []engine.Snapshot, full bool) (added []string) {
	removed := false
	if full {
		present := make(map[string]bool, len(batch))
		for _, s := range batch {
			present[s.ID] = true
		}
		for id := range md.rows {
			if !present[id] {
				delete(md.rows, id)
				delete(md.snaps, id)
				removed = true
			}
		}
	}
	for _, s := range batch {
		if s.Removed {
			if _, ok := md.rows[s.ID]; ok {
				delete(md.rows, s.ID)
				delete(md.snaps, s.ID)
				removed = true
			}
			continue
		}
		b, ok := md.rows[s.ID]
		if !ok {
			b = binding.NewUntyped()
			md.rows[s.ID] = b
			md.order = append(md.order, s.ID)
			added = append(added, s.ID)
		}
		md.snaps[s.ID] = s
		_ = b.Set(s) // cannot fail for an Untyped
	}
	if removed {
		kept := md.order[:0]
		for _, id := range md.order {
			if _, ok := md.rows[id]; ok {
				kept = append(kept, id)
			}
		}
		clear(md.order[len(kept):])
		md.order = kept
	}
	if removed || len(added) > 0 {
		_ = md.ids.Set(append([]string(nil), md.order...))
	}
	md.sum = md.count()
	return added
}

func (md *model) count() counts {
	var c counts
	for _, s := range md.snaps {
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

// index returns the position of id in the list, or -1.
func (md *model) index(id string) int {
	for i, x := range md.order {
		if x == id {
			return i
		}
	}
	return -1
}

// snapshot returns the latest state of one download.
func (md *model) snapshot(id string) (engine.Snapshot, bool) {
	s, ok := md.snaps[id]
	return s, ok
}

// row returns the binding of one download's state.
func (md *model) row(id string) (binding.Untyped, bool) {
	b, ok := md.rows[id]
	return b, ok
}
