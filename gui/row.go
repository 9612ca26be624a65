package gui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/safename"
	"github.com/haul-dl/haul/internal/human"
	"github.com/haul-dl/haul/internal/outcome"
)

// rowActions are what a row's buttons do with the download it shows.
type rowActions interface {
	pause(id string)
	resume(id string)
	retry(id string)
	cancel(id string)
	remove(id string)
	open(s engine.Snapshot)
	openFolder(s engine.Snapshot)
	details(s engine.Snapshot)
	canOpen() bool // the files are on this computer (not on a remote box)
	// hint shows what the control under the pointer at (absolute) does;
	// "" when it leaves.
	hint(text string, at fyne.Position)
	// click selects the row, with the keyboard modifiers held, and
	// gives the list the keyboard focus.
	click(id string, mod fyne.KeyModifier)
	// focusList gives the list the keyboard focus (after a click's tap).
	focusList()
}

// row shows one download in the list. The list recycles rows: bind
// points a row at another download's binding.
type row struct {
	widget.BaseWidget
	act rowActions

	data     binding.Untyped
	listener binding.DataListener
	snap     engine.Snapshot

	icon     *widget.Icon
	iconKind rowIcon
	name     *nameLabel
	state    *widget.Label
	bar      *progressBar
	detail   *widget.Label
	message  *tapLabel // an error or warning; a click shows it whole

	pauseBtn, resumeBtn, retryBtn, openBtn *hintButton
	cancelBtn, folderBtn, removeBtn        *hintButton

	bottom   *fyne.Container // detail and message share this line
	buttons  *fyne.Container
	selected *canvas.Rectangle

	// The compact density shows one line with fixed columns
	// (rowcompact.go) in place of the bar and the detail line.
	compact                bool
	narrow                 bool // too narrow for the percentage's own column
	line                   *fyne.Container
	pct, size, speed, left *widget.Label
	content                fyne.CanvasObject
	mouse                  bool // a mouse press came: it selects, not the tap after it
}

// newRow builds a row in the comfortable density (three lines) or the
// compact one (one line of columns).
func newRow(act rowActions, compact bool) *row {
	r := &row{act: act, compact: compact}
	r.icon = widget.NewIcon(theme.FileIcon())
	r.name = newNameLabel()
	r.state = widget.NewLabel("")
	r.bar = newProgressBar()
	r.detail = widget.NewLabel("")
	r.detail.SizeName = theme.SizeNameCaptionText
	r.message = newTapLabel("Click to read the whole message", act.hint, func() { r.act.details(r.snap) })
	r.message.SizeName = theme.SizeNameCaptionText

	button := func(icon fyne.Resource, hint string, do func()) *hintButton {
		return newHintButton(icon, hint, act.hint, do)
	}
	r.pauseBtn = button(theme.MediaPauseIcon(), "Pause", func() { r.act.pause(r.snap.ID) })
	r.resumeBtn = button(theme.MediaPlayIcon(), "Resume", func() { r.act.resume(r.snap.ID) })
	r.retryBtn = button(theme.MediaReplayIcon(), "Try again", func() { r.act.retry(r.snap.ID) })
	r.openBtn = button(theme.FileIcon(), "Open the file", func() { r.act.open(r.snap) })
	r.cancelBtn = button(theme.MediaStopIcon(), "Stop and delete what was downloaded", func() { r.act.cancel(r.snap.ID) })
	r.folderBtn = button(theme.FolderOpenIcon(), "Open the folder", func() { r.act.openFolder(r.snap) })
	r.removeBtn = button(theme.DeleteIcon(), "Remove from the list (a completed file stays on disk)", func() { r.act.remove(r.snap.ID) })

	// Fixed button slots keep the columns aligned from row to row: the
	// main action and the secondary one, then, set apart so that it is
	// not taken for Stop, remove.
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(theme.Padding(), 1))
	r.buttons = container.NewHBox(container.NewGridWithColumns(2,
		container.NewStack(r.pauseBtn, r.resumeBtn, r.retryBtn, r.openBtn),
		container.NewStack(r.cancelBtn, r.folderBtn)),
		gap, widget.NewSeparator(), r.removeBtn,
	)
	r.selected = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	r.selected.CornerRadius = theme.InputRadiusSize()
	r.selected.Hide()
	if compact {
		r.state = newCompactLabel(fyne.TextAlignLeading, theme.SizeNameText)
		r.pct = newCompactLabel(fyne.TextAlignTrailing, theme.SizeNameCaptionText)
		r.size = newCompactLabel(fyne.TextAlignTrailing, theme.SizeNameCaptionText)
		r.speed = newCompactLabel(fyne.TextAlignTrailing, theme.SizeNameCaptionText)
		r.left = newCompactLabel(fyne.TextAlignTrailing, theme.SizeNameCaptionText)
		r.message.Truncation = fyne.TextTruncateEllipsis
		r.line = container.New(&compactLayout{r: r}, r.icon, r.name, r.state, r.bar, r.pct, r.size, r.speed, r.left, r.message, r.buttons)
		r.content = container.NewStack(r.selected,
			container.NewThemeOverride(r.line, compactTheme{fyne.CurrentApp().Settings().Theme()}))
		r.ExtendBaseWidget(r)
		r.show(engine.Snapshot{State: engine.Queued, Total: -1, ETA: -1})
		return r
	}
	top := container.NewBorder(nil, nil, nil, r.state, r.name)
	r.bottom = newPair(r.detail, &r.message.Label, 0.6)
	r.bottom.Objects[1] = r.message
	text := container.New(layout.NewCustomPaddedVBoxLayout(0), top, r.bar, r.bottom)
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSize(32, 32), r.icon))
	r.content = container.NewStack(r.selected, container.NewBorder(nil, nil,
		container.NewPadded(icon),
		container.NewCenter(r.buttons),
		text))
	r.ExtendBaseWidget(r)
	r.show(engine.Snapshot{State: engine.Queued, Total: -1, ETA: -1})
	return r
}

