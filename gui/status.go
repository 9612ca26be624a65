package gui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/internal/human"
)

// statusBar is the line at the bottom of the window: the list's summary
// on the left, what a background job did last (or what the control under
// the pointer does) on the right.
type statusBar struct {
	graph    *speedGraph    // the total speed of the last minute
	limit    *widget.Button // the speed limit; a click offers the presets
	text     binding.String // the summary
	label    *widget.Label
	activity *widget.Label
	box      *fyne.Container
	all      fyne.CanvasObject
	last     string // what a background job did last
	hovering string // what the control under the pointer does
}

// newStatusBar builds the status bar.
func newStatusBar() *statusBar {
	b := &statusBar{text: binding.NewString()}
	b.label = widget.NewLabelWithData(b.text)
	b.activity = widget.NewLabel("")
	b.activity.Importance = widget.LowImportance
	b.activity.Alignment = fyne.TextAlignTrailing
	b.box = newPair(b.label, b.activity, 1)
	b.text.AddListener(binding.NewDataListener(func() { relayout(b.box) }))
	b.graph = newSpeedGraph()
	b.limit = widget.NewButtonWithIcon("", theme.MenuDropUpIcon(), nil)
	b.limit.Importance = widget.LowImportance
	b.limit.IconPlacement = widget.ButtonIconTrailingText
	b.all = container.NewBorder(nil, nil, container.NewHBox(container.NewCenter(b.graph), b.limit), nil, b.box)
	return b
}

// object is the status bar's widget tree.
func (b *statusBar) object() fyne.CanvasObject { return b.all }

// showLimit shows the speed limit on its button.
func (b *statusBar) showLimit(kib int) {
	text := limitLabel(kib)
	if b.limit.Text != text {
		b.limit.SetText(text)
	}
}

// limitLabel names a speed limit: "Unlimited", "1 MiB/s", ...
func limitLabel(kib int) string {
	for _, p := range speedPresets {
		if p.KiB == kib {
			return p.Label
		}
	}
	return human.Speed(float64(kib) * 1024)
}

// showPresets offers the speed-limit presets above the limit button; one
// click applies one, "Custom…" opens the settings. UI goroutine only.
func (u *UI) showPresets() {
	var items []*fyne.MenuItem
	for _, p := range speedPresets {
		it := fyne.NewMenuItem(p.Label, func() { u.setSpeedPreset(p.KiB) })
		it.Checked = p.KiB == u.set.RateLimitKiB
		items = append(items, it)
	}
	custom := fyne.NewMenuItem("Custom…", u.showSettings)
	custom.Checked = !isPreset(u.set.RateLimitKiB)
	items = append(items, fyne.NewMenuItemSeparator(), custom)
	m := widget.NewPopUpMenu(fyne.NewMenu("", items...), u.win.Canvas())
	b := u.status.limit
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	m.ShowAtPosition(pos.Subtract(fyne.NewPos(0, m.MinSize().Height)))
	u.presetMenu = m
}

func isPreset(kib int) bool {
	for _, p := range speedPresets {
		if p.KiB == kib {
			return true
		}
	}
	return false
}

// sampleSpeed feeds the speed graph once a second from the model's total
// speed, and refreshes an open details view. It runs until the window
// closes.
func (u *UI) sampleSpeed() {
	defer u.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-u.ctx.Done():
			return
		case now := <-t.C:
			u.post(func() {
				u.status.graph.add(now, u.model.sum.Speed)
				u.refreshDetails()
			})
		}
	}
}

// setSummary shows the list's summary.
func (b *statusBar) setSummary(s string) { _ = b.text.Set(s) }

// setActivity shows what a background job did last in the status bar.
// UI goroutine only.
func (u *UI) setActivity(s string) {
	u.status.last = s
	u.status.showActivity()
}

// hint shows what the button under the pointer does in place of the
// last activity. UI goroutine only.
func (u *UI) hint(s string) {
	u.status.hovering = s
	u.status.showActivity()
}

func (b *statusBar) showActivity() {
	// What the control under the pointer does comes first: for a toolbar
	// button showing only its icon, it is the button's only label.
	if p, ok := b.box.Layout.(*pairLayout); ok {
		p.share = 1
		if b.hovering != "" {
			p.share = 0
		}
	}
	if b.hovering != "" {
		setLabel(b.activity, b.hovering, widget.MediumImportance)
	} else {
		setLabel(b.activity, b.last, widget.LowImportance)
	}
	relayout(b.box)
}

// statusText is the status bar's summary of the list.
func statusText(c counts, limitKiB int) string {
	limit := ""
	if limitKiB > 0 {
		limit = fmt.Sprintf("  (limit %s)", human.Speed(float64(limitKiB)*1024))
	}
	if c.Total() == 0 {
		return "No downloads" + limit
	}
	s := fmt.Sprintf("%d active  ·  %d queued  ·  %d done", c.Active, c.Queued, c.Completed)
	if c.Paused > 0 {
		s += fmt.Sprintf("  ·  %d paused", c.Paused)
	}
	if c.Failed > 0 {
		s += fmt.Sprintf("  ·  %d failed", c.Failed)
	}
	if c.Active > 0 {
		s += "  ·  " + human.Speed(c.Speed)
	}
	return s + limit
}
