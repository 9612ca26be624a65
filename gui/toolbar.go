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
// In a narrow window the buttons drop their labels, then the last ones
// move to a More menu (collapse.go).
type toolbar struct {
	add, settings              *widget.Button
	pauseAll, resumeAll, clear *hintButton
	all                        *collapseBar  // the buttons for the whole list
	selected                   *widget.Label // "3 selected"
	sel                        map[listview.Action]*hintButton
	details                    *hintButton // the details of the one selected download
	startNow                   *hintButton // past the limit of downloads at once
	move                       *hintButton // the queue order menu (order.go)
	moveMenu                   *fyne.Menu
	selBar                     *collapseBar // the buttons for the selection
	selBox                     fyne.CanvasObject
	box                        fyne.CanvasObject
	noStartNow                 bool // the place cannot start past its limit (a remote box)
	noOpen                     bool // the files are not on this computer (a remote box)
}

// selHints say what each selection button does, in the status bar.
var selHints = map[listview.Action]string{
	listview.Pause:      "Pause the selected downloads",
	listview.Resume:     "Resume the selected downloads",
	listview.Retry:      "Try the selected failed downloads again",
	listview.Remove:     "Remove the selected downloads from the list",
	listview.OpenFolder: "Open the selected downloads' folders",
}

// newToolbar builds the toolbar over the window's actions.
func newToolbar(u *UI) *toolbar {
	t := &toolbar{}
	t.add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), func() { u.showAdd("") })
	t.add.Importance = widget.HighImportance
	t.settings = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), u.showSettings)
	t.settings.Importance = widget.LowImportance
	pauseAll := newBarItem("Pause all", theme.MediaPauseIcon(), "Pause every download", u.hint, u.pauseAll)
	resumeAll := newBarItem("Resume all", theme.MediaPlayIcon(), "Resume every paused download", u.hint, u.resumeAll)
	clear := newBarItem("Clear finished", theme.ContentClearIcon(), "Clear completed and canceled downloads (files stay)", u.hint, u.clearFinished)
	t.pauseAll, t.resumeAll, t.clear = pauseAll.btn, resumeAll.btn, clear.btn
	t.all = newCollapseBar(nil, u.hint, pauseAll, resumeAll, clear)

	icons := map[listview.Action]fyne.Resource{
		listview.Pause: theme.MediaPauseIcon(), listview.Resume: theme.MediaPlayIcon(),
		listview.Retry: theme.MediaReplayIcon(), listview.Remove: theme.DeleteIcon(),
		listview.OpenFolder: theme.FolderOpenIcon(),
	}
	t.selected = widget.NewLabel("")
	t.selected.TextStyle.Bold = true
	t.sel = map[listview.Action]*hintButton{}
	var items []*barItem
	for _, a := range []listview.Action{listview.Pause, listview.Resume, listview.Retry, listview.Remove, listview.OpenFolder} {
		it := newBarItem(actionNames[a], icons[a], selHints[a], u.hint, func() { u.actOnSelection(a) })
		t.sel[a] = it.btn
		items = append(items, it)
	}
	startNow := newBarItem("Start now", theme.MediaFastForwardIcon(), "Start now, past the limit of downloads at once", u.hint, u.startNow)
	move := newMoveButton(u)
	details := newBarItem("Details", theme.InfoIcon(), "Everything about the selected download", u.hint, func() {
		if sel := u.dl.selected(); len(sel) == 1 {
			u.details(sel[0])
		}
	})
	t.startNow, t.move, t.moveMenu, t.details = startNow.btn, move.btn, move.sub, details.btn
	t.selBar = newCollapseBar(t.selected, u.hint, append(items, startNow, move, details)...)
	t.selBox = t.selBar.box
	t.selBox.Hide()

	middle := container.NewStack(t.all.box, t.selBox)
	row := container.NewBorder(nil, nil, container.NewHBox(t.add, widget.NewSeparator()), t.settings, middle)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	t.box = container.NewVBox(container.NewStack(bg, container.NewPadded(row)), widget.NewSeparator())
	return t
}

// show enables the buttons that have something to act on: the whole
// list's counts c, or the selection sel when there is one.
func (t *toolbar) show(c counts, sel []engine.Snapshot) {
	setVisible(t.all.box, len(sel) == 0)
	setVisible(t.selBox, len(sel) > 0)
	if len(sel) > 0 {
		if text := fmt.Sprintf("%d selected", len(sel)); t.selected.Text != text {
			t.selected.SetText(text)
			t.selBar.box.Refresh() // the buttons have more or less room
		}
		for a, b := range t.sel {
			setEnabled(b, len(listview.Targets(a, sel)) > 0 && !(a == listview.OpenFolder && t.noOpen))
		}
		setEnabled(t.details, len(sel) == 1)
		waiting := false
		for _, s := range sel {
			waiting = waiting || s.State == engine.Queued || s.State == engine.Paused || s.State == engine.Failed
		}
		setEnabled(t.startNow, waiting && !t.noStartNow)
		setEnabled(t.move, anyQueued(sel))
		return
	}
	setEnabled(t.pauseAll, c.Active+c.Queued > 0)
	setEnabled(t.resumeAll, c.Paused > 0)
	setEnabled(t.clear, c.Completed+c.Canceled > 0)
}
