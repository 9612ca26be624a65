package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/safename"
)

// infoDialog shows the whole message of one download, with its file,
// link and folder, in text that can be selected and copied.
type infoDialog struct {
	dlg                      *dialog.CustomDialog
	name, message, link, dir *widget.Label
}

// details shows the whole error or warning of a download, which its row
// may have to cut. UI goroutine only.
func (u *UI) details(s engine.Snapshot) {
	msg, imp := messageText(s)
	if msg == "" {
		return
	}
	wrapped := func(text string, wrap fyne.TextWrap) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = wrap
		l.Selectable = true
		return l
	}
	d := &infoDialog{
		name:    wrapped(safename.Display(s.Name), fyne.TextWrapBreak),
		message: wrapped(msg, fyne.TextWrapWord),
		link:    wrapped(safename.Display(s.URL), fyne.TextWrapBreak),
		dir:     wrapped(safename.Display(s.Dir), fyne.TextWrapBreak),
	}
	d.message.Importance = imp
	form := widget.NewForm(
		widget.NewFormItem("File", d.name),
		widget.NewFormItem("Message", d.message),
		widget.NewFormItem("Link", d.link),
		widget.NewFormItem("Folder", d.dir),
	)
	title := "Download message"
	if s.State == engine.Failed {
		title = "Download failed"
	}
	d.dlg = dialog.NewCustom(title, "Close", form, u.win)
	u.hint("") // the pointer is over the dialog now, not the message
	d.dlg.Resize(fyne.NewSize(640, 360))
	d.dlg.Show()
	u.infoDlg = d
}
