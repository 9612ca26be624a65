package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/gui/internal/listview"
)

// toolbar is the row of buttons at the top of the window. With nothing
// selected its buttons act on the whole list; with a selection, on it.
type toolbar struct {
	add, pauseAll, resumeAll, clear, settings *widget.Button
	all                                       *fyne.Container // the buttons for the whole list
	selected                                  *widget.Label   // "3 selected"
	sel                                       map[listview.Action]*widget.Button
	details                                   *widget.Button // the details of the one selected download
	startNow                                  *widget.Button // past the limit of downloads at once
	move                                      *widget.Button // the queue order menu (order.go)
	moveMenu                                  *fyne.Menu
	selBox                                    *fyne.Container // the buttons for the selection
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
	t.all = container.NewHBox(t.pauseAll, t.resumeAll, t.clear)

	icons := map[listview.Action]fyne.Resource{
		listview.Pause: theme.MediaPauseIcon(), listview.Resume: theme.MediaPlayIcon(),
		listview.Retry: theme.MediaReplayIcon(), listview.Remove: theme.DeleteIcon(),
		listview.OpenFolder: theme.FolderOpenIcon(),
	}
	t.selected = widget.NewLabel("")
	t.selected.TextStyle.Bold = true
	t.sel = map[listview.Action]*widget.Button{}
	t.selBox = container.NewHBox(t.selected)
	for _, a := range []listview.Action{listview.Pause, listview.Resume, listview.Retry, listview.Remove, listview.OpenFolder} {
		b := widget.NewButtonWithIcon(actionNames[a], icons[a], func() { u.actOnSelection(a) })
		b.Importance = widget.LowImportance
		t.sel[a] = b
		t.selBox.Add(b)
	}
	t.details = widget.NewButtonWithIcon("Details", theme.InfoIcon(), func() {
		if sel := u.dl.selected(); len(sel) == 1 {
			u.details(sel[0])
		}
	})
	t.details.Importance = widget.LowImportance
	t.startNow = widget.NewButtonWithIcon("Start now", theme.MediaFastForwardIcon(), u.startNow)
	t.startNow.Importance = widget.LowImportance
	t.selBox.Add(t.startNow)
	t.move, t.moveMenu = newMoveButton(u)
	t.selBox.Add(t.move)
	t.selBox.Add(t.details)
	t.selBox.Hide()

	// The middle scrolls rather than hold a narrow window wide.
	middle := container.NewHScroll(container.NewHBox(t.all, t.selBox))
	row := container.NewBorder(nil, nil, container.NewHBox(t.add, widget.NewSeparator()), t.settings, middle)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	t.box = container.NewVBox(container.NewStack(bg, container.NewPadded(row)), widget.NewSeparator())
	return t
}

// show enables the buttons that have something to act on: the whole
// list's counts c, or the selection sel when there is one.
func (t *toolbar) show(c counts, sel []engine.Snapshot) {
	setVisible(t.all, len(sel) == 0)
	setVisible(t.selBox, len(sel) > 0)
	if len(sel) > 0 {
		t.selected.SetText(fmt.Sprintf("%d selected", len(sel)))
		for a, b := range t.sel {
			setEnabled(b, len(listview.Targets(a, sel)) > 0)
		}
		setEnabled(t.details, len(sel) == 1)
		waiting := false
		for _, s := range sel {
			waiting = waiting || s.State == engine.Queued || s.State == engine.Paused || s.State == engine.Failed
		}
		setEnabled(t.startNow, waiting)
		setEnabled(t.move, anyQueued(sel))
		return
	}
	setEnabled(t.pauseAll, c.Active+c.Queued > 0)
	setEnabled(t.resumeAll, c.Paused > 0)
	setEnabled(t.clear, c.Completed+c.Canceled > 0)
}
