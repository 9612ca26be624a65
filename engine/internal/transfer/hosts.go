package transfer

import (
	"context"
	"sync"
)

// HostSlots caps the connections open to one host across all downloads,
// so many downloads from one server stay polite.
type HostSlots struct {
	mu      sync.Mutex
	limit   int
	used    map[string]int
	waiting map[string]int
	// downloads counts the downloads transferring from each host.
	downloads map[string]int
	freed     chan struct{} // closed and replaced whenever a slot is released
}

// NewHostSlots allows limit connections to each host.
func NewHostSlots(limit int) *HostSlots {
	return &HostSlots{limit: limit, used: map[string]int{}, waiting: map[string]int{}, downloads: map[string]int{}, freed: make(chan struct{})}
}

// acquire blocks until a connection to host may be opened.
func (h *HostSlots) acquire(ctx context.Context, host string) error {
	h.mu.Lock()
	for h.used[host] >= h.limit {
		h.waiting[host]++
		ch := h.freed
		h.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			h.mu.Lock()
			h.waiting[host]--
			h.mu.Unlock()
			return context.Cause(ctx)
		}
		h.mu.Lock()
		h.waiting[host]--
	}
	h.used[host]++
	h.mu.Unlock()
	return nil
}

// tryAcquire takes a slot for an extra connection of a download that has
// `have` connections to host already. It succeeds only when a slot is
// free, no download is waiting for its first connection there, and the
// download stays within its fair share of the host's slots.
func (h *HostSlots) tryAcquire(host string, have int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := max(1, h.downloads[host])
	share := (h.limit + n - 1) / n // rounded up: no slot stays idle
	if h.used[host] >= h.limit || h.waiting[host] > 0 || have >= share {
		return false
	}
	h.used[host]++
	return true
}

// join and leave count the downloads transferring from host, which sets
// each one's fair share.
func (h *HostSlots) join(host string) {
	h.mu.Lock()
	h.downloads[host]++
	h.mu.Unlock()
}

func (h *HostSlots) leave(host string) {
	h.mu.Lock()
	if h.downloads[host]--; h.downloads[host] <= 0 {
		delete(h.downloads, host)
	}
	h.wake() // the others' share just grew
	h.mu.Unlock()
}

// wake tells everyone waiting for a slot to look again. Called with h.mu held.
func (h *HostSlots) wake() {
	close(h.freed)
	h.freed = make(chan struct{})
}

// freedCh is closed the next time any connection slot is released.
func (h *HostSlots) freedCh() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.freed
}

func (h *HostSlots) release(host string) {
	h.mu.Lock()
	if h.used[host]--; h.used[host] <= 0 {
		delete(h.used, host)
	}
	h.wake()
	h.mu.Unlock()
}

// Slot is one connection's claim on a host's slots. Its release gives
// the slot back exactly once, however many paths lead there.
type Slot struct {
	h    *HostSlots
	host string
	once sync.Once
}

// take waits for a slot to host.
func (h *HostSlots) take(ctx context.Context, host string) (*Slot, error) {
	if err := h.acquire(ctx, host); err != nil {
		return nil, err
	}
	return &Slot{h: h, host: host}, nil
}

// tryTake takes a slot for an extra connection (see tryAcquire); nil when
// none may be taken now.
func (h *HostSlots) tryTake(host string, have int) *Slot {
	if !h.tryAcquire(host, have) {
		return nil
	}
	return &Slot{h: h, host: host}
}

// release gives the slot back; later calls do nothing. A nil Slot is
// released already.
func (s *Slot) release() {
	if s == nil {
		return
	}
	s.once.Do(func() { s.h.release(s.host) })
}
