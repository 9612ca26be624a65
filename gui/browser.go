package gui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/gui/internal/addlist"
	"github.com/haul-dl/haul/instance"
)

// errClosing refuses a hand-off that arrives while the window closes.
var errClosing = errors.New("the Haul window is closing")

// receiveHandoff takes what the browser's extension handed over (through
// `haul native-host` and the instance socket). A download starts at
// once, with the headers the browser gave, and the sender hears whether
// the engine took it; a list of links opens a dialog with them all
// ticked. Called from the instance listener, never the UI goroutine.
func (u *UI) receiveHandoff(h instance.Handoff) error {
	if h.Kind == instance.KindLinks {
		u.post(func() {
			u.win.Show()
			u.win.RequestFocus()
			u.showBrowserLinks(h)
		})
		return nil
	}
	var dir string
	if !u.doWait(func() { dir = u.set.Dir }) {
		return errClosing
	}
	added := u.m.AddAll(handoffRequests(h.Items, dir))
	for i, a := range added {
		if a.Err != nil {
			return fmt.Errorf("%s: %w", displayURL(h.Items[i].URL), a.Err)
		}
	}
	id := added[0].ID
	name := h.Items[0].Name
	if name == "" {
		name = displayURL(h.Items[0].URL)
	}
	u.post(func() {
		u.setActivity("From the browser: " + safename.Display(name))
		u.revealWhenShown(id)
	})
	return nil
}

// handoffRequests turns hand-off items into engine requests.
func handoffRequests(items []instance.HandoffItem, dir string) []engine.Request {
	reqs := make([]engine.Request, len(items))
	for i, it := range items {
		reqs[i] = engine.Request{URL: it.URL, Dir: dir, Name: it.Name, Header: engine.Header(it.Header)}
	}
	return reqs
}

// sourceText says where a download came from, for its row: "From the
// browser · example.org/page", or "" for a link added in Haul.
func sourceText(s engine.Snapshot) string {
	if s.Page == "" {
		return ""
	}
	return "From the browser · " + pageLabel(s.Page)
}

// pageLabel is a page's address without its scheme, short enough for a row.
func pageLabel(page string) string {
	label := displayURL(page)
	if u, err := url.Parse(page); err == nil && u.Host != "" {
		label = safename.Display(u.Host + strings.TrimSuffix(u.EscapedPath(), "/"))
	}
	if utf8.RuneCountInString(label) > 60 {
		label = string([]rune(label)[:59]) + "…"
	}
	return label
}

// withSource adds where a download came from to its detail line.
func withSource(detail string, s engine.Snapshot) string {
	src := sourceText(s)
	switch {
	case src == "":
		return detail
	case detail == "":
		return src
	}
	return detail + "  ·  " + src
}

// linksDialog offers the links a page handed over, all ticked but those
// already in the list, for the user to choose from.
type linksDialog struct {
	dlg    *dialog.CustomDialog
	items  []instance.HandoffItem
	picker *linkPicker
	dir    *widget.Entry
	addBtn *widget.Button
}

// showBrowserLinks opens the dialog for a "Download all links" hand-off.
// UI goroutine only.
func (u *UI) showBrowserLinks(h instance.Handoff) {
	d := &linksDialog{items: h.Items, picker: newLinkPicker(nil)}
	found := make([]links.Link, len(h.Items))
	for i, it := range h.Items {
		found[i] = links.Link{URL: it.URL, Name: it.Name}
	}
	d.dir = widget.NewEntry()
	d.dir.SetText(u.set.Dir)
	browse := widget.NewButton("Browse…", func() { u.pickFolder(d.dir) })
	cancel := widget.NewButton("Cancel", func() { d.dlg.Hide() })
	d.addBtn = widget.NewButton("Add", func() {
		d.dlg.Hide()
		u.addHandoffItems(d.chosen(), strings.TrimSpace(d.dir.Text), h.Page)
	})
	d.addBtn.Importance = widget.HighImportance
	d.picker.onChanged = func() { setEnabled(d.addBtn, d.picker.links.CheckedCount() > 0) }
	d.picker.show(addlist.New(found, links.Summary{}, u.knownLinks()))
	d.picker.onChanged()

	from := "Links from the browser"
	if h.Page != "" {
		from = "Links from " + pageLabel(h.Page)
	}
	folder := container.NewBorder(nil, nil, widget.NewLabel("Save to"), browse, d.dir)
	d.dlg = dialog.NewCustomWithoutButtons(from, container.NewBorder(nil, folder, nil, nil, d.picker.box), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.addBtn})
	d.dlg.Resize(fyne.NewSize(720, 480))
	d.dlg.Show()
	u.linksDlg = d
}

// chosen are the ticked items, with their headers.
func (d *linksDialog) chosen() []instance.HandoffItem {
	var out []instance.HandoffItem
	for i, e := range d.picker.links.Entries {
		if e.Checked {
			out = append(out, d.items[i])
		}
	}
	return out
}

// addHandoffItems adds the chosen links with their headers in the
// background and reports how it went. UI goroutine only.
func (u *UI) addHandoffItems(items []instance.HandoffItem, dir, page string) {
	if dir == "" {
		dir = u.set.Dir
	}
	source := "the browser"
	if page != "" {
		source = pageLabel(page)
	}
	u.setActivity("Adding links…")
	u.addJob(func(context.Context) {
		rep := &report{source: source, found: len(items)}
		added := u.m.AddAll(handoffRequests(items, dir))
		for i, a := range added {
			if a.Err != nil {
				rep.failedCount++
				if len(rep.failed) < maxFailures {
					rep.failed = append(rep.failed, links.Rejected{Text: displayURL(items[i].URL), Reason: safename.Display(a.Err.Error())})
				}
				continue
			}
			if rep.added == 0 {
				id := a.ID
				u.post(func() { u.revealWhenShown(id) })
			}
			rep.added++
		}
		u.post(func() { u.showReport(rep) })
	})
}
