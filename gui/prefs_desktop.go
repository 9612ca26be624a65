package gui

import (
	"fyne.io/fyne/v2"

	"github.com/haul-dl/haul/schedule"
)

// Preference keys of the desktop integration and the schedule.
const (
	prefCloseToTray    = "close_to_tray"
	prefNotifyBatches  = "notify_batches"
	prefWatchClipboard = "watch_clipboard"
	prefTrayHintShown  = "tray_hint_shown"

	prefQueueOn    = "schedule_queue_on"
	prefQueueStart = "schedule_queue_start"
	prefQueueEnd   = "schedule_queue_end"
	prefQueueDays  = "schedule_queue_days"
	prefLimitOn    = "schedule_limit_on"
	prefLimitStart = "schedule_limit_start"
	prefLimitEnd   = "schedule_limit_end"
	prefLimitDays  = "schedule_limit_days"
	prefLimitKiB   = "schedule_limit_kib"
	prefWhenEmpty  = "schedule_when_empty"
	// prefHeld are the downloads the schedule paused, to resume when the
	// queue window opens, across restarts.
	prefHeld = "schedule_held"
)

// desktopSettings are the choices of the tray, notifications, clipboard
// watching and the schedule, kept in Fyne's preferences with the others.
type desktopSettings struct {
	CloseToTray    bool // closing the window keeps Haul in the tray (where there is one)
	NotifyBatches  bool // one notification when a batch of downloads finishes
	WatchClipboard bool // offer links copied anywhere
	Plan           schedule.Plan
}

// defaultPlan is the schedule offered before any was saved: switched
// off, with the times of the usual examples filled in.
var defaultPlan = schedule.Plan{
	Queue:      schedule.Window{Start: 1 * 60, End: 7 * 60, Days: schedule.Everyday},
	Limit:      schedule.Window{Start: 9 * 60, End: 18 * 60, Days: schedule.Weekdays},
	LimitBytes: 500 << 10,
}

func loadDesktopSettings(p fyne.Preferences) desktopSettings {
	d := defaultPlan
	window := func(on, start, end, days string, def schedule.Window) schedule.Window {
		w := schedule.Window{
			On:    p.BoolWithFallback(on, def.On),
			Start: p.IntWithFallback(start, def.Start),
			End:   p.IntWithFallback(end, def.End),
			Days:  schedule.Days(p.IntWithFallback(days, int(def.Days))),
		}
		if w.Valid() != nil {
			return def
		}
		return w
	}
	plan := schedule.Plan{
		Queue:      window(prefQueueOn, prefQueueStart, prefQueueEnd, prefQueueDays, d.Queue),
		Limit:      window(prefLimitOn, prefLimitStart, prefLimitEnd, prefLimitDays, d.Limit),
		LimitBytes: int64(p.IntWithFallback(prefLimitKiB, int(d.LimitBytes>>10))) << 10,
		WhenEmpty:  schedule.EmptyAction(p.IntWithFallback(prefWhenEmpty, int(schedule.DoNothing))),
	}
	if plan.LimitBytes < 0 || plan.LimitBytes > int64(maxRateKiB)<<10 {
		plan.LimitBytes = d.LimitBytes
	}
	if plan.WhenEmpty != schedule.Quit {
		plan.WhenEmpty = schedule.DoNothing
	}
	return desktopSettings{
		CloseToTray:    p.BoolWithFallback(prefCloseToTray, true),
		NotifyBatches:  p.BoolWithFallback(prefNotifyBatches, true),
		WatchClipboard: p.BoolWithFallback(prefWatchClipboard, false),
		Plan:           plan,
	}
}

func (s desktopSettings) save(p fyne.Preferences) {
	p.SetBool(prefCloseToTray, s.CloseToTray)
	p.SetBool(prefNotifyBatches, s.NotifyBatches)
	p.SetBool(prefWatchClipboard, s.WatchClipboard)
	q, l := s.Plan.Queue, s.Plan.Limit
	p.SetBool(prefQueueOn, q.On)
	p.SetInt(prefQueueStart, q.Start)
	p.SetInt(prefQueueEnd, q.End)
	p.SetInt(prefQueueDays, int(q.Days))
	p.SetBool(prefLimitOn, l.On)
	p.SetInt(prefLimitStart, l.Start)
	p.SetInt(prefLimitEnd, l.End)
	p.SetInt(prefLimitDays, int(l.Days))
	p.SetInt(prefLimitKiB, int(s.Plan.LimitBytes>>10))
	p.SetInt(prefWhenEmpty, int(s.Plan.WhenEmpty))
}
