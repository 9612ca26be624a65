package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestClipWatcherOffersEachNewTextOnce(t *testing.T) {
	w := newClipWatcher()
	mail := "Here you go: https://example.org/a.iso and http://example.org/b.zip, cheers"
	if got := w.check(mail, false); len(got) != 2 || got[0] != "https://example.org/a.iso" || got[1] != "http://example.org/b.zip" {
		t.Fatalf("first look at a text with links offers %q", got)
	}
	if got := w.check(mail, false); got != nil {
		t.Errorf("the same text is offered again: %q", got)
	}
	if got := w.check("no links in here", false); got != nil {
		t.Errorf("text without links offers %q", got)
	}
	// Copied again after something else: still not offered twice.
	if got := w.check(mail, false); got != nil {
		t.Errorf("the text copied again is offered again: %q", got)
	}
	// Haul's own text is never offered.
	own := "https://example.org/own.bin"
	w.remember(own)
	if got := w.check(own, false); got != nil {
		t.Errorf("Haul's own text is offered: %q", got)
	}
	// Copied while Haul's window has the focus: Haul's own too, even when
	// it comes back later.
	inHaul := "https://example.org/copied-in-haul.bin"
	if got := w.check(inHaul, true); got != nil {
		t.Errorf("text copied in Haul's window is offered: %q", got)
	}
	if got := w.check(inHaul, false); got != nil {
		t.Errorf("text copied in Haul's window is offered later: %q", got)
	}
	if got := w.check(strings.Repeat("x", clipMaxText)+" https://example.org/big", false); got != nil {
		t.Errorf("an over-long text is parsed: %d links", len(got))
	}
}

func TestClipWatcherForgetsOnlyTheOldest(t *testing.T) {
	w := newClipWatcher()
	first := "https://example.org/first"
	w.check(first, false)
	for i := range clipRemember - 1 {
		w.check("https://example.org/n/"+string(rune('a'+i%26))+strings.Repeat("x", i), false)
	}
	if got := w.check(first, false); got != nil {
		t.Errorf("a text within the last %d is offered again", clipRemember)
	}
	if len(w.seen) > clipRemember || len(w.order) > clipRemember {
		t.Errorf("the watcher keeps %d texts, want at most %d", len(w.seen), clipRemember)
	}
}

func TestClipboardWatchingOffersLinksAndAdds(t *testing.T) {
	h := newDesktopHarness(t, noon, true, func(p fyne.Preferences) { p.SetBool(prefWatchClipboard, true) })
	clip := h.app.Clipboard()
	text := "see " + h.url("/f/c1.bin") + "\nand " + h.url("/f/c2.bin")
	clip.SetContent(text)
	// The poller reads the clipboard once a (fake) second.
	step := noon
	h.until("the offer", func() bool {
		step = step.Add(clipPollEvery)
		h.clock.Advance(step)
		return h.u.offerBar.box.Visible()
	})
	if got := h.u.offerBar.label.Text; got != "2 links copied — Add?" {
		t.Errorf("offer = %q", got)
	}
	if h.u.offerBar.box.Size().Height < h.u.offerBar.add.MinSize().Height {
		t.Errorf("the offer bar is shown but not laid out: %v", h.u.offerBar.box.Size())
	}
	test.Tap(h.u.offerBar.add)
	if h.u.offerBar.box.Visible() || h.u.addDlg == nil {
		t.Fatal("Add did not open the Add dialog")
	}
	if got := h.u.addDlg.links.Text; got != h.url("/f/c1.bin")+"\n"+h.url("/f/c2.bin") {
		t.Errorf("Add dialog holds %q", got)
	}

	// The same text, polled again, is not offered again; nor is text
	// Haul put on the clipboard itself.
	h.u.pollClipboard()
	h.u.copyText(h.url("/f/mine.bin"))
	h.u.pollClipboard()
	if h.u.offerBar.box.Visible() {
		t.Errorf("offered again: %q", h.u.offerBar.label.Text)
	}

	// Switched off, the clipboard is not read.
	s := h.u.desk.set
	s.WatchClipboard = false
	h.u.applyDesktopSettings(s)
	clip.SetContent(h.url("/f/after.bin"))
	h.u.pollClipboard()
	if h.u.offerBar.box.Visible() {
		t.Error("an offer while watching is off")
	}
}

func TestClipboardWatchingIsOffByDefault(t *testing.T) {
	h := newDesktopHarness(t, noon, false, nil)
	h.app.Clipboard().SetContent(h.url("/f/x.bin"))
	for i := 1; i <= 3; i++ {
		h.clock.Advance(noon.Add(time.Duration(i) * clipPollEvery))
	}
	h.u.pollClipboard()
	// Let anything posted run.
	deadline := time.Now().Add(200 * time.Millisecond)
	h.until("a moment", func() bool { return time.Now().After(deadline) })
	if h.u.offerBar.box.Visible() {
		t.Error("links offered with watching off by default")
	}
}

func TestClipboardAtFocusChanges(t *testing.T) {
	h := newDesktopHarness(t, noon, false, func(p fyne.Preferences) { p.SetBool(prefWatchClipboard, true) })
	lc := h.app.Lifecycle().(interface {
		OnEnteredForeground() func()
		OnExitedForeground() func()
	})
	// Copied in the browser, then straight to Haul within the second:
	// still offered.
	h.app.Clipboard().SetContent(h.url("/f/browser.bin"))
	lc.OnEnteredForeground()()
	if !h.u.offerBar.box.Visible() || h.u.offerBar.label.Text != "1 link copied — Add?" {
		t.Fatalf("text copied just before switching to Haul is not offered (%q)", h.u.offerBar.label.Text)
	}
	h.u.hideOffer()
	// Copied in Haul's window, then away within the second: Haul's own.
	h.app.Clipboard().SetContent(h.url("/f/in-haul.bin"))
	lc.OnExitedForeground()()
	h.u.pollClipboard()
	if h.u.offerBar.box.Visible() {
		t.Errorf("text copied in Haul just before leaving it is offered: %q", h.u.offerBar.label.Text)
	}
}

func TestClipboardOfferIsNotMadeAgainAfterARestart(t *testing.T) {
	var saved fyne.Preferences
	keep := func(p fyne.Preferences) {
		p.SetBool(prefWatchClipboard, true)
		if saved != nil {
			p.SetString(prefClipOffered, saved.String(prefClipOffered))
		}
	}
	first := newDesktopHarness(t, noon, false, keep)
	text := "see " + first.url("/f/once.bin")
	first.app.Clipboard().SetContent(text)
	first.u.pollClipboard()
	if !first.u.offerBar.box.Visible() {
		t.Fatal("the text was not offered on the first start")
	}
	first.u.hideOffer() // dismissed
	saved = first.app.Preferences()

	second := newDesktopHarness(t, noon, false, keep)
	second.app.Clipboard().SetContent(text)
	second.u.pollClipboard()
	if second.u.offerBar.box.Visible() {
		t.Errorf("after a restart the same text is offered again: %q", second.u.offerBar.label.Text)
	}
	second.app.Clipboard().SetContent("and " + second.url("/f/new.bin"))
	second.u.pollClipboard()
	if !second.u.offerBar.box.Visible() {
		t.Error("after a restart a new text is not offered")
	}
}
