package gui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/schedule"
)

// desktopPane is the "Schedule & desktop" tab of Settings: the schedule
// editor and the tray, notification and clipboard options, saved with
// the rest of Settings by its one Save.
type desktopPane struct {
	*scheduleEditor
	plan                schedule.Plan // the plan shown, for what the editor does not show
	was                 desktopSettings
	closeToTray, notify *widget.Check
	watchClipboard      *widget.Check
	form                *widget.Form // the tab's fields, made by content
}

// newDesktopPane shows the schedule and the desktop settings of u. UI
// goroutine only; u.desk must be set.
func (u *UI) newDesktopPane() *desktopPane {
	cur, plan := u.desk.set, editablePlan(u.desk.sched.plan)
	d := &desktopPane{scheduleEditor: newScheduleEditor(plan), plan: plan, was: cur}
	d.closeToTray = widget.NewCheck("Keep Haul in the tray when the window is closed", nil)
	d.closeToTray.SetChecked(cur.CloseToTray)
	if u.desk.tray == nil {
		d.closeToTray.Text = "Keep Haul in the tray when the window is closed (this desktop has no tray)"
		d.closeToTray.Disable()
	}
	d.notify = widget.NewCheck("Notify me when a batch of downloads finishes", nil)
	d.notify.SetChecked(cur.NotifyBatches)
	d.watchClipboard = widget.NewCheck("Offer links I copy in other programs", nil)
	d.watchClipboard.SetChecked(cur.WatchClipboard)
	return d
}

// content is the tab's form.
func (d *desktopPane) content() *widget.Form {
	d.form = widget.NewForm(d.formItems()...)
	d.form.Append("Desktop", container.NewVBox(d.closeToTray, d.notify, d.watchClipboard))
	return d.form
}

// read returns the plan and the desktop settings the tab holds, or what
// is wrong with the plan.
func (d *desktopPane) read() (schedule.Plan, desktopSettings, error) {
	p, err := d.scheduleEditor.plan(d.plan)
	s := d.was
	s.CloseToTray = d.closeToTray.Checked
	s.NotifyBatches = d.notify.Checked
	s.WatchClipboard = d.watchClipboard.Checked
	return p, s, err
}

// apply puts the plan and the desktop settings the tab holds in force.
// UI goroutine only.
func (u *UI) applyDesktopPane(p schedule.Plan, s desktopSettings) {
	if p != editablePlan(u.desk.sched.plan) { // unchanged: nothing to store
		u.setPlan(p)
	}
	u.applyDesktopSettings(s)
}
