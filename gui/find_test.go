package gui

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/gui/internal/listview"
)

// shownNames are the names of the rows the list shows, in order.
func (h *harness) shownNames() []string {
	var out []string
	for _, id := range h.u.dl.shown {
		s, _ := h.u.model.snapshot(id)
		out = append(out, s.Name)
	}
	return out
}

func TestFilterBoxAndStateChoiceShowOnlyMatchingRows(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	f := h.u.dl.find
	if got := f.show.Options; !slices.Equal(got, []string{"All (6)", "Active (2)", "Paused (1)", "Queued (1)", "Completed (1)", "Failed (1)"}) {
		t.Errorf("state choices = %q", got)
	}
	test.Type(f.text, "photo")
	if got := h.shownNames(); !slices.Equal(got, []string{"holiday-photos.zip"}) || h.u.dl.list.Length() != 1 {
		t.Errorf("filter 'photo' shows %q (list length %d)", got, h.u.dl.list.Length())
	}
	f.text.SetText("")
	f.show.SetSelectedIndex(1) // Active: downloading, not paused
	if got := h.shownNames(); !slices.Equal(got, []string{"holiday-photos.zip", "podcast-episode-42.mp3"}) {
		t.Errorf("Active shows %q", got)
	}
	f.show.SetSelectedIndex(2) // Paused
	if got := h.shownNames(); !slices.Equal(got, []string{"notes.txt"}) {
		t.Errorf("Paused shows %q", got)
	}
	f.text.SetText("zzz")
	if h.u.dl.list.Length() != 0 || !h.u.dl.hint.Visible() || h.u.dl.hintText.Text != noMatchHint {
		t.Errorf("no match: length %d, hint %v %q", h.u.dl.list.Length(), h.u.dl.hint.Visible(), h.u.dl.hintText.Text)
	}
	// A download changing state moves between the choices.
	f.text.SetText("")
	f.show.SetSelectedIndex(4) // Completed
	done := goldenSnaps()[0]
	done.State, done.Received = engine.Completed, done.Total
	h.u.apply([]engine.Snapshot{done}, false)
	if got := h.shownNames(); !slices.Equal(got, []string{"holiday-photos.zip", "report-2025.pdf"}) {
		t.Errorf("Completed after one finished shows %q", got)
	}
	if f.show.Selected != "Completed (2)" {
		t.Errorf("choice reads %q", f.show.Selected)
	}
}

func TestSortOrderIsKeptAcrossRestart(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	h.u.dl.find.sortBy.SetSelectedIndex(slices.Index(listview.Keys, listview.ByName))
	test.Tap(h.u.dl.find.dir) // descending
	want := []string{"report-2025.pdf", "podcast-episode-42.mp3", "notes.txt", "missing.iso", "IMG_0042.jpg", "holiday-photos.zip"}
	if got := h.shownNames(); !slices.Equal(got, want) {
		t.Fatalf("by name, descending: %q", got)
	}
	saved := h.app.Preferences().String(prefSortOrder)

	again := newHarnessWithPrefs(t, func(p fyne.Preferences) { p.SetString(prefSortOrder, saved) })
	again.u.apply(goldenSnaps(), false)
	if got := again.shownNames(); !slices.Equal(got, want) {
		t.Errorf("after a restart the list is in this order: %q", got)
	}
	if again.u.dl.find.sortBy.Selected != "Name" || !again.u.dl.order.Desc {
		t.Errorf("after a restart the sort choice reads %q, descending %v", again.u.dl.find.sortBy.Selected, again.u.dl.order.Desc)
	}
}

// clickRow clicks the row of id, holding mod.
func (h *harness) clickRow(id string, mod fyne.KeyModifier) {
	h.t.Helper()
	r := h.rowFor(id)
	r.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, Modifier: mod})
	test.Tap(r)
}

func TestMultiSelectWithMouseAndKeyboard(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	sel := func() []string { return h.u.dl.sel.IDs(h.u.dl.shown) }
	h.clickRow("b", 0)
	h.clickRow("d", fyne.KeyModifierShift)
	if got := sel(); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Errorf("click then shift+click selected %q", got)
	}
	h.clickRow("f", fyne.KeyModifierControl)
	h.clickRow("c", fyne.KeyModifierControl)
	if got := sel(); !slices.Equal(got, []string{"b", "d", "f"}) {
		t.Errorf("ctrl+clicks selected %q", got)
	}
	if !h.rowFor("d").isSelected() || h.rowFor("c").isSelected() {
		t.Error("rows do not show the selection")
	}
	if !h.u.tools.selBox.Visible() || h.u.tools.all.box.Visible() || h.u.tools.selected.Text != "3 selected" {
		t.Errorf("toolbar with a selection: selection buttons %v, list buttons %v, %q",
			h.u.tools.selBox.Visible(), h.u.tools.all.box.Visible(), h.u.tools.selected.Text)
	}
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := sel(); len(got) != 6 {
		t.Errorf("Ctrl+A selected %q", got)
	}
	h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(sel()) != 0 || h.u.tools.selBox.Visible() {
		t.Error("Escape left a selection")
	}
	// The filter hides a selected row: it leaves the selection.
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	h.u.dl.find.text.SetText("missing")
	if got := sel(); !slices.Equal(got, []string{"d"}) {
		t.Errorf("after filtering the selection is %q", got)
	}
}

