package gui

import (
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/gui/internal/addlist"
)

// linkPicker lists links with a tick box each, marks the ones already in
// the download list, and counts the ticked ones. The Add dialog and the
// dialog of links a browser page handed over both show one.
type linkPicker struct {
	links   *addlist.List
	list    *keyList
	count   *widget.Label
	allBtn  *keyButton
	noneBtn *keyButton
	tools   *fyne.Container // right of the count: Tick all, Tick none
	box     fyne.CanvasObject
	keys    *dialogKeys // the dialog's keys, nil for none
	// onChanged is called when the ticks change.
	onChanged func()
}

// existingMark is what a link already in the download list says.
const existingMark = "already in the list"

// newLinkPicker builds a picker whose tick boxes and buttons take the
// dialog's keys (nil for none).
func newLinkPicker(keys *dialogKeys) *linkPicker {
	p := &linkPicker{links: &addlist.List{}, keys: keys}
	p.count = widget.NewLabel("")
	p.list = newKeyList(keys, func() int { return len(p.links.Entries) },
		func() fyne.CanvasObject {
			name, site := widget.NewLabel(""), widget.NewLabel("")
			site.Importance = widget.LowImportance
			site.SizeName = theme.SizeNameCaptionText
			mark := widget.NewLabel(existingMark)
			mark.Importance = widget.WarningImportance
			mark.SizeName = theme.SizeNameCaptionText
			return container.NewBorder(nil, nil, newKeyCheck("", p.keys, nil), mark, newPair(name, site, 0.7))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(p.links.Entries) {
				return
			}
			e := p.links.Entries[i]
			c := o.(*fyne.Container)
			name, site := linkParts(e.Link)
			pair := c.Objects[0].(*fyne.Container)
			pair.Objects[0].(*widget.Label).SetText(name)
			pair.Objects[1].(*widget.Label).SetText(site)
			relayout(pair)
			check := c.Objects[1].(*keyCheck)
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
	p.allBtn = newKeyButton("Tick all", keys, func() { p.tickAll(true) })
	p.noneBtn = newKeyButton("Tick none", keys, func() { p.tickAll(false) })
	p.tools = container.NewHBox(p.allBtn, p.noneBtn)
	top := container.NewBorder(nil, nil, nil, p.tools, p.count)
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

// linkParts is how the picker names a link: the file it saves to and, in
// grey beside it, the site, rather than the raw URL.
func linkParts(l links.Link) (name, site string) {
	u, err := url.Parse(l.URL)
	if err != nil || u.Host == "" {
		return displayURL(l.URL), ""
	}
	name = l.Name
	if name == "" {
		name = safename.Choose("", u, "")
	}
	return safename.Display(name), safename.Display(u.Host)
}

// looksLikeStream says whether a link is a video stream's playlist (HLS
// .m3u8 or DASH .mpd), for which the Add dialog offers a quality.
func looksLikeStream(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	return strings.HasSuffix(p, ".m3u8") || strings.HasSuffix(p, ".mpd")
}

// item builds the list's row of entry i, for tests: its file name, its
// site and its box.
func (p *linkPicker) item(i int) (*widget.Label, *keyCheck) {
	name, _, check := p.itemParts(i)
	return name, check
}

func (p *linkPicker) itemParts(i int) (name, site *widget.Label, check *keyCheck) {
	o := p.list.CreateItem()
	p.list.UpdateItem(i, o)
	c := o.(*fyne.Container)
	pair := c.Objects[0].(*fyne.Container)
	return pair.Objects[0].(*widget.Label), pair.Objects[1].(*widget.Label), c.Objects[1].(*keyCheck)
}
