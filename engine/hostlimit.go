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
	freed   chan struct{} // closed and replaced whenever a slot is released
}

func newHostLimiter(limit int) *hostLimiter {
	return &hostLimiter{limit: limit, used: map[string]int{}, waiting: map[string]int{}, freed: make(chan struct{})}
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

// tryAcquire takes a slot for an extra connection only when one is free
// and no download is waiting for its first connection to that host.
func (h *hostLimiter) tryAcquire(host string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.used[host] >= h.limit || h.waiting[host] > 0 {
		return false
	}
	h.used[host]++
	return true
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
	close(h.freed)
	h.freed = make(chan struct{})
	h.mu.Unlock()
}
