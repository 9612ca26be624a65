package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/remote/boxes"
)

// hoverTip rests the pointer on o and returns the tooltip it shows.
func hoverTip(h *harness, o desktop.Hoverable) string {
	h.t.Helper()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(o.(fyne.CanvasObject)).Add(fyne.NewPos(4, 4))
	o.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: at}})
	tip := h.waitTooltip()
	o.MouseOut()
	return tip
}

// Every button of the window that shows only an icon (and the status
// bar's limit button) says what it does in a tooltip; the sort
// direction's says which way it sorts.
func TestIconOnlyButtonsHaveTooltips(t *testing.T) {
	h := newHarness(t)
	h.u.showOffer([]string{"https://example.org/a.zip"})
	f := h.u.dl.find
	for _, c := range []struct {
		what string
		btn  desktop.Hoverable
		want string
	}{
		{"sort direction", f.dir, "Sorted ascending: click to sort descending"},
		{"speed limit", h.u.status.limit, "Speed limit for all downloads: click to change it"},
		{"clipboard dismiss", h.u.offerBar.dismiss, "Dismiss these links"},
	} {
		if got := hoverTip(h, c.btn); got != c.want {
			t.Errorf("the %s button's tooltip is %q, want %q", c.what, got, c.want)
		}
	}
	test.Tap(f.dir)
	if got := hoverTip(h, f.dir); got != "Sorted descending: click to sort ascending" {
		t.Errorf("after a click the sort direction's tooltip is %q", got)
	}
	// No icon-only button in the window is left without one.
	for _, o := range test.LaidOutObjects(h.u.win.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == "" && b.Icon != nil {
			t.Errorf("a plain icon-only button (%s) has no tooltip", b.Icon.Name())
		}
	}
}

// A tooltip cannot show over a dialog (it is drawn under them), so the
// dialogs' buttons say what they do in words: no icon-only button in
// Settings or in Remote downloaders.
func TestDialogsHaveNoIconOnlyButtons(t *testing.T) {
	h := newHarness(t)
	h.until("the remote downloaders read", func() bool { return h.u.places.store != nil })
	h.u.places.boxes = append(h.u.places.boxes, boxes.Box{Name: "nas", URL: "http://127.0.0.1:6800/jsonrpc"})
	test.Tap(h.u.tools.settings)
	h.u.setDlg.caFile.SetText("/etc/ssl/extra.pem")
	h.u.showRemotes()
	overlays := h.u.win.Canvas().Overlays().List()
	if len(overlays) != 2 {
		t.Fatalf("%d dialogs open, want Settings and Remote downloaders", len(overlays))
	}
	for _, d := range overlays {
		buttons := 0
		for _, o := range test.LaidOutObjects(d) {
			if b, ok := o.(*widget.Button); ok && b.Visible() {
				buttons++
				if b.Text == "" {
					t.Errorf("a dialog has an icon-only button (%s)", b.Icon.Name())
				}
			}
		}
		if buttons == 0 {
			t.Error("a dialog has no buttons laid out")
		}
	}
}
