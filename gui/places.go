package gui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/remote/aria2"
	"github.com/haul-dl/haul/remote/aria2box"
	"github.com/haul-dl/haul/remote/boxes"
)

// The switcher at the top of the window: This computer, or one of the
// remote downloaders set up in Settings. The list, the toolbar, paste,
// drop and the browser hand-off all work on the place it shows.

// thisComputer is the switcher's name for the local engine.
const thisComputer = "This computer"

// prefPlace keeps the place the window showed last, for the next start.
const prefPlace = "place"

// placeBar is the switcher and the line that says how the box is reached.
type placeBar struct {
	pick   *widget.Select
	banner *widget.Label // "nas cannot be reached: …", hidden when fine
	icon   *widget.Icon
	box    *fyne.Container
	row    *fyne.Container

	store      *boxes.Store // nil until loaded (on the worker)
	boxes      []boxes.Box
	current    string // thisComputer or a box's name
	stopFollow context.CancelFunc
	conn       aria2box.Conn
	dlg        *remotesDialog // the open Remote downloaders dialog, for tests
	form       *boxForm       // the open box form, for tests
}

// newPlaceBar builds the switcher, hidden until a remote downloader is
// set up, and loads the boxes in the background.
func (u *UI) newPlaceBar() fyne.CanvasObject {
	p := &placeBar{current: thisComputer}
	u.places = p
	p.pick = widget.NewSelect([]string{thisComputer}, func(name string) { u.switchTo(name) })
	p.pick.SetSelected(thisComputer)
	p.banner = widget.NewLabel("")
	p.banner.Truncation = fyne.TextTruncateEllipsis
	p.icon = widget.NewIcon(theme.WarningIcon())
	p.icon.Hide()
	p.banner.Hide()
	p.row = container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabel("Downloads on"), p.pick, p.icon), nil, p.banner)
	p.box = container.NewVBox(container.NewPadded(p.row), widget.NewSeparator())
	p.box.Hide()
	dir := u.cfg.StateDir
	u.enqueue(func() {
		store := boxes.Open(dir, boxes.Detect(dir)) // Detect may ask D-Bus
		list, err := store.List()
		u.post(func() {
			p.store = store
			if err != nil {
				u.showError(err)
			}
			u.setBoxes(list)
			// Back to the place of the last session, if it is still set up.
			if last := u.app.Preferences().String(prefPlace); last != "" && last != thisComputer && slices.ContainsFunc(list, func(b boxes.Box) bool { return b.Name == last }) {
				p.pick.SetSelected(last)
			}
		})
	})
	return p.box
}

// setBoxes shows the switcher with these boxes, or hides it when there is
// none. UI goroutine only.
func (u *UI) setBoxes(list []boxes.Box) {
	p := u.places
	p.boxes = list
	names := []string{thisComputer}
	found := false
	for _, b := range list {
		names = append(names, b.Name)
		found = found || b.Name == p.current
	}
	p.pick.SetOptions(names)
	if p.current != thisComputer && !found {
		p.pick.SetSelected(thisComputer) // the box in use was removed
	}
	if p.box.Visible() != (len(list) > 0) {
		setVisible(p.box, len(list) > 0)
		u.win.Content().Refresh() // the top of the window grows or shrinks
	}
}

// switchTo shows the downloads of the place called name. UI goroutine only.
func (u *UI) switchTo(name string) {
	p := u.places
	if name == p.current || p.store == nil && name != thisComputer {
		return
	}
	if name == thisComputer {
		u.usePlace(thisComputer, nil)
		return
	}
	var box boxes.Box
	for _, b := range p.boxes {
		if b.Name == name {
			box = b
		}
	}
	store := p.store
	u.enqueue(func() {
		cfg, err := store.Config(box) // the secret store may take a moment
		u.post(func() {
			if p.pick.Selected != name {
				return // the user picked another place meanwhile
			}
			if err != nil {
				u.showError(fmt.Errorf("Could not use %s: %w", name, err))
				p.pick.SetSelected(p.current)
				return
			}
			u.usePlace(name, aria2box.Open(name, cfg, aria2.WatchOptions{}))
		})
	})
}

// usePlace makes b (nil: this computer) the window's place: the new
// place's first batch, its whole list, replaces the list. UI goroutine only.
func (u *UI) usePlace(name string, b *aria2box.Box) {
	p := u.places
	p.current = name
	p.conn = aria2box.Conn{}
	u.app.Preferences().SetString(prefPlace, name)
	if p.stopFollow != nil {
		p.stopFollow()
	}
	if old := u.m.use(b); old != nil {
		go old.Close()
	}
	u.dl.clearSelection() // the new place's first batch is its whole list
	u.followPlace(u.m.Subscribe())
	if b == nil {
		rate := int64(u.set.RateLimitKiB) << 10 // the engine's schedule may hold a limit of its own
		u.enqueue(func() { u.m.SetRateLimit(rate) })
	}
	u.showPlace()
}

// followPlace follows a place's batches (and, for a box, how it is
// reached) until the window closes or shows another place.
func (u *UI) followPlace(sub batchSource) {
	ctx, cancel := context.WithCancel(u.ctx)
	u.places.stopFollow = cancel
	u.wg.Add(1)
	go u.follow(ctx, sub)
	if s, ok := sub.(*aria2box.Subscription); ok {
		u.goJob(func(context.Context) {
			for {
				select {
				case <-ctx.Done():
					return
				case c := <-s.ConnC():
					u.post(func() {
						if ctx.Err() == nil {
							u.places.conn = c
							u.showPlace()
						}
					})
				}
			}
		})
	}
}

// showPlace shows how the box is reached, and hides what it cannot do.
// UI goroutine only.
func (u *UI) showPlace() {
	p := u.places
	text := placeLine(p.current, p.conn)
	p.banner.SetText(text)
	setVisible(p.banner, text != "")
	setVisible(p.icon, p.current != thisComputer && !p.conn.Connected)
	p.row.Refresh() // the icon and the banner come and go
	u.tools.noStartNow = !u.m.can(canStartNow)
	u.tools.noOpen = !u.m.can(canOpenFiles)
	u.showSummary()
}

// placeLine says how a box is reached: "" on this computer, the box's
// totals when connected, otherwise why not and when it tries again.
func placeLine(name string, c aria2box.Conn) string {
	switch {
	case name == thisComputer:
		return ""
	case c.Connected:
		return fmt.Sprintf("Connected · %d active, %d waiting · %s",
			c.Global.NumActive, c.Global.NumWaiting, human.Speed(float64(c.Global.DownloadSpeed)))
	case c.Err == nil:
		return "Connecting to " + safename.Display(name) + "…"
	}
	line := safename.Display(name) + " cannot be reached: " + safename.Display(c.Err.Error())
	if c.Retry > 0 {
		line += ". Trying again in " + human.Duration(c.Retry.Round(time.Second))
	}
	return line
}

// canOpen reports whether downloaded files can be opened here: not those
// of a remote box (rowActions).
func (u *UI) canOpen() bool { return u.m.can(canOpenFiles) }
