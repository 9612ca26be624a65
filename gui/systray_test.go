package gui

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/godbus/dbus/v5"
)

// privateBus starts a dbus-daemon of its own and returns its address.
func privateBus(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed, so this D-Bus test did not run (scripts/test.sh installs it; or apt-get install dbus-daemon)")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1", "--address=unix:dir="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

func connect(t *testing.T, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestTrayHostIsFoundOnTheBus(t *testing.T) {
	addr := privateBus(t)
	haul := connect(t, addr)
	if hasTrayHost(haul) {
		t.Fatal("a tray host is found on a bus without one")
	}
	host := connect(t, addr)
	if reply, err := host.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName: %v, %v", reply, err)
	}
	if !hasTrayHost(haul) {
		t.Error("the tray host on the bus is not found")
	}
}

func TestNoTrayWithoutDesktopApp(t *testing.T) {
	// Fyne's test app is no desktop.App: no tray, so closing quits.
	if systemTray(test.NewTempApp(t)) != nil {
		t.Error("a tray for an app that has none")
	}
}
