package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/engine/links"
)

// liveCountLimit is the longest text the Add dialog counts links in as
// the user types; longer text is counted when added.
const liveCountLimit = 256 << 10

// addDialog asks for links and a destination folder.
type addDialog struct {
	dlg       *dialog.CustomDialog
	links     *widget.Entry
	found     *widget.Label
	dir       *widget.Entry
	browse    *widget.Button
	addBtn    *widget.Button
	cancelBtn *widget.Button
}

// showAdd opens the Add dialog with text in it; if it is open already,
// text is added to what it holds. UI goroutine only.
func (u *UI) showAdd(text string) {
	if d := u.addDlg; d != nil {
		if text != "" {
			cur := d.links.Text
			if cur != "" && !strings.HasSuffix(cur, "\n") {
				cur += "\n"
			}
			d.links.SetText(cur + text)
		}
		u.win.Canvas().Focus(d.links)
		return
	}
	d := &addDialog{}
	d.links = widget.NewMultiLineEntry()
	d.links.SetPlaceHolder("https://example.com/file.zip\nhttps://example.com/photos/img[001-100].jpg\n…or any text, page or list that holds links")
	d.links.SetMinRowsVisible(9)
	d.links.Wrapping = fyne.TextWrapOff
	d.found = widget.NewLabel("")
	d.found.Importance = widget.LowImportance
	d.dir = widget.NewEntry()
	d.dir.SetText(u.set.Dir)
	d.browse = widget.NewButton("Browse…", func() { u.pickFolder(d.dir) })
	d.cancelBtn = widget.NewButton("Cancel", func() { d.dlg.Hide() })
	d.addBtn = widget.NewButton("Add", func() {
		text, dir := d.links.Text, strings.TrimSpace(d.dir.Text)
		d.dlg.Hide()
		u.addText(text, dir, "the pasted text")
	})
	d.addBtn.Importance = widget.HighImportance
	d.links.OnChanged = func(string) { d.count() }
	d.links.SetText(text)
	d.count()

	folder := container.NewBorder(nil, nil, widget.NewLabel("Save to"), d.browse, d.dir)
	content := container.NewBorder(
		widget.NewLabel("Paste links, or any text that contains them:"),
		container.NewVBox(d.found, folder), nil, nil, d.links)
	d.dlg = dialog.NewCustomWithoutButtons("Add downloads", content, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancelBtn, d.addBtn})
	d.dlg.SetOnClosed(func() {
		if u.addDlg == d {
			u.addDlg = nil
		}
	})
	u.addDlg = d
	d.dlg.Resize(fyne.NewSize(680, 460))
	d.dlg.Show()
	u.win.Canvas().Focus(d.links)
}

// count shows how many links the entry holds and enables Add.
func (d *addDialog) count() {
	text := d.links.Text
	if len(text) > liveCountLimit {
		d.found.SetText("A long text: its links are counted when you add it.")
		d.addBtn.Enable()
		return
	}
	found, sum := links.Parse(text)
	switch {
	case strings.TrimSpace(text) == "":
		d.found.SetText("No links yet.")
	case len(found) == 0:
		d.found.SetText("No links found in this text.")
	case len(found) == 1:
		d.found.SetText("1 link found.")
	default:
		d.found.SetText(fmt.Sprintf("%d links found.", len(found)))
	}
	if sum.RejectedCount > 0 && len(found) > 0 {
		d.found.SetText(d.found.Text + fmt.Sprintf(" %d line(s) will be skipped.", sum.RejectedCount))
	}
	setEnabled(d.addBtn, len(found) > 0)
}
