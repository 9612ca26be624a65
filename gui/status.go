package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/internal/human"
)

// statusBar is the line at the bottom of the window: the list's summary
// on the left, what a background job did last on the right, until it
// fades (statusFade).
type statusBar struct {
	graph    *speedGraph    // the total speed of the last minute
	limit    *hintButton    // the speed limit; a click offers the presets
	text     binding.String // the summary
	label    *widget.Label
	activity *widget.Label
	box      *fyne.Container
	all      fyne.CanvasObject
	last     string      // what a background job did last
	fade     func() bool // stops the fading of last
	gen      int         // which message a fade is for
}

// statusFade is how long a message of the status bar stays.
const statusFade = 6 * time.Second

// newStatusBar builds the status bar; hint shows its buttons' tooltips.
func newStatusBar(hint func(string, fyne.Position)) *statusBar {
	b := &statusBar{text: binding.NewString()}
	b.label = widget.NewLabelWithData(b.text)
	b.activity = widget.NewLabel("")
	b.activity.Importance = widget.LowImportance
	b.activity.Alignment = fyne.TextAlignTrailing
	b.box = newPair(b.label, b.activity, 1)
	b.text.AddListener(binding.NewDataListener(func() { relayout(b.box) }))
	b.graph = newSpeedGraph()
	b.limit = newHintButton(theme.MenuDropUpIcon(), "Speed limit for all downloads: click to change it", hint, nil)
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

// setActivity shows what a background job did last in the status bar,
// for statusFade; a message of work still going on ("Adding links…")
// stays until the next. UI goroutine only.
func (u *UI) setActivity(s string) {
	b := u.status
	b.last = s
	b.gen++
	if b.fade != nil {
		b.fade()
		b.fade = nil
	}
	if s != "" && !strings.HasSuffix(s, "…") && !strings.Contains(s, "… ") {
		gen := b.gen
		b.fade = u.after(statusFade, func() {
			u.post(func() {
				if gen == b.gen {
					u.setActivity("")
				}
			})
		})
	}
	setLabel(b.activity, b.last, widget.LowImportance)
	relayout(b.box)
}

// hint shows what the control under the pointer does in a tooltip by
// the pointer at (absolute); "" hides it. UI goroutine only.
func (u *UI) hint(s string, at fyne.Position) { u.tips.show(s, at) }

// statusText is the status bar's summary of the list. The speed limit
// is not in it: the button beside it shows it.
func statusText(c counts) string {
	if c.Total() == 0 {
		return "No downloads"
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
	return s
}