// CreateRenderer is part of fyne.Widget.
func (r *row) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// setSelected shows whether the row is selected.
func (r *row) setSelected(on bool) { setVisible(r.selected, on) }

// isSelected says whether the row shows as selected.
func (r *row) isSelected() bool { return r.selected.Visible() }

// MouseDown is part of desktop.Mouseable: a press of the primary button
// selects the row at once, with the modifiers held. (Being
// DoubleTappable makes the driver hold a click's Tapped back for the
// double-click delay; selecting here keeps selection instant.)
func (r *row) MouseDown(e *desktop.MouseEvent) {
	r.mouse = true
	if e.Button == desktop.MouseButtonPrimary && r.snap.ID != "" {
		r.act.click(r.snap.ID, e.Modifier)
	}
}

// MouseUp is part of desktop.Mouseable.
func (r *row) MouseUp(*desktop.MouseEvent) {}

// Tapped is part of fyne.Tappable: where there is no mouse (a touch
// screen), a tap selects the row; after a mouse press, which selected it
// already, the tap keeps the keyboard focus on the list.
func (r *row) Tapped(*fyne.PointEvent) {
	switch {
	case r.snap.ID == "":
	case !r.mouse:
		r.act.click(r.snap.ID, 0)
	default:
		r.act.focusList()
	}
}

// DoubleTapped is part of fyne.DoubleTappable: a double-click opens the
// download's details.
func (r *row) DoubleTapped(*fyne.PointEvent) {
	if r.snap.ID != "" {
		r.act.details(r.snap)
	}
}

// bind makes the row follow data, the binding of one download.
func (r *row) bind(data binding.Untyped) {
	if r.data == data {
		return
	}
	if r.data != nil {
		r.data.RemoveListener(r.listener)
	}
	r.data = data
	r.listener = binding.NewDataListener(func() {
		if r.data != data {
			return // a late call for the binding this row showed before
		}
		if v, err := data.Get(); err == nil {
			if s, ok := v.(engine.Snapshot); ok {
				r.show(s)
			}
		}
	})
	data.AddListener(r.listener)
	// Show the data now too: AddListener's first call may come later.
	if v, err := data.Get(); err == nil {
		if s, ok := v.(engine.Snapshot); ok {
			r.show(s)
		}
	}
}

// unbind stops the row following its download, for a row the list drops.
func (r *row) unbind() {
	if r.data != nil {
		r.data.RemoveListener(r.listener)
		r.data = nil
	}
}

// show updates every part of the row from s.
func (r *row) show(s engine.Snapshot) {
	r.snap = s
	name := s.Name
	if name == "" {
		name = s.URL
	}
	r.name.SetText(safename.Display(name))
	if ic := iconOf(s.Name); ic != r.iconKind || r.icon.Resource == nil {
		r.iconKind = ic
		r.icon.SetResource(ic.resource())
	}

	if !r.compact {
		text, imp := stateText(s)
		setLabel(r.state, text, imp)
	}

	look := barIdle
	switch s.State {
	case engine.Active:
		look = barRunning
	case engine.Completed:
		look = barDone
	case engine.Failed:
		look = barFailed
	}
	p := s.Progress()
	if p < 0 && s.State != engine.Active {
		p = 0
	}
	r.bar.set(p, look, s.State == engine.Active)

	if r.compact {
		r.showCompact(s)
	} else {
		msg, imp := messageText(s)
		changed := setLabel(r.detail, withSource(detailText(s), s), r.detail.Importance)
		if setLabel(&r.message.Label, msg, imp) || changed {
			// The split between detail and message follows the texts; the
			// labels refreshed themselves already.
			relayout(r.bottom)
		}
	}

	st := s.State
	setVisible(r.pauseBtn, st == engine.Queued || st == engine.Active)
	setVisible(r.resumeBtn, st == engine.Paused)
	setVisible(r.retryBtn, st == engine.Failed || st == engine.Canceled)
	setVisible(r.openBtn, st == engine.Completed && r.act.canOpen())
	setVisible(r.cancelBtn, canStop(s))
	setVisible(r.folderBtn, st == engine.Completed && r.act.canOpen())
}

