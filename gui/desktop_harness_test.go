package gui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/schedule/scheduletest"
)

// fakeTray is a system tray that keeps what it was given.
type fakeTray struct {
	menus int // how many times a menu was handed over
	menu  *fyne.Menu
	icon  fyne.Resource
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu)       { f.menus++; f.menu = m }
func (f *fakeTray) SetSystemTrayIcon(icon fyne.Resource) { f.icon = icon }

// zone is a DST-free local clock two hours east of UTC.
var zone = time.FixedZone("UTC+2", 2*3600)

// desktopHarness is a harness with the desktop integration started on a
// fake clock, tray, quit and notifications.
type desktopHarness struct {
	*harness
	clock  *scheduletest.Clock
	tray   *fakeTray
	quits  int
	notes  []string // notification texts, in order
	notesM sync.Mutex
}

// newDesktopHarness starts the window at now (in zone) with the desktop
// settings that prefs saved; withTray gives it a tray.
func newDesktopHarness(t *testing.T, now time.Time, withTray bool, prefs func(fyne.Preferences)) *desktopHarness {
	t.Helper()
	clock := scheduletest.NewClock(now)
	h := &desktopHarness{clock: clock, harness: newHarnessWithEngine(t, prefs, func(o *engine.Options) { o.Clock, o.Location = clock, zone })}
	opt := desktopOptions{
		Clock: h.clock, Location: zone,
		Quit: func() { h.quits++ },
		Notify: func(n *fyne.Notification) {
			h.notesM.Lock()
			h.notes = append(h.notes, n.Content)
			h.notesM.Unlock()
		},
	}
	if withTray {
		h.tray = &fakeTray{}
		opt.Tray = h.tray
	}
	h.u.startDesktop(opt)
	return h
}

func (h *desktopHarness) notifications() []string {
	h.notesM.Lock()
	defer h.notesM.Unlock()
	return append([]string(nil), h.notes...)
}

// tapMenu runs the action of the tray item with this label.
func (h *desktopHarness) tapMenu(label string) {
	h.t.Helper()
	it := h.u.desk.tray.item(label)
	if it == nil || it.Action == nil {
		h.t.Fatalf("the tray menu has no item %q", label)
	}
	it.Action()
}
