package gui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine/links"
	"github.com/haul-dl/haul/gui/internal/addlist"
)

// liveCountLimit is the longest text the Add dialog reads links from as
// the user types; longer text is read when added.
const liveCountLimit = 256 << 10

// addDialog asks for links and a destination folder, and shows the links
// it found, each with a tick box, before anything is added.
type addDialog struct {
	dlg       *dialog.CustomDialog
	links     *keyEntry
	picker    *linkPicker
	found     *widget.Label // how many links, patterns, skipped lines
	skipped   *widget.Label // the lines that could not be used, and why
	base      *keyEntry     // the page's address, for relative links
	baseRow   fyne.CanvasObject
	dir       *keyEntry
	browse    *keyButton
	paused    *keyCheck
	quality   *keySelect        // the variant of a video stream (see stream.go)
	qualRow   fyne.CanvasObject // shown only when a link looks like a stream
	addBtn    *keyButton
	cancelBtn *keyButton
	keys      *dialogKeys // Ctrl+Enter adds, Escape cancels, wherever the focus is

	known addlist.Known
	list  *addlist.List // what the text holds; nil for a long text
	sum   links.Summary
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
	d := &addDialog{known: u.knownLinks()}
	d.keys = &dialogKeys{
		submit: func() {
			if !d.addBtn.Disabled() {
				u.addFromDialog(d)
			}
		},
		cancel: func() { d.dlg.Hide() },
	}
	d.links = newKeyEntry(true, d.keys)
	d.links.SetPlaceHolder("https://example.com/file.zip\nhttps://example.com/photos/img[001-100].jpg\n…or any text, page or list that holds links")
	d.links.SetMinRowsVisible(4)
	d.links.Wrapping = fyne.TextWrapOff
	d.picker = newLinkPicker(d.keys)
	d.picker.onChanged = d.showFound
	d.found = widget.NewLabel("")
	d.found.Importance = widget.LowImportance
	d.found.Wrapping = fyne.TextWrapWord
	d.skipped = widget.NewLabel("")
	d.skipped.Importance = widget.DangerImportance
	d.skipped.SizeName = theme.SizeNameCaptionText
	d.skipped.Wrapping = fyne.TextWrapWord
	d.base = newKeyEntry(false, d.keys)
	d.base.SetPlaceHolder("https://example.org/the/page.html")
	d.baseRow = container.NewBorder(nil, nil, widget.NewLabel("Address of the page"), nil, d.base)
	d.baseRow.Hide()
	d.dir = newKeyEntry(false, d.keys)
	d.dir.SetText(u.set.Dir)
	d.browse = newKeyButton("Browse…", d.keys, func() { u.pickFolder(&d.dir.Entry) })
	d.paused = newKeyCheck("Add paused", d.keys, nil)
	d.quality = newQualitySelect(d.keys)
	d.cancelBtn = newKeyButton("Cancel", d.keys, func() { d.dlg.Hide() })
	d.addBtn = newKeyButton("Add", d.keys, func() { u.addFromDialog(d) })
	d.addBtn.Importance = widget.HighImportance
	d.links.OnChanged = func(string) { d.read() }
	d.base.OnChanged = func(string) { d.read() }
	d.links.SetText(text)
	d.read()

	folder := container.NewBorder(nil, nil, widget.NewLabel("Save to"), container.NewHBox(d.browse, d.paused), d.dir)
	// The box's hint says what to paste, and the video quality sits by
	// the links it is for, so that 6 links stay in view with every note.
	d.qualRow = qualityRow(d.quality)
	d.picker.tools.Objects = append([]fyne.CanvasObject{d.qualRow}, d.picker.tools.Objects...)
	d.showQuality()
	bottom := container.NewVBox(d.found, d.skipped, d.baseRow, folder)
	d.dlg = dialog.NewCustomWithoutButtons("Add downloads", container.NewBorder(d.links, bottom, nil, nil, d.picker.box), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancelBtn, d.addBtn})
	d.dlg.SetOnClosed(func() {
		if u.addDlg == d {
			u.addDlg = nil
		}
	})
	u.addDlg = d
	win := u.win.Canvas().Size()
	d.dlg.Resize(fyne.NewSize(min(720, win.Width-32), min(640, win.Height-12)))
	d.dlg.Show()
	u.win.Canvas().Focus(d.links)
}

// knownLinks tells the links already in the download list.
func (u *UI) knownLinks() addlist.Known {
	urls := make([]string, len(u.model.list))
	for i, s := range u.model.list {
		urls[i] = s.URL
	}
	return addlist.KnownURLs(urls)
}

