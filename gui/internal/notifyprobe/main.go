// Command notifyprobe plays a desktop's notification server on the
// session bus, to check Haul's notifications where no desktop runs
// (Xvfb): it owns org.freedesktop.Notifications, prints every Notify
// call and, after CLICK seconds (default 2; 0: never), clicks the
// notification's body (ActionInvoked "default"), then says it closed:
//
//	go build -o /tmp/notifyprobe ./gui/internal/notifyprobe
//	go build -o /tmp/probe ./gui/internal/trayprobe && go build -o /tmp/haul .
//	HOME=$(mktemp -d) /work/shared/tools/screenshot.sh /tmp/shot.png 12 -- \
//	  dbus-run-session -- sh -c '/tmp/probe & /tmp/notifyprobe 3 & sleep 1; /tmp/haul'
//
// With the tray probe there, closing the window (WM_DELETE_WINDOW)
// hides it and sends the "still running" notification; the click three
// seconds later brings the window back.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	name = "org.freedesktop.Notifications"
	path = dbus.ObjectPath("/org/freedesktop/Notifications")
)

type server struct {
	conn  *dbus.Conn
	click time.Duration
	next  uint32
}

func (s *server) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	id := replaces
	if id == 0 {
		s.next++
		id = s.next
	}
	fmt.Printf("Notify id %d: app %q replaces %d icon %q summary %q body %q actions %q hints %v timeout %d\n",
		id, app, replaces, icon, summary, body, actions, hints, timeout)
	if s.click > 0 {
		time.AfterFunc(s.click, func() {
			fmt.Println("clicking", id)
			s.conn.Emit(path, name+".ActionInvoked", id, "default")
			s.conn.Emit(path, name+".NotificationClosed", id, uint32(2))
		})
	}
	return id, nil
}

func (s *server) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

func (s *server) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifyprobe", "haul", "1", "1.2", nil
}

func (s *server) CloseNotification(id uint32) *dbus.Error { return nil }

func main() {
	conn, err := dbus.SessionBus()
	if err != nil {
		panic(err)
	}
	s := &server{conn: conn, click: 2 * time.Second}
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil {
			panic(err)
		}
		s.click = time.Duration(n) * time.Second
	}
	conn.Export(s, path, name)
	if r, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		panic(fmt.Sprint("name: ", r, err))
	}
	fmt.Println("serving notifications")
	select { // until the bus goes, for two minutes at most
	case <-conn.Context().Done():
	case <-time.After(2 * time.Minute):
	}
}
