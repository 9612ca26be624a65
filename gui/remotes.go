package gui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/remote/aria2"
	"github.com/haul-dl/haul/remote/boxes"
)

// Settings › Remote downloaders: the aria2 boxes the switcher offers,
// each with a name, a URL, a secret (kept in the secret store, never in
// the preferences) and an extra CA for wss.

// remotesDialog lists the boxes.
type remotesDialog struct {
	dlg  dialog.Dialog
	list *fyne.Container
	note *widget.Label
}

// boxForm edits one box.
type boxForm struct {
	dlg                   dialog.Dialog
	name, url, secret, ca *widget.Entry
	clear, problem        *widget.Label
	save                  *widget.Button
	old                   string // the name being edited, "" for a new box
}

// clearTextWarning is shown under a ws:// URL to a public address.
const clearTextWarning = "Plain ws:// to an address outside your network: the secret and your links travel in clear. Use wss:// (aria2's --rpc-secure)."

// showRemotes opens the list of remote downloaders. UI goroutine only.
func (u *UI) showRemotes() {
	p := u.places
	if p.store == nil {
		u.showError(errors.New("the remote downloaders are still being read; try again in a moment"))
		return
	}
	d := &remotesDialog{list: container.NewVBox(), note: widget.NewLabel(p.store.Secrets().Where())}
	d.note.Wrapping = fyne.TextWrapWord
	if p.store.Secrets().InFile() {
		d.note.Importance = widget.WarningImportance
	}
	add := widget.NewButtonWithIcon("Add a remote downloader", theme.ContentAddIcon(), func() { u.showBoxForm(d, boxes.Box{}) })
	intro := widget.NewLabel("Haul drives aria2 running on a NAS, a home server or a seedbox through its JSON-RPC (aria2c --enable-rpc --rpc-secret …). Pick the place at the top of the window.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(intro, container.NewVBox(add, d.note), nil, nil, container.NewVScroll(d.list))
	d.dlg = dialog.NewCustom("Remote downloaders", "Close", content, u.win)
	u.fillRemotes(d)
	p.dlg = d
	d.dlg.Resize(fyne.NewSize(620, 420))
	d.dlg.Show()
}

// fillRemotes lists the boxes in d. UI goroutine only.
func (u *UI) fillRemotes(d *remotesDialog) {
	d.list.RemoveAll()
	if len(u.places.boxes) == 0 {
		d.list.Add(widget.NewLabel("None yet."))
	}
	for _, b := range u.places.boxes {
		b := b
		label := widget.NewLabel(safename.Display(b.Name) + "  —  " + safename.Display(b.URL))
		label.Truncation = fyne.TextTruncateEllipsis
		edit := widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() { u.showBoxForm(d, b) })
		remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { u.removeBox(d, b.Name) })
		d.list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), label))
	}
	d.list.Refresh()
}

// showBoxForm edits b (a new box when its name is empty). UI goroutine only.
func (u *UI) showBoxForm(list *remotesDialog, b boxes.Box) {
	f := &boxForm{old: b.Name,
		name: widget.NewEntry(), url: widget.NewEntry(), secret: widget.NewPasswordEntry(), ca: widget.NewEntry(),
		clear: widget.NewLabel(clearTextWarning), problem: widget.NewLabel("")}
	f.name.SetText(b.Name)
	f.name.SetPlaceHolder("nas")
	f.url.SetText(b.URL)
	f.url.SetPlaceHolder("ws://192.168.1.10:6800/jsonrpc")
	f.ca.SetText(b.CACertFile)
	f.ca.SetPlaceHolder("PEM file, for wss:// with your own certificate")
	f.secret.SetPlaceHolder("aria2's --rpc-secret")
	if b.Name != "" {
		f.secret.SetPlaceHolder("unchanged (type to replace)")
	}
	for _, l := range []*widget.Label{f.clear, f.problem} {
		l.Wrapping = fyne.TextWrapWord
		l.Hide()
	}
	f.clear.Importance = widget.WarningImportance
	f.problem.Importance = widget.DangerImportance
	f.url.OnChanged = func(s string) { setVisible(f.clear, aria2.Config{URL: s}.ClearText()) }
	f.url.OnChanged(b.URL)
	form := widget.NewForm(
		widget.NewFormItem("Name", f.name),
		widget.NewFormItem("URL", container.NewVBox(f.url, f.clear)),
		widget.NewFormItem("Secret", f.secret),
		widget.NewFormItem("Extra CA (wss)", f.ca),
	)
	cancel := widget.NewButton("Cancel", func() { f.dlg.Hide() })
	f.save = widget.NewButton("Save", func() { u.saveBox(list, f) })
	f.save.Importance = widget.HighImportance
	title := "Add a remote downloader"
	if b.Name != "" {
		title = "Edit " + safename.Display(b.Name)
	}
	dlg := dialog.NewCustomWithoutButtons(title, container.NewVBox(form, f.problem), u.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, f.save})
	f.dlg = dlg
	u.places.form = f
	f.dlg.Resize(fyne.NewSize(560, 300))
	f.dlg.Show()
}

// read returns the box the form holds and its secret (nil: unchanged).
func (f *boxForm) read() (boxes.Box, *string, error) {
	b := boxes.Box{Name: strings.TrimSpace(f.name.Text), URL: strings.TrimSpace(f.url.Text), CACertFile: strings.TrimSpace(f.ca.Text)}
	if b.CACertFile != "" {
		if abs, err := filepath.Abs(b.CACertFile); err == nil {
			b.CACertFile = abs
		}
	}
	if err := boxes.Check(b); err != nil {
		return b, nil, err
	}
	var secret *string
	if f.old == "" || f.secret.Text != "" {
		s := f.secret.Text
		secret = &s
	}
	return b, secret, nil
}

// saveBox saves the form's box on the worker (the secret store may be
// slow), then shows the new list. UI goroutine only.
func (u *UI) saveBox(list *remotesDialog, f *boxForm) {
	b, secret, err := f.read()
	if err != nil {
		f.problem.SetText(err.Error())
		f.problem.Show()
		return
	}
	f.save.Disable()
	store := u.places.store
	u.enqueue(func() {
		err := store.Put(f.old, b, secret)
		all, lerr := store.List()
		u.post(func() {
			f.save.Enable()
			if err = errors.Join(err, lerr); err != nil {
				f.problem.SetText(fmt.Sprintf("Could not save: %v", err))
				f.problem.Show()
				return
			}
			inUse := f.old != "" && f.old == u.places.current
			f.dlg.Hide()
			u.setBoxes(all)
			u.fillRemotes(list)
			if inUse { // connect again, with the new URL, secret or CA
				u.places.pick.SetSelected(thisComputer)
				u.places.pick.SetSelected(b.Name)
			}
		})
	})
}

// removeBox forgets a box and its secret. UI goroutine only.
func (u *UI) removeBox(list *remotesDialog, name string) {
	store := u.places.store
	u.enqueue(func() {
		err := store.Remove(name)
		all, lerr := store.List()
		u.post(func() {
			if err = errors.Join(err, lerr); err != nil {
				u.showError(fmt.Errorf("Could not remove %s: %w", name, err))
			}
			u.setBoxes(all)
			u.fillRemotes(list)
		})
	})
}
