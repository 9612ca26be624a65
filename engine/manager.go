package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"

	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/engine/store"
)

// Manager runs downloads. All its methods are safe for concurrent use.
type Manager struct {
	opt     Options
	client  atomic.Pointer[http.Client]
	store   *store.Store
	limiter *rate.Limiter
	hosts   *hostLimiter

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine the manager starts

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
	conns     int
	nextSeq   int64

	// Records waiting to be written by the saver, newest state only.
	saveMu   sync.Mutex // one writer at a time, so writes land in order
	toPut    map[string][]byte
	toDelete map[string]bool
	saveCh   chan struct{}
	saveErr  string

	publishNow chan struct{} // a state changed: publish without waiting for the tick
	connsCh    chan struct{} // closed and replaced when conns changes

	// wrapFile lets tests inject write faults (disk full) into .part files.
	wrapFile func(partFile) partFile
}

// readBuf is the size of one read from a response body; it is also the
// rate limiter's burst.
const readBuf = 32 << 10

// Open loads the download list from opt.StateDir and starts the manager.
// It returns an error wrapping ErrLocked when another Haul process uses
// the same state folder. Cancelling ctx is like calling Close.
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
		limiter:    rate.NewLimiter(rate.Inf, readBuf),
		hosts:      newHostLimiter(opt.PerHost),
		byID:       map[string]*download{},
		byKey:      map[string][]*download{},
		reserved:   map[string]bool{},
		subs:       map[*Subscription]struct{}{},
		changed:    make(chan struct{}),
		toPut:      map[string][]byte{},
		toDelete:   map[string]bool{},
		saveCh:     make(chan struct{}, 1),
		publishNow: make(chan struct{}, 1),
		maxActive:  opt.MaxActive,
		conns:      opt.Connections,
		connsCh:    make(chan struct{}),
	}
	m.client.Store(client)
	m.SetRateLimit(opt.RateLimit)
	// Cancelling the caller's ctx closes the manager properly (saving
	// progress) instead of failing every running download.
	m.ctx, m.cancel = context.WithCancel(context.WithoutCancel(ctx))
	stopWatch := context.AfterFunc(ctx, func() { m.Close() })
	go func() { <-m.ctx.Done(); stopWatch() }()
	if err := m.load(); err != nil {
		st.Close()
		return nil, err
	}
	m.wg.Add(3)
	go m.publishLoop()
	go m.checkpointLoop()
	go m.saveLoop()
	m.mu.Lock()
	m.schedule()
	m.mu.Unlock()
	return m, nil
}

// Notice is a message about the state store for the user, such as a
// corrupt list that was moved aside; "" when all is well.
func (m *Manager) Notice() string {
	m.mu.Lock()
	saveErr := m.saveErr
	m.mu.Unlock()
	if saveErr != "" {
		return joinWarn(m.store.Notice(), "could not save the download list: "+saveErr)
	}
	return m.store.Notice()
}

