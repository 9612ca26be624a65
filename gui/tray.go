package gui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"github.com/haul-dl/haul/internal/human"
)

// trayHost is the part of Fyne's desktop.App that Haul uses: a system
// tray icon with a menu. Tests give a fake one.
type trayHost interface {
	SetSystemTrayMenu(menu *fyne.Menu)
	SetSystemTrayIcon(icon fyne.Resource)
}

// speedPreset is one speed limit the tray menu offers.
type speedPreset struct {
	Label string
	KiB   int // 0 = unlimited
}

// speedPresets are the tray menu's speed limits.
var speedPresets = []speedPreset{
	{"Unlimited", 0},
	{"256 KiB/s", 256},
	{"1 MiB/s", 1024},
	{"5 MiB/s", 5 * 1024},
}

// trayTotals is the first line of the tray menu: what runs and how fast.
func trayTotals(c counts) string {
	if c.Active+c.Queued == 0 {
		if c.Total() == 0 {
			return "No downloads"
		}
		return fmt.Sprintf("Idle  ·  %d done", c.Completed)
	}
	s := fmt.Sprintf("%d active  ·  %d queued", c.Active, c.Queued)
	if c.Active > 0 {
		s += "  ·  " + human.Speed(c.Speed)
	}
	return s
}

// trayRefreshEvery is the most often the tray menu is rebuilt for new
// totals: Fyne rebuilds the whole menu over D-Bus, which an open menu
// may show as a flicker.
const trayRefreshEvery = 5 * time.Second

// tray is Haul's system tray menu.
type tray struct {
	host    trayHost
	menu    *fyne.Menu
	totals  *fyne.MenuItem
	presets []*fyne.MenuItem
	last    time.Time // when the menu was last handed to the host
	pending bool      // a refresh is waiting for trayRefreshEvery to pass
}

// newTray builds the menu; its actions call the UI's own actions, so the
// tray does exactly what the window's buttons do. UI goroutine only.
func newTray(u *UI, host trayHost) *tray {
	t := &tray{host: host}
	t.totals = fyne.NewMenuItem(trayTotals(u.model.sum), nil)
	t.totals.Disabled = true
	limit := fyne.NewMenuItem("Speed limit", nil)
	var items []*fyne.MenuItem
	for _, p := range speedPresets {
		it := fyne.NewMenuItem(p.Label, func() { u.setSpeedPreset(p.KiB) })
		t.presets = append(t.presets, it)
		items = append(items, it)
	}
	limit.ChildMenu = fyne.NewMenu("", items...)
	quit := fyne.NewMenuItem("Quit", u.quit)
	quit.IsQuit = true
	t.menu = fyne.NewMenu("Haul",
		t.totals,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Pause all", u.pauseAll),
		fyne.NewMenuItem("Resume all", u.resumeAll),
		limit,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Show window", u.showWindow),
		quit,
	)
	t.checkPreset(u.set.RateLimitKiB)
	host.SetSystemTrayIcon(appIcon())
	host.SetSystemTrayMenu(t.menu)
	t.last = time.Now()
	return t
}

// item returns the menu item with this label, or nil.
func (t *tray) item(label string) *fyne.MenuItem {
	for _, it := range t.menu.Items {
		if it.Label == label {
			return it
		}
		if it.ChildMenu != nil {
			for _, c := range it.ChildMenu.Items {
				if c.Label == label {
					return c
				}
			}
		}
	}
	return nil
}

// checkPreset ticks the preset of the limit in force. It reports whether
// anything changed.
func (t *tray) checkPreset(kib int) bool {
	changed := false
	for i, it := range t.presets {
		on := speedPresets[i].KiB == kib
		if it.Checked != on {
			it.Checked = on
			changed = true
		}
	}
	return changed
}

// update shows new totals and the limit in force. A change of the totals
// alone is handed to the host at most every trayRefreshEvery; later is
// asks for a call when that time has passed. UI goroutine only.
func (t *tray) update(c counts, limitKiB int, now time.Time) (later time.Duration) {
	urgent := t.checkPreset(limitKiB)
	text := trayTotals(c)
	if text == t.totals.Label && !urgent {
		return 0
	}
	t.totals.Label = text
	if wait := trayRefreshEvery - now.Sub(t.last); !urgent && wait > 0 {
		if t.pending {
			return 0
		}
		t.pending = true
		return wait
	}
	t.refresh(now)
	return 0
}

// refresh hands the menu to the host again. UI goroutine only.
func (t *tray) refresh(now time.Time) {
	t.pending = false
	t.last = now
	t.host.SetSystemTrayMenu(t.menu)
}
