package schedule

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on machines without zoneinfo
)

// zone is a DST-free local clock, two hours east of UTC, so that a test
// passing on UTC alone cannot hide a time-zone slip.
var zone = time.FixedZone("UTC+2", 2*3600)

// at is a wall-clock time in zone; 2026-06-01 is a Monday.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 6, day, hour, minute, 0, 0, zone)
}

func hm(h, m int) int { return h*60 + m }

func TestQueueWindowAcrossMidnightOnWeekdays(t *testing.T) {
	// Start at 23:00, stop at 07:00, on weekdays: Friday night counts
	// (it starts on a Friday), Saturday night does not.
	w := Window{On: true, Start: hm(23, 0), End: hm(7, 0), Days: Weekdays}
	cases := []struct {
		t    time.Time
		want bool
	}{
		{at(1, 22, 59), false}, // Monday, a minute before
		{at(1, 23, 0), true},   // exactly at the start minute
		{at(2, 3, 0), true},    // Tuesday 03:00, carried over from Monday
		{at(2, 6, 59), true},
		{at(2, 7, 0), false},   // exactly at the end minute
		{at(5, 23, 30), true},  // Friday night
		{at(6, 6, 0), true},    // Saturday morning, carried over from Friday
		{at(6, 23, 30), false}, // Saturday night: a day not chosen
		{at(7, 2, 0), false},   // Sunday morning
		{at(7, 23, 30), false}, // Sunday night
		{at(8, 0, 30), false},  // Monday 00:30: Sunday's night is not chosen
	}
	for _, c := range cases {
		if got := w.Contains(c.t); got != c.want {
			t.Errorf("%s: inside = %v, want %v", c.t.Format("Mon 15:04"), got, c.want)
		}
	}
}

func TestWindowSameDayAndDayNotChosen(t *testing.T) {
	w := Window{On: true, Start: hm(1, 0), End: hm(7, 0), Days: 1 << time.Wednesday}
	if !w.Contains(at(3, 1, 0)) || w.Contains(at(3, 7, 0)) || w.Contains(at(3, 0, 59)) {
		t.Error("Wednesday 01:00–07:00 boundaries are wrong")
	}
	if w.Contains(at(2, 3, 0)) || w.Contains(at(4, 3, 0)) {
		t.Error("the window holds on a day not chosen")
	}
	if got, want := w.Until(at(2, 12, 0)), at(3, 1, 0); !got.Equal(want) {
		t.Errorf("Until on Tuesday = %v, want the next start %v", got, want)
	}
	if got, want := w.Until(at(3, 7, 0)), at(10, 1, 0); !got.Equal(want) {
		t.Errorf("Until right at the end = %v, want next week's start %v", got, want)
	}
	if got, want := w.Until(at(3, 1, 0)), at(3, 7, 0); !got.Equal(want) {
		t.Errorf("Until right at the start = %v, want the end %v", got, want)
	}
}

func TestWholeDayWindowsMerge(t *testing.T) {
	w := Window{On: true, Start: 0, End: 0, Days: Weekdays}
	if !w.Contains(at(1, 0, 0)) || !w.Contains(at(5, 23, 59)) || w.Contains(at(6, 0, 0)) {
		t.Error("a whole-day window on weekdays is wrong")
	}
	// Monday to Friday is one stretch: it ends on Saturday at 00:00.
	if got, want := w.Until(at(1, 10, 0)), at(6, 0, 0); !got.Equal(want) {
		t.Errorf("Until = %v, want %v", got, want)
	}
	every := Window{On: true, Start: hm(6, 0), End: hm(6, 0), Days: Everyday}
	if !every.Until(at(1, 10, 0)).IsZero() {
		t.Error("a window that is always inside should never change")
	}
}

func TestOffWindowHoldsNothing(t *testing.T) {
	w := Window{Start: 0, End: 0, Days: Everyday}
	if w.Contains(at(1, 12, 0)) || !w.Until(at(1, 12, 0)).IsZero() {
		t.Error("a window that is off holds or changes")
	}
}

