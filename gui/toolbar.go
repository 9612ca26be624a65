package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// toolbar is the row of buttons at the top of the window.
type toolbar struct {
	add, pauseAll, resumeAll, clear, settings *widget.Button
	box                                       fyne.CanvasObject
}

// newToolbar builds the toolbar over the window's actions.
func newToolbar(u *UI) *toolbar {
	t := &toolbar{}
	t.add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), func() { u.showAdd("") })
	t.add.Importance = widget.HighImportance
	t.pauseAll = widget.NewButtonWithIcon("Pause all", theme.MediaPauseIcon(), u.pauseAll)
	t.resumeAll = widget.NewButtonWithIcon("Resume all", theme.MediaPlayIcon(), u.resumeAll)
	t.clear = widget.NewButtonWithIcon("Clear finished", theme.ContentClearIcon(), u.clearFinished)
	t.settings = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), u.showSettings)
	for _, b := range []*widget.Button{t.pauseAll, t.resumeAll, t.clear, t.settings} {
		b.Importance = widget.LowImportance
	}
	row := container.NewHBox(t.add, widget.NewSeparator(),
		t.pauseAll, t.resumeAll, t.clear, layout.NewSpacer(), t.settings)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	t.box = container.NewVBox(container.NewStack(bg, container.NewPadded(row)), widget.NewSeparator())
	return t
}

// show enables the buttons that have something to act on.
func (t *toolbar) show(c counts) {
	setEnabled(t.pauseAll, c.Active+c.Queued > 0)
	setEnabled(t.resumeAll, c.Paused > 0)
	setEnabled(t.clear, c.Completed+c.Canceled > 0)
}
