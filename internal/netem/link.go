package netem

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Stats count what a Link did with the packets it read.
type Stats struct {
	Packets  int64 // read from the source
	Bytes    int64 // bytes of the packets delivered
	Lost     int64 // dropped at random
	Overflow int64 // dropped because the queue was full
	Failed   int64 // writes to the destination that failed
}

// Link forwards packets from a source to a destination through a Shaper.
type Link struct {
	shaper *Shaper
	limit  int
	mtu    int
	next   atomic.Pointer[Config] // a new configuration, taken with the next packet

	packets, bytes, lost, overflow, failed atomic.Int64
}

// NewLink makes a link for packets of up to mtu bytes.
func NewLink(cfg Config, mtu int, seed uint64) (*Link, error) {
	s, err := NewShaper(cfg, seed)
	if err != nil {
		return nil, err
	}
	if mtu < 68 || mtu > 65535 {
		return nil, errors.New("netem: the MTU must be between 68 and 65535")
	}
	return &Link{shaper: s, limit: cfg.Limit, mtu: mtu}, nil
}

// SetConfig changes the link's delay, loss and rate from the next packet
// on; its queue keeps the limit it was made with.
func (l *Link) SetConfig(cfg Config) error {
	cfg.Limit = l.limit
	if err := cfg.Validate(); err != nil {
		return err
	}
	l.next.Store(&cfg)
	return nil
}

// Stats returns the counts so far.
func (l *Link) Stats() Stats {
	return Stats{
		Packets: l.packets.Load(), Bytes: l.bytes.Load(), Lost: l.lost.Load(),
		Overflow: l.overflow.Load(), Failed: l.failed.Load(),
	}
}

type packet struct {
	buf []byte
	due time.Time
}

// Run reads packets with read (one packet each call) and writes each one
// that is delivered with write at its time, until ctx ends or read fails.
// It returns read's error, or nil once ctx ended. The caller makes read
// return when ctx ends (for a file: by closing it).
func (l *Link) Run(ctx context.Context, read, write func([]byte) (int, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pool := sync.Pool{New: func() any { b := make([]byte, l.mtu); return &b }}
	line := make(chan packet, l.limit)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.send(ctx, line, write, &pool)
	}()
	defer wg.Wait()
	for {
		bp := pool.Get().(*[]byte)
		n, err := read((*bp)[:l.mtu])
		if err != nil {
			pool.Put(bp)
			close(line)
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		l.packets.Add(1)
		if cfg := l.next.Swap(nil); cfg != nil {
			l.shaper.cfg = *cfg
		}
		due, v := l.shaper.Admit(time.Now(), n, len(line))
		switch v {
		case Lost:
			l.lost.Add(1)
			pool.Put(bp)
			continue
		case Overflow:
			l.overflow.Add(1)
			pool.Put(bp)
			continue
		}
		// Only this goroutine sends, and Admit saw room: this never blocks.
		line <- packet{buf: (*bp)[:n], due: due}
	}
}

// early is how long before its time a packet may leave: waking up for
// each packet of a burst would cost more than the delay it corrects.
const early = 200 * time.Microsecond

// send writes the packets of line at their time, in order (their times
// go back only when SetConfig shortens the delay: the packets after it
// then wait for those before).
func (l *Link) send(ctx context.Context, line <-chan packet, write func([]byte) (int, error), pool *sync.Pool) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for p := range line {
		if wait := time.Until(p.due); wait > early {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		if _, err := write(p.buf); err != nil {
			l.failed.Add(1)
		} else {
			l.bytes.Add(int64(len(p.buf)))
		}
		b := p.buf[:cap(p.buf)]
		pool.Put(&b)
	}
}
