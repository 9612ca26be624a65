package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/internal/human"
)

// statusBar is the line at the bottom of the window: the list's summary
// on the left, what a background job did last (or what the control under
// the pointer does) on the right.
type statusBar struct {
	text     binding.String // the summary
	label    *widget.Label
	activity *widget.Label
	box      *fyne.Container
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
	b.text.AddListener(binding.NewDataListener(func() { b.box.Refresh() }))
	return b
}

// object is the status bar's widget tree.
func (b *statusBar) object() fyne.CanvasObject { return b.box }

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
	if b.hovering != "" {
		b.activity.Importance = widget.MediumImportance
		b.activity.SetText(b.hovering)
	} else {
		b.activity.Importance = widget.LowImportance
		b.activity.SetText(b.last)
	}
	b.box.Refresh()
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
