package gui

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"github.com/godbus/dbus/v5"
)

// Haul's notifications go to the desktop's notification server over the
// session bus (the freedesktop.org Desktop Notifications protocol)
// rather than through Fyne's SendNotification, which offers no click
// callback: here the notification carries a "default" action, which the
// server invokes when its body is clicked, and Haul then shows its
// window. Where there is no session bus, or no server answers, Fyne's
// SendNotification sends it, as before.
const (
	notifyName   = "org.freedesktop.Notifications"
	notifyPath   = dbus.ObjectPath("/org/freedesktop/Notifications")
	notifyMethod = notifyName + ".Notify"
	// notifyClick is the action key a server invokes on a click on the
	// notification's body.
	notifyClick = "default"
	// notifyTimeout bounds each call to the bus.
	notifyTimeout = 5 * time.Second
)

// notifyEvent is what a signal from the notification server means to
// Haul.
type notifyEvent int

const (
	notifyIgnore notifyEvent = iota // not about Haul's notification
	notifyShow                      // it was clicked: show the window
	notifyGone                      // it closed: the next one is new
)

// notifyEventOf tells what sig means when shown is the ID of Haul's
// notification on screen (0: none).
func notifyEventOf(sig *dbus.Signal, shown uint32) notifyEvent {
	if sig == nil || shown == 0 || sig.Path != notifyPath || len(sig.Body) != 2 {
		return notifyIgnore
	}
	if id, ok := sig.Body[0].(uint32); !ok || id != shown {
		return notifyIgnore
	}
	switch sig.Name {
	case notifyName + ".ActionInvoked":
		if key, _ := sig.Body[1].(string); key == notifyClick {
			return notifyShow
		}
	case notifyName + ".NotificationClosed":
		return notifyGone
	}
	return notifyIgnore
}

// notifyArgs are the arguments of a Notify call for n: app name, the ID
// it replaces (0: none), icon, summary, body, actions, hints and
// timeout (-1: the server's default).
func notifyArgs(n *fyne.Notification, replaces uint32, icon string) []any {
	actions := []string{notifyClick, "Show window"}
	hints := map[string]dbus.Variant{"desktop-entry": dbus.MakeVariant(AppID)}
	return []any{"Haul", replaces, icon, n.Title, n.Content, actions, hints, int32(-1)}
}

// notifyMatch selects the notification server's signals.
func notifyMatch() []dbus.MatchOption {
	return []dbus.MatchOption{
		dbus.WithMatchSender(notifyName),
		dbus.WithMatchObjectPath(notifyPath),
		dbus.WithMatchInterface(notifyName),
	}
}

// desktopNotify is the Notify of the desktop integration: over the
// session bus when there is one, else fallback. UI goroutine only.
func (u *UI) desktopNotify(fallback func(*fyne.Notification)) func(*fyne.Notification) {
	conn, err := sessionBus()
	if err != nil {
		return fallback
	}
	icon := ""
	if dir, err := os.UserCacheDir(); err == nil {
		icon = filepath.Join(dir, AppID, "icon.png")
	}
	if n := u.notifyOverBus(conn, icon, fallback); n != nil {
		return n.Notify
	}
	return fallback
}

// busNotifier sends notifications on a bus and follows what becomes of
// them. Its fields belong to its run goroutine.
type busNotifier struct {
	u        *UI
	conn     *dbus.Conn
	iconFile string // where to write the app icon for the server, "" none
	icon     string // app_icon of Notify, set at the first send
	fallback func(*fyne.Notification)
	send     chan *fyne.Notification
	signals  chan *dbus.Signal
	shown    atomic.Uint32 // the ID of the notification on screen, 0 none (atomic for tests)
	failed   bool          // a Notify failed, and was logged
}

// notifyOverBus starts sending notifications on conn, writing the app
// icon to iconFile ("" for none) for the server to show. A notification
// the server does not take goes to fallback. The listener stops with
// the UI. It returns nil when the bus refuses to pass on the server's
// signals. UI goroutine only.
func (u *UI) notifyOverBus(conn *dbus.Conn, iconFile string, fallback func(*fyne.Notification)) *busNotifier {
	ctx, cancel := context.WithTimeout(u.ctx, notifyTimeout)
	err := conn.AddMatchSignalContext(ctx, notifyMatch()...)
	cancel()
	if err != nil {
		fyne.LogError("Notifications will not react to a click", err)
		return nil
	}
	n := &busNotifier{
		u: u, conn: conn, iconFile: iconFile, fallback: fallback,
		send:    make(chan *fyne.Notification, 16),
		signals: make(chan *dbus.Signal, 16),
	}
	conn.Signal(n.signals)
	u.wg.Add(1)
	go n.run()
	return n
}

// Notify queues note for sending. UI goroutine only.
func (n *busNotifier) Notify(note *fyne.Notification) {
	if n.u.ctx.Err() != nil {
		return
	}
	select {
	case n.send <- note:
	default:
		fyne.LogError("A notification was dropped: too many at once", nil)
	}
}

// run sends the queued notifications and follows the server's signals
// until the UI closes.
func (n *busNotifier) run() {
	defer n.u.wg.Done()
	defer n.stop()
	signals := n.signals
	for {
		select {
		case <-n.u.ctx.Done():
			return
		case note := <-n.send:
			n.notify(note)
		case sig, ok := <-signals:
			if !ok { // the connection closed
				signals = nil
				n.shown.Store(0)
				continue
			}
			switch notifyEventOf(sig, n.shown.Load()) {
			case notifyShow:
				n.u.post(n.u.showWindow)
			case notifyGone:
				n.shown.Store(0)
			}
		}
	}
}

// notify shows note, in place of the notification still on screen, if
// any.
func (n *busNotifier) notify(note *fyne.Notification) {
	if n.icon == "" {
		n.icon = writeIcon(n.iconFile)
	}
	ctx, cancel := context.WithTimeout(n.u.ctx, notifyTimeout)
	defer cancel()
	var id uint32
	call := n.conn.Object(notifyName, notifyPath).CallWithContext(ctx, notifyMethod, 0, notifyArgs(note, n.shown.Load(), n.icon)...)
	if err := call.Store(&id); err != nil {
		if n.u.ctx.Err() != nil {
			return
		}
		if !n.failed {
			n.failed = true
			fyne.LogError("No notification server took Haul's notification; sending it through Fyne", err)
		}
		n.u.post(func() { n.fallback(note) })
		return
	}
	n.shown.Store(id)
}

// stop ends following the server's signals.
func (n *busNotifier) stop() {
	n.conn.RemoveSignal(n.signals)
	ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
	defer cancel()
	n.conn.RemoveMatchSignalContext(ctx, notifyMatch()...) // best effort: the bus may be gone
}

// writeIcon writes Haul's icon to file, unless it is there already, and
// returns it as a file URI; on failure (or for no file), the icon's name
// in the icon theme, which the installed desktop bundle provides.
func writeIcon(file string) string {
	if file == "" {
		return AppID
	}
	data := appIcon().Content()
	if old, err := os.ReadFile(file); err != nil || !bytes.Equal(old, data) {
		err := os.MkdirAll(filepath.Dir(file), 0o700)
		if err == nil {
			err = os.WriteFile(file, data, 0o600)
		}
		if err != nil {
			fyne.LogError(fmt.Sprintf("Writing the icon for notifications to %s", file), err)
			return AppID
		}
	}
	return (&url.URL{Scheme: "file", Path: file}).String()
}
