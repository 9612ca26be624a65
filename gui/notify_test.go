package gui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/godbus/dbus/v5"

	"github.com/haul-dl/haul/schedule/scheduletest"
)

// notifyCall is one Notify call a fakeNotifications took.
type notifyCall struct {
	App      string
	Replaces uint32
	Icon     string
	Summary  string
	Body     string
	Actions  []string
	Hints    map[string]dbus.Variant
	Timeout  int32
}

// fakeNotifications plays the desktop's notification server on a
// private bus: it owns org.freedesktop.Notifications, records every
// Notify call and emits the server's signals when told.
type fakeNotifications struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	calls []notifyCall
	next  uint32
}

func newFakeNotifications(t *testing.T, addr string) *fakeNotifications {
	t.Helper()
	f := &fakeNotifications{conn: connect(t, addr), next: 40}
	if err := f.conn.Export(f, notifyPath, notifyName); err != nil {
		t.Fatal(err)
	}
	if r, err := f.conn.RequestName(notifyName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName: %v, %v", r, err)
	}
	return f
}

// Notify is the server's method: a new ID, or the one it replaces.
func (f *fakeNotifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, notifyCall{app, replaces, icon, summary, body, actions, hints, timeout})
	if replaces != 0 {
		return replaces, nil
	}
	f.next++
	return f.next, nil
}

func (f *fakeNotifications) got() []notifyCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]notifyCall(nil), f.calls...)
}

func (f *fakeNotifications) emit(t *testing.T, member string, id uint32, arg any) {
	t.Helper()
	if err := f.conn.Emit(notifyPath, notifyName+"."+member, id, arg); err != nil {
		t.Fatal(err)
	}
}

// watchedWindow counts what is asked of the window.
type watchedWindow struct {
	fyne.Window
	shows, focuses int
}

func (w *watchedWindow) Show()         { w.shows++; w.Window.Show() }
func (w *watchedWindow) RequestFocus() { w.focuses++; w.Window.RequestFocus() }

// busHarness is a desktop harness whose notifications go over a private
// bus, to server if it is not nil; the ones the bus does not take go to
// fallback.
type busHarness struct {
	*desktopHarness
	server   *fakeNotifications
	notifier *busNotifier
	icon     string
	fallback []string // UI goroutine only
}

func newBusHarness(t *testing.T, withServer bool, prefs func(fyne.Preferences)) *busHarness {
	t.Helper()
	addr := privateBus(t)
	b := &busHarness{icon: filepath.Join(t.TempDir(), "cache", "icon.png")}
	if withServer {
		b.server = newFakeNotifications(t, addr)
	}
	haul := connect(t, addr) // before the harness: closed after the UI
	b.desktopHarness = &desktopHarness{harness: newHarnessWithPrefs(t, prefs), clock: scheduletest.NewClock(noon)}
	b.notifier = b.u.notifyOverBus(haul, b.icon, func(n *fyne.Notification) { b.fallback = append(b.fallback, n.Content) })
	if b.notifier == nil {
		t.Fatal("notifyOverBus refused a working bus")
	}
	b.u.startDesktop(desktopOptions{Clock: b.clock, Location: zone, Quit: func() { b.quits++ }, Notify: b.notifier.Notify})
	return b
}

// batch adds n files and one missing file and waits until they ended.
func (b *busHarness) batch(name string, n int) {
	b.t.Helper()
	var list []string
	for i := range n {
		list = append(list, b.url(fmt.Sprintf("/f/%s%02d.bin", name, i)))
	}
	list = append(list, b.url("/missing/"+name+".bin"))
	want := b.u.model.sum
	want.Completed += n
	want.Failed++
	b.u.addText(strings.Join(list, "\n"), "", "the test")
	b.until("the batch "+name+" to finish", func() bool {
		c := b.u.model.sum
		return c.Completed == want.Completed && c.Failed == want.Failed && c.Active+c.Queued == 0
	})
}

// calls waits until the server took n calls and returns them.
func (b *busHarness) calls(n int) []notifyCall {
	b.t.Helper()
	b.until(fmt.Sprintf("%d Notify calls", n), func() bool { return len(b.server.got()) >= n })
	return b.server.got()
}

// drain runs what is waiting for the UI goroutine.
func (b *busHarness) drain() {
	for {
		select {
		case f := <-b.loop:
			f()
		default:
			return
		}
	}
}

// marker sends a notification after whatever was queued, so that once
// the server has it, it has all that came before.
func (b *busHarness) marker() {
	b.notifier.Notify(fyne.NewNotification("marker", "marker"))
}

