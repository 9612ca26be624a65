package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

func TestAddDialogTickBoxesAndDuplicateMarks(t *testing.T) {
	h := newHarness(t)
	_, _ = h.finishedDownload("have.bin")
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	d.links.SetText(strings.Join([]string{h.url("/f/have.bin"), h.url("/f/new1.bin"), h.url("/f/new2.bin")}, "\n"))
	p := d.picker
	if got := p.count.Text; got != "2 of 3 links ticked · 1 already in the list" {
		t.Errorf("count %q", got)
	}
	url, box := p.item(0)
	mark := p.list.CreateItem().(*fyne.Container)
	p.list.UpdateItem(0, mark)
	if box.Checked || !strings.Contains(url.Text, "have.bin") || !mark.Objects[2].Visible() {
		t.Errorf("the link already in the list: %q ticked %v, marked %v", url.Text, box.Checked, mark.Objects[2].Visible())
	}
	p.list.UpdateItem(1, mark)
	if mark.Objects[2].Visible() {
		t.Error("a new link is marked as already in the list")
	}
	_, box = p.item(2)
	test.Tap(box) // untick new2
	if got := p.count.Text; got != "1 of 3 links ticked · 1 already in the list" {
		t.Errorf("count after unticking %q", got)
	}
	test.Tap(d.addBtn)
	h.waitState(h.idByName("new1.bin"), engine.Completed)
	if h.u.model.len() != 2 {
		t.Errorf("%d downloads in the list, want have.bin and new1.bin", h.u.model.len())
	}
}

func TestAddDialogShowsPatternCountsAndSkippedLinesBeforeAdding(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	d.links.SetText(h.url("/f/img[001-120].jpg") + "\nftp://example.org/nope\nnot a link at all")
	if got := len(d.picker.links.Entries); got != 120 {
		t.Errorf("the pattern gave %d entries", got)
	}
	if !strings.Contains(d.found.Text, "120 links found.") || !strings.Contains(d.found.Text, "img[001-120].jpg gives 120 links.") {
		t.Errorf("found: %q", d.found.Text)
	}
	if !d.skipped.Visible() || !strings.Contains(d.skipped.Text, "Line 2: ftp://example.org/nope") {
		t.Errorf("skipped lines (shown %v): %q", d.skipped.Visible(), d.skipped.Text)
	}
	if len(h.m.List()) != 0 {
		t.Error("links were added before Add")
	}
}

func TestAddDialogCtrlEnterAddsPausedAndEscapeCancels(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	d.links.SetText(h.url("/f/later.bin"))
	d.paused.SetChecked(true)
	d.links.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl})
	if h.u.addDlg != nil {
		t.Fatal("Ctrl+Enter did not add")
	}
	id := h.idByName("later.bin")
	h.waitState(id, engine.Paused)
	if s, _ := h.m.Get(id); s.Received != 0 {
		t.Errorf("a download added paused received %d bytes", s.Received)
	}

	test.Tap(h.u.tools.add)
	d = h.u.addDlg
	d.links.SetText(h.url("/f/never.bin"))
	d.links.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.u.addDlg != nil {
		t.Error("Escape did not close the dialog")
	}
	if len(h.m.List()) != 1 {
		t.Error("Escape added the link")
	}
}

func TestAddDialogAsksTheAddressOfASavedPage(t *testing.T) {
	h := newHarness(t)
	h.url("/f/photos/a.jpg")
	h.url("/f/photos/b.jpg")
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	d.links.SetText(`<html><body><a href="a.jpg">a</a> <a href="b.jpg">b</a></body></html>`)
	if !d.baseRow.Visible() || !strings.Contains(d.found.Text, "2 relative links of this page need its address.") {
		t.Fatalf("a page without an address: base asked %v, %q", d.baseRow.Visible(), d.found.Text)
	}
	if !d.addBtn.Disabled() {
		t.Error("Add is enabled with no usable link")
	}
	d.base.SetText(h.srv.URL("/f/photos/index.html"))
	if got := len(d.picker.links.Entries); got != 2 || d.addBtn.Disabled() {
		t.Fatalf("with the address: %d links, Add disabled %v", got, d.addBtn.Disabled())
	}
	test.Tap(d.addBtn)
	h.waitState(h.idByName("a.jpg"), engine.Completed)
	h.waitState(h.idByName("b.jpg"), engine.Completed)
}

