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
	"fmt"
	"net/url"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
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

// emptyHint is shown in place of the list while it is empty.
const emptyHint = "Paste links with Ctrl+V, click Add, or drop a text file of links here"

// UI is one Haul window over one engine. Its widgets are fields so tests
// can drive them.
type UI struct {
	app fyne.App
	win fyne.Window
	m   *engine.Manager
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

	model *model
	rows  []*row // every row the list created, for tests

	addButton, pauseAllButton, resumeAllButton *widget.Button
	clearButton, settingsButton                *widget.Button
	list                                       *widget.List
	emptyHint                                  fyne.CanvasObject
	status                                     binding.String
	statusLabel                                *widget.Label
	activity                                   *widget.Label // what a background job is doing
	statusBar                                  fyne.CanvasObject
	lastActivity, hovering                     string

	addDlg    *addDialog
	setDlg    *settingsDialog
	reportDlg *reportDialog
	scanDlg   *scanDialog
	infoDlg   *infoDialog
	linksDlg  *linksDialog // the last links the browser handed over

	scrollTo string // a download to scroll to once it appears

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
		app: a, m: m, cfg: cfg, do: do,
		set:    loadSettings(a.Preferences(), cfg.DownloadDir),
		ctx:    ctx,
		stop:   stop,
		jobs:   newJobQueue(),
		model:  newModel(),
		status: binding.NewString(),
	}
	u.win = a.NewWindow("Haul")
	u.win.SetContent(u.build())
	u.win.Resize(fyne.NewSize(960, 640))
	u.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { u.drop(uris) })
	// Stop posting to the UI as soon as the window goes, before the app
	// stops running functions on its goroutine.
	u.win.SetOnClosed(u.stop)
	u.win.Canvas().AddShortcut(&fyne.ShortcutPaste{}, func(s fyne.Shortcut) { u.paste(s) })

	// The list as it is now, so the window is right from its first frame
	// rather than after a hop through the follower; the subscription's
	// first batch, the whole list again, follows and covers any change in
	// between.
	u.apply(m.List(), true)
	sub := m.Subscribe()
	u.wg.Add(2)
	go u.follow(sub)
	go u.worker()
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
	u.addButton = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), func() { u.showAdd("") })
	u.addButton.Importance = widget.HighImportance
	u.pauseAllButton = widget.NewButtonWithIcon("Pause all", theme.MediaPauseIcon(), u.pauseAll)
	u.resumeAllButton = widget.NewButtonWithIcon("Resume all", theme.MediaPlayIcon(), u.resumeAll)
	u.clearButton = widget.NewButtonWithIcon("Clear finished", theme.ContentClearIcon(), u.clearFinished)
	u.settingsButton = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), u.showSettings)
	for _, b := range []*widget.Button{u.pauseAllButton, u.resumeAllButton, u.clearButton, u.settingsButton} {
		b.Importance = widget.LowImportance
	}
	toolbar := container.NewHBox(u.addButton, widget.NewSeparator(),
		u.pauseAllButton, u.resumeAllButton, u.clearButton, layout.NewSpacer(), u.settingsButton)

	u.list = widget.NewListWithData(u.model.ids,
		func() fyne.CanvasObject {
			r := newRow(u)
			u.rows = append(u.rows, r)
			return r
		},
		func(item binding.DataItem, o fyne.CanvasObject) {
			id, err := item.(binding.String).Get()
			if err != nil {
				return
			}
			if data, ok := u.model.row(id); ok {
				o.(*row).bind(data)
			}
		})
	u.list.OnSelected = func(id widget.ListItemID) { u.list.Unselect(id) }

	hintIcon := widget.NewIcon(appIcon())
	hintText := widget.NewLabel(emptyHint)
	hintText.Alignment = fyne.TextAlignCenter
	hintText.Wrapping = fyne.TextWrapWord
	hintIconBox := container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), hintIcon))
	u.emptyHint = container.NewCenter(container.NewVBox(hintIconBox,
		container.NewGridWrap(fyne.NewSize(360, 80), hintText)))

	u.statusLabel = widget.NewLabelWithData(u.status)
	u.activity = widget.NewLabel("")
	u.activity.Importance = widget.LowImportance
	u.activity.Alignment = fyne.TextAlignTrailing
	u.statusBar = newPair(u.statusLabel, u.activity, 1)
	statusBar := u.statusBar
	u.status.AddListener(binding.NewDataListener(func() { u.statusBar.Refresh() }))

	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	top := container.NewVBox(container.NewStack(bg, container.NewPadded(toolbar)), widget.NewSeparator(), u.newOfferBar())
	bottom := container.NewVBox(widget.NewSeparator(), statusBar)
	return container.NewBorder(top, bottom, nil, nil, container.NewStack(u.list, u.emptyHint))
}

