package aria2

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrNotConnected is returned by Watcher.Do while the box cannot be reached.
var ErrNotConnected = errors.New("aria2: the box is not connected")

// Snapshot is the box as last seen: its downloads and totals, or why it
// cannot be reached.
type Snapshot struct {
	Connected bool
	Err       error // why the box is not connected (nil when it is)
	Retry     time.Duration
	Version   string
	Active    []Status // running now
	Waiting   []Status // waiting and paused, in queue order
	Stopped   []Status // complete, error and removed
	Global    GlobalStat
	Seq       uint64 // counts snapshots, so a reader can tell a new one
}

// All returns every download of the snapshot: active, then waiting in
// queue order, then stopped.
func (s Snapshot) All() []Status {
	all := make([]Status, 0, len(s.Active)+len(s.Waiting)+len(s.Stopped))
	all = append(all, s.Active...)
	all = append(all, s.Waiting...)
	return append(all, s.Stopped...)
}

// Find returns the download with this GID.
func (s Snapshot) Find(gid string) (Status, bool) {
	for _, d := range s.All() {
		if d.GID == gid {
			return d, true
		}
	}
	return Status{}, false
}

// WatchOptions tune a Watcher; the zero value is what the window uses.
type WatchOptions struct {
	Interval   time.Duration // between polls; at least (and by default) 1 s
	MinBackoff time.Duration // first wait after a failure; default 1 s
	MaxBackoff time.Duration // longest wait; default 30 s
	MaxList    int           // most waiting and stopped downloads listed; default 1000
}

// Watcher keeps one box connected: it dials, polls the list at most once
// per Interval (sooner after a notification or a Poke, but never more
// often), and after a failure dials again with a doubling backoff.
type Watcher struct {
	cfg  Config
	opt  WatchOptions
	poke chan struct{}

	mu     sync.Mutex
	client *Client
	last   Snapshot
	subs   map[int]chan Snapshot
	nextID int
}

// MinInterval is the shortest time between two polls of a box's list.
const MinInterval = time.Second

// NewWatcher returns a watcher for the box; Run starts it.
func NewWatcher(cfg Config, opt WatchOptions) *Watcher {
	if opt.Interval < MinInterval {
		opt.Interval = MinInterval
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(30*time.Second, opt.MinBackoff)
	}
	if opt.MaxList <= 0 {
		opt.MaxList = 1000
	}
	return &Watcher{cfg: cfg, opt: opt, poke: make(chan struct{}, 1), subs: map[int]chan Snapshot{}}
}

// Subscribe returns a channel that always holds the newest snapshot (an
// older one not yet read is replaced), and a function that ends it.
func (w *Watcher) Subscribe() (<-chan Snapshot, func()) {
	ch := make(chan Snapshot, 1)
	w.mu.Lock()
	id := w.nextID
	w.nextID++
	w.subs[id] = ch
	if w.last.Seq > 0 {
		ch <- w.last
	}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.subs, id)
		w.mu.Unlock()
	}
}

// Last returns the newest snapshot.
func (w *Watcher) Last() Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// Poke asks for a poll as soon as the interval allows (after an action).
func (w *Watcher) Poke() {
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

// Do runs fn with the connected client, then pokes for a fresh list.
func (w *Watcher) Do(ctx context.Context, fn func(ctx context.Context, c *Client) error) error {
	w.mu.Lock()
	c := w.client
	w.mu.Unlock()
	if c == nil {
		return ErrNotConnected
	}
	err := fn(ctx, c)
	w.Poke()
	return err
}

func (w *Watcher) publish(s Snapshot) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s.Seq = w.last.Seq + 1
	w.last = s
	for _, ch := range w.subs {
		select {
		case <-ch:
		default:
		}
		ch <- s
	}
}

// Run keeps the box connected until ctx ends; it returns ctx's error, or
// a *ConfigError at once when the configuration cannot work.
func (w *Watcher) Run(ctx context.Context) error {
	if _, err := w.cfg.Endpoint(); err != nil {
		w.publish(Snapshot{Err: err})
		return err
	}
	backoff := w.opt.MinBackoff
	for {
		c, err := Dial(ctx, w.cfg)
		if err == nil {
			backoff = w.opt.MinBackoff
			err = w.serve(ctx, c)
			c.Close()
			w.mu.Lock()
			w.client = nil
			w.mu.Unlock()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ce *ConfigError
		if errors.As(err, &ce) {
			w.publish(Snapshot{Err: err})
			return err
		}
		w.publish(Snapshot{Err: err, Retry: backoff})
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		backoff = min(2*backoff, w.opt.MaxBackoff)
	}
}

// serve polls the connected client until the connection fails.
func (w *Watcher) serve(ctx context.Context, c *Client) error {
	version, err := c.Version(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.client = c
	w.mu.Unlock()
	tick := time.NewTicker(w.opt.Interval)
	defer tick.Stop()
	notes := c.Notifications()
	wanted := true // poll at the next chance
	ready := true  // the interval since the last poll has passed
	for {
		if wanted && ready {
			s, err := w.poll(ctx, c)
			if err != nil {
				return err
			}
			s.Version = version
			w.publish(s)
			wanted, ready = false, false
			tick.Reset(w.opt.Interval)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.Done():
			return c.Err()
		case _, ok := <-notes:
			if !ok {
				notes = nil
			}
			wanted = true
		case <-w.poke:
			wanted = true
		case <-tick.C:
			ready, wanted = true, true
		}
	}
}

func (w *Watcher) poll(ctx context.Context, c *Client) (Snapshot, error) {
	s := Snapshot{Connected: true}
	var err error
	if s.Active, err = c.TellActive(ctx); err != nil {
		return s, err
	}
	if s.Waiting, err = c.TellWaiting(ctx, 0, w.opt.MaxList); err != nil {
		return s, err
	}
	if s.Stopped, err = c.TellStopped(ctx, 0, w.opt.MaxList); err != nil {
		return s, err
	}
	if s.Global, err = c.GlobalStat(ctx); err != nil {
		return s, err
	}
	return s, nil
}
