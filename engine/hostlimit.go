package engine

import (
	"context"
	"sync"
)

// hostLimiter caps the connections open to one host across all downloads,
// so many downloads from one server stay polite.
type hostLimiter struct {
	mu      sync.Mutex
	limit   int
	used    map[string]int
	waiting map[string]int
	// downloads counts the downloads transferring from each host.
	downloads map[string]int
	freed     chan struct{} // closed and replaced whenever a slot is released
}

func newHostLimiter(limit int) *hostLimiter {
	return &hostLimiter{limit: limit, used: map[string]int{}, waiting: map[string]int{}, downloads: map[string]int{}, freed: make(chan struct{})}
}

// acquire blocks until a connection to host may be opened.
func (h *hostLimiter) acquire(ctx context.Context, host string) error {
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
func (h *hostLimiter) tryAcquire(host string, have int) bool {
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
func (h *hostLimiter) join(host string) {
	h.mu.Lock()
	h.downloads[host]++
	h.mu.Unlock()
}

func (h *hostLimiter) leave(host string) {
	h.mu.Lock()
	if h.downloads[host]--; h.downloads[host] <= 0 {
		delete(h.downloads, host)
	}
	h.wake() // the others' share just grew
	h.mu.Unlock()
}

// wake tells everyone waiting for a slot to look again. Called with h.mu held.
func (h *hostLimiter) wake() {
	close(h.freed)
	h.freed = make(chan struct{})
}

// freedCh is closed the next time any connection slot is released.
func (h *hostLimiter) freedCh() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.freed
}

func (h *hostLimiter) release(host string) {
	h.mu.Lock()
	if h.used[host]--; h.used[host] <= 0 {
		delete(h.used, host)
	}
	h.wake()
	h.mu.Unlock()
}
