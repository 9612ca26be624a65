package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/internal/human"
)

// The compact row's height and its narrowest name, in px; the columns
// right of the name are as wide as their widest text (compactWidths), so
// that size, speed and time left line up from row to row and can be
// compared down the page.
const (
	compactHeight = 34
	colIcon       = 28
	colBar        = 84 // the bar; the percentage beside it stays when it goes
	minName       = 140
	// maxName is the widest the name gets: in a wide window the state
	// stays next to it, and the bar takes some of the rest.
	maxName   = 400
	maxBarGap = 120
	// compactPadding is the padding inside the compact row's labels and
	// buttons, less than the theme's so that the columns fit 640 px.
	compactPadding = 4
)

// compactWidths are the widths of the compact row's columns.
type compactWidths struct {
	state, pct, size, speed, left float32
}

// widthsFor measures the columns for their widest texts at the text
// sizes the row uses.
func widthsFor(text, numbers float32) compactWidths {
	w := func(sample string, size float32, bold bool) float32 {
		return fyne.MeasureText(sample, size, fyne.TextStyle{Bold: bold}).Width + 2*compactPadding + 2
	}
	return compactWidths{
		state: w("Downloading", text, false),
		pct:   w("100%", numbers, false),
		size:  w("1023 MiB", numbers, false),
		speed: w("1023 KiB/s", numbers, false),
		left:  w("59 min 59 s", numbers, false),
	}
}

// compactTheme is the theme with compactPadding inside widgets.
type compactTheme struct{ fyne.Theme }

// Size is part of fyne.Theme.
func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInnerPadding {
		return compactPadding
	}
	return t.Theme.Size(n)
}

// compactCells are the texts of a compact row's columns.
type compactCells struct {
	pct, size, speed, left string
}

// compactText is what the compact row shows in its columns beside the
// state: the percentage done, the size, the speed and the time left.
// Only a running download has a speed and a time left.
func compactText(s engine.Snapshot) compactCells {
	var c compactCells
	if p := s.Progress(); p >= 0 && s.State != engine.Completed && s.Segments == 0 {
		c.pct = fmt.Sprintf("%d%%", int(p*100))
	}
	switch {
	case s.Segments > 0:
		c.size = human.Bytes(s.Received)
	case s.Total >= 0:
		c.size = human.Bytes(s.Total)
	case s.Received > 0:
		c.size = human.Bytes(s.Received) + "+"
	}
	if s.State == engine.Active && !s.Finishing && (s.Speed > 0 || s.Received > 0) {
		c.speed = human.Speed(s.Speed)
		if s.Total >= 0 {
			c.left = human.Duration(s.ETA)
		}
	}
	return c
}

// compactLayout lays a compact row out on one line: icon, name, state,
// bar, size, speed, time left, buttons. The message of a failed or
// retrying download takes the place of the bar and the numbers. In a
// narrow window the bar's column goes first (the state says the
// percentage), so the name keeps minName.
type compactLayout struct {
	r *row
}

// compactColumns says which columns a compact row of this width shows
// and how wide its name is; buttons is the width of the buttons. The
// bar goes first, then the percentage's own column (the state column
// says it then).
func compactColumns(width, buttons float32, c compactWidths) (name float32, bar, pct bool) {
	fixed := colIcon + c.state + c.size + c.speed + c.left + buttons
	if name = width - fixed - c.pct - colBar; name >= minName {
		return name, true, true
	}
	if name = width - fixed - c.pct; name >= minName {
		return name, false, true
	}
	return max(width-fixed, 0), false, false
}

func (l *compactLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	r := l.r
	pad := theme.Padding()
	h := size.Height
	buttonsW := r.buttons.MinSize().Width
	c := widthsFor(theme.TextSize(), theme.CaptionTextSize())
	nameW, bar, pct := compactColumns(size.Width, buttonsW, c)
	barW := float32(colBar)
	if nameW > maxName {
		barW += min(nameW-maxName, maxBarGap)
		nameW = maxName
	}
	if r.narrow != !pct {
		r.narrow = !pct
		r.showCompact(r.snap)
	}
	place := func(o fyne.CanvasObject, x, w float32) {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, h))
	}
	iconSize := min(float32(20), h)
	r.icon.Move(fyne.NewPos(pad, (h-iconSize)/2))
	r.icon.Resize(fyne.NewSize(iconSize, iconSize))
	x := float32(colIcon)
	place(r.name, x, nameW)
	x += nameW
	place(r.state, x, c.state)
	x += c.state
	numbers := x
	bar = bar && r.message.Text == ""
	setVisible(r.bar, bar)
	if bar {
		r.bar.Move(fyne.NewPos(x, (h-barHeight)/2))
		r.bar.Resize(fyne.NewSize(barW-pad, barHeight))
		x += barW
	}
	if pct {
		place(r.pct, x, c.pct)
		x += c.pct
	}
	place(r.size, x, c.size)
	x += c.size
	place(r.speed, x, c.speed)
	x += c.speed
	place(r.left, x, c.left)
	x += c.left
	place(r.message, numbers, x-numbers)
	place(r.buttons, size.Width-buttonsW, buttonsW)
}

func (l *compactLayout) MinSize(_ []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(colIcon+minName, compactHeight)
}

// newCompactLabel is a label of a compact row's column.
func newCompactLabel(align fyne.TextAlign, size fyne.ThemeSizeName) *widget.Label {
	l := widget.NewLabel("")
	l.Alignment = align
	l.SizeName = size
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// showCompact updates the compact row's columns from s.
func (r *row) showCompact(s engine.Snapshot) {
	c := compactText(s)
	word, imp := stateText(s)
	if r.narrow && c.pct != "" && s.State == engine.Active {
		word = c.pct // no room for both: the colour says it is running
	}
	setLabel(r.state, word, imp)
	setLabel(r.pct, c.pct, widget.MediumImportance)
	// Not on screen in this density, but kept for what reads the row.
	setLabel(r.detail, withSource(detailText(s), s), r.detail.Importance)
	setLabel(r.size, c.size, widget.MediumImportance)
	setLabel(r.speed, c.speed, widget.MediumImportance)
	setLabel(r.left, c.left, widget.MediumImportance)
	msg, mimp := messageText(s)
	setLabel(&r.message.Label, msg, mimp)
	numbers := msg == ""
	setVisible(r.pct, numbers && !r.narrow)
	setVisible(r.size, numbers)
	setVisible(r.speed, numbers)
	setVisible(r.left, numbers)
	setVisible(r.message, !numbers)
	if r.line.Size().Width > 0 {
		relayout(r.line)
	}
}
