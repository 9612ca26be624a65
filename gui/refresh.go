package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

// newLinkField is the details view's "New link" line: paste a fresh link
// for a paused or failed download (one whose link expired) and resume it.
// The engine keeps the bytes on disk when the new link serves the same
// file and starts over, saying why on the row, when it does not.
type newLinkField struct {
	entry *widget.Entry
	btn   *widget.Button
	box   *fyne.Container
	off   bool // the place cannot take a new link (a remote box)
}

// newLinkFor builds the field of the details dialog d. UI goroutine only.
func (u *UI) newLinkFor(d *detailsDialog) *newLinkField {
	f := &newLinkField{entry: widget.NewEntry(), off: !u.m.can(canNewLink)}
	f.entry.SetPlaceHolder("Paste a fresh link to this file, then Use new link")
	f.entry.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := engine.ParseURL(s)
		return err
	}
	f.btn = widget.NewButton("Use new link", func() { u.useNewLink(d) })
	f.entry.OnSubmitted = func(string) { u.useNewLink(d) }
	f.box = container.NewBorder(nil, nil, nil, f.btn, f.entry)
	return f
}

// follow enables the field while the download can take a new link.
// UI goroutine only.
func (f *newLinkField) follow(s engine.Snapshot) {
	if !f.off && (s.State == engine.Paused || s.State == engine.Failed) {
		f.entry.Enable()
		f.btn.Enable()
		return
	}
	f.entry.Disable()
	f.btn.Disable()
}

// useNewLink gives the download of d the link typed in its details and
// resumes it, on the engine worker. UI goroutine only.
func (u *UI) useNewLink(d *detailsDialog) {
	f := d.newLink
	raw := strings.TrimSpace(f.entry.Text)
	if raw == "" || f.btn.Disabled() {
		return
	}
	if _, err := engine.ParseURL(raw); err != nil {
		u.showError(fmt.Errorf("New link: %w", err))
		return
	}
	id := d.id
	u.engineCall("Could not use the new link", func() error {
		if err := u.m.SetURL(id, raw); err != nil {
			return err
		}
		return u.m.Resume(id)
	})
	f.entry.SetText("")
}
