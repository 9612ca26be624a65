package engine

import (
	"maps"
	"slices"
)

// persistLocked queues d's record for the saver. Called with m.mu held.
// Records are written in batches by one goroutine, so a burst of state
// changes costs one transaction (and one fsync), not one each.
func (m *Manager) persistLocked(d *download) {
	m.toPut[d.id] = d.record()
	delete(m.toDelete, d.id)
	m.kickSaver()
}

// forgetLocked queues the deletion of a record. Called with m.mu held.
func (m *Manager) forgetLocked(id string) {
	delete(m.toPut, id)
	m.toDelete[id] = true
	m.kickSaver()
}

func (m *Manager) kickSaver() {
	select {
	case m.saveCh <- struct{}{}:
	default:
	}
}

// saveLoop writes queued records as they come, and what is left on close.
func (m *Manager) saveLoop() {
	defer m.wg.Done()
	for {
		select {
		case <-m.saveCh:
			m.flush()
		case <-m.ctx.Done():
			m.flush()
			return
		}
	}
}

// flush writes every queued record and deletion now. On failure they stay
// queued (unless superseded) for the next try, and Notice reports it.
func (m *Manager) flush() error {
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	m.mu.Lock()
	puts, dels := m.toPut, m.toDelete
	m.toPut, m.toDelete = map[string][]byte{}, map[string]bool{}
	m.mu.Unlock()
	var err error
	if len(puts) > 0 {
		err = m.store.Put(puts)
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
	for id, rec := range puts {
		if _, newer := m.toPut[id]; !newer && !m.toDelete[id] {
			m.toPut[id] = rec
		}
	}
	for id := range dels {
		if _, newer := m.toPut[id]; !newer {
			m.toDelete[id] = true
		}
	}
	return err
}
