package engine

import (
	"errors"
	"fmt"
	"slices"
)

// ErrNotCompleted is returned by Unload for a download that is not
// complete.
var ErrNotCompleted = errors.New("the download is not complete")

// Unload takes a completed download out of this Manager's memory and
// keeps its stored record: List and Get no longer show it, subscribers
// see it removed, and the file stays where it is. The next Open lists it
// again. A long run (`haul get -i` of a million links) unloads each
// download once it has reported it, so that what it holds stays bounded
// by the downloads still to come, not by those done.
//
// Adding the same link again before the next Open makes a new download:
// a caller that may do so dedups its links first (links.Scan does).
func (m *Manager) Unload(id string) error {
	m.mu.Lock()
	defer m.unlock()
	d, ok := m.byID[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if d.state != Completed || d.run != nil {
		return fmt.Errorf("unload %s: %w", id, ErrNotCompleted)
	}
	// A record still waiting for the saver holds d itself (toPut), so it
	// is written as it stands; only the lists let go of d.
	m.unlistLocked(d)
	m.broadcastLocked()
	return nil
}

// unlistLocked takes d off the lists, and tells subscribers it is gone.
// Called with m.mu held.
func (m *Manager) unlistLocked(d *download) {
	delete(m.byID, d.id)
	m.order = slices.DeleteFunc(m.order, func(x *download) bool { return x == d })
	m.unkeyLocked(d)
	m.removed = append(m.removed, Snapshot{ID: d.id, Removed: true})
}
