package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// dialogKeys are a dialog's two keys, which must work wherever the focus
// is in it: Ctrl+Enter submits, Escape cancels. Widgets that take the
// focus hold one and try it before their own handling; Ctrl+Enter on a
// widget that takes no shortcuts reaches the window, which hands it to
// the open dialog (UI.submitKey).
type dialogKeys struct {
	submit, cancel func()
}

// key handles Escape; false if k is not for the dialog.
func (d *dialogKeys) key(k *fyne.KeyEvent) bool {
	if d == nil || k.Name != fyne.KeyEscape || d.cancel == nil {
		return false
	}
	d.cancel()
	return true
}

// shortcut handles Ctrl+Enter; false if s is not for the dialog.
func (d *dialogKeys) shortcut(s fyne.Shortcut) bool {
	if d == nil || !isSubmit(s) || d.submit == nil {
		return false
	}
	d.submit()
	return true
}

// isSubmit says whether s is Ctrl+Enter (Cmd+Enter on a Mac).
func isSubmit(s fyne.Shortcut) bool {
	c, ok := s.(*desktop.CustomShortcut)
	return ok && (c.KeyName == fyne.KeyReturn || c.KeyName == fyne.KeyEnter) &&
		c.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
}

// keyEntry is a text box of a dialog with dialogKeys.
type keyEntry struct {
	widget.Entry
	keys *dialogKeys
}

func newKeyEntry(multiLine bool, keys *dialogKeys) *keyEntry {
	e := &keyEntry{keys: keys}
	e.MultiLine = multiLine
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut is part of fyne.Shortcutable.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.keys.shortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

// TypedKey is part of fyne.Focusable.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.keys.key(k) {
		e.Entry.TypedKey(k)
	}
}

// keyCheck is a tick box of a dialog with dialogKeys.
type keyCheck struct {
	widget.Check
	keys *dialogKeys
}

func newKeyCheck(label string, keys *dialogKeys, changed func(bool)) *keyCheck {
	c := &keyCheck{keys: keys}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey is part of fyne.Focusable.
func (c *keyCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.keys.key(k) {
		c.Check.TypedKey(k)
	}
}

// keyButton is a button of a dialog with dialogKeys.
type keyButton struct {
	widget.Button
	keys *dialogKeys
}

func newKeyButton(label string, keys *dialogKeys, tapped func()) *keyButton {
	b := &keyButton{keys: keys}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey is part of fyne.Focusable.
func (b *keyButton) TypedKey(k *fyne.KeyEvent) {
	if !b.keys.key(k) {
		b.Button.TypedKey(k)
	}
}

// keySelect is a drop-down of a dialog with dialogKeys.
type keySelect struct {
	widget.Select
	keys *dialogKeys
}

func newKeySelect(options []string, keys *dialogKeys) *keySelect {
	s := &keySelect{keys: keys}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey is part of fyne.Focusable.
func (s *keySelect) TypedKey(k *fyne.KeyEvent) {
	if !s.keys.key(k) {
		s.Select.TypedKey(k)
	}
}

// keyList is a list of a dialog with dialogKeys.
type keyList struct {
	widget.List
	keys *dialogKeys
}

func newKeyList(keys *dialogKeys, length func() int, create func() fyne.CanvasObject,
	update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{keys: keys}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey is part of fyne.Focusable.
func (l *keyList) TypedKey(k *fyne.KeyEvent) {
	if !l.keys.key(k) {
		l.List.TypedKey(k)
	}
}
