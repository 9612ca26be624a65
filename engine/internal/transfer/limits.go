package transfer

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// readBuf is the size of one read from a response body under a speed
// limit; it is also the largest rate-limiter burst.
const readBuf = 32 << 10

// fastReadBuf is the size of one read without a speed limit: on a fast
// link every read and write is a system call, and a read returns what
// the socket holds, so larger reads mean far fewer of both. It bounds
// the memory of one connection.
const fastReadBuf = 256 << 10

// Limits are the speed and connection limits of a transfer, changed live
// while it runs: a running transfer reads them at every piece and every
// read. A Manager keeps one Limits for all downloads (the global ones) and
// one per download (zero values: no limit of its own).
type Limits struct {
	rate *rate.Limiter

	mu      sync.Mutex
	conns   int
	changed chan struct{} // closed and replaced when conns changes
}

// NewLimits returns limits with the given connections (0: none of its own)
// and speed in bytes per second (0: unlimited).
func NewLimits(conns int, bytesPerSec int64) *Limits {
	l := &Limits{rate: rate.NewLimiter(rate.Inf, readBuf), conns: conns, changed: make(chan struct{})}
	l.SetRate(bytesPerSec)
	return l
}

// SetRate changes the speed limit in bytes per second; 0 removes it.
func (l *Limits) SetRate(bytesPerSec int64) {
	if bytesPerSec <= 0 {
		l.rate.SetLimit(rate.Inf)
		return
	}
	l.rate.SetLimit(rate.Limit(bytesPerSec))
	l.rate.SetBurst(l.readSize())
}

// Rate is the speed limit in bytes per second; 0 when unlimited.
func (l *Limits) Rate() int64 {
	if lim := l.rate.Limit(); lim != rate.Inf {
		return int64(lim)
	}
	return 0
}

// SetConnections changes the connection count; 0 means "not set here".
func (l *Limits) SetConnections(n int) {
	l.mu.Lock()
	l.conns = max(n, 0)
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// Connections is the connection count (0: not set here) and a channel
// closed at its next change.
func (l *Limits) Connections() (int, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns, l.changed
}

// readSize is how much to read at once: fastReadBuf without a limit,
// readBuf or less under one, so the limit is smooth and no wait is longer
// than ~¼ s.
func (l *Limits) readSize() int {
	lim := l.rate.Limit()
	if lim == rate.Inf {
		return fastReadBuf
	}
	return int(max(1024, min(readBuf, float64(lim)/4)))
}

// step is the most bytes one wait may ask for: the limiter's burst, or n
// when there is no limit.
func (l *Limits) step(n int) int {
	if l.rate.Limit() == rate.Inf {
		return n
	}
	return min(n, max(l.rate.Burst(), 1))
}

// wait blocks until n bytes (at most step(n)) may pass.
func (l *Limits) wait(ctx context.Context, n int) error {
	for {
		if l.rate.Limit() == rate.Inf {
			return nil
		}
		err := l.rate.WaitN(ctx, min(n, max(l.rate.Burst(), 1)))
		if err == nil || ctx.Err() != nil {
			return err
		}
		// The limit changed between step and WaitN: try again.
	}
}
