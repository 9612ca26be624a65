package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// listFocus holds the download list and takes the keyboard focus for it:
// a click on a row focuses it, so Space, Delete, Enter and the arrows act
// on the selection rather than on the filter box or a drop-down that had
// the focus before. It tracks Shift itself, since Fyne's key events carry
// no modifiers.
type listFocus struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onKey   func(k *fyne.KeyEvent, shift bool)
	shift   bool
	focused bool
}

func newListFocus(content fyne.CanvasObject, onKey func(*fyne.KeyEvent, bool)) *listFocus {
	f := &listFocus{content: content, onKey: onKey}
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer is part of fyne.Widget.
func (f *listFocus) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(f.content) }

// FocusGained is part of fyne.Focusable.
func (f *listFocus) FocusGained() { f.focused = true }

// FocusLost is part of fyne.Focusable.
func (f *listFocus) FocusLost() { f.focused, f.shift = false, false }

// TypedRune is part of fyne.Focusable: Space comes as a key too.
func (f *listFocus) TypedRune(rune) {}

// TypedKey is part of fyne.Focusable.
func (f *listFocus) TypedKey(k *fyne.KeyEvent) {
	if f.onKey != nil {
		f.onKey(k, f.shift)
	}
}

// KeyDown is part of desktop.Keyable.
func (f *listFocus) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		f.shift = true
	}
}

// KeyUp is part of desktop.Keyable.
func (f *listFocus) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		f.shift = false
	}
}

// filterEntry is the filter box: Escape hands the focus back to the list.
type filterEntry struct {
	widget.Entry
	onEscape func()
}

func newFilterEntry() *filterEntry {
	e := &filterEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey is part of fyne.Focusable.
func (e *filterEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// listPage is how many rows Page Up and Page Down move.
const listPage = 10

// listKey is what a key does to the list and its selection, wherever it
// came from: the focused list, or the window with nothing focused.
// While a dialog is over the list, the keys are the dialog's: Escape
// closes the Add dialog, the rest are ignored. UI goroutine only.
func (u *UI) listKey(k *fyne.KeyEvent, shift bool) {
	if u.win.Canvas().Overlays().Top() != nil {
		if d := u.addDlg; d != nil {
			d.keys.key(k)
		}
		return
	}
	switch k.Name {
	case fyne.KeySpace:
		u.spaceKey()
	case fyne.KeyDelete:
		u.askRemove(u.dl.selected())
	case fyne.KeyReturn, fyne.KeyEnter:
		u.openSelected()
	case fyne.KeyEscape:
		u.dl.clearSelection()
	case fyne.KeyUp:
		u.dl.step(-1, shift)
	case fyne.KeyDown:
		u.dl.step(1, shift)
	case fyne.KeyPageUp:
		u.dl.step(-listPage, shift)
	case fyne.KeyPageDown:
		u.dl.step(listPage, shift)
	case fyne.KeyHome:
		u.dl.jump(0, shift)
	case fyne.KeyEnd:
		u.dl.jump(len(u.dl.shown)-1, shift)
	}
}

// focusList gives the keyboard focus to the list. UI goroutine only.
func (u *UI) focusList() { u.win.Canvas().Focus(u.dl.keys) }

// submitKey is Ctrl+Enter reaching the window from a widget that takes
// no shortcuts: it adds from an open Add dialog.
func (u *UI) submitKey(s fyne.Shortcut) {
	if d := u.addDlg; d != nil {
		d.keys.shortcut(s)
	}
}
