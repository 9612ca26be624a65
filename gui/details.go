package gui

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/filekind"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/internal/outcome"
)

// detailsDialog shows everything about one download in text that can be
// selected and copied: its file, link and folder, size and type, what
// the server said about the file, the checksum, the connections now, a
// map of the byte ranges on disk, and its error or next retry. While
// open it follows the download.
type detailsDialog struct {
	id                       string
	dlg                      *dialog.CustomDialog
	name, message, link, dir *widget.Label
	size, kind, validators   *widget.Label
	checksum, conns, attempt *widget.Label
	history                  *widget.Label // the last attempts, newest first
	fmap                     *fileMap
	limitKiB, connsWanted    *widget.Entry // this download's own limits
	applyBtn                 *widget.Button
	applied                  *widget.Label // what Apply did, or what is wrong
	scroll                   *container.Scroll
	newLink                  *newLinkField // a fresh link for an expired one
	running                  atomic.Bool   // the download runs: followDetails refreshes
	asking                   atomic.Bool   // a refresh is on its way
}

// details opens the details of a download. UI goroutine only.
func (u *UI) details(s engine.Snapshot) {
	wrapped := func(wrap fyne.TextWrap) *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = wrap
		l.Selectable = true
		return l
	}
	d := &detailsDialog{id: s.ID, fmap: newFileMap()}
	for _, l := range []**widget.Label{&d.name, &d.link, &d.dir} {
		*l = wrapped(fyne.TextWrapBreak)
	}
	for _, l := range []**widget.Label{&d.message, &d.size, &d.kind, &d.validators, &d.checksum, &d.conns, &d.attempt, &d.history} {
		*l = wrapped(fyne.TextWrapWord)
	}
	d.newLink = u.newLinkFor(d)
	d.show(engine.Details{Snapshot: s})
	d.limitKiB = widget.NewEntry()
	d.limitKiB.SetPlaceHolder("none")
	d.limitKiB.Validator = optionalInt(1, maxRateKiB)
	d.connsWanted = widget.NewEntry()
	d.connsWanted.Validator = optionalInt(1, engine.MaxConnections)
	d.applyBtn = widget.NewButton("Apply", func() { u.applyDownloadLimits(d) })
	d.applied = widget.NewLabel("")
	d.applied.Wrapping = fyne.TextWrapWord
	d.applied.Hide()
	u.enqueue(func() {
		rate, conns, err := u.m.DownloadLimits(d.id)
		if err != nil {
			return
		}
		u.post(func() {
			if rate > 0 {
				d.limitKiB.SetText(strconv.FormatInt(rate/1024, 10))
			}
			if conns > 0 {
				d.connsWanted.SetText(strconv.Itoa(conns))
			}
		})
	})
	d.connsWanted.SetPlaceHolder(fmt.Sprintf("as in Settings (%d)", u.set.Connections))
	form := widget.NewForm(
		widget.NewFormItem("Speed limit", container.NewBorder(nil, nil, nil, widget.NewLabel("KiB/s"), d.limitKiB)),
		// What Apply did shows under the field; hidden, it takes no row.
		widget.NewFormItem("Connections", container.NewVBox(container.NewBorder(nil, nil, nil, d.applyBtn, d.connsWanted), d.applied)),
		widget.NewFormItem("File", d.name),
		widget.NewFormItem("Message", d.message),
		widget.NewFormItem("Link", d.link),
		widget.NewFormItem("New link", d.newLink.box),
		widget.NewFormItem("Path", d.dir),
		widget.NewFormItem("Size", d.size),
		widget.NewFormItem("Type", d.kind),
		widget.NewFormItem("On disk", d.fmap),
		widget.NewFormItem("Server", d.validators),
		widget.NewFormItem("Checksum", d.checksum),
		widget.NewFormItem("Open now", d.conns),
		widget.NewFormItem("Attempts", d.attempt),
		widget.NewFormItem("History", d.history),
	)
	title := "Download details"
	if s.State == engine.Failed {
		title = "Download failed"
	}
	// The scroll bar is drawn over the content: keep the form clear of it.
	clear := layout.NewCustomPaddedLayout(0, 0, 0, 2*theme.Padding()+theme.ScrollBarSize())
	d.scroll = newWheelVScroll(container.New(clear, form))
	d.dlg = dialog.NewCustom(title, "Close", d.scroll, u.win)
	stopFollowing := u.followDetails(d)
	d.dlg.SetOnClosed(func() {
		stopFollowing()
		if u.infoDlg == d {
			u.infoDlg = nil
		}
	})
	u.hint("", fyne.Position{}) // the pointer is over the dialog now, not the message
	d.dlg.Resize(fyne.NewSize(680, 560))
	d.dlg.Show()
	u.infoDlg = d
	u.refreshDetails()
}

// refreshDetails asks the engine for the details of the download the
// open dialog shows, and shows them. UI goroutine only.
func (u *UI) refreshDetails() {
	d := u.infoDlg
	if d == nil || d.asking.Swap(true) {
		return // closed, or a refresh is on its way
	}
	u.enqueue(func() {
		det, ok := u.m.Details(d.id)
		if !ok {
			d.asking.Store(false)
			return
		}
		u.post(func() {
			d.asking.Store(false)
			if u.infoDlg == d {
				d.show(det)
			}
		})
	})
}

