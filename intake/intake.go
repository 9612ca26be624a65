// Package intake is the one path by which both front ends hand links to
// the engine: it reads them out of text with engine/links and adds them
// with Manager.AddAll in chunks, so a file of a hundred thousand links
// costs a hundred scheduler runs rather than a hundred thousand. It
// reports each chunk's outcome in input order, and the reader's progress
// and rejected lines through links.Options and links.Summary. It is
// cancellable with a context and never imports a GUI toolkit.
package intake

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
)

// Defaults for the zero values of Options.
const (
	DefaultChunk    = 1000                   // links per AddAll
	DefaultMaxDelay = 100 * time.Millisecond // longest a link waits for its chunk to fill
)

// Adder is the part of engine.Manager that intake uses.
type Adder interface {
	AddAll(reqs []engine.Request) []engine.Added
}

// Result is the outcome of adding one link.
type Result struct {
	Link links.Link
	engine.Added
}

// Options tunes a feed. Zero values mean the defaults.
type Options struct {
	// Request turns a link into the request to add; nil sends its URL,
	// Name and Checksum, to the engine's default folder.
	Request func(links.Link) engine.Request
	// Chunk is the most links handed to one AddAll (default 1000).
	Chunk int
	// MaxDelay is the longest a link waits for its chunk to fill before
	// the links gathered so far are added anyway (default 100ms), so
	// that a slow source (a pipe) still starts downloads at once.
	MaxDelay time.Duration
	// Scan is passed to links.Scan by Reader: progress, limits.
	Scan links.Options
	// Slots, if set, bounds how far adding runs ahead of the caller:
	// one value is sent on it for each link before it is added, and the
	// caller receives one back when it is done with a link. The links
	// gathered so far are added before waiting for a slot.
	Slots chan struct{}
	// Added, if set, is called with each chunk's results in input order,
	// one call at a time, and never after Reader or Links returned. A
	// chunk that waited MaxDelay is added and reported from a timer's
	// goroutine. An error from Added stops the feed and is returned.
	Added func([]Result) error
}

// Reader reads links from r with links.Scan and adds them in chunks. It
// returns what Scan read and the first error: Scan's (links.ErrBinary,
// a read error), ctx.Err() when cancelled, or Added's. Links read but
// not yet added when it stops early are not added.
func Reader(ctx context.Context, a Adder, r io.Reader, opt Options) (links.Summary, error) {
	f := newFeeder(ctx, a, opt)
	sum, err := links.Scan(ctx, r, opt.Scan, f.take)
	if err == nil {
		err = f.finish()
	} else {
		f.stop()
	}
	return sum, err
}

// Links adds links already read (from a command line, or text parsed
// with links.Parse) in chunks. It returns ctx.Err() when cancelled, or
// Added's error.
func Links(ctx context.Context, a Adder, ls []links.Link, opt Options) error {
	f := newFeeder(ctx, a, opt)
	for _, l := range ls {
		if err := ctx.Err(); err != nil {
			f.stop()
			return err
		}
		if err := f.take(l); err != nil {
			f.stop()
			return err
		}
	}
	return f.finish()
}

// feeder gathers links into chunks. take runs on the reading goroutine;
// a timer may flush a chunk that waited MaxDelay from its own goroutine.
type feeder struct {
	ctx context.Context
	a   Adder
	opt Options

	mu      sync.Mutex
	buf     []links.Link
	timer   *time.Timer
	err     error // the first error of a flush
	stopped bool
}

func newFeeder(ctx context.Context, a Adder, opt Options) *feeder {
	if opt.Chunk <= 0 {
		opt.Chunk = DefaultChunk
	}
	if opt.MaxDelay <= 0 {
		opt.MaxDelay = DefaultMaxDelay
	}
	if opt.Request == nil {
		opt.Request = func(l links.Link) engine.Request {
			return engine.Request{URL: l.URL, Name: l.Name, Checksum: l.Checksum}
		}
	}
	return &feeder{ctx: ctx, a: a, opt: opt}
}

// take adds l to the chunk, adding the chunk when it is full.
func (f *feeder) take(l links.Link) error {
	if f.opt.Slots != nil {
		select {
		case f.opt.Slots <- struct{}{}:
		default:
			// No free slot: what was gathered must go first, or the
			// caller could wait for links that were never added.
			f.mu.Lock()
			f.flushLocked()
			err := f.err
			f.mu.Unlock()
			if err != nil {
				return err
			}
			select {
			case f.opt.Slots <- struct{}{}:
			case <-f.ctx.Done():
				return f.ctx.Err()
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.buf = append(f.buf, l)
	switch {
	case len(f.buf) >= f.opt.Chunk:
		f.flushLocked()
	case len(f.buf) == 1:
		f.timer = time.AfterFunc(f.opt.MaxDelay, f.late)
	}
	return f.err
}

// late adds a chunk that waited MaxDelay.
func (f *feeder) late() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.stopped {
		f.flushLocked()
	}
}

// flushLocked adds the gathered links and reports them. f.mu is held.
func (f *feeder) flushLocked() {
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	if len(f.buf) == 0 || f.err != nil {
		return
	}
	if err := f.ctx.Err(); err != nil {
		f.err = err
		return
	}
	reqs := make([]engine.Request, len(f.buf))
	for i, l := range f.buf {
		reqs[i] = f.opt.Request(l)
	}
	added := f.a.AddAll(reqs)
	res := make([]Result, len(f.buf))
	for i, l := range f.buf {
		res[i] = Result{Link: l, Added: added[i]}
	}
	f.buf = f.buf[:0]
	if f.opt.Added != nil {
		f.err = f.opt.Added(res)
	}
}

// finish adds what is left and ends the feed.
func (f *feeder) finish() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flushLocked()
	f.stopped = true
	return f.err
}

// stop ends the feed without adding what is left.
func (f *feeder) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	f.stopped = true
	f.buf = nil
}
