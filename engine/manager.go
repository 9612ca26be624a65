package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/store"
	"github.com/haul-dl/haul/schedule"
)

// Manager runs downloads. All its methods are safe for concurrent use.
//
// The manager owns the queue, the list, persistence and publishing; each
// running download is a transfer (package engine/internal/transfer) that
// gets a copy of what it needs when it starts and reports back through a
// reporter. The manager's lock is never held over disk or network I/O:
// it decides under the lock and acts after (see later).
type Manager struct {
	opt    Options
	client atomic.Pointer[http.Client]
	store  *store.Store
	global *transfer.Limits // speed and connections for all downloads
	byKind atomic.Bool      // Options.FoldersByKind, live
	env    *transfer.Env

	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup // every goroutine the manager starts
	closeOnce sync.Once
	closeErr  error

	mu        sync.Mutex
	byID      map[string]*download
	byKey     map[string][]*download // by dedupKey
	order     []*download
	reserved  map[string]bool // nameKey of the names in use by downloads
	subs      map[*Subscription]struct{}
	removed   []Snapshot // removals not yet published
	changed   chan struct{}
	closed    bool
	maxActive int
	running   int // downloads with a run that fetches (holds a slot)
	finishing int // downloads with a run whose file is being finished
	nextSeq   int64
	schedules int   // times the scheduler ran (read by tests)
	rate      int64 // the total speed limit set (SetRateLimit)
	dec       schedule.Decision
	shut      bool // the schedule's queue window is closed: nothing starts
	// onSchedule is told each decision of the schedule (OnSchedule).
	onSchedule func(schedule.Decision)
	after      []func() // I/O decided under mu, done by unlock once it is released

	// Records waiting to be written by the saver, newest state only.
	saveMu   sync.Mutex           // one writer at a time, so writes land in order
	toPut    map[string]*download // marshalled when written
	toDelete map[string]bool
	saveCh   chan struct{}
	saveNow  chan struct{} // a waiter: commit without waiting out saveGap
	// saved is closed when the records queued so far are written: the
	// next flush takes it and makes a new one (see waitSavedLocked).
	saved   chan struct{}
	saveErr string
	// discardErr is the last partial file that could not be deleted
	// (see removeParts), for Notice.
	discardErr string
	commits    atomic.Int64 // batches written (read by tests)

	publishNow chan struct{} // a state changed: publish without waiting for the tick
	// toPublish holds the downloads marked dirty since the last publish
	// (markLocked), live those with a run: what publish looks at, rather
	// than the whole list.
	toPublish []*download
	live      map[*download]struct{}

	sched *schedule.Runner // the schedule (schedule.go)

	// wrapFile lets tests inject write faults (disk full) into .part files.
	wrapFile func(partFile) partFile
	// finishGap, if set, is called between the two halves of finish (tests
	// act there).
	finishGap func(id string)
}

