package gui

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/schedule"
)

// weekOrder is the order the day boxes are shown in.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// whenEmptyChoices name the schedule.EmptyAction values, in order.
var whenEmptyChoices = []string{"Do nothing", "Quit Haul"}

// windowEditor edits one schedule.Window.
type windowEditor struct {
	on         *widget.Check
	start, end *widget.Entry
	days       []*widget.Check
}

func newWindowEditor(label string, w schedule.Window) *windowEditor {
	e := &windowEditor{start: widget.NewEntry(), end: widget.NewEntry()}
	for _, x := range []*widget.Entry{e.start, e.end} {
		x.SetPlaceHolder("HH:MM")
		x.Validator = func(s string) error { _, err := schedule.ParseMinutes(s); return err }
	}
	e.start.SetText(schedule.FormatMinutes(w.Start))
	e.end.SetText(schedule.FormatMinutes(w.End))
	for _, d := range weekOrder {
		c := widget.NewCheck(d.String()[:3], nil)
		c.SetChecked(w.Days.Has(d))
		e.days = append(e.days, c)
	}
	e.on = widget.NewCheck(label, func(on bool) { e.enable(on) })
	e.on.SetChecked(w.On)
	e.enable(w.On)
	return e
}

func (e *windowEditor) enable(on bool) {
	setEnabled(e.start, on)
	setEnabled(e.end, on)
	for _, c := range e.days {
		setEnabled(c, on)
	}
}

// times is the "from [..] to [..]" row.
func (e *windowEditor) times() fyne.CanvasObject {
	box := func(x *widget.Entry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(84, x.MinSize().Height), x)
	}
	return container.NewHBox(widget.NewLabel("from"), box(e.start), widget.NewLabel("to"), box(e.end))
}

// dayRow is the row of day boxes.
func (e *windowEditor) dayRow() fyne.CanvasObject {
	row := container.NewHBox()
	for _, c := range e.days {
		row.Add(c)
	}
	return row
}

func (e *windowEditor) read() (schedule.Window, error) {
	w := schedule.Window{On: e.on.Checked}
	var errs []error
	var err error
	if w.Start, err = schedule.ParseMinutes(e.start.Text); err != nil {
		errs = append(errs, fmt.Errorf("start: %w", err))
	}
	if w.End, err = schedule.ParseMinutes(e.end.Text); err != nil {
		errs = append(errs, fmt.Errorf("end: %w", err))
	}
	for i, c := range e.days {
		w.Days = w.Days.With(weekOrder[i], c.Checked)
	}
	if err := w.Valid(); err != nil {
		errs = append(errs, err)
	}
	return w, errors.Join(errs...)
}

// scheduleEditor edits a schedule.Plan: the queue window, the speed
// window with its limit, and what to do when the queue empties. It is
// self-contained: made from a plan, shown as form items, read back as a
// plan; where it is shown and where the plan goes is its owner's.
type scheduleEditor struct {
	queue, limit *windowEditor
	limitKiB     *widget.Entry
	whenEmpty    *widget.Select
}

// newScheduleEditor shows plan p.
func newScheduleEditor(p schedule.Plan) *scheduleEditor {
	e := &scheduleEditor{
		queue: newWindowEditor("Run the queue only", p.Queue),
		limit: newWindowEditor("Limit the speed to", p.Limit),
	}
	e.limitKiB = widget.NewEntry()
	e.limitKiB.Validator = intValidator(1, maxRateKiB)
	e.limitKiB.SetText(strconv.FormatInt(max(p.LimitBytes>>10, 1), 10))
	limitOn := e.limit.on.OnChanged
	e.limit.on.OnChanged = func(on bool) { limitOn(on); setEnabled(e.limitKiB, on) }
	setEnabled(e.limitKiB, p.Limit.On)
	e.whenEmpty = widget.NewSelect(whenEmptyChoices, nil)
	e.whenEmpty.SetSelectedIndex(int(p.WhenEmpty))
	return e
}

// formItems are the editor's rows, for a widget.Form.
func (e *scheduleEditor) formItems() []*widget.FormItem {
	kib := container.NewHBox(container.NewGridWrap(fyne.NewSize(84, e.limitKiB.MinSize().Height), e.limitKiB), widget.NewLabel("KiB/s"))
	note := widget.NewLabel("A time range ending before it starts runs past midnight. Outside the speed range, the limit of Settings applies.")
	note.SizeName = theme.SizeNameCaptionText
	note.Wrapping = fyne.TextWrapWord
	return []*widget.FormItem{
		widget.NewFormItem("Queue", container.NewVBox(container.NewHBox(e.queue.on, e.queue.times()), e.queue.dayRow())),
		widget.NewFormItem("Speed", container.NewVBox(container.NewHBox(e.limit.on, kib, e.limit.times()), e.limit.dayRow())),
		widget.NewFormItem("", note),
		widget.NewFormItem("When the queue empties", container.NewHBox(e.whenEmpty)),
	}
}

// plan returns the plan the editor holds, or what is wrong with it; old
// gives what the editor does not show (the limit while it is off).
func (e *scheduleEditor) plan(old schedule.Plan) (schedule.Plan, error) {
	p := old
	var errs []error
	var err error
	if p.Queue, err = e.queue.read(); err != nil {
		errs = append(errs, fmt.Errorf("Queue: %w", err))
	}
	if p.Limit, err = e.limit.read(); err != nil {
		errs = append(errs, fmt.Errorf("Speed limit: %w", err))
	}
	if e.limit.on.Checked {
		n, err := parseInt(e.limitKiB.Text, 1, maxRateKiB)
		if err != nil {
			errs = append(errs, fmt.Errorf("Speed limit: %w", err))
		}
		p.LimitBytes = int64(n) << 10
	}
	p.WhenEmpty = schedule.EmptyAction(max(e.whenEmpty.SelectedIndex(), 0))
	return p, errors.Join(errs...)
}