// canStop says whether a row offers Stop (cancel and delete what was
// downloaded): a download that runs or waits, or a failed one that left
// bytes on disk. A failed download with nothing downloaded has nothing
// to delete; Try again and Remove are what it needs.
func canStop(s engine.Snapshot) bool {
	switch s.State {
	case engine.Queued, engine.Active, engine.Paused:
		return true
	case engine.Failed:
		return s.Received > 0
	}
	return false
}

// setLabel shows text in l with importance imp, and says whether that
// changed anything. A label that truncates measures its text again on
// every refresh, which costs: rows refresh several times a second, so
// only what changed is redrawn.
func setLabel(l *widget.Label, text string, imp widget.Importance) bool {
	if l.Text == text && l.Importance == imp {
		return false
	}
	l.Importance = imp
	l.Text = text
	l.Refresh()
	return true
}

// advice is what the window tells a person to do about a kind of
// failure, after the engine's message.
var advice = outcome.Advice{
	engine.KindCertificate: "if it is your own server, add its CA under Extra CA certificates in Settings",
	engine.KindAuth:        "add the link again with its user:password@",
}

// messageText is the error or warning a row shows, "" if none, and how
// to style it.
func messageText(s engine.Snapshot) (string, widget.Importance) {
	switch {
	case s.State == engine.Failed:
		if msg := outcome.Failed(s, advice); msg != "" {
			return msg, widget.DangerImportance
		}
	case s.Retry != nil:
		return outcome.Retrying(s, time.Now()), widget.WarningImportance
	}
	if s.Warning != "" {
		return "⚠ " + safename.Display(s.Warning), widget.WarningImportance
	}
	return "", widget.MediumImportance
}

// stateText is the word for a download's state and how to style it.
func stateText(s engine.Snapshot) (string, widget.Importance) {
	switch s.State {
	case engine.Queued:
		return "Queued", widget.MediumImportance // muted would be hard to read in a long list
	case engine.Active:
		if s.Finishing {
			return "Saving", widget.HighImportance // flushing the file to disk
		}
		return "Downloading", widget.HighImportance
	case engine.Paused:
		return "Paused", widget.MediumImportance
	case engine.Completed:
		return "Completed", widget.SuccessImportance
	case engine.Failed:
		return "Failed", widget.DangerImportance
	case engine.Canceled:
		return "Canceled", widget.LowImportance
	}
	return s.State.String(), widget.MediumImportance
}

// detailText is the line of numbers under the progress bar.
func detailText(s engine.Snapshot) string {
	var parts []string
	switch s.State {
	case engine.Completed:
		parts = append(parts, completedText(s))
	case engine.Canceled:
		return ""
	case engine.Active:
		if s.Received == 0 && s.Retry != nil {
			return "" // retrying: the message says when
		}
		if s.Finishing {
			return progressText(s) + "  ·  saving to disk"
		}
		if s.Received == 0 && s.Total < 0 && s.Speed == 0 && s.Segments == 0 {
			return "Connecting…"
		}
		parts = append(parts, progressText(s), human.Speed(s.Speed))
		if left := human.Duration(s.ETA); left != "" && s.Total >= 0 {
			parts = append(parts, left+" left")
		}
		if s.Conns > 1 {
			parts = append(parts, strconv.Itoa(s.Conns)+" connections")
		}
	default:
		switch {
		case s.Received > 0 || s.Total >= 0:
			parts = append(parts, progressText(s))
		case s.State == engine.Queued:
			parts = append(parts, "Waiting for a free slot")
		case s.State == engine.Paused:
			parts = append(parts, "Not started")
		}
	}
	return strings.Join(parts, "  ·  ")
}

// progressText is "12.3 MiB of 40.0 MiB (30%)", or "12.3 MiB of unknown size".
func progressText(s engine.Snapshot) string {
	if s.Segments > 0 {
		return streamProgress(s)
	}
	t := human.Progress(s.Received, s.Total)
	if p := s.Progress(); p >= 0 {
		t += fmt.Sprintf(" (%d%%)", int(p*100))
	}
	return t
}

func setVisible(o fyne.CanvasObject, v bool) {
	if v == o.Visible() {
		return
	}
	if v {
		o.Show()
	} else {
		o.Hide()
	}
}
