package engine

import (
	"errors"
	"fmt"
	"slices"
)

// Position says where Move puts a queued download among the queued ones.
type Position int

// The places a queued download can move to.
const (
	MoveTop    Position = iota // before every other queued download: it starts next
	MoveUp                     // before the queued download just ahead of it
	MoveDown                   // after the queued download just behind it
	MoveBottom                 // after every other queued download
)

// ErrNotQueued is returned by Move for a download that is not waiting in
// the queue (active, paused, failed, finished or still stopping): only
// waiting downloads have a place in the queue.
var ErrNotQueued = errors.New("the download is not queued")

// Move reorders a queued download among the queued ones; the scheduler
// starts queued downloads in this order, and the order is kept across
// restarts and carried by Snapshot.Seq. A move past the end (Top for the
// first queued download, Down for the last) does nothing and returns
// nil. A download that is not queued is not moved: Move returns an error
// wrapping ErrNotQueued (ErrNotFound for an unknown id).
func (m *Manager) Move(id string, to Position) error {
	if to < MoveTop || to > MoveBottom {
		return fmt.Errorf("engine: move %s: unknown position %d", id, to)
	}
	return m.actErr(id, func(d *download) error {
		if !waiting(d) {
			return fmt.Errorf("engine: move %s: %w", id, ErrNotQueued)
		}
		var queued []int // indexes in m.order of the waiting downloads
		at := -1
		for i, o := range m.order {
			if waiting(o) {
				if o == d {
					at = len(queued)
				}
				queued = append(queued, i)
			}
		}
		dest := at
		switch to {
		case MoveTop:
			dest = 0
		case MoveUp:
			dest = max(at-1, 0)
		case MoveDown:
			dest = min(at+1, len(queued)-1)
		case MoveBottom:
			dest = len(queued) - 1
		}
		if dest != at {
			m.reorderLocked(queued[at], queued[dest])
		}
		return nil
	})
}

// waiting says a download waits in the queue for a turn to run.
func waiting(d *download) bool { return d.state == Queued && d.run == nil }

// reorderLocked moves m.order[from] to index to, and hands the seqs of the
// span between them out again in the new order, so that m.order stays
// sorted by seq (the order a restart loads). Every download whose seq
// changed is stored and published. Called with m.mu held.
func (m *Manager) reorderLocked(from, to int) {
	lo, hi := min(from, to), max(from, to)
	seqs := make([]int64, 0, hi-lo+1)
	for _, d := range m.order[lo : hi+1] {
		seqs = append(seqs, d.seq)
	}
	d := m.order[from]
	m.order = slices.Delete(m.order, from, from+1)
	m.order = slices.Insert(m.order, to, d)
	for i, o := range m.order[lo : hi+1] {
		if o.seq != seqs[i] {
			o.seq = seqs[i]
			m.persistLocked(o)
			m.touch(o)
		}
	}
}
