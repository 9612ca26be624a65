package gui

import (
	"fyne.io/fyne/v2"

	"github.com/haul-dl/haul/schedule"
)

// Preference keys of the desktop integration, and those an older Haul
// kept its schedule in (read once, see storedPlan).
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
	// prefHeld are the downloads an older Haul's schedule paused; they
	// are resumed when its plan moves into the engine.
	prefHeld = "schedule_held"
)

// desktopSettings are the choices of the tray, notifications and
// clipboard watching, kept in Fyne's preferences with the others. The
// schedule is the engine's (see scheduler).
type desktopSettings struct {
	CloseToTray    bool // closing the window keeps Haul in the tray (where there is one)
	NotifyBatches  bool // one notification when a batch of downloads finishes
	WatchClipboard bool // offer links copied anywhere
}

// defaultPlan is the schedule offered before any was saved: switched
// off, with the times of the usual examples filled in.
var defaultPlan = schedule.Plan{
	Queue:      schedule.Window{Start: 1 * 60, End: 7 * 60, Days: schedule.Everyday},
	Limit:      schedule.Window{Start: 9 * 60, End: 18 * 60, Days: schedule.Weekdays},
	LimitBytes: 500 << 10,
}

// editablePlan is p as the editor shows it: a window never set (off, on
// no day) shows the default's times instead of 00:00 on no day.
func editablePlan(p schedule.Plan) schedule.Plan {
	if p.Queue == (schedule.Window{}) {
		p.Queue = defaultPlan.Queue
	}
	if p.Limit == (schedule.Window{}) {
		p.Limit = defaultPlan.Limit
		if p.LimitBytes == 0 {
			p.LimitBytes = defaultPlan.LimitBytes
		}
	}
	return p
}

func loadDesktopSettings(p fyne.Preferences) desktopSettings {
	return desktopSettings{
		CloseToTray:    p.BoolWithFallback(prefCloseToTray, true),
		NotifyBatches:  p.BoolWithFallback(prefNotifyBatches, true),
		WatchClipboard: p.BoolWithFallback(prefWatchClipboard, false),
	}
}

// save writes the settings that differ from those stored (a default is
// not written out): every change rewrites Fyne's preferences file, and
// changes close together can make its file watcher read the file half
// written ("Preferences load error: EOF").
func (s desktopSettings) save(p fyne.Preferences) {
	old := loadDesktopSettings(p)
	setBool := func(key string, v, was bool) {
		if v != was {
			p.SetBool(key, v)
		}
	}
	setBool(prefCloseToTray, s.CloseToTray, old.CloseToTray)
	setBool(prefNotifyBatches, s.NotifyBatches, old.NotifyBatches)
	setBool(prefWatchClipboard, s.WatchClipboard, old.WatchClipboard)
}

// planKeys are the preference keys an older Haul kept its schedule in.
var planKeys = []string{
	prefQueueOn, prefQueueStart, prefQueueEnd, prefQueueDays,
	prefLimitOn, prefLimitStart, prefLimitEnd, prefLimitDays, prefLimitKiB,
	prefWhenEmpty, prefHeld,
}

// storedPlan is the schedule an older Haul saved in the preferences, if
// there is one (it saved every key at once). A window that does not
// read as valid is the default's.
func storedPlan(p fyne.Preferences) (schedule.Plan, bool) {
	if p.IntWithFallback(prefQueueStart, -1) < 0 {
		return schedule.Plan{}, false
	}
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
	return plan, true
}

// forgetStoredPlan removes the schedule an older Haul saved in the
// preferences, once the engine has it.
func forgetStoredPlan(p fyne.Preferences) {
	for _, k := range planKeys {
		p.RemoveValue(k)
	}
}
