package engine

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Subscription delivers coalesced batches of changed downloads. A slow
// reader never blocks the engine: updates it has not taken yet are merged,
// keeping only the latest state of each download.
type Subscription struct {
	m  *Manager
	ch chan []Snapshot

	mu      sync.Mutex
	pending map[string]Snapshot
	order   []string
	closed  bool
}

// Subscribe starts following changes. The first batch holds every
// download in the list; later ones, every download that changed since.
// A snapshot with Removed set announces a removal.
func (m *Manager) Subscribe() *Subscription {
	s := &Subscription{m: m, ch: make(chan []Snapshot, 1), pending: map[string]Snapshot{}}
	m.mu.Lock()
	defer m.mu.Unlock()
	snaps := make([]Snapshot, 0, len(m.order))
	for _, d := range m.order {
		snaps = append(snaps, d.snapshot())
	}
	if m.closed {
		s.closed = true
		close(s.ch)
		return s
	}
	m.subs[s] = struct{}{}
	if len(snaps) == 0 {
		s.ch <- []Snapshot{} // the (empty) whole list, as promised
		return s
	}
	s.offer(snaps)
	return s
}

// C is the channel of batches; it is closed when the subscription or the
// manager is closed.
func (s *Subscription) C() <-chan []Snapshot { return s.ch }

// Close stops the subscription.
func (s *Subscription) Close() {
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	s.closeLocked()
}

// closeLocked is Close with the manager's lock held.
func (s *Subscription) closeLocked() {
	delete(s.m.subs, s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// offer merges a batch into what is pending and hands it over if the
// reader is ready. Never blocks.
func (s *Subscription) offer(batch []Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for _, snap := range batch {
		if _, seen := s.pending[snap.ID]; !seen {
			s.order = append(s.order, snap.ID)
		}
		s.pending[snap.ID] = snap
	}
	if len(s.order) == 0 {
		return
	}
	out := make([]Snapshot, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.pending[id])
	}
	select {
	case s.ch <- out:
		clear(s.pending)
		s.order = s.order[:0]
	default:
	}
}

// minPublishGap bounds how often state changes are published: a burst of
// changes within it goes out as one batch.
const minPublishGap = 5 * time.Millisecond

// publishLoop sends, at a bounded rate, the snapshots of downloads that
// changed or are transferring, and updates their speed: progress on every
// tick, state changes (a download finished, failed, started) soon after
// they happen.
func (m *Manager) publishLoop() {
	defer m.wg.Done()
	t := time.NewTicker(m.opt.PublishInterval)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-m.ctx.Done():
			m.publish() // the last word: final states
			return
		case <-t.C:
		case <-m.publishNow:
			if gap := time.Since(last); gap < minPublishGap {
				time.Sleep(minPublishGap - gap)
			}
		}
		m.publish()
		last = time.Now()
	}
}

// markLocked puts d in the next publish. Called with m.mu held.
func (m *Manager) markLocked(d *download) {
	if !d.dirty {
		d.dirty = true
		m.toPublish = append(m.toPublish, d)
	}
}

// publish sends what changed since the last publish to every subscriber.
func (m *Manager) publish() {
	m.mu.Lock()
	batch := m.changesLocked(time.Now())
	subs := make([]*Subscription, 0, len(m.subs))
	for s := range m.subs {
		subs = append(subs, s)
	}
	m.mu.Unlock()
	for _, s := range subs {
		s.offer(batch)
	}
}

// changesLocked takes the batch to publish: the removals, then the
// downloads marked since the last one and those with a run (their speed
// updated), in list order. It looks only at those, never at the whole
// list. Called with m.mu held.
func (m *Manager) changesLocked(now time.Time) []Snapshot {
	var batch []Snapshot
	batch = append(batch, m.removed...)
	m.removed = m.removed[:0]
	for d := range m.live {
		d.updateSpeed(now, m.opt.PublishInterval/2)
		m.markLocked(d)
	}
	changed := m.toPublish
	slices.SortFunc(changed, func(a, b *download) int { return cmp.Compare(a.seq, b.seq) })
	for _, d := range changed {
		d.dirty = false
		if m.byID[d.id] == d { // not removed or unloaded since
			batch = append(batch, d.snapshot())
		}
	}
	clear(changed)
	m.toPublish = changed[:0]
	return batch
}

// updateSpeed folds the bytes received since the last sample into a
// smoothed speed; samples closer than minGap are skipped (an early publish
// for a state change would be too short to measure). Called with m.mu held.
func (d *download) updateSpeed(now time.Time, minGap time.Duration) {
	recv := d.received.Load()
	if now.Sub(d.lastTick) < minGap {
		return
	}
	dt := now.Sub(d.lastTick).Seconds()
	inst := float64(recv-d.lastRecv) / dt
	if inst < 0 {
		inst = 0
	}
	const alpha = 0.3
	if d.speed == 0 {
		d.speed = inst
	} else {
		d.speed = alpha*inst + (1-alpha)*d.speed
	}
	d.lastRecv, d.lastTick = recv, now
}
