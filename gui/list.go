package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/widget"
)

// emptyHint is shown in place of the list while it is empty.
const emptyHint = "Paste links with Ctrl+V, click Add, or drop a text file of links here"

// downloadList is the list of downloads, or the hint shown in its place
// while there are none.
type downloadList struct {
	model *model
	list  *widget.List
	hint  fyne.CanvasObject
	rows  []*row // every row the list created, for tests
	box   fyne.CanvasObject
}

// newDownloadList builds the list over the model; act is what the rows'
// buttons do.
func newDownloadList(md *model, act rowActions) *downloadList {
	l := &downloadList{model: md}
	l.list = widget.NewListWithData(md.ids,
		func() fyne.CanvasObject {
			r := newRow(act)
			l.rows = append(l.rows, r)
			return r
		},
		func(item binding.DataItem, o fyne.CanvasObject) {
			id, err := item.(binding.String).Get()
			if err != nil {
				return
			}
			if data, ok := md.row(id); ok {
				o.(*row).bind(data)
			}
		})
	l.list.OnSelected = func(id widget.ListItemID) { l.list.Unselect(id) }

	hintIcon := widget.NewIcon(appIcon())
	hintText := widget.NewLabel(emptyHint)
	hintText.Alignment = fyne.TextAlignCenter
	hintText.Wrapping = fyne.TextWrapWord
	hintIconBox := container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), hintIcon))
	l.hint = container.NewCenter(container.NewVBox(hintIconBox,
		container.NewGridWrap(fyne.NewSize(360, 80), hintText)))
	l.box = container.NewStack(l.list, l.hint)
	return l
}

// show updates the hint from the model. UI goroutine only.
func (l *downloadList) show() { setVisible(l.hint, l.model.len() == 0) }

// reveal scrolls to a download; false if it is not in the list yet.
func (l *downloadList) reveal(id string) bool {
	i := l.model.index(id)
	if i < 0 {
		return false
	}
	l.list.ScrollTo(i)
	return true
}
