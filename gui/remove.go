package gui

import (
	"errors"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
)

// removeDialog asks before downloads with finished files are removed,
// whether to delete those files too. Keeping them is the default.
type removeDialog struct {
	dlg       *dialog.CustomDialog
	message   *widget.Label
	delete    *widget.Check
	removeBtn *widget.Button
	cancelBtn *widget.Button
}

// finishedFiles are the completed downloads among snaps, whose files are
// on disk, and their total size.
func finishedFiles(snaps []engine.Snapshot) (files []engine.Snapshot, size int64) {
	for _, s := range snaps {
		if s.State == engine.Completed {
			files = append(files, s)
			size += s.Received
		}
	}
	return files, size
}

// removeText is what the dialog asks.
func removeText(snaps []engine.Snapshot) string {
	if len(snaps) == 1 {
		return fmt.Sprintf("Remove %s from the list?", safename.Display(snaps[0].Name))
	}
	return fmt.Sprintf("Remove %s from the list?", plural(len(snaps), "download"))
}

// deleteText is the label of the tick box that deletes the files too.
func deleteText(files int, size int64) string {
	what := "the file"
	if files > 1 {
		what = fmt.Sprintf("the %d files", files)
	}
	return fmt.Sprintf("Also delete %s from the disk (frees %s)", what, human.Bytes(size))
}

// askRemove removes snaps from the list. When some of them have finished
// files it asks first, offering to delete the files as well; unfinished
// data goes with the download in any case. UI goroutine only.
func (u *UI) askRemove(snaps []engine.Snapshot) {
	if len(snaps) == 0 {
		return
	}
	files, size := finishedFiles(snaps)
	if len(files) == 0 {
		u.removeAll(snaps, false)
		return
	}
	d := &removeDialog{message: widget.NewLabel(removeText(snaps))}
	d.message.Wrapping = fyne.TextWrapWord
	d.delete = widget.NewCheck(deleteText(len(files), size), nil)
	d.cancelBtn = widget.NewButton("Cancel", func() { d.dlg.Hide() })
	d.removeBtn = widget.NewButton("Remove", func() {
		d.dlg.Hide()
		u.removeAll(snaps, d.delete.Checked)
	})
	d.removeBtn.Importance = widget.DangerImportance
	d.dlg = dialog.NewCustomWithoutButtons("Remove downloads", container.NewVBox(d.message, d.delete), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancelBtn, d.removeBtn})
	d.dlg.Resize(fyne.NewSize(520, 200))
	d.dlg.Show()
	u.removeDlg = d
}

// removeAll takes snaps off the list on the worker, deleting the finished
// files too when deleteFiles is set.
func (u *UI) removeAll(snaps []engine.Snapshot, deleteFiles bool) {
	u.dl.clearSelection()
	u.engineCall("Could not remove", func() error {
		var errs []error
		for _, s := range snaps {
			if err := u.m.Remove(s.ID); err != nil {
				errs = append(errs, err)
				continue
			}
			if deleteFiles && s.State == engine.Completed {
				if err := os.Remove(s.Path()); err != nil && !errors.Is(err, os.ErrNotExist) {
					errs = append(errs, fmt.Errorf("deleting %s: %w", safename.Display(s.Name), err))
				}
			}
		}
		return errors.Join(errs...)
	})
}
