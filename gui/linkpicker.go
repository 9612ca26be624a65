package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/gui/internal/addlist"
)

// linkPicker lists links with a tick box each, marks the ones already in
// the download list, and counts the ticked ones. The Add dialog and the
// dialog of links a browser page handed over both show one.
type linkPicker struct {
	links   *addlist.List
	list    *widget.List
	count   *widget.Label
	allBtn  *widget.Button
	noneBtn *widget.Button
	box     fyne.CanvasObject
	// onChanged is called when the ticks change.
	onChanged func()
}

// existingMark is what a link already in the download list says.
const existingMark = "already in the list"

func newLinkPicker() *linkPicker {
	p := &linkPicker{links: &addlist.List{}}
	p.count = widget.NewLabel("")
	p.list = widget.NewList(func() int { return len(p.links.Entries) },
		func() fyne.CanvasObject {
			url := widget.NewLabel("")
			url.Truncation = fyne.TextTruncateEllipsis
			mark := widget.NewLabel(existingMark)
			mark.Importance = widget.WarningImportance
			mark.SizeName = theme.SizeNameCaptionText
			return container.NewBorder(nil, nil, widget.NewCheck("", nil), mark, url)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(p.links.Entries) {
				return
			}
			e := p.links.Entries[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(displayURL(e.Link.URL))
			check := c.Objects[1].(*widget.Check)
			check.OnChanged = nil
			check.SetChecked(e.Checked)
			check.OnChanged = func(on bool) { p.set(i, on) }
			setVisible(c.Objects[2], e.Existing)
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		p.list.Unselect(i)
		if i >= 0 && i < len(p.links.Entries) {
			p.set(i, !p.links.Entries[i].Checked)
			p.list.RefreshItem(i)
		}
	}
	p.allBtn = widget.NewButton("Tick all", func() { p.tickAll(true) })
	p.noneBtn = widget.NewButton("Tick none", func() { p.tickAll(false) })
	top := container.NewBorder(nil, nil, nil, container.NewHBox(p.allBtn, p.noneBtn), p.count)
	p.box = container.NewBorder(top, nil, nil, nil, p.list)
	p.showCount()
	return p
}

// show lists l.
func (p *linkPicker) show(l *addlist.List) {
	p.links = l
	p.list.Refresh()
	p.showCount()
}

func (p *linkPicker) set(i int, on bool) {
	p.links.Set(i, on)
	p.showCount()
	if p.onChanged != nil {
		p.onChanged()
	}
}

// tickAll ticks or unticks every link; ticking all leaves the links
// already in the list unticked.
func (p *linkPicker) tickAll(on bool) {
	p.links.SetAll(on, false)
	p.list.Refresh()
	p.showCount()
	if p.onChanged != nil {
		p.onChanged()
	}
}

func (p *linkPicker) showCount() {
	n, all := p.links.CheckedCount(), len(p.links.Entries)
	text := fmt.Sprintf("%d of %s ticked", n, plural(all, "link"))
	if e := p.links.ExistingCount(); e > 0 {
		text += fmt.Sprintf(" · %d %s", e, existingMark)
	}
	p.count.SetText(text)
	setEnabled(p.allBtn, all > 0)
	setEnabled(p.noneBtn, n > 0)
}

// item builds the list's row of entry i, for tests: its link and its box.
func (p *linkPicker) item(i int) (*widget.Label, *widget.Check) {
	o := p.list.CreateItem()
	p.list.UpdateItem(i, o)
	c := o.(*fyne.Container)
	return c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Check)
}
