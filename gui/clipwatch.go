package gui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine/links"
)

// Clipboard watching: Fyne has no clipboard-changed event, so the UI
// goroutine reads the clipboard once a second and compares a hash of it
// with the last one; only a new text is parsed for links.

// clipPollEvery is how often the clipboard is read while watching.
const clipPollEvery = time.Second

// clipMaxText is the longest clipboard text looked at for links; a
// longer one is passed over (the Add dialog still takes it on Ctrl+V).
const clipMaxText = 256 << 10

// clipRemember is how many texts the watcher remembers having seen.
const clipRemember = 256

// prefClipOffered is the preference holding a digest of the last text
// offered, so that a restart does not offer it again.
const prefClipOffered = "clipboard_last_offered"

// clipWatcher decides which clipboard texts to offer: a text with links
// that was not seen before and that did not come from Haul itself.
type clipWatcher struct {
	seed  maphash.Seed
	last  uint64
	have  bool
	seen  map[uint64]bool // every text looked at, offered or not
	order []uint64        // seen, oldest first, to forget the oldest
	// offered is the SHA-256 (hex) of the last text offered, kept across
	// restarts; saveOffered keeps a new one.
	offered     string
	saveOffered func(digest string)
}

// offeredDigest is the digest of a text kept across restarts: stable
// from run to run, unlike the watcher's seeded hash.
func offeredDigest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

func newClipWatcher() *clipWatcher {
	return &clipWatcher{seed: maphash.MakeSeed(), seen: map[uint64]bool{}}
}

func (w *clipWatcher) hash(text string) uint64 { return maphash.String(w.seed, text) }

// remember marks text as seen, so it is never offered: Haul put it on
// the clipboard, or the user copied or pasted it in Haul's window.
func (w *clipWatcher) remember(text string) {
	h := w.hash(text)
	w.last, w.have = h, true
	if w.seen[h] {
		return
	}
	w.seen[h] = true
	w.order = append(w.order, h)
	if len(w.order) > clipRemember {
		delete(w.seen, w.order[0])
		w.order = w.order[1:]
	}
}

// check looks at the clipboard's text and returns the links to offer,
// if any. ownWindow is true while Haul's window has the focus: what
// appears on the clipboard then was copied in Haul, so it is only
// remembered.
func (w *clipWatcher) check(text string, ownWindow bool) []string {
	h := w.hash(text)
	if w.have && h == w.last {
		return nil // unchanged since the last poll: the common case
	}
	if w.seen[h] {
		w.last = h
		return nil
	}
	w.remember(text)
	if ownWindow || len(text) > clipMaxText {
		return nil
	}
	digest := offeredDigest(text)
	if digest == w.offered {
		return nil // offered before a restart
	}
	found, _ := links.Parse(text)
	if len(found) == 0 {
		return nil
	}
	w.offered = digest
	if w.saveOffered != nil {
		w.saveOffered(digest)
	}
	urls := make([]string, 0, len(found))
	for _, l := range found {
		urls = append(urls, l.URL)
	}
	return urls
}

// offerText is the prompt for links found on the clipboard.
func offerText(n int) string {
	if n == 1 {
		return "1 link copied — Add?"
	}
	return fmt.Sprintf("%d links copied — Add?", n)
}

// watchFocus keeps track of whether Haul's window has the focus. At each
// change the clipboard is looked at first, so that text copied elsewhere
// just before switching to Haul is still offered, and text copied in Haul
// just before leaving it still counts as Haul's own. UI goroutine only.
func (u *UI) watchFocus() {
	lc := u.app.Lifecycle()
	lc.SetOnEnteredForeground(func() {
		u.pollClipboard()
		u.focused.Store(true)
	})
	lc.SetOnExitedForeground(func() {
		u.pollClipboard()
		u.focused.Store(false)
	})
}

// startClipboardPolling runs the poll ticker under the UI's context. It
// costs nothing while watching is off: the clipboard is not read then.
func (u *UI) startClipboardPolling() {
	u.watching.Store(u.desk.set.WatchClipboard)
	clock := u.desk.opt.Clock
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for {
			select {
			case <-u.ctx.Done():
				return
			case <-clock.After(clipPollEvery):
			}
			if u.watching.Load() {
				u.post(u.pollClipboard)
			}
		}
	}()
}

// pollClipboard reads the clipboard and offers new links. UI goroutine
// only: Fyne's clipboard is read there.
func (u *UI) pollClipboard() {
	d := u.desk
	if d == nil || !d.set.WatchClipboard {
		return
	}
	if urls := d.clip.check(u.app.Clipboard().Content(), u.focused.Load()); len(urls) > 0 {
		u.showOffer(urls)
	}
}

// copyText puts text on the clipboard as Haul's own, never to be offered
// back. UI goroutine only.
func (u *UI) copyText(text string) {
	if u.desk != nil {
		u.desk.clip.remember(text)
	}
	u.app.Clipboard().SetContent(text)
}

// offerBar is the small prompt above the list that offers copied links.
type offerBar struct {
	box     *fyne.Container
	label   *widget.Label
	add     *widget.Button
	dismiss *hintButton
	urls    []string
}

// newOfferBar builds the hidden prompt; build places it. UI goroutine
// only.
func (u *UI) newOfferBar() fyne.CanvasObject {
	b := &offerBar{label: widget.NewLabel("")}
	b.add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), func() {
		urls := b.urls
		u.hideOffer()
		u.showAdd(strings.Join(urls, "\n"))
	})
	// The toolbar's Add is the window's one blue button.
	b.add.Importance = widget.MediumImportance
	b.dismiss = newHintButton(theme.CancelIcon(), "Dismiss these links", u.hint, u.hideOffer)
	bar := container.NewBorder(nil, nil, widget.NewIcon(theme.ContentPasteIcon()), container.NewHBox(b.add, b.dismiss), b.label)
	b.box = container.NewVBox(container.NewPadded(bar), widget.NewSeparator())
	b.box.Hide()
	u.offerBar = b
	return b.box
}

// showOffer offers urls in the prompt, replacing any earlier offer. UI
// goroutine only.
func (u *UI) showOffer(urls []string) {
	b := u.offerBar
	if b == nil {
		return
	}
	b.urls = urls
	b.label.SetText(offerText(len(urls)))
	b.box.Show()
	u.win.Content().Refresh() // the bar above the list takes its room
}

// hideOffer takes the prompt away. UI goroutine only.
func (u *UI) hideOffer() {
	if b := u.offerBar; b != nil {
		b.urls = nil
		b.box.Hide()
		u.win.Content().Refresh()
	}
}