// Open loads the download list from opt.StateDir and starts the manager.
// It returns an error wrapping ErrLocked when another Haul process uses
// the same state folder. Cancelling ctx is like calling Close. A failed
// Open leaves nothing running and nothing open.
func Open(ctx context.Context, opt Options) (*Manager, error) {
	opt = opt.withDefaults()
	if opt.StateDir == "" {
		return nil, errors.New("engine: no state folder given")
	}
	client, err := newClient(opt)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(opt.StateDir)
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, opt.StateDir)
		}
		return nil, fmt.Errorf("opening the download list: %w", err)
	}
	m := &Manager{
		opt:        opt,
		store:      st,
		global:     transfer.NewLimits(opt.Connections, opt.RateLimit),
		byID:       map[string]*download{},
		byKey:      map[string][]*download{},
		reserved:   map[string]bool{},
		subs:       map[*Subscription]struct{}{},
		live:       map[*download]struct{}{},
		changed:    make(chan struct{}),
		toPut:      map[string]*download{},
		toDelete:   map[string]bool{},
		saveCh:     make(chan struct{}, 1),
		saveNow:    make(chan struct{}, 1),
		saved:      make(chan struct{}),
		publishNow: make(chan struct{}, 1),
		maxActive:  opt.MaxActive,
		rate:       opt.RateLimit,
	}
	m.byKind.Store(opt.FoldersByKind)
	m.client.Store(client)
	m.env = &transfer.Env{
		Client: m.client.Load, Hosts: transfer.NewHostSlots(opt.PerHost), Global: m.global,
		MinPiece: opt.MinPiece, Retries: opt.Retries, RetryBase: opt.RetryBase, RetryMax: opt.RetryMax,
		Stall: opt.StallTimeout, Checkpoint: opt.CheckpointInterval, SplitAbove: opt.SplitAbove,
		WrapFile: func(f transfer.File) transfer.File {
			if m.wrapFile != nil {
				return m.wrapFile(f)
			}
			return f
		},
	}
	if err := m.load(ctx); err != nil {
		st.Close()
		return nil, err
	}
	plan, err := m.loadSchedule()
	if err != nil {
		st.Close()
		return nil, err
	}
	m.ctx, m.cancel = context.WithCancel(context.WithoutCancel(ctx))
	m.wg.Add(2)
	go m.publishLoop()
	go m.saveLoop()
	m.startSchedule(plan)
	// Cancelling the caller's ctx closes the manager properly (saving
	// progress) instead of failing every running download.
	stopWatch := context.AfterFunc(ctx, func() { m.Close() })
	go func() { <-m.ctx.Done(); stopWatch() }()
	m.mu.Lock()
	m.schedule()
	m.unlock()
	return m, nil
}

// unlock releases m.mu, then does the I/O decided while it was held.
func (m *Manager) unlock() {
	fns := m.after
	m.after = nil
	m.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

// later queues f to run once m.mu is released. Called with m.mu held.
func (m *Manager) later(f func()) { m.after = append(m.after, f) }

// Notice is a message about the state store for the user, such as a
// corrupt list that was moved aside; "" when all is well.
func (m *Manager) Notice() string {
	m.mu.Lock()
	saveErr, discardErr := m.saveErr, m.discardErr
	m.mu.Unlock()
	n := joinWarn(m.store.Notice(), discardErr)
	if saveErr != "" {
		return joinWarn(n, "could not save the download list: "+saveErr)
	}
	return n
}

// needHeadersAgain is the problem of a download whose request headers (a
// browser's cookies, referer) were not kept across a restart.
var needHeadersAgain = Problem{Kind: KindAuth, Message: "the browser must hand this link over again: its cookies and headers are not saved"}

func (m *Manager) load(ctx context.Context) error {
	entries, err := m.store.Load()
	if err != nil {
		return fmt.Errorf("reading the download list: %w", err)
	}
	var bad []string
	for _, e := range entries {
		d, err := downloadFromRecord(e.Data)
		if err != nil || d.id != e.ID {
			bad = append(bad, e.ID)
			continue
		}
		m.takePlaced(ctx, d)
		switch {
		case d.headers && d.state != Completed && d.state != Canceled:
			d.state, d.problem = Failed, needHeadersAgain
		case d.state == Active || d.state == Queued:
			if m.opt.HoldRestored {
				d.state, d.held = Paused, true
			} else {
				d.state = Queued
			}
		}
		if d.nameFixed && d.state != Completed && d.state != Canceled {
			m.reserved[nameKey(d.dir, d.name)] = true
		}
		m.byID[d.id] = d
		m.order = append(m.order, d)
		m.markLocked(d)
		m.keyLocked(d)
	}
	// The list keeps the order downloads were added in.
	slices.SortStableFunc(m.order, func(a, b *download) int { return cmp.Compare(a.seq, b.seq) })
	if n := len(m.order); n > 0 {
		m.nextSeq = m.order[n-1].seq + 1
	}
	if len(bad) > 0 {
		return m.store.Delete(bad...)
	}
	return nil
}

// List returns every download in the order they were added.
func (m *Manager) List() []Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Snapshot, 0, len(m.order))
	for _, d := range m.order {
		out = append(out, d.snapshot())
	}
	return out
}