// follow reads the engine's batches and applies each on the UI
// goroutine, waiting for it so that batches coalesce in the engine
// rather than queue up here.
func (u *UI) follow(sub *engine.Subscription) {
	defer u.wg.Done()
	defer sub.Close()
	full := true // the first batch is the whole list
	for {
		select {
		case <-u.ctx.Done():
			return
		case batch, ok := <-sub.C():
			if !ok {
				return
			}
			isFull := full
			full = false
			if !u.doWait(func() { u.apply(batch, isFull) }) {
				return
			}
		}
	}
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
	u.desktopApply(batch, added)
	if len(added) > 0 && u.scrollTo != "" {
		if i := u.model.index(u.scrollTo); i >= 0 {
			u.list.ScrollTo(i)
			u.scrollTo = ""
		}
	}
	u.showSummary()
}

// showSummary updates the status bar, the toolbar and the empty hint
// from the model's counts. UI goroutine only.
func (u *UI) showSummary() {
	c := u.model.sum
	setVisible(u.emptyHint, u.model.len() == 0)
	setEnabled(u.pauseAllButton, c.Active+c.Queued > 0)
	setEnabled(u.resumeAllButton, c.Paused > 0)
	setEnabled(u.clearButton, c.Completed+c.Canceled > 0)
	_ = u.status.Set(u.statusLine(c))
	u.desktopSummary()
}

// statusText is the status bar's summary of the list.
func statusText(c counts, limitKiB int) string {
	limit := ""
	if limitKiB > 0 {
		limit = fmt.Sprintf("  (limit %s)", human.Speed(float64(limitKiB)*1024))
	}
	if c.Total() == 0 {
		return "No downloads" + limit
	}
	s := fmt.Sprintf("%d active  ·  %d queued  ·  %d done", c.Active, c.Queued, c.Completed)
	if c.Paused > 0 {
		s += fmt.Sprintf("  ·  %d paused", c.Paused)
	}
	if c.Failed > 0 {
		s += fmt.Sprintf("  ·  %d failed", c.Failed)
	}
	if c.Active > 0 {
		s += "  ·  " + human.Speed(c.Speed)
	}
	return s + limit
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

// jobQueue is an unbounded first-in first-out queue of functions: adding
// to it never blocks the UI goroutine.
type jobQueue struct {
	mu   sync.Mutex
	jobs []func()
	wake chan struct{}
}

func newJobQueue() *jobQueue { return &jobQueue{wake: make(chan struct{}, 1)} }

func (q *jobQueue) push(f func()) {
	q.mu.Lock()
	q.jobs = append(q.jobs, f)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *jobQueue) pop() (func(), bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.jobs) == 0 {
		return nil, false
	}
	f := q.jobs[0]
	q.jobs[0] = nil
	q.jobs = q.jobs[1:]
	return f, true
}

// worker runs engine calls in the order they were asked for, off the UI
// goroutine: they write to disk and may take a moment.
func (u *UI) worker() {
	defer u.wg.Done()
	for {
		for f, ok := u.jobs.pop(); ok && u.ctx.Err() == nil; f, ok = u.jobs.pop() {
			f()
		}
		select {
		case <-u.ctx.Done():
			return
		case <-u.jobs.wake:
		}
	}
}