// readLinks reads the links of text, resolving a page's relative links
// against base when the page names no address of its own.
func readLinks(text, base string) ([]links.Link, links.Summary) {
	opt := links.Options{}
	if b, err := url.Parse(strings.TrimSpace(base)); err == nil && (b.Scheme == "http" || b.Scheme == "https") && b.Host != "" {
		opt.Base = b
	}
	var found []links.Link
	sum, _ := links.Scan(context.Background(), strings.NewReader(text), opt, func(l links.Link) error {
		found = append(found, l)
		return nil
	})
	return found, sum
}

// read reads the links of the text and shows them.
func (d *addDialog) read() {
	text := d.links.Text
	if len(text) > liveCountLimit {
		d.list = nil
		d.picker.show(&addlist.List{})
		d.showFound()
		return
	}
	found, sum := readLinks(text, d.base.Text)
	d.sum = sum
	d.list = addlist.New(found, sum, d.known)
	d.picker.show(d.list)
	setVisible(d.baseRow, sum.Unresolved > 0 || (d.base.Text != "" && sum.Base == ""))
	d.showQuality()
	d.showFound()
}

// showQuality shows the choice of a video quality only when a link looks
// like a stream.
func (d *addDialog) showQuality() {
	if d.qualRow == nil {
		return
	}
	stream := false
	if d.list != nil {
		for _, e := range d.list.Entries {
			if looksLikeStream(e.Link.URL) {
				stream = true
				break
			}
		}
	}
	setVisible(d.qualRow, stream || d.list == nil)
}

// showFound says what the text holds and enables Add.
func (d *addDialog) showFound() {
	if d.list == nil {
		d.found.SetText("A long text: its links are read when you add it.")
		d.skipped.Hide()
		d.addBtn.Enable()
		return
	}
	l := d.list
	var parts []string
	switch n := len(l.Entries); {
	case strings.TrimSpace(d.links.Text) == "":
		parts = append(parts, "No links yet.")
	case n == 0:
		parts = append(parts, "No links found in this text.")
	case n == 1:
		parts = append(parts, "1 link found.")
	default:
		parts = append(parts, fmt.Sprintf("%d links found.", n))
	}
	for _, p := range l.Patterns {
		parts = append(parts, fmt.Sprintf("%s gives %s.", p.Text, plural(p.Count, "link")))
	}
	if l.Duplicates > 0 {
		parts = append(parts, fmt.Sprintf("%d repeated.", l.Duplicates))
	}
	if l.Unresolved > 0 {
		parts = append(parts, fmt.Sprintf("%s of this page need its address.", plural(l.Unresolved, "relative link")))
	}
	d.found.SetText(strings.Join(parts, " "))
	d.skipped.SetText(skippedText(l))
	setVisible(d.skipped, l.RejectedCount > 0)
	setEnabled(d.addBtn, l.CheckedCount() > 0)
}

// skippedText names the first line that could not be used, with why,
// and counts the others.
func skippedText(l *addlist.List) string {
	if l.RejectedCount == 0 {
		return ""
	}
	const shown = 1 // one line and a count keep the list of links in view
	var b strings.Builder
	fmt.Fprintf(&b, "%s will be skipped:", plural(l.RejectedCount, "line"))
	for i, r := range l.Rejected {
		if i == shown {
			break
		}
		line := rejectedLine(r)
		fmt.Fprintf(&b, "\n%s — %s", line.head, line.reason)
	}
	if l.RejectedCount > shown {
		fmt.Fprintf(&b, "\n…and %d more", l.RejectedCount-shown)
	}
	return b.String()
}

// addFromDialog adds the ticked links of the dialog and closes it. The
// lines it could not use were shown already: the report only tells what
// the engine refused. UI goroutine only.
func (u *UI) addFromDialog(d *addDialog) {
	dir, paused, quality := strings.TrimSpace(d.dir.Text), d.paused.Checked, qualityOf(d.quality.Selected)
	text, base := d.links.Text, d.base.Text
	d.dlg.Hide()
	if d.list == nil {
		u.addLinks(func() ([]links.Link, *report) {
			found, sum := readLinks(text, base)
			return found, &report{source: "the pasted text", duplicates: sum.Duplicates, rejected: sum.Rejected, rejectedCount: sum.RejectedCount}
		}, dir, paused, quality)
		return
	}
	chosen := d.list.Checked()
	u.addLinks(func() ([]links.Link, *report) {
		return chosen, &report{source: "the pasted text"}
	}, dir, paused, quality)
}
