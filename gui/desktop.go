package gui

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/schedule"
)

// desktopOptions are what Run (or a test) hands to startDesktop.
type desktopOptions struct {
	// Tray is the system tray, nil where there is none.
	Tray trayHost
	// Clock and Location drive the schedule and the clipboard polling.
	Clock    schedule.Clock
	Location *time.Location
	// Quit ends Haul; Run's caller then closes the engine, which saves
	// every download's progress. Default: the app's Quit.
	Quit func()
	// Notify sends a desktop notification. Default: over the session
	// bus, where a click shows the window (notify.go), else the app's.
	Notify func(*fyne.Notification)
}

// desktopState is the window's desktop integration: the tray, close-to-tray,
// batch notifications, clipboard watching and the schedule. It is touched
// only on the UI goroutine.
type desktopState struct {
	opt     desktopOptions
	set     desktopSettings
	tray    *tray
	batches batchTracker
	clip    *clipWatcher
	sched   *scheduler
}

// startDesktop starts the desktop integration. UI goroutine only, once,
// before the window is shown.
func (u *UI) startDesktop(opt desktopOptions) {
	if opt.Clock == nil {
		opt.Clock = schedule.RealClock{}
	}
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Quit == nil {
		opt.Quit = u.app.Quit
	}
	if opt.Notify == nil {
		opt.Notify = u.desktopNotify(u.app.SendNotification)
	}
	d := &desktopState{opt: opt, set: loadDesktopSettings(u.app.Preferences()), clip: newClipWatcher()}
	prefs := u.app.Preferences()
	d.clip.offered = prefs.String(prefClipOffered)
	d.clip.saveOffered = func(digest string) { prefs.SetString(prefClipOffered, digest) }
	u.desk = d
	if opt.Tray != nil {
		d.tray = newTray(u, opt.Tray)
		if w, ok := opt.Tray.(interface{ SetSystemTrayWindow(fyne.Window) }); ok {
			w.SetSystemTrayWindow(u.win) // a click on the icon shows the window
		}
		u.win.SetCloseIntercept(u.closeWindow) // after: that call sets its own
	}
	u.watchFocus()
	u.startClipboardPolling()
	u.startScheduler()
	u.showSummary()
}

// closeWindow is what closing the window does where there is a tray:
// hide it and keep running, or quit, as the settings say. UI goroutine
// only.
func (u *UI) closeWindow() {
	d := u.desk
	if d == nil || d.tray == nil || !d.set.CloseToTray {
		u.quit()
		return
	}
	u.win.Hide()
	p := u.app.Preferences()
	if !p.BoolWithFallback(prefTrayHintShown, false) {
		p.SetBool(prefTrayHintShown, true)
		u.desk.opt.Notify(fyne.NewNotification("Haul is still running",
			"Downloads go on in the background. Use the tray icon to show the window or quit."))
	}
}

// quit ends Haul; the engine is closed, saving the state, after the app
// stops running. UI goroutine only.
func (u *UI) quit() {
	if u.desk != nil {
		u.desk.opt.Quit()
		return
	}
	u.app.Quit()
}

// showWindow brings the window back from the tray. UI goroutine only.
func (u *UI) showWindow() {
	u.win.Show()
	u.win.RequestFocus()
}

// setSpeedPreset makes kib (0 = unlimited) the speed limit of the
// settings, as the Settings dialog would. UI goroutine only.
func (u *UI) setSpeedPreset(kib int) {
	s := u.set
	s.RateLimitKiB = kib
	u.applySettings(s)
}

// applyDesktopSettings saves and applies new desktop settings at once.
// UI goroutine only.
func (u *UI) applyDesktopSettings(s desktopSettings) {
	d := u.desk
	d.set = s
	s.save(u.app.Preferences())
	u.watching.Store(s.WatchClipboard)
	if !s.WatchClipboard {
		u.hideOffer()
	}
}

// desktopApply is the hook of apply: it follows each engine batch for
// the schedule and the batch notification. UI goroutine only.
func (u *UI) desktopApply(batch []engine.Snapshot, added []string) {
	d := u.desk
	if d == nil {
		return
	}
	r, done := d.batches.observe(batch, added, u.model.sum, u.model.snapshot)
	if !done {
		return
	}
	if d.set.NotifyBatches {
		u.desk.opt.Notify(fyne.NewNotification("Haul", batchText(r)))
	}
	if d.sched.plan.WhenEmpty == schedule.Quit && u.model.sum.Paused == 0 {
		u.quit()
	}
}

// desktopSummary is the hook of showSummary: the tray's totals and
// ticked preset. UI goroutine only.
func (u *UI) desktopSummary() {
	d := u.desk
	if d == nil || d.tray == nil {
		return
	}
	if later := d.tray.update(u.model.sum, u.set.RateLimitKiB, time.Now()); later > 0 {
		time.AfterFunc(later, func() {
			u.post(func() { d.tray.refresh(time.Now()) })
		})
	}
}

// statusLine is the status bar's text: the list's summary and, when the
// schedule is in force, what it does and until when. UI goroutine only.
func (u *UI) statusLine(c counts) string {
	note := ""
	if u.desk != nil && u.desk.sched.have {
		note = scheduleNote(u.desk.sched.dec, u.desk.opt.Clock.Now().In(u.desk.opt.Location))
	}
	s := statusText(c) // the limit is on its button
	if note != "" {
		s += "  ·  " + note
	}
	return s
}