// enqueue hands f to the worker; it never blocks.
func (u *UI) enqueue(f func()) { u.jobs.push(f) }

// engineCall runs an engine call on the worker and reports its error.
func (u *UI) engineCall(what string, call func() error) {
	u.enqueue(func() {
		if err := call(); err != nil {
			u.post(func() { u.showError(fmt.Errorf("%s: %w", what, err)) })
		}
	})
}

// showError shows err in a dialog. UI goroutine only.
func (u *UI) showError(err error) { dialog.ShowError(err, u.win) }

func (u *UI) pause(id string) { u.engineCall("Could not pause", func() error { return u.m.Pause(id) }) }
func (u *UI) resume(id string) {
	u.engineCall("Could not resume", func() error { return u.m.Resume(id) })
}
func (u *UI) retry(id string) { u.engineCall("Could not retry", func() error { return u.m.Retry(id) }) }
func (u *UI) cancel(id string) {
	u.engineCall("Could not cancel", func() error { return u.m.Cancel(id) })
}
func (u *UI) remove(id string) {
	u.engineCall("Could not remove", func() error { return u.m.Remove(id) })
}

// forEach applies call to every download in one of the given states.
func (u *UI) forEach(what string, call func(string) error, states ...engine.State) {
	u.engineCall(what, func() error {
		for _, s := range u.m.List() {
			for _, st := range states {
				if s.State == st {
					if err := call(s.ID); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func (u *UI) pauseAll() {
	u.forEach("Could not pause all", u.m.Pause, engine.Active, engine.Queued)
}

func (u *UI) resumeAll() {
	u.forEach("Could not resume all", u.m.Resume, engine.Paused)
}

// clearFinished removes completed and canceled downloads from the list;
// failed ones stay to be retried.
func (u *UI) clearFinished() {
	u.forEach("Could not clear the list", u.m.Remove, engine.Completed, engine.Canceled)
}

// infoDialog shows the whole message of one download, with its file,
// link and folder, in text that can be selected and copied.
type infoDialog struct {
	dlg                      *dialog.CustomDialog
	name, message, link, dir *widget.Label
}

// details shows the whole error or warning of a download, which its row
// may have to cut. UI goroutine only.
func (u *UI) details(s engine.Snapshot) {
	msg, imp := messageText(s)
	if msg == "" {
		return
	}
	wrapped := func(text string, wrap fyne.TextWrap) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = wrap
		l.Selectable = true
		return l
	}
	d := &infoDialog{
		name:    wrapped(safename.Display(s.Name), fyne.TextWrapBreak),
		message: wrapped(msg, fyne.TextWrapWord),
		link:    wrapped(safename.Display(s.URL), fyne.TextWrapBreak),
		dir:     wrapped(safename.Display(s.Dir), fyne.TextWrapBreak),
	}
	d.message.Importance = imp
	form := widget.NewForm(
		widget.NewFormItem("File", d.name),
		widget.NewFormItem("Message", d.message),
		widget.NewFormItem("Link", d.link),
		widget.NewFormItem("Folder", d.dir),
	)
	title := "Download message"
	if s.State == engine.Failed {
		title = "Download failed"
	}
	d.dlg = dialog.NewCustom(title, "Close", form, u.win)
	u.hint("") // the pointer is over the dialog now, not the message
	d.dlg.Resize(fyne.NewSize(640, 360))
	d.dlg.Show()
	u.infoDlg = d
}

// open opens a completed file with the desktop's default program.
func (u *UI) open(s engine.Snapshot) { u.openPath(s.Path()) }

// openFolder opens the folder a download was saved in.
func (u *UI) openFolder(s engine.Snapshot) { u.openPath(s.Dir) }

func (u *UI) openPath(p string) {
	abs, err := filepath.Abs(p)
	if err != nil {
		u.showError(fmt.Errorf("opening %s: %w", p, err))
		return
	}
	if err := u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}); err != nil {
		u.showError(fmt.Errorf("opening %s: %w", p, err))
	}
}
