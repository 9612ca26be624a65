package gui

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
)

// pressKey types a key as the desktop driver hands it on: Shift's press
// and release to the focused widget if it follows them, then the key to
// the focused widget, or to the window when nothing has the focus.
func pressKey(c fyne.Canvas, name fyne.KeyName, shift bool) {
	ev := &fyne.KeyEvent{Name: name}
	f := c.Focused()
	if f == nil {
		c.OnTypedKey()(ev)
		return
	}
	k, _ := f.(desktop.Keyable)
	if shift && k != nil {
		k.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	f.TypedKey(ev)
	if shift && k != nil {
		k.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
}

// pressShortcut types a shortcut as the desktop driver hands it on: to
// the focused widget if it takes shortcuts, else to the window.
func pressShortcut(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

var ctrlEnter = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}

func TestAClickOnARowTakesTheFocusFromTheFilterAndTheDropDowns(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/one.bin"), "", "the test")
	id := h.idByName("one.bin")
	h.waitState(id, engine.Active)
	c := h.u.win.Canvas()
	f := h.u.dl.find
	want := engine.Paused
	for _, w := range []fyne.Focusable{f.text, f.show, f.sortBy, f.dir} {
		c.Focus(w)
		if c.Focused() != w {
			t.Fatalf("could not focus %T", w)
		}
		h.clickRow(id, 0)
		if c.Focused() != h.u.dl.keys {
			t.Fatalf("after a click on a row with %T focused, the focus is on %T, want the list", w, c.Focused())
		}
		pressKey(c, fyne.KeySpace, false)
		h.waitState(id, want)
		if want == engine.Paused {
			want = engine.Active
		} else {
			want = engine.Paused
		}
		if f.text.Text != "" || c.Overlays().Top() != nil {
			t.Fatalf("Space after %T: filter %q, a pop-up open %v", w, f.text.Text, c.Overlays().Top() != nil)
		}
	}
	pressKey(c, fyne.KeyDelete, false)
	h.until("Delete to remove the selected download", func() bool { return h.u.model.len() == 0 })
}

func TestEscapeInTheFilterBoxGivesTheFocusBackToTheList(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	c := h.u.win.Canvas()
	c.Focus(h.u.dl.find.text)
	test.Type(h.u.dl.find.text, "o")
	pressKey(c, fyne.KeyEscape, false)
	if c.Focused() != h.u.dl.keys {
		t.Fatalf("after Escape in the filter box the focus is on %T, want the list", c.Focused())
	}
	if h.u.dl.find.text.Text != "o" {
		t.Errorf("Escape changed the filter to %q", h.u.dl.find.text.Text)
	}
	pressKey(c, fyne.KeyDown, false)
	if got := h.u.dl.sel.IDs(h.u.dl.shown); len(got) != 1 || got[0] != h.u.dl.shown[0] {
		t.Errorf("Down after Escape selected %q, want the first row shown", got)
	}
}

func TestArrowsHomeAndEndMoveAndExtendTheSelection(t *testing.T) {
	h := newHarness(t)
	h.u.apply(goldenSnaps(), false)
	c := h.u.win.Canvas()
	sel := func() []string { return h.u.dl.sel.IDs(h.u.dl.shown) }
	h.clickRow("a", 0)
	steps := []struct {
		key   fyne.KeyName
		shift bool
		want  []string
	}{
		{fyne.KeyDown, false, []string{"b"}},
		{fyne.KeyDown, true, []string{"b", "c"}},
		{fyne.KeyDown, true, []string{"b", "c", "d"}},
		{fyne.KeyUp, true, []string{"b", "c"}},
		{fyne.KeyEnd, false, []string{"f"}},
		{fyne.KeyUp, false, []string{"e"}},
		{fyne.KeyHome, true, []string{"a", "b", "c", "d", "e"}},
		{fyne.KeyHome, false, []string{"a"}},
		{fyne.KeyUp, false, []string{"a"}},
	}
	for _, s := range steps {
		pressKey(c, s.key, s.shift)
		if got := sel(); !slices.Equal(got, s.want) {
			t.Fatalf("%s (shift %v) selected %q, want %q", s.key, s.shift, got, s.want)
		}
	}
	if !h.rowFor("a").isSelected() || h.rowFor("b").isSelected() {
		t.Error("the rows do not show the selection the keys made")
	}
	// With nothing focused, the window hands the keys to the list too.
	c.Unfocus()
	pressKey(c, fyne.KeyDown, false)
	if got := sel(); !slices.Equal(got, []string{"b"}) {
		t.Errorf("Down with nothing focused selected %q", got)
	}
}

func TestEndScrollsTheListToKeepTheSelectionInView(t *testing.T) {
	h := newHarness(t)
	h.u.apply(fakeSnaps(300, engine.Queued), false)
	c := h.u.win.Canvas()
	h.clickRow("id0000", 0)
	pressKey(c, fyne.KeyEnd, false)
	if h.u.dl.list.GetScrollOffset() == 0 {
		t.Fatal("End did not scroll the list")
	}
	if r := h.rowFor("id0299"); !r.isSelected() {
		t.Error("the last row is shown but not selected after End")
	}
	pressKey(c, fyne.KeyHome, false)
	if h.u.dl.list.GetScrollOffset() != 0 {
		t.Error("Home did not scroll back to the top")
	}
}

// addDialogFocusables opens the Add dialog over text and lists every
// widget that Tab reaches in it, in order.
func addDialogFocusables(h *harness, text string) []fyne.Focusable {
	h.t.Helper()
	h.u.showAdd(text)
	c := h.u.win.Canvas()
	var seen []fyne.Focusable
	for range 100 {
		f := c.Focused()
		if f == nil || slices.Contains(seen, f) {
			break
		}
		seen = append(seen, f)
		test.FocusNext(c)
	}
	return seen
}

func TestAddDialogKeysWorkWhereverTheFocusIs(t *testing.T) {
	h := newHarness(t)
	c := h.u.win.Canvas()
	// A stream's playlist among them: the dialog offers its quality too.
	all := addDialogFocusables(h, h.url("/f/x.bin")+"\n"+h.url("/f/y.bin")+"\n"+h.srv.URL("/v/master.m3u8"))
	h.u.addDlg.dlg.Hide()
	kinds := map[string]bool{}
	for _, f := range all {
		kinds[fmt.Sprintf("%T", f)] = true
	}
	for _, k := range []string{"*gui.keyEntry", "*gui.keyCheck", "*gui.keyButton", "*gui.keySelect"} {
		if !kinds[k] {
			t.Errorf("Tab never reaches a %s in the Add dialog (it reaches %v)", k, kinds)
		}
	}
	for i := range all {
		h.u.showAdd(h.url(fmt.Sprintf("/f/esc%d.bin", i)))
		for range i {
			test.FocusNext(c)
		}
		focused := c.Focused()
		pressKey(c, fyne.KeyEscape, false)
		if h.u.addDlg != nil {
			t.Fatalf("Escape with %T focused did not close the Add dialog", focused)
		}
	}
	if n := len(h.m.List()); n != 0 {
		t.Fatalf("Escape added %d downloads", n)
	}
	for i := range all {
		h.u.showAdd(h.url(fmt.Sprintf("/f/add%d.bin", i)))
		for range i {
			test.FocusNext(c)
		}
		focused := c.Focused()
		pressShortcut(c, ctrlEnter)
		if h.u.addDlg != nil {
			t.Fatalf("Ctrl+Enter with %T focused did not add", focused)
		}
		h.idByName(fmt.Sprintf("add%d.bin", i))
	}
	// With nothing focused in it, the dialog still takes both keys.
	h.u.showAdd(h.url("/f/last.bin"))
	c.Unfocus()
	pressShortcut(c, ctrlEnter)
	if h.u.addDlg != nil {
		t.Fatal("Ctrl+Enter with nothing focused did not add")
	}
	h.idByName("last.bin")
}