func TestToolbarAndKeysActOnTheSelection(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/one.bin")+"\n"+h.url("/hold/two.bin")+"\n"+h.url("/hold/three.bin"), "", "the test")
	one, two, three := h.idByName("one.bin"), h.idByName("two.bin"), h.idByName("three.bin")
	for _, id := range []string{one, two, three} {
		h.waitState(id, engine.Active)
	}
	h.clickRow(one, 0)
	h.clickRow(three, fyne.KeyModifierControl)
	test.Tap(h.u.tools.sel[listview.Pause])
	h.waitState(one, engine.Paused)
	h.waitState(three, engine.Paused)
	if h.state(two) != engine.Active {
		t.Errorf("Pause on the selection paused the unselected download too: %s", h.state(two))
	}
	if h.u.tools.sel[listview.Resume].Disabled() {
		t.Error("with two paused downloads selected, Resume is disabled")
	}
	h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace})
	h.waitState(one, engine.Active)
	h.waitState(three, engine.Active)

	h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDelete})
	h.until("the selected downloads to go", func() bool { return h.u.model.len() == 1 })
	if _, ok := h.m.Get(two); !ok {
		t.Error("Delete removed the unselected download")
	}
}

// finishedDownload adds /f/NAME and waits for it to complete.
func (h *harness) finishedDownload(name string) (string, string) {
	h.t.Helper()
	h.u.addText(h.url("/f/"+name), "", "the test")
	id := h.idByName(name)
	h.waitState(id, engine.Completed)
	return id, filepath.Join(h.dl, name)
}

func TestRemoveKeepsTheFileUnlessAskedToDeleteIt(t *testing.T) {
	h := newHarness(t)
	kept, keptPath := h.finishedDownload("kept.bin")
	gone, gonePath := h.finishedDownload("gone.bin")

	test.Tap(h.rowFor(kept).removeBtn)
	d := h.u.removeDlg
	if d == nil {
		t.Fatal("removing a finished download did not ask")
	}
	if d.delete.Checked {
		t.Error("deleting the file is ticked by default")
	}
	if d.delete.Text != "Also delete the file from the disk (frees 195 KiB)" {
		t.Errorf("tick box reads %q", d.delete.Text)
	}
	test.Tap(d.removeBtn)
	h.until("the kept download to leave the list", func() bool { return h.u.model.index(kept) < 0 })
	if _, err := os.Stat(keptPath); err != nil {
		t.Errorf("the file of a download removed without deleting: %v", err)
	}

	test.Tap(h.rowFor(gone).removeBtn)
	d = h.u.removeDlg
	d.delete.SetChecked(true)
	test.Tap(d.removeBtn)
	h.until("the deleted download to leave the list", func() bool { return h.u.model.index(gone) < 0 })
	h.until("its file to go", func() bool { _, err := os.Stat(gonePath); return os.IsNotExist(err) })
}

func TestListOf10000RowsFiltersSortsAndSelects(t *testing.T) {
	h := newHarness(t)
	h.u.apply(fakeSnaps(10000, engine.Queued), false)
	if n := h.u.dl.list.Length(); n != 10000 {
		t.Fatalf("list length %d", n)
	}
	if len(h.u.dl.rows) > 40 {
		t.Errorf("the list built %d rows for 10,000 downloads", len(h.u.dl.rows))
	}
	h.u.dl.find.text.SetText("file-9")
	if n := h.u.dl.list.Length(); n != 1000 {
		t.Errorf("filter file-9 shows %d rows, want 1000", n)
	}
	h.u.dl.find.sortBy.SetSelectedIndex(slices.Index(listview.Keys, listview.ByName))
	test.Tap(h.u.dl.find.dir)
	if got := h.shownNames()[0]; got != "file-9999.bin" {
		t.Errorf("first row by name, descending: %q", got)
	}
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	if n := len(h.u.dl.selected()); n != 1000 || h.u.tools.selected.Text != "1000 selected" {
		t.Errorf("Ctrl+A selected %d (%q)", n, h.u.tools.selected.Text)
	}
}
