package gui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/gui/internal/listview"
)

// showError shows err in a dialog. UI goroutine only.
func (u *UI) showError(err error) { dialog.ShowError(err, u.win) }

func (u *UI) pause(id string) { u.engineCall("Could not pause", func() error { return u.m.Pause(id) }) }

func (u *UI) resume(id string) {
	u.engineCall("Could not resume", func() error { return u.m.Resume(id) })
}

func (u *UI) retry(id string) { u.engineCall("Could not retry", func() error { return u.m.Retry(id) }) }

func (u *UI) cancel(id string) {
	u.engineCall("Could not cancel", func() error { return u.m.Cancel(id) })
}

// remove removes one download, asking first if its file is finished.
func (u *UI) remove(id string) {
	if s, ok := u.model.snapshot(id); ok {
		u.askRemove([]engine.Snapshot{s})
	}
}

// click selects a row (rowActions) and gives the list the keyboard
// focus, away from the filter box or a drop-down.
func (u *UI) click(id string, mod fyne.KeyModifier) {
	u.dl.click(id, mod)
	u.focusList()
}

// actOnSelection applies a toolbar action to the selected downloads it
// fits. UI goroutine only.
func (u *UI) actOnSelection(a listview.Action) {
	sel := u.dl.selected()
	switch a {
	case listview.Remove:
		u.askRemove(sel)
		return
	case listview.OpenFolder:
		for _, dir := range listview.Folders(sel) {
			u.openPath(dir)
		}
		return
	}
	call := map[listview.Action]func(string) error{listview.Pause: u.m.Pause, listview.Resume: u.m.Resume, listview.Retry: u.m.Retry}[a]
	ids := listview.Targets(a, sel)
	u.engineCall("Could not "+strings.ToLower(actionNames[a]), func() error {
		var errs []error
		for _, id := range ids {
			if err := call(id); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

// actionNames are the toolbar's words for the actions.
var actionNames = map[listview.Action]string{
	listview.Pause: "Pause", listview.Resume: "Resume", listview.Retry: "Retry",
	listview.Remove: "Remove", listview.OpenFolder: "Open folder",
}

// startNow starts the selected waiting downloads at once, past the
// limit of downloads at once.
func (u *UI) startNow() {
	var ids []string
	for _, s := range u.dl.selected() {
		if s.State == engine.Queued || s.State == engine.Paused || s.State == engine.Failed {
			ids = append(ids, s.ID)
		}
	}
	u.engineCall("Could not start", func() error {
		var errs []error
		for _, id := range ids {
			if err := u.m.StartNow(id); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

// spaceKey pauses or resumes (or retries) the selection.
func (u *UI) spaceKey() {
	if a, ok := listview.SpaceAction(u.dl.selected()); ok {
		u.actOnSelection(a)
	}
}

// openSelected opens the selected completed files.
func (u *UI) openSelected() {
	for _, s := range u.dl.selected() {
		if s.State == engine.Completed {
			u.open(s)
		}
	}
}

// forEach applies call to every download in one of the given states.
func (u *UI) forEach(what string, call func(string) error, states ...engine.State) {
	u.engineCall(what, func() error {
		for _, s := range u.m.List() {
			for _, st := range states {
				if s.State == st {
					if err := call(s.ID); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func (u *UI) pauseAll() {
	u.forEach("Could not pause all", u.m.Pause, engine.Active, engine.Queued)
}

func (u *UI) resumeAll() {
	u.forEach("Could not resume all", u.m.Resume, engine.Paused)
}

// clearFinished removes completed and canceled downloads from the list;
// failed ones stay to be retried.
func (u *UI) clearFinished() {
	u.forEach("Could not clear the list", u.m.Remove, engine.Completed, engine.Canceled)
}

// open opens a completed file with the desktop's default program.
func (u *UI) open(s engine.Snapshot) { u.openPath(s.Path()) }

// openFolder opens the folder a download was saved in.
func (u *UI) openFolder(s engine.Snapshot) { u.openPath(s.Dir) }