// show fills the dialog from det.
func (d *detailsDialog) show(det engine.Details) {
	s := det.Snapshot
	msg, imp := messageText(s)
	if msg == "" {
		msg = stateWord(s)
	}
	set := func(l *widget.Label, text string) {
		if l.Text != text {
			l.SetText(text)
		}
	}
	set(d.name, safename.Display(s.Name))
	d.message.Importance = imp
	set(d.message, msg)
	set(d.link, safename.Display(s.URL)) // the engine's URL never holds a password
	set(d.dir, safename.Display(s.Path()))
	set(d.size, sizeText(s))
	set(d.kind, kindName(filekind.Of(s.Name, "")))
	set(d.validators, validatorText(det))
	set(d.checksum, checksumText(det))
	set(d.conns, connsText(s))
	now := time.Now()
	set(d.attempt, attemptText(s, now))
	set(d.history, historyText(det, now))
	d.running.Store(s.State == engine.Active)
	d.fmap.set(s.Total, det.Have)
	d.newLink.follow(s)
}

func stateWord(s engine.Snapshot) string {
	w, _ := stateText(s)
	return w
}

func sizeText(s engine.Snapshot) string {
	if s.State == engine.Completed {
		return completedText(s)
	}
	return progressText(s)
}

func validatorText(det engine.Details) string {
	var parts []string
	if det.ETag != "" {
		parts = append(parts, "ETag "+safename.Display(det.ETag))
	}
	if det.LastModified != "" {
		parts = append(parts, "Last-Modified "+safename.Display(det.LastModified))
	}
	if det.Total >= 0 || det.ETag != "" {
		if det.Ranges {
			parts = append(parts, "resumable")
		} else {
			parts = append(parts, "cannot resume")
		}
	}
	if len(parts) == 0 {
		return "Not asked yet"
	}
	return strings.Join(parts, "  ·  ")
}

func checksumText(det engine.Details) string {
	sum := det.Checksum
	if sum == "" {
		sum = det.ServerDigest
	}
	switch {
	case sum == "":
		return "None given"
	case det.Verified:
		return safename.Display(sum) + "  ·  verified"
	case det.State == engine.Completed:
		return safename.Display(sum) + "  ·  not checked"
	}
	return safename.Display(sum) + "  ·  checked when complete"
}

func connsText(s engine.Snapshot) string {
	if s.State != engine.Active {
		return "No connection"
	}
	return plural(s.Conns, "connection")
}

func attemptText(s engine.Snapshot, now time.Time) string {
	switch {
	case s.Retry != nil:
		return outcome.Retrying(s, now)
	case s.State == engine.Failed:
		return "Failed: " + outcome.Failed(s, advice)
	}
	return "No failed attempt"
}

// kindName is a file kind as the details view words it.
func kindName(k filekind.Kind) string {
	return strings.ToUpper(k.String()[:1]) + k.String()[1:]
}

// optionalInt accepts nothing or a whole number from lo to hi.
func optionalInt(lo, hi int) fyne.StringValidator {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := parseInt(s, lo, hi)
		return err
	}
}

// applyDownloadLimits gives the download of d its own speed limit and
// connections, applied by the engine while it runs. UI goroutine only.
func (u *UI) applyDownloadLimits(d *detailsDialog) {
	var kib, conns int
	var err error
	if t := strings.TrimSpace(d.limitKiB.Text); t != "" {
		if kib, err = parseInt(t, 1, maxRateKiB); err != nil {
			d.sayApplied(fmt.Errorf("Speed limit: %w", err).Error(), widget.DangerImportance)
			return
		}
	}
	if t := strings.TrimSpace(d.connsWanted.Text); t != "" {
		if conns, err = parseInt(t, 1, engine.MaxConnections); err != nil {
			d.sayApplied(fmt.Errorf("Connections: %w", err).Error(), widget.DangerImportance)
			return
		}
	}
	id := d.id
	u.enqueue(func() {
		err := u.m.SetDownloadLimit(id, int64(kib)*1024)
		if err == nil {
			err = u.m.SetDownloadConnections(id, conns)
		}
		u.post(func() {
			if err != nil {
				d.sayApplied(fmt.Sprintf("Could not change the download's limits: %v", err), widget.DangerImportance)
				return
			}
			d.sayApplied(appliedText(kib, conns, u.set.Connections), widget.SuccessImportance)
		})
	})
}

// sayApplied shows under Apply what it did or what is wrong.
func (d *detailsDialog) sayApplied(text string, imp widget.Importance) {
	d.applied.Importance = imp
	d.applied.SetText(text)
	d.applied.Show()
}

// appliedText says what Apply set: "Applied: at most 512 KiB/s, 4
// connections", or the settings' values where the fields are empty.
func appliedText(kib, conns, settingsConns int) string {
	limit := "no speed limit of its own"
	if kib > 0 {
		limit = "at most " + human.Speed(float64(kib)*1024)
	}
	c := fmt.Sprintf("connections as in Settings (%d)", settingsConns)
	if conns > 0 {
		c = plural(conns, "connection")
	}
	return "Applied: " + limit + ", " + c
}
