package engine

import "fmt"

// SetDownloadLimit changes one download's own speed limit, in bytes per
// second (0 removes it; the global limit still applies). A running
// download follows it at once; it is kept across restarts.
func (m *Manager) SetDownloadLimit(id string, bytesPerSec int64) error {
	if bytesPerSec < 0 {
		return fmt.Errorf("engine: speed limit %d: must not be negative", bytesPerSec)
	}
	return m.act(id, func(d *download) { d.limits.SetRate(bytesPerSec) })
}

// SetDownloadConnections changes how many connections one download may
// use (0: the manager's setting). A running download opens or closes
// connections at once; it is kept across restarts.
func (m *Manager) SetDownloadConnections(id string, n int) error {
	if n < 0 || n > MaxConnections {
		return fmt.Errorf("engine: %d connections: must be from 0 to %d", n, MaxConnections)
	}
	return m.act(id, func(d *download) { d.limits.SetConnections(n) })
}

// DownloadLimits returns one download's own speed limit (bytes per
// second, 0 = none) and connections (0 = the manager's setting).
func (m *Manager) DownloadLimits(id string) (bytesPerSec int64, conns int, err error) {
	m.mu.Lock()
	d, ok := m.byID[id]
	m.mu.Unlock()
	if !ok {
		return 0, 0, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	conns, _ = d.limits.Connections()
	return d.limits.Rate(), conns, nil
}

// StartNow starts a queued, paused or failed download at once, past the
// limit of downloads at once. One that is still stopping (paused, its
// last flush running) is queued again and starts as soon as it stopped.
func (m *Manager) StartNow(id string) error {
	return m.act(id, func(d *download) {
		switch d.state {
		case Queued, Paused, Failed:
			m.requeue(d)
			if d.run != nil {
				d.run.startNow = true
				return
			}
			if !m.closed {
				m.start(d)
			}
		}
	})
}

// startNowIfAsked starts a download whose run has just ended if a Start
// now came while it was stopping and nothing stopped it since. Called
// with m.mu held, after d.run is cleared.
func (m *Manager) startNowIfAsked(d *download, r *runState) {
	if r.startNow && d.state == Queued && d.run == nil && !m.closed {
		m.start(d)
	}
}

// SetFoldersByKind turns Options.FoldersByKind on or off for downloads
// added from now on.
func (m *Manager) SetFoldersByKind(on bool) { m.byKind.Store(on) }