func TestPlanDecisions(t *testing.T) {
	p := Plan{
		Queue:      Window{On: true, Start: hm(1, 0), End: hm(7, 0), Days: Weekdays},
		Limit:      Window{On: true, Start: hm(9, 0), End: hm(18, 0), Days: Everyday},
		LimitBytes: 500 << 10,
	}
	d := p.At(at(1, 12, 0)) // Monday noon: queue stopped, limited
	if d.QueueRuns || !d.QueueScheduled || !d.Limited || d.Limit != 500<<10 {
		t.Errorf("Monday noon: %+v", d)
	}
	if !d.QueueUntil.Equal(at(2, 1, 0)) || !d.LimitUntil.Equal(at(1, 18, 0)) {
		t.Errorf("Monday noon: until %v and %v", d.QueueUntil, d.LimitUntil)
	}
	if !d.Next().Equal(at(1, 18, 0)) {
		t.Errorf("Next = %v, want 18:00", d.Next())
	}
	d = p.At(at(2, 2, 0)) // Tuesday 02:00: running, not limited
	if !d.QueueRuns || d.Limited || d.Limit != 0 {
		t.Errorf("Tuesday 02:00: %+v", d)
	}
	d = Plan{}.At(at(1, 12, 0))
	if !d.QueueRuns || d.QueueScheduled || d.Limited || !d.Next().IsZero() {
		t.Errorf("an empty plan decides %+v", d)
	}
}

func TestLocationDecidesTheWallClock(t *testing.T) {
	// 23:30 UTC on Monday is 01:30 on Tuesday two hours east: inside a
	// 01:00–07:00 window there, outside it on UTC.
	p := Plan{Queue: Window{On: true, Start: hm(1, 0), End: hm(7, 0), Days: Everyday}}
	u := time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC)
	if p.At(u).QueueRuns {
		t.Error("on UTC, 23:30 is outside 01:00–07:00")
	}
	if !p.At(u.In(zone)).QueueRuns {
		t.Error("two hours east, the same instant is 01:30, inside")
	}
}

func TestValid(t *testing.T) {
	if err := (Plan{Queue: Window{On: true, Start: 60, End: 120}}).Valid(); err == nil {
		t.Error("a queue window with no day is accepted")
	}
	if err := (Plan{Limit: Window{Start: 1440}}).Valid(); err == nil {
		t.Error("24:00 is accepted")
	}
	if err := (Plan{Queue: Window{On: true, Start: 60, End: 120, Days: Weekend}}).Valid(); err != nil {
		t.Errorf("a good plan is refused: %v", err)
	}
}

func TestParseAndFormatMinutes(t *testing.T) {
	for in, want := range map[string]int{"01:00": 60, "7:05": 425, "23:59": 1439, " 00:00 ": 0} {
		if got, err := ParseMinutes(in); err != nil || got != want {
			t.Errorf("ParseMinutes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"24:00", "12:60", "1200", "12:5", "noon", "-1:00", ""} {
		if _, err := ParseMinutes(in); err == nil {
			t.Errorf("ParseMinutes(%q) accepted", in)
		}
	}
	if FormatMinutes(425) != "07:05" {
		t.Errorf("FormatMinutes(425) = %s", FormatMinutes(425))
	}
}

func TestDaysString(t *testing.T) {
	for d, want := range map[Days]string{Weekdays: "weekdays", Everyday: "every day", Weekend: "weekends",
		1<<time.Monday | 1<<time.Sunday: "Mon, Sun"} {
		if got := d.String(); got != want {
			t.Errorf("%08b: %q, want %q", d, got, want)
		}
	}
}

func TestWindowKeepsItsWallClockHoursAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	// 2026-03-29: clocks go from 02:00 to 03:00 in Berlin. A window of
	// 01:00–07:00 that night still ends at 07:00 on the wall clock (five
	// real hours), not at 08:00.
	w := Window{On: true, Start: hm(1, 0), End: hm(7, 0), Days: Everyday}
	if w.Contains(time.Date(2026, 3, 29, 7, 30, 0, 0, berlin)) {
		t.Error("07:30 on the day of the change is inside 01:00–07:00")
	}
	if !w.Contains(time.Date(2026, 3, 29, 6, 30, 0, 0, berlin)) {
		t.Error("06:30 on the day of the change is outside 01:00–07:00")
	}
	if got, want := w.Until(time.Date(2026, 3, 29, 4, 0, 0, 0, berlin)), time.Date(2026, 3, 29, 7, 0, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("Until = %v, want %v", got, want)
	}
}
