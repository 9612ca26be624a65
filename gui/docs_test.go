package gui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

// TestDocsTrayMenu renders the tray menu into docs/tray-menu.png when
// HAUL_DOCS is set (HAUL_DOCS=1 go test -run TestDocsTrayMenu ./gui/):
// Xvfb has no system tray, so the menu is drawn by Fyne's test driver
// from the very fyne.Menu the tray is given.
func TestDocsTrayMenu(t *testing.T) {
	if os.Getenv("HAUL_DOCS") == "" {
		t.Skip("set HAUL_DOCS=1 to render docs/tray-menu.png")
	}
	h := newDesktopHarness(t, noon, true, nil)
	h.app.Settings().SetTheme(theme.DefaultTheme())
	h.u.addText(h.url("/hold/a.iso")+"\n"+h.url("/hold/b.iso"), "", "the docs")
	h.waitState(h.idByName("a.iso"), engine.Active)
	h.waitState(h.idByName("b.iso"), engine.Active)
	h.u.setSpeedPreset(1024)
	m := h.tray.menu
	menu := widget.NewMenu(m)
	sub := widget.NewMenu(h.u.desk.tray.item("Speed limit").ChildMenu)
	// The submenu of speed presets opens beside its item, as in a tray.
	ms, ss := menu.MinSize(), sub.MinSize()
	menu.Resize(ms)
	menu.Move(fyne.NewPos(8, 8))
	w := test.NewTempWindow(t, container.NewWithoutLayout(menu, sub))
	w.SetPadded(false)
	w.Resize(fyne.NewSize(ms.Width+ss.Width+24, ms.Height+16))
	menu.Refresh()
	y := float32(0)
	for i, it := range m.Items { // the widget has one object per item
		if it.Label == "Speed limit" {
			y = menu.Items[i].Position().Y
		}
	}
	sub.Resize(ss)
	sub.Move(fyne.NewPos(8+ms.Width-4, 8+y))
	w.Resize(fyne.NewSize(ms.Width+ss.Width+24, max(ms.Height, y+ss.Height)+16))
	img := w.Canvas().Capture()
	f, err := os.Create(filepath.Join("..", "docs", "tray-menu.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