func (m *Manager) load() error {
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
		if d.state == Active || d.state == Queued {
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
		k := dedupKey(d.url, d.dir)
		m.byKey[k] = append(m.byKey[k], d)
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

// Add queues a download and returns its ID. Adding a URL that is already
// in the list for the same folder (and name) does not duplicate it: an
// unfinished one is resumed, a completed one whose file still exists is
// left alone, and its ID is returned.
func (m *Manager) Add(req Request) (string, error) {
	a := m.AddAll([]Request{req})[0]
	return a.ID, a.Err
}

// Added is the outcome of adding one Request.
type Added struct {
	ID       string
	Existing bool  // the download was already in the list (see Add)
	Err      error // the request was refused
}

// AddAll adds many downloads at once: the way to add a long link list.
// The i-th result answers reqs[i]. The records reach the state store in
// the background within milliseconds (see Notice for a failure).
func (m *Manager) AddAll(reqs []Request) []Added {
	out := make([]Added, len(reqs))
	ids, errs := make([]string, len(reqs)), make([]error, len(reqs))
	defer func() {
		for i := range out {
			out[i].ID, out[i].Err = ids[i], errs[i]
		}
	}()
	type prepared struct {
		u              *url.URL
		dir, name, sum string
		conns          int
	}
	preps := make([]prepared, len(reqs))
	for i, req := range reqs {
		preps[i].u, preps[i].dir, preps[i].name, preps[i].sum, errs[i] = m.prepare(req)
		preps[i].conns = req.Connections
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		for i := range errs {
			if errs[i] == nil {
				errs[i] = errors.New("engine: manager is closed")
			}
		}
		return out
	}
	changed := 0
	for i, p := range preps {
		if errs[i] != nil {
			continue
		}
		if d := m.existing(p.u, p.dir, p.name); d != nil {
			ids[i], out[i].Existing = d.id, true
			if d.state == Paused || d.state == Failed {
				m.requeue(d)
			}
			m.persistLocked(d)
			changed++
			continue
		}
		d := &download{
			id: uuid.NewString(), url: p.u, dir: p.dir, name: p.name, explicit: p.name != "",
			checksum: p.sum, conns: p.conns, added: time.Now(), seq: m.nextSeq, state: Queued, total: -1, dirty: true,
		}
		m.nextSeq++
		if p.name == "" {
			d.name = safename.Choose("", p.u, "")
		}
		m.byID[d.id] = d
		m.order = append(m.order, d)
		k := dedupKey(p.u, p.dir)
		m.byKey[k] = append(m.byKey[k], d)
		m.persistLocked(d)
		changed++
		ids[i] = d.id
	}
	if changed > 0 {
		m.broadcastLocked()
	}
	m.schedule()
	m.mu.Unlock()
	// The saver writes the new records within milliseconds, together with
	// whatever else is queued by then: adding links one by one costs one
	// transaction per batch that piles up, not one per link.
	return out
}

// prepare checks a request and works out its URL, folder, name and checksum.
func (m *Manager) prepare(req Request) (u *url.URL, dir, name, sum string, err error) {
	if u, err = ParseURL(req.URL); err != nil {
		return nil, "", "", "", err
	}
	if req.Checksum != "" {
		c, err := parseChecksum(req.Checksum)
		if err != nil {
			return nil, "", "", "", err
		}
		sum = c.String()
	}
	if dir = req.Dir; dir == "" {
		dir = m.opt.DefaultDir
	}
	if dir == "" {
		return nil, "", "", "", errors.New("no destination folder")
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, "", "", "", fmt.Errorf("destination folder: %w", err)
	}
	if req.Name != "" {
		if name = safename.Sanitize(req.Name); name == "" {
			return nil, "", "", "", fmt.Errorf("file name %q is not usable", safename.Display(req.Name))
		}
	}
	return u, dir, name, sum, nil
}

// nameKey identifies a file name in a folder, for the reserved set.
func nameKey(dir, name string) string { return dir + "\x00" + name }

// dedupKey identifies "the same download": URL (without password) and folder.
func dedupKey(u *url.URL, dir string) string {
	return withoutPassword(u).String() + "\x00" + dir
}

// existing finds a download in the list that a new request for u would
// duplicate: an unfinished one, or a completed one whose file is still
// there. Called with m.mu held.
func (m *Manager) existing(u *url.URL, dir, name string) *download {
	for _, d := range m.byKey[dedupKey(u, dir)] {
		if name != "" && d.name != name {
			continue
		}
		switch d.state {
		case Canceled:
			continue
		case Completed:
			if _, err := os.Lstat(filepath.Join(d.dir, d.name)); err != nil {
				continue
			}
		}
		if u.User != nil {
			d.url = u // a password given again is used again
		}
		return d
	}
	return nil
}

// requeue puts a stopped download back in line. Called with m.mu held.
func (m *Manager) requeue(d *download) {
	d.state, d.held = Queued, false
	d.err, d.retry = "", ""
	m.touch(d)
	m.schedule()
}

// Pause stops a queued or active download, keeping what it has.
func (m *Manager) Pause(id string) error {
	return m.act(id, func(d *download) error {
		switch d.state {
		case Queued, Active:
			d.state = Paused
			if d.run != nil {
				d.run.cancel(errPause)
			}
			m.touch(d)
			return nil
		}
		return fmt.Errorf("cannot pause a download that is %s", d.state)
	})
}

// Resume restarts a paused or failed download where it stopped.
func (m *Manager) Resume(id string) error {
	return m.act(id, func(d *download) error {
		switch d.state {
		case Paused, Failed:
			m.requeue(d)
			return nil
		case Queued, Active:
			return nil
		}
		return fmt.Errorf("cannot resume a download that is %s", d.state)
	})
}

// Retry starts a failed or canceled download again; a failed one keeps
// the bytes it had.
func (m *Manager) Retry(id string) error {
	return m.act(id, func(d *download) error {
		switch d.state {
		case Failed, Paused:
			m.requeue(d)
			return nil
		case Canceled:
			d.resetProgress()
			m.requeue(d)
			return nil
		}
		return fmt.Errorf("cannot retry a download that is %s", d.state)
	})
}

// Cancel stops a download and deletes its partial data. The entry stays
// in the list (as canceled) until removed.
func (m *Manager) Cancel(id string) error {
	return m.act(id, func(d *download) error {
		switch d.state {
		case Completed, Canceled:
			return fmt.Errorf("cannot cancel a download that is %s", d.state)
		}
		d.state, d.retry = Canceled, ""
		if d.run != nil {
			d.run.cancel(errCancel)
		} else {
			m.discardPart(d)
		}
		m.touch(d)
		return nil
	})
}

// Remove takes a download off the list, stopping it and deleting its
// partial data first. A completed file stays on disk.
func (m *Manager) Remove(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.byID[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if d.run != nil {
		d.run.cancel(errRemove)
	} else if d.state != Completed {
		m.discardPart(d)
	}
	delete(m.byID, id)
	m.order = slices.DeleteFunc(m.order, func(x *download) bool { return x == d })
	k := dedupKey(d.url, d.dir)
	if m.byKey[k] = slices.DeleteFunc(m.byKey[k], func(x *download) bool { return x == d }); len(m.byKey[k]) == 0 {
		delete(m.byKey, k)
	}
	m.removed = append(m.removed, Snapshot{ID: id, Removed: true})
	m.forgetLocked(id)
	m.broadcastLocked()
	return nil
}

func (m *Manager) act(id string, f func(*download) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.byID[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err := f(d); err != nil {
		return err
	}
	m.persistLocked(d)
	return nil
}

// discardPart deletes the partial file of a download that is not running
// and forgets its progress. Called with m.mu held.
func (m *Manager) discardPart(d *download) {
	if d.nameFixed {
		if root, err := os.OpenRoot(d.dir); err == nil {
			_ = root.Remove(d.name + partSuffix)
			root.Close()
		}
		delete(m.reserved, nameKey(d.dir, d.name))
		d.nameFixed = false
	}
	d.resetProgress()
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
	defer m.mu.Unlock()
	m.maxActive = max(n, 1)
	// Running downloads beyond the new limit go back to the queue.
	active := 0
	for _, d := range m.order {
		if d.state == Active {
			active++
			if active > m.maxActive && d.run != nil {
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
func (m *Manager) SetConnections(n int) {
	m.mu.Lock()
	m.conns = max(n, 1)
	close(m.connsCh)
	m.connsCh = make(chan struct{})
	m.mu.Unlock()
}

func (m *Manager) connsChangedCh() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.connsCh
}

// SetRateLimit caps the total download speed in bytes per second across
// all downloads; 0 removes the cap. It applies at once.
func (m *Manager) SetRateLimit(bytesPerSec int64) {
	if bytesPerSec <= 0 {
		m.limiter.SetLimit(rate.Inf)
		return
	}
	m.limiter.SetLimit(rate.Limit(bytesPerSec))
	m.limiter.SetBurst(m.readSize())
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

func (m *Manager) httpClient() *http.Client { return m.client.Load() }

// readSize is how much to read at once: readBuf, or less under a low
// speed limit, so the limit is smooth and no wait is longer than ~¼ s.
func (m *Manager) readSize() int {
	l := m.limiter.Limit()
	if l == rate.Inf {
		return readBuf
	}
	return int(max(1024, min(readBuf, float64(l)/4)))
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
// next Open, and releases the state folder.
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	var runs []*runState
	for _, d := range m.order {
		if d.run != nil {
			d.run.cancel(errShutdown)
			runs = append(runs, d.run)
		}
	}
	m.mu.Unlock()
	for _, r := range runs {
		<-r.done
	}
	m.cancel()
	m.wg.Wait()
	m.httpClient().CloseIdleConnections()
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

// touch marks a download changed: published on the next tick and wakes
// waiters. Called with m.mu held.
func (m *Manager) touch(d *download) {
	d.dirty = true
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

// schedule starts queued downloads while there is room. Called with m.mu held.
func (m *Manager) schedule() {
	if m.closed {
		return
	}
	running := 0
	for _, d := range m.order {
		if d.run != nil {
			running++
		}
	}
	for _, d := range m.order {
		if running >= m.maxActive {
			return
		}
		if d.state == Queued && d.run == nil && !d.held {
			m.start(d)
			running++
		}
	}
}

// start launches the goroutine of one download. Called with m.mu held.
func (m *Manager) start(d *download) {
	ctx, cancel := context.WithCancelCause(m.ctx)
	r := &runState{cancel: cancel, done: make(chan struct{})}
	d.run = r
	d.state = Active
	d.err, d.retry = "", ""
	d.lastRecv, d.lastTick, d.speed = d.received.Load(), time.Now(), 0
	m.touch(d)
	m.persistLocked(d)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(r.done)
		err := m.transfer(ctx, d, r)
		m.finish(ctx, d, r, err)
	}()
}

// finish records how a run ended.
func (m *Manager) finish(ctx context.Context, d *download, r *runState, err error) {
	m.checkpoint(d, r, true)
	cause := context.Cause(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	d.run = nil
	d.conn.Store(0)
	d.retry = ""
	switch {
	case err == nil:
		d.state, d.err, d.pieces = Completed, "", nil
		delete(m.reserved, nameKey(d.dir, d.name))
	case errors.Is(cause, errCancel):
		m.discardPart(d)
	case errors.Is(cause, errRemove):
		if d.state != Completed {
			m.discardPart(d)
		}
		m.broadcastLocked()
		m.schedule()
		return
	case errors.Is(cause, errFolderGone):
		d.state, d.err = Failed, fmt.Sprintf("the download folder %s was deleted", d.dir)
		m.discardPart(d)
	case errors.Is(cause, errPause), errors.Is(cause, errShutdown):
		// state was set by whoever stopped it (Paused, Queued or Active).
	default:
		d.state, d.err = Failed, describe(err)
		var ie *IntegrityError
		if errors.As(err, &ie) {
			// Bytes that failed verification are worth nothing: a retry
			// starts from zero.
			m.discardPart(d)
		}
	}
	m.touch(d)
	if _, still := m.byID[d.id]; still {
		m.persistLocked(d)
	}
	m.schedule()
}

// checkpointLoop periodically flushes running downloads' data and saves
// their progress, so a crash loses at most one interval.
func (m *Manager) checkpointLoop() {
	defer m.wg.Done()
	t := time.NewTicker(m.opt.CheckpointInterval)
	defer t.Stop()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-t.C:
		}
		m.mu.Lock()
		type job struct {
			d *download
			r *runState
		}
		var jobs []job
		for _, d := range m.order {
			if d.run != nil {
				jobs = append(jobs, job{d, d.run})
			}
		}
		m.mu.Unlock()
		for _, j := range jobs {
			m.checkpoint(j.d, j.r, false)
		}
	}
}

// checkpoint flushes a running download's file and then records the
// progress that is now safely on disk. With closing it also closes the
// file (the run is over).
func (m *Manager) checkpoint(d *download, r *runState, closing bool) {
	r.mu.Lock()
	var recs []pieceRec
	ok := false
	ps := r.ps
	if r.file != nil && r.ps != nil {
		recs = r.ps.records() // before Sync: claims only bytes already written
		ok = r.file.Sync() == nil
	}
	if closing && r.file != nil {
		r.file.Close()
		r.file = nil
	}
	r.mu.Unlock()
	if !ok {
		return
	}
	if !closing {
		if _, err := os.Stat(d.dir); errors.Is(err, fs.ErrNotExist) {
			r.cancel(errFolderGone)
			return
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if d.run != r && !closing {
		return
	}
	r.mu.Lock()
	stale := r.ps != ps && !closing // the download restarted meanwhile
	r.mu.Unlock()
	if stale {
		return
	}
	d.pieces = recs
	if _, still := m.byID[d.id]; still {
		m.persistLocked(d)
	}
}
