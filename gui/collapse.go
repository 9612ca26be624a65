package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// barItem is one button of a collapseBar, with the label it shows when
// there is room for it and what it is in the More menu.
type barItem struct {
	btn   *hintButton
	label string
	// sub is the menu the button opens, if it opens one (Move): in the
	// More menu it becomes a submenu.
	sub *fyne.Menu
	// full and bare are the button's widths with and without its label,
	// as last measured.
	full, bare float32
}

// collapseBar lays out a row of toolbar buttons on one line in whatever
// width it gets, and never holds the window wide: when their labels do
// not all fit, the last buttons show their icons only (their tooltips
// say what they do); when even the icons
// do not fit, the last buttons move into a More menu at the end.
// lead (a label like "3 selected") is always shown first.
type collapseBar struct {
	lead  *widget.Label
	items []*barItem
	more  *hintButton
	// bare is how many of the last buttons show their icons only; over,
	// how many of those are in the More menu.
	bare, over int
	box        *fyne.Container
}

// newCollapseBar builds a bar of items after lead (which may be nil).
func newCollapseBar(lead *widget.Label, hint func(string, fyne.Position), items ...*barItem) *collapseBar {
	c := &collapseBar{lead: lead, items: items}
	c.more = newHintButton(theme.MoreHorizontalIcon(), "More actions", hint, c.showMore)
	var objs []fyne.CanvasObject
	if lead != nil {
		objs = append(objs, lead)
	}
	for _, it := range items {
		it.label = it.btn.Text
		it.full = it.btn.MinSize().Width
		it.btn.Text = ""
		it.bare = it.btn.MinSize().Width
		it.btn.Text = it.label
		objs = append(objs, it.btn)
	}
	objs = append(objs, c.more)
	c.more.Hide()
	c.box = &fyne.Container{Layout: c, Objects: objs}
	return c
}

// newBarItem is a toolbar button that a collapseBar can shorten to its
// icon; hint is what it does, shown in the status bar.
func newBarItem(label string, icon fyne.Resource, hint string, show func(string, fyne.Position), tapped func()) *barItem {
	b := newHintButton(icon, hint, show, tapped)
	b.Text = label
	return &barItem{btn: b}
}

// menu is the More menu: the buttons that did not fit, enabled as they are.
func (c *collapseBar) menu() *fyne.Menu {
	m := fyne.NewMenu("")
	for _, it := range c.items[len(c.items)-c.over:] {
		mi := fyne.NewMenuItem(it.label, it.btn.OnTapped)
		mi.Icon = it.btn.Icon
		mi.Disabled = it.btn.Disabled()
		if it.sub != nil {
			mi.Action = nil
			mi.ChildMenu = it.sub
		}
		m.Items = append(m.Items, mi)
	}
	return m
}

func (c *collapseBar) showMore() {
	cv := fyne.CurrentApp().Driver().CanvasForObject(c.more)
	if cv == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.more).Add(fyne.NewPos(0, c.more.Size().Height))
	widget.ShowPopUpMenuAtPosition(c.menu(), cv, pos)
}

// fit works out how the items fit in width: the last bare of them show
// their icons only, and the last over of those are in the More menu.
// Labels go from the end first, then buttons.
func (c *collapseBar) fit(width float32) (bare, over int) {
	pad := theme.Padding()
	lead := float32(0)
	if c.lead != nil {
		lead = c.lead.MinSize().Width + pad
	}
	n := len(c.items)
	for bare = 0; bare <= n; bare++ {
		used := lead - pad
		for i, it := range c.items {
			if i < n-bare {
				used += it.full + pad
			} else {
				used += it.bare + pad
			}
		}
		if used <= width {
			return bare, 0
		}
	}
	room := width - lead - c.more.MinSize().Width
	used, keep := float32(0), 0
	for _, it := range c.items {
		if used+it.bare+pad > room {
			break
		}
		used += it.bare + pad
		keep++
	}
	return n, n - keep
}

// Layout is part of fyne.Layout.
func (c *collapseBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, it := range c.items { // measure again: the theme may have changed
		if it.btn.Text == "" {
			it.bare = it.btn.MinSize().Width
		} else {
			it.full = it.btn.MinSize().Width
		}
	}
	c.bare, c.over = c.fit(size.Width)
	x, pad := float32(0), theme.Padding()
	place := func(o fyne.CanvasObject) {
		w := o.MinSize().Width
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
	if c.lead != nil {
		place(c.lead)
	}
	for i, it := range c.items {
		text := it.label
		if i >= len(c.items)-c.bare {
			text = ""
		}
		if it.btn.Text != text {
			it.btn.SetText(text)
		}
		if i >= len(c.items)-c.over {
			it.btn.Hide()
			continue
		}
		it.btn.Show()
		place(it.btn)
	}
	setVisible(c.more, c.over > 0)
	if c.over > 0 {
		place(c.more)
	}
}

// MinSize is part of fyne.Layout: the lead and the More button, so that
// the bar never holds the window wide.
func (c *collapseBar) MinSize(_ []fyne.CanvasObject) fyne.Size {
	s := c.more.MinSize()
	if c.lead != nil {
		l := c.lead.MinSize()
		s = fyne.NewSize(l.Width+theme.Padding()+s.Width, max(s.Height, l.Height))
	}
	return s
}