func TestAddingALinkAlreadyInTheListSaysWhatItDid(t *testing.T) {
	h := newHarness(t)
	_, _ = h.finishedDownload("have.bin")
	// A paused one, already in the list too.
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	d.links.SetText(h.url("/f/later.bin"))
	d.paused.SetChecked(true)
	test.Tap(d.addBtn)
	later := h.idByName("later.bin")
	h.waitState(later, engine.Paused)

	tickAllAndAdd := func(text string) {
		t.Helper()
		test.Tap(h.u.tools.add)
		d := h.u.addDlg
		d.links.SetText(text)
		for i := range d.picker.links.Entries {
			if _, box := d.picker.item(i); !box.Checked {
				test.Tap(box)
			}
		}
		h.u.status.last = ""
		test.Tap(d.addBtn)
		h.until("the report of the add", func() bool {
			return h.u.status.last != "" && !strings.HasPrefix(h.u.status.last, "Adding links")
		})
	}
	tickAllAndAdd(h.url("/f/have.bin"))
	if got := h.u.status.last; strings.Contains(got, "Added 1") || !strings.Contains(got, "1 file downloaded already, left as it is") {
		t.Errorf("adding a completed link again says %q", got)
	}
	tickAllAndAdd(h.url("/f/later.bin"))
	if got := h.u.status.last; strings.Contains(got, "Added 1") || !strings.Contains(got, "Resumed 1 download already in the list") {
		t.Errorf("adding a paused link again says %q", got)
	}
	h.waitState(later, engine.Completed)
	if n := h.u.model.len(); n != 2 {
		t.Errorf("%d downloads in the list, want the same two", n)
	}
}

func TestAddDialogListsFileNamesWithTheSiteAndKeepsSixLinksInView(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(960, 640))
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	var lines []string
	for i := range 20 {
		lines = append(lines, fmt.Sprintf("https://user:secret@cdn.example.org/pub/file-%02d.iso?token=abc", i))
	}
	lines = append(lines, "ftp://example.org/a", "not a link", "mailto:x@example.org", "gopher://example.org/b", "ftp://example.org/c")
	d.links.SetText(strings.Join(lines, "\n"))
	name, site, _ := d.picker.itemParts(3)
	if name.Text != "file-03.iso" || site.Text != "cdn.example.org" || site.Importance != widget.LowImportance {
		t.Errorf("a link shows as %q, %q (importance %v), want its file name and its site in grey", name.Text, site.Text, site.Importance)
	}
	if d.qualRow.Visible() {
		t.Error("the video quality is offered for links that are no streams")
	}
	if !d.skipped.Visible() {
		t.Fatal("the skipped lines are not shown")
	}
	row := d.picker.list.CreateItem().MinSize().Height + theme.Padding()
	six := 6*row - theme.Padding() // 6 rows and the 5 gaps between them
	d.dlg.Refresh()                // lay the dialog out with the notes shown
	if got := d.picker.list.Size().Height; got < six {
		t.Errorf("with the notes shown the list is %v px high: %.1f links in view, want 6", got, got/row)
	}
	d.links.SetText(h.srv.URL("/v/master/master.m3u8"))
	if !d.qualRow.Visible() {
		t.Error("no video quality for a stream's playlist")
	}
	// A stream among the links, a pattern and skipped lines: the video
	// quality and every note show, and still 6 links.
	d.links.SetText(strings.Join(append(lines, "https://example.com/v/master.m3u8", "https://example.org/img-[01-05].jpg"), "\n"))
	if !d.qualRow.Visible() || !d.skipped.Visible() {
		t.Fatalf("the video quality (shown %v) or the skipped lines (shown %v) are not shown", d.qualRow.Visible(), d.skipped.Visible())
	}
	d.dlg.Refresh() // lay the dialog out with the notes shown
	if got := d.picker.list.Size().Height; got < six {
		t.Errorf("with the notes and the video quality shown the list is %v px high: %.1f links in view, want 6", got, got/row)
	}
}
