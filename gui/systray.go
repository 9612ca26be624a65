package gui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/godbus/dbus/v5"
)

// desktopHooks are the UI's fields of the desktop integration.
type desktopHooks struct {
	desk     *desktopState // nil until startDesktop (and in tests that do not start it)
	offerBar *offerBar     // the prompt offering copied links
	focused  atomic.Bool
	watching atomic.Bool // clipboard watching is on
}

// systemTray returns the app's system tray, or nil when the desktop has
// none. Fyne's desktop.App always offers the calls, but on Linux and the
// BSDs a tray exists only where a StatusNotifierWatcher runs on the
// session bus; without one the icon would never appear and a hidden
// window could not come back.
func systemTray(a fyne.App) trayHost {
	d, ok := a.(desktop.App)
	if !ok {
		return nil
	}
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if !statusNotifierWatcher() {
			return nil
		}
	}
	return d
}

// statusNotifierWatcher reports whether a tray host listens on the
// session bus.
func statusNotifierWatcher() bool {
	conn, err := sessionBus()
	if err != nil {
		return false
	}
	return hasTrayHost(conn)
}

// sessionBus is the session bus's connection, shared with Fyne (so never
// closed), or an error when there is no session bus.
func sessionBus() (*dbus.Conn, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Without an address godbus would try the runtime folder's bus and
		// then start a bus of its own with dbus-launch: only the first.
		if _, err := os.Stat(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "bus")); os.Getenv("XDG_RUNTIME_DIR") == "" || err != nil {
			return nil, errors.New("no session bus")
		}
	}
	return dbus.SessionBus()
}

// hasTrayHost reports whether a StatusNotifierWatcher owns its name on
// the bus of conn.
func hasTrayHost(conn *dbus.Conn) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var owned bool
	call := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher")
	if call.Err != nil || call.Store(&owned) != nil {
		return false
	}
	return owned
}
