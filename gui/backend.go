package gui

import (
	"errors"
	"sync"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/remote/aria2box"
	"github.com/haul-dl/haul/schedule"
)

// backend is a place that downloads: this computer's engine, or a remote
// aria2 box. The window does everything through it, in the engine's
// terms (snapshots, requests, positions). A backend that cannot do
// something returns aria2box.ErrUnsupported, and the window hides it.
type backend interface {
	// The list and its changes.
	List() []engine.Snapshot
	Get(id string) (engine.Snapshot, bool)
	Subscribe() batchSource
	Notice() string
	Details(id string) (engine.Details, bool)
	// Adding, and acting on one download.
	AddAll(reqs []engine.Request) []engine.Added
	Pause(id string) error
	Resume(id string) error
	Retry(id string) error
	Cancel(id string) error
	Remove(id string) error
	StartNow(id string) error
	Move(id string, to engine.Position) error
	SetURL(id, rawURL string) error
	// A download's own options.
	DownloadLimits(id string) (bytesPerSec int64, conns int, err error)
	SetDownloadLimit(id string, bytesPerSec int64) error
	SetDownloadConnections(id string, n int) error
	// The total speed limit of the place.
	SetRateLimit(bytesPerSec int64)
}

// batchSource is a subscription to a backend's list: the first batch is
// the whole list, later ones what changed (Removed marks a removal).
type batchSource interface {
	C() <-chan []engine.Snapshot
	Close()
}

// localBackend is this computer's engine.
type localBackend struct{ *engine.Manager }

func (l localBackend) Subscribe() batchSource { return l.Manager.Subscribe() }

// boxBackend is a remote aria2.
type boxBackend struct{ *aria2box.Box }

func (b boxBackend) Subscribe() batchSource { return b.Box.Subscribe() }

// SetRateLimit sets the box's total limit; a box that cannot be reached
// keeps its own, which the status bar shows once it is back.
func (b boxBackend) SetRateLimit(bytesPerSec int64) { _ = b.Box.SetRateLimit(bytesPerSec) }

// place is the backend the window works on now: the local engine, or the
// box picked in the switcher. Its methods go to the current backend; the
// settings of this computer (connections, downloads at once, folders by
// kind, the CA bundle) always go to the local engine. Safe for use from
// any goroutine.
type place struct {
	local *engine.Manager
	mu    sync.RWMutex
	cur   backend
	box   *aria2box.Box // the box in use, nil on this computer
}

func newPlace(m *engine.Manager) *place { return &place{local: m, cur: localBackend{m}} }

// now returns the current backend.
func (p *place) now() backend {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.cur
}

// remote returns the box in use, or nil on this computer.
func (p *place) remote() *aria2box.Box {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.box
}

// use makes b the current place (nil: this computer) and returns the box
// that was in use, for the caller to close.
func (p *place) use(b *aria2box.Box) (old *aria2box.Box) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old = p.box
	p.box = b
	if b == nil {
		p.cur = localBackend{p.local}
	} else {
		p.cur = boxBackend{b}
	}
	return old
}

// can reports whether the current place offers an action: a remote box
// cannot start a download past its limit, take a new link, or open files
// (they are on the box).
func (p *place) can(a capability) bool { return p.remote() == nil || !boxLacks[a] }

// capability is something a place may not offer.
type capability int

const (
	canStartNow capability = iota
	canNewLink
	canOpenFiles
	canFoldersByKind
)

var boxLacks = map[capability]bool{canStartNow: true, canNewLink: true, canOpenFiles: true, canFoldersByKind: true}

// errNotHere is shown when an action the place lacks is asked for anyway
// (by a key, say).
var errNotHere = errors.New("not possible on a remote downloader")

func (p *place) List() []engine.Snapshot                   { return p.now().List() }
func (p *place) Get(id string) (engine.Snapshot, bool)     { return p.now().Get(id) }
func (p *place) Subscribe() batchSource                    { return p.now().Subscribe() }
func (p *place) Notice() string                            { return p.now().Notice() }
func (p *place) Details(id string) (engine.Details, bool)  { return p.now().Details(id) }
func (p *place) AddAll(r []engine.Request) []engine.Added  { return p.now().AddAll(r) }
func (p *place) Pause(id string) error                     { return p.now().Pause(id) }
func (p *place) Resume(id string) error                    { return p.now().Resume(id) }
func (p *place) Retry(id string) error                     { return p.now().Retry(id) }
func (p *place) Cancel(id string) error                    { return p.now().Cancel(id) }
func (p *place) Remove(id string) error                    { return p.now().Remove(id) }
func (p *place) StartNow(id string) error                  { return p.now().StartNow(id) }
func (p *place) Move(id string, to engine.Position) error  { return p.now().Move(id, to) }
func (p *place) SetURL(id, rawURL string) error            { return p.now().SetURL(id, rawURL) }
func (p *place) SetRateLimit(bytesPerSec int64)            { p.now().SetRateLimit(bytesPerSec) }
func (p *place) SetDownloadLimit(id string, b int64) error { return p.now().SetDownloadLimit(id, b) }
func (p *place) SetDownloadConnections(id string, n int) error {
	return p.now().SetDownloadConnections(id, n)
}
func (p *place) DownloadLimits(id string) (int64, int, error) { return p.now().DownloadLimits(id) }

// This computer's settings, for the local engine whatever place is shown.
func (p *place) SetConnections(n int)            { p.local.SetConnections(n) }
func (p *place) SetMaxActive(n int)              { p.local.SetMaxActive(n) }
func (p *place) SetFoldersByKind(on bool)        { p.local.SetFoldersByKind(on) }
func (p *place) SetCACertFile(path string) error { return p.local.SetCACertFile(path) }

// The schedule is this computer's engine's: it holds the local queue,
// never a box's.
func (p *place) Schedule() schedule.Plan                { return p.local.Schedule() }
func (p *place) SetSchedule(plan schedule.Plan) error   { return p.local.SetSchedule(plan) }
func (p *place) ScheduleDecision() schedule.Decision    { return p.local.ScheduleDecision() }
func (p *place) OnSchedule(f func(d schedule.Decision)) { p.local.OnSchedule(f) }

var (
	_ backend = localBackend{}
	_ backend = boxBackend{}
	_ backend = (*place)(nil)
)