func TestBatchNotificationGoesOverTheBusAndAClickShowsTheWindow(t *testing.T) {
	b := newBusHarness(t, true, nil)
	b.batch("a", 2)
	b.until("the notification", func() bool { return len(b.server.got()) > 0 })
	b.marker()
	calls := b.calls(2)
	if len(calls) != 2 || calls[1].Body != "marker" {
		t.Fatalf("Notify calls = %+v, want the batch's then the marker", calls)
	}
	c := calls[0]
	if c.App != "Haul" || c.Summary != "Haul" || c.Body != "2 downloads finished, 1 failed" || c.Replaces != 0 {
		t.Errorf("the batch's notification: %+v", c)
	}
	if len(c.Actions) != 2 || c.Actions[0] != notifyClick {
		t.Errorf("actions = %q, want the default action and its label", c.Actions)
	}
	if c.Hints["desktop-entry"].Value() != AppID {
		t.Errorf("hints = %v", c.Hints)
	}
	if c.Icon != "file://"+b.icon {
		t.Errorf("icon = %q, want file://%s", c.Icon, b.icon)
	}
	if data, err := os.ReadFile(b.icon); err != nil || len(data) == 0 || string(data) != string(appIcon().Content()) {
		t.Errorf("the icon file: %d bytes, %v", len(data), err)
	}

	b.u.win.Hide()
	w := &watchedWindow{Window: b.u.win}
	b.u.win = w
	id := b.notifier.shown.Load() // the marker's, which replaced the batch's
	b.server.emit(t, "ActionInvoked", id, notifyClick)
	b.until("the window to show", func() bool { return w.shows > 0 })
	if w.focuses < 1 {
		t.Errorf("the click showed the window but did not raise it")
	}
	// Neither another notification's click nor another action shows it.
	b.server.emit(t, "ActionInvoked", id+1, notifyClick)
	b.server.emit(t, "ActionInvoked", id, "other")
	b.server.emit(t, "NotificationClosed", id, uint32(2)) // handled after those
	b.until("the closed notification to be forgotten", func() bool { return b.notifier.shown.Load() == 0 })
	b.drain()
	if w.shows != 1 {
		t.Errorf("the window was shown %d times, want once", w.shows)
	}
	if len(b.fallback) != 0 {
		t.Errorf("Fyne's notifications were used too: %q", b.fallback)
	}
}

func TestALaterBatchReplacesTheNotification(t *testing.T) {
	b := newBusHarness(t, true, nil)
	b.batch("a", 1)
	first := b.calls(1)[0]
	// The server has the call; its answer, the ID, is stored after.
	b.until("the first notification's ID", func() bool { return b.notifier.shown.Load() != 0 })
	id := b.notifier.shown.Load()
	if first.Replaces != 0 || id == 0 {
		t.Fatalf("the first notification replaced %d and got ID %d", first.Replaces, id)
	}
	b.batch("b", 3)
	second := b.calls(2)[1]
	if second.Body != "3 downloads finished, 1 failed" || second.Replaces != id {
		t.Errorf("the second batch's notification: %+v, want it to replace %d", second, id)
	}

	// Once the server says it closed, the next one is new.
	b.server.emit(t, "NotificationClosed", id, uint32(2))
	b.until("the closed notification to be forgotten", func() bool { return b.notifier.shown.Load() == 0 })
	b.batch("c", 1)
	if third := b.calls(3)[2]; third.Replaces != 0 {
		t.Errorf("after it closed, the next notification replaced %d", third.Replaces)
	}
}

func TestBatchNotificationSwitchedOffSendsNothingOnTheBus(t *testing.T) {
	b := newBusHarness(t, true, func(p fyne.Preferences) { p.SetBool(prefNotifyBatches, false) })
	b.batch("a", 2)
	b.marker()
	if calls := b.calls(1); len(calls) != 1 || calls[0].Body != "marker" {
		t.Errorf("Notify calls while switched off: %+v", calls)
	}
}

func TestWithoutANotificationServerFyneSendsIt(t *testing.T) {
	b := newBusHarness(t, false, nil)
	b.batch("a", 2)
	b.until("the fallback", func() bool { return len(b.fallback) > 0 })
	if len(b.fallback) != 1 || b.fallback[0] != "2 downloads finished, 1 failed" {
		t.Errorf("Fyne's notifications = %q", b.fallback)
	}
}

func TestWithoutASessionBusFyneSendsIt(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
	h := &desktopHarness{harness: newHarness(t), clock: scheduletest.NewClock(noon)}
	h.u.startDesktop(desktopOptions{Clock: h.clock, Location: zone, Quit: func() { h.quits++ }})
	test.AssertNotificationSent(t, fyne.NewNotification("Haul", "1 download finished"), func() {
		h.u.addText(h.url("/f/a.bin"), "", "the test")
		h.until("the batch to finish", func() bool { return h.u.model.sum.Completed == 1 })
	})
}

func TestNotifyEventOf(t *testing.T) {
	sig := func(member string, body ...any) *dbus.Signal {
		return &dbus.Signal{Path: notifyPath, Name: notifyName + "." + member, Body: body}
	}
	wrongPath := sig("ActionInvoked", uint32(7), notifyClick)
	wrongPath.Path = "/elsewhere"
	for _, c := range []struct {
		what  string
		sig   *dbus.Signal
		shown uint32
		want  notifyEvent
	}{
		{"a click on Haul's", sig("ActionInvoked", uint32(7), notifyClick), 7, notifyShow},
		{"a click on another's", sig("ActionInvoked", uint32(8), notifyClick), 7, notifyIgnore},
		{"a click with none shown", sig("ActionInvoked", uint32(0), notifyClick), 0, notifyIgnore},
		{"another action", sig("ActionInvoked", uint32(7), "reply"), 7, notifyIgnore},
		{"Haul's closed", sig("NotificationClosed", uint32(7), uint32(2)), 7, notifyGone},
		{"another's closed", sig("NotificationClosed", uint32(8), uint32(2)), 7, notifyIgnore},
		{"another signal", sig("ActivationToken", uint32(7), "token"), 7, notifyIgnore},
		{"a malformed body", sig("ActionInvoked", "7", notifyClick), 7, notifyIgnore},
		{"a short body", sig("ActionInvoked", uint32(7)), 7, notifyIgnore},
		{"another path", wrongPath, 7, notifyIgnore},
		{"no signal", nil, 7, notifyIgnore},
	} {
		if got := notifyEventOf(c.sig, c.shown); got != c.want {
			t.Errorf("%s: %v, want %v", c.what, got, c.want)
		}
	}
}