// Get returns one download.
func (m *Manager) Get(id string) (Snapshot, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.byID[id]
	if !ok {
		return Snapshot{}, false
	}
	return d.snapshot(), true
}

// SetMaxActive changes how many downloads run at once, live.
func (m *Manager) SetMaxActive(n int) {
	m.mu.Lock()
	defer m.unlock()
	m.maxActive = max(n, 1)
	// Fetching downloads beyond the new limit go back to the queue;
	// finishing ones do not count (see holdsSlot).
	fetching := 0
	for _, d := range m.order {
		if d.holdsSlot() {
			fetching++
			if fetching > m.maxActive && d.state == Active {
				d.state = Queued
				d.run.cancel(errPause)
				m.touch(d)
			}
		}
	}
	m.schedule()
}

// SetConnections changes the connections per download, live: running
// downloads open more connections or let some go at the next piece.
func (m *Manager) SetConnections(n int) { m.global.SetConnections(max(n, 1)) }

// SetRateLimit caps the total download speed in bytes per second across
// all downloads; 0 removes the cap. It applies at once, to the reads in
// progress too, except inside the schedule's limit window, whose limit
// is in force until it ends.
func (m *Manager) SetRateLimit(bytesPerSec int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rate = bytesPerSec
	m.global.SetRate(m.rateLocked())
}

// SetCACertFile changes the extra CA bundle trusted besides the system
// roots ("" for none). New connections use it; running ones keep theirs.
func (m *Manager) SetCACertFile(path string) error {
	m.mu.Lock()
	opt := m.opt
	m.mu.Unlock()
	opt.CACertFile = path
	c, err := newClient(opt)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.opt.CACertFile = path
	m.mu.Unlock()
	old := m.client.Swap(c)
	old.CloseIdleConnections()
	return nil
}

func newClient(opt Options) (*http.Client, error) {
	return transfer.NewClient(transfer.ClientOptions{Transport: opt.Transport, CACertFile: opt.CACertFile,
		AllowDowngrade: opt.AllowDowngrade, PerHost: opt.PerHost})
}

// Wait blocks until none of the given downloads (all, when none are
// given) is queued or active, or until ctx ends.
func (m *Manager) Wait(ctx context.Context, ids ...string) error {
	for {
		m.mu.Lock()
		busy := false
		check := func(d *download) {
			if d.state == Queued || d.state == Active || d.run != nil {
				busy = true
			}
		}
		if len(ids) == 0 {
			for _, d := range m.order {
				check(d)
			}
		} else {
			for _, id := range ids {
				if d, ok := m.byID[id]; ok {
					check(d)
				}
			}
		}
		ch := m.changed
		m.mu.Unlock()
		if !busy {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops all transfers, saves their progress so they resume on the
// next Open, and releases the state folder. Every call, including one
// made while a shutdown started by Open's context is under way, returns
// when that one shutdown is complete.
func (m *Manager) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.shutdown() })
	return m.closeErr
}

func (m *Manager) shutdown() error {
	m.mu.Lock()
	m.closed = true
	var runs []*runState
	for _, d := range m.order {
		if d.run != nil {
			d.run.cancel(errShutdown)
			runs = append(runs, d.run)
		}
	}
	m.unlock()
	for _, r := range runs {
		<-r.done
	}
	m.cancel()
	m.wg.Wait()
	m.client.Load().CloseIdleConnections()
	saveErr := m.flush()
	m.mu.Lock()
	for s := range m.subs {
		s.closeLocked()
	}
	m.mu.Unlock()
	if err := m.store.Close(); err != nil {
		return err
	}
	if saveErr != nil {
		return fmt.Errorf("saving the download list: %w", saveErr)
	}
	return nil
}

// touch marks a download changed: published soon and wakes waiters.
// Called with m.mu held.
func (m *Manager) touch(d *download) {
	m.markLocked(d)
	m.broadcastLocked()
	select { // publish state changes soon, not at the next tick
	case m.publishNow <- struct{}{}:
	default:
	}
}

func (m *Manager) broadcastLocked() {
	close(m.changed)
	m.changed = make(chan struct{})
}
