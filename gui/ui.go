// Package gui is Haul's window: a list of downloads bound to the engine's
// state, dialogs to add links and change settings, drag and drop of link
// files, and paste of links from the clipboard.
//
// Threading: the engine publishes coalesced batches; one goroutine reads
// them and hands each batch to the UI goroutine with one fyne.Do, where it
// updates the bindings the widgets follow. Engine calls that may wait on
// the disk run on a worker goroutine, never on the UI goroutine, and their
// results come back through fyne.Do too.
package gui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/gui/internal/listview"
)

// Config is what the command line hands to the window.
type Config struct {
	// StateDir is the folder of the engine's state (the download list).
	StateDir string
	// DownloadDir is the default destination, until the user picks
	// another one in the settings.
	DownloadDir string
	// Links are URLs, or paths of files holding links, to add at start.
	Links []string
}

// UI is one Haul window over one engine. Its widgets are fields so tests
// can drive them.
type UI struct {
	app fyne.App
	win fyne.Window
	m   *place // this computer's engine or a remote box (backend.go)
	cfg Config
	set settings
	// caErr is why the extra CA file of the settings is not in use, if
	// it could not be loaded at start.
	caErr error

	// do runs a function on the UI goroutine (fyne.Do, or a test loop).
	do func(func())

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
	jobs *jobQueue // engine calls, run in order by one worker
	// addsWaiting counts the adds waiting for earlier engine calls (see
	// addJob).
	addsWaiting atomic.Int32

	model  *model
	tools  *toolbar
	dl     *downloadList
	status *statusBar

	addDlg     *addDialog
	setDlg     *settingsDialog
	reportDlg  *reportDialog
	scanDlg    *scanDialog
	infoDlg    *detailsDialog
	removeDlg  *removeDialog
	presetMenu *widget.PopUpMenu
	linksDlg   *linksDialog // the last links the browser handed over

	scrollTo string // a download to scroll to once it appears
	tips     *tooltip
	after    afterFunc // timers of the tooltip and the status bar's fading
	// openCmd opens files and folders (open.go); nil for the desktop's.
	openCmd []string

	places *placeBar // the switcher between this computer and remote boxes

	desktopHooks // tray, notifications, clipboard watching, schedule
}

// New builds the window over m and starts following the engine. It does
// not show the window; Window().ShowAndRun() does. Close stops it.
func New(a fyne.App, m *engine.Manager, cfg Config) *UI {
	return newUI(a, m, cfg, fyne.Do)
}

func newUI(a fyne.App, m *engine.Manager, cfg Config, do func(func())) *UI {
	ctx, stop := context.WithCancel(context.Background())
	u := &UI{
		app: a, m: newPlace(m), cfg: cfg, do: do,
		set:   loadSettings(a.Preferences(), cfg.DownloadDir),
		ctx:   ctx,
		stop:  stop,
		jobs:  newJobQueue(),
		model: newModel(),
		after: realAfter,
	}
	u.win = a.NewWindow("Haul")
	u.win.SetContent(u.build())
	u.win.Resize(fyne.NewSize(960, 640))
	u.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { u.drop(uris) })
	// Stop posting to the UI as soon as the window goes, before the app
	// stops running functions on its goroutine.
	u.win.SetOnClosed(u.stop)
	u.win.Canvas().AddShortcut(&fyne.ShortcutPaste{}, func(s fyne.Shortcut) { u.paste(s) })
	u.addKeys()

	// The list as it is now, so the window is right from its first frame
	// rather than after a hop through the follower; the subscription's
	// first batch, the whole list again, follows and covers any change in
	// between.
	u.apply(m.List(), true)
	u.wg.Add(2)
	u.followPlace(u.m.Subscribe())
	go u.worker()
	go u.sampleSpeed()
	if n := m.Notice(); n != "" {
		dialog.ShowInformation("Download list", n, u.win)
	}
	return u
}

// Window is the window of this UI.
func (u *UI) Window() fyne.Window { return u.win }

// Close stops following the engine and waits for background jobs. It
// does not close the engine.
func (u *UI) Close() {
	u.stop()
	u.wg.Wait()
}

