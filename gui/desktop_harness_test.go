package gui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// fakeClock is a schedule.Clock that moves only when the test says.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

// advance moves the clock to t and wakes those whose time has come.
func (c *fakeClock) advance(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- t
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

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
	clock  *fakeClock
	tray   *fakeTray
	quits  int
	notes  []string // notification texts, in order
	notesM sync.Mutex
}

// newDesktopHarness starts the window at now (in zone) with the desktop
// settings that prefs saved; withTray gives it a tray.
func newDesktopHarness(t *testing.T, now time.Time, withTray bool, prefs func(fyne.Preferences)) *desktopHarness {
	t.Helper()
	h := &desktopHarness{harness: newHarnessWithPrefs(t, prefs), clock: &fakeClock{now: now}}
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
