package gui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// pickFolder lets the user choose a folder for entry.
func (u *UI) pickFolder(entry *widget.Entry) {
	fd := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(fmt.Errorf("choosing a folder: %w", err))
			return
		}
		if dir != nil {
			entry.SetText(dir.Path())
		}
	}, u.win)
	if cur := strings.TrimSpace(entry.Text); cur != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(cur)); err == nil {
			fd.SetLocation(l)
		}
	}
	fd.Resize(fyne.NewSize(760, 520))
	fd.Show()
}

// pickFile lets the user choose a file with one of these extensions
// for entry.
func (u *UI) pickFile(entry *widget.Entry, exts []string) {
	fd := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(fmt.Errorf("choosing a file: %w", err))
			return
		}
		if f != nil {
			f.Close()
			entry.SetText(f.URI().Path())
		}
	}, u.win)
	fd.SetFilter(storage.NewExtensionFileFilter(exts))
	if cur := strings.TrimSpace(entry.Text); cur != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(cur))); err == nil {
			fd.SetLocation(l)
		}
	}
	fd.Resize(fyne.NewSize(760, 520))
	fd.Show()
}
