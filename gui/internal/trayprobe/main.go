// Command trayprobe plays a desktop's tray host on the session bus, to
// check Haul's real tray where no desktop runs (Xvfb): it owns
// org.kde.StatusNotifierWatcher, waits for an item to register, prints
// its menu (com.canonical.dbusmenu) and, if asked, clicks one entry:
//
//	go build -o /tmp/probe ./gui/internal/trayprobe && go build -o /tmp/haul .
//	HOME=$(mktemp -d) /work/shared/tools/screenshot.sh /tmp/shot.png 12 -- \
//	  dbus-run-session -- sh -c '/tmp/probe Quit & sleep 1; /tmp/haul; echo "haul exited: $?"'
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

type watcher struct{ items chan string }

func (w watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w.items <- string(sender)
	return nil
}
func (w watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

type layout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

func walk(l layout, depth int, find string, found *int32) {
	label, _ := l.Props["label"].Value().(string)
	if label != "" || depth > 0 {
		fmt.Printf("%*s%q (id %d)\n", depth*2, "", label, l.ID)
	}
	if label == find {
		*found = l.ID
	}
	for _, c := range l.Children {
		var cl layout
		if v, ok := c.Value().([]interface{}); ok && len(v) == 3 {
			cl.ID = v[0].(int32)
			cl.Props = v[1].(map[string]dbus.Variant)
			cl.Children = v[2].([]dbus.Variant)
			walk(cl, depth+1, find, found)
		}
	}
}

func main() {
	conn, err := dbus.SessionBus()
	if err != nil {
		panic(err)
	}
	w := watcher{items: make(chan string, 4)}
	conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher")
	if r, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		panic(fmt.Sprint("name: ", r, err))
	}
	fmt.Println("watching")
	var item string
	select {
	case item = <-w.items:
	case <-time.After(60 * time.Second):
		fmt.Println("no item registered")
		os.Exit(1)
	}
	fmt.Println("item registered by", item)
	time.Sleep(3 * time.Second)
	menu := conn.Object(item, "/StatusNotifierMenu")
	var rev uint32
	var l layout
	if err := menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &l); err != nil {
		panic(err)
	}
	var id int32 = -1
	click := ""
	if len(os.Args) > 1 {
		click = os.Args[1]
	}
	walk(l, 0, click, &id)
	if click != "" && id >= 0 {
		fmt.Println("clicking", click)
		call := menu.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
		fmt.Println("click:", call.Err)
	}
	time.Sleep(3 * time.Second)
}
