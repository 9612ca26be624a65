package engine

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"time"
)

// persistLocked queues d's record for the saver. Called with m.mu held.
// Records are written in batches by one goroutine, so a burst of state
// changes costs one transaction (and one fsync), not one each. The record
// is taken when its batch is written, and marshalled outside the lock: a
// download that changes several times within one batch is encoded once.
func (m *Manager) persistLocked(d *download) {
	m.toPut[d.id] = d
	delete(m.toDelete, d.id)
	m.kickSaver()
}

// forgetLocked queues the deletion of a record. Called with m.mu held.
func (m *Manager) forgetLocked(id string) {
	delete(m.toPut, id)
	m.toDelete[id] = true
	m.kickSaver()
}

// waitSavedLocked queues d's record and returns a channel closed once
// the saver has written it (or tried to: a failure is in Notice). Called
// with m.mu held; wait outside it.
//
// A record someone waits for is a group commit: the saver writes it
// without waiting out saveGap, in the next commit, and every record
// queued by then (other downloads finishing at the same time, whether
// they wait or not) goes into that same transaction and its fsyncs.
// Waiters that come while a commit runs share the one after it.
func (m *Manager) waitSavedLocked(d *download) <-chan struct{} {
	m.persistLocked(d)
	select {
	case m.saveNow <- struct{}{}:
	default:
	}
	return m.saved
}

func (m *Manager) kickSaver() {
	select {
	case m.saveCh <- struct{}{}:
	default:
	}
}

// saveGap is the least time between two commits of the saver. Changes
// that come meanwhile wait for the next one, so a stream of small
// downloads finishing costs a commit (two flushes of the store file) every
// saveGap rather than one per download. Only a placing record is waited
// for (waitSavedLocked), and it skips the gap; any other record only ever
// lags behind what is on disk (its pieces were flushed before they were
// reported), and Close writes whatever is left.
const saveGap = 25 * time.Millisecond

// saveLoop writes queued records as they come, at most one commit every
// Options.saveGap unless someone waits for one (waitSavedLocked), and what is
// left on close.
func (m *Manager) saveLoop() {
	defer m.wg.Done()
	gap := time.NewTimer(0)
	defer gap.Stop()
	for {
		waited := false
		select {
		case <-m.saveCh:
		case <-m.saveNow:
			waited = true
		case <-m.ctx.Done():
			m.flush()
			return
		}
		if !waited {
			select {
			case <-gap.C:
			case <-m.saveNow:
			case <-m.ctx.Done():
				m.flush()
				return
			}
		}
		m.flush()
		gap.Reset(m.opt.saveGap)
	}
}

// flush writes every queued record and deletion now. On failure they stay
// queued (unless superseded) for the next try, and Notice reports it.
func (m *Manager) flush() error {
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	m.mu.Lock()
	queued, dels := m.toPut, m.toDelete
	m.toPut, m.toDelete = map[string]*download{}, map[string]bool{}
	saved := m.saved
	m.saved = make(chan struct{})
	defer close(saved) // after the commit, whatever its outcome
	recs := make([]record, 0, len(queued))
	for _, d := range queued {
		r := d.record()
		r.Pieces, r.Proto = slices.Clone(r.Pieces), bytes.Clone(r.Proto)
		recs = append(recs, r)
	}
	m.mu.Unlock()
	puts := make(map[string][]byte, len(recs))
	for i := range recs {
		puts[recs[i].ID], _ = json.Marshal(&recs[i]) // cannot fail: plain data
	}
	var err error
	if len(puts) > 0 {
		err = m.store.Put(puts)
	}
	if len(puts)+len(dels) > 0 {
		m.commits.Add(1)
	}
	if len(dels) > 0 && err == nil {
		err = m.store.Delete(slices.Collect(maps.Keys(dels))...)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		m.saveErr = ""
		return nil
	}
	m.saveErr = err.Error()
	for id, d := range queued {
		if _, newer := m.toPut[id]; !newer && !m.toDelete[id] {
			m.toPut[id] = d
		}
	}
	for id := range dels {
		if _, newer := m.toPut[id]; !newer {
			m.toDelete[id] = true
		}
	}
	return err
}