// build lays out the window: toolbar, list (or the empty hint), status bar.
func (u *UI) build() fyne.CanvasObject {
	u.tips = newTooltip(func(d time.Duration, f func()) func() bool { return u.after(d, f) }, u.post)
	u.tools = newToolbar(u)
	u.dl = newDownloadList(u.model, u, u.set.Order, u.set.Compact, u.listKey)
	u.dl.find.text.onEscape = u.focusList
	u.dl.onChanged = u.showSummary
	u.dl.find.onOrder = u.saveOrder
	u.status = newStatusBar(u.hint)
	u.status.limit.OnTapped = u.showPresets
	bottom := container.NewVBox(widget.NewSeparator(), u.status.object())
	top := container.NewVBox(u.newPlaceBar(), u.tools.box, u.newOfferBar())
	return container.NewStack(container.NewBorder(top, bottom, nil, nil, u.dl.box), u.tips.layer)
}

// addKeys binds the window's keys: Ctrl+A selects every row shown,
// Ctrl+F goes to the filter box, Alt+Up/Alt+Down move the selected
// queued downloads in the queue, and the list's keys (listKey) work with
// the list focused or nothing focused. Keys typed in a text box stay
// there; Escape in the filter box goes back to the list.
func (u *UI) addKeys() {
	c := u.win.Canvas()
	c.AddShortcut(&fyne.ShortcutSelectAll{}, func(fyne.Shortcut) { u.dl.selectAll() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.Focus(u.dl.find.text) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt},
		func(fyne.Shortcut) { u.moveSelected(engine.MoveUp) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt},
		func(fyne.Shortcut) { u.moveSelected(engine.MoveDown) })
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, u.submitKey)
	}
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { u.listKey(e, false) })
}

// saveOrder keeps the sort order the user picked for the next start.
func (u *UI) saveOrder(o listview.Order) {
	u.set.Order = o
	u.app.Preferences().SetString(prefSortOrder, o.String())
}

// follow reads the engine's batches and applies each on the UI
// goroutine, waiting for it so that batches coalesce in the engine
// rather than queue up here.
func (u *UI) follow(ctx context.Context, sub batchSource) {
	defer u.wg.Done()
	defer sub.Close()
	full := true // the first batch is the whole list
	for {
		select {
		case <-ctx.Done():
			return
		case batch, ok := <-sub.C():
			if !ok {
				return
			}
			isFull := full
			full = false
			for _, part := range batchParts(batch, isFull) {
				if !u.doWait(func() {
					if ctx.Err() == nil { // not a place the window left meanwhile
						u.apply(part, isFull)
					}
				}) {
					return
				}
			}
		}
	}
}

// applyChunk is the most snapshots one function on the UI goroutine
// takes in: a batch that adds 10,000 links is applied in parts, so that
// the window paints and answers in between.
const applyChunk = 1000

// batchParts splits a batch into parts of at most applyChunk snapshots.
// A full batch (the whole list) stays whole: what it lacks is removed.
func batchParts(batch []engine.Snapshot, full bool) [][]engine.Snapshot {
	if full || len(batch) <= applyChunk {
		return [][]engine.Snapshot{batch}
	}
	var parts [][]engine.Snapshot
	for len(batch) > 0 {
		n := min(len(batch), applyChunk)
		parts = append(parts, batch[:n:n])
		batch = batch[n:]
	}
	return parts
}

// doWait runs f on the UI goroutine and waits for it; false if the UI
// closed first.
func (u *UI) doWait(f func()) bool {
	done := make(chan struct{})
	u.do(func() {
		defer close(done)
		f()
	})
	select {
	case <-done:
		return true
	case <-u.ctx.Done():
		return false
	}
}

// post runs f on the UI goroutine unless the UI is closed.
func (u *UI) post(f func()) {
	if u.ctx.Err() != nil {
		return
	}
	u.do(func() {
		if u.ctx.Err() == nil {
			f()
		}
	})
}

// apply shows one batch from the engine. UI goroutine only.
func (u *UI) apply(batch []engine.Snapshot, full bool) {
	added := u.model.apply(batch, full)
	u.dl.update()
	u.desktopApply(batch, added)
	if len(added) > 0 && u.scrollTo != "" {
		if u.dl.reveal(u.scrollTo) {
			u.scrollTo = ""
		}
	}
	u.showSummary()
}

// showSummary updates the status bar, the toolbar and the empty hint
// from the model's counts. UI goroutine only.
func (u *UI) showSummary() {
	c := u.model.sum
	u.tools.show(c, u.dl.selected())
	u.status.setSummary(u.statusLine(c))
	u.status.showLimit(u.set.RateLimitKiB)
	u.desktopSummary()
}

func setEnabled(w fyne.Disableable, on bool) {
	if on == !w.Disabled() {
		return
	}
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}
