package engine

import (
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/schedule"
	"github.com/haul-dl/haul/schedule/scheduletest"
)

// noonUTC is a Monday at noon.
var noonUTC = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func withClock(c *scheduletest.Clock) func(*Options) {
	return func(o *Options) { o.Clock, o.Location = c, time.UTC }
}

// nightOnly runs the queue from 01:00 to 07:00 every day.
var nightOnly = schedule.Plan{Queue: schedule.Window{On: true, Start: 60, End: 7 * 60, Days: schedule.Everyday}}

// A link added while the queue window is closed waits queued: the server
// sees no request. When the window opens it starts; when it closes, the
// download goes back to the queue, and a restart keeps the plan.
func TestTheQueueWindowHoldsEveryStart(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(1<<20, 7)
	e := newEnv(t, withClock(scheduletest.NewClock(noonUTC)))
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) }) // before the manager closes
	srv.Add("/night.bin", body, testserver.Hold(1000, hold))
	if err := e.m.SetSchedule(nightOnly); err != nil {
		t.Fatal(err)
	}
	if d := e.m.ScheduleDecision(); d.QueueRuns || !d.QueueUntil.Equal(time.Date(2026, 6, 2, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("at noon the decision is %+v; want the queue closed until 01:00", d)
	}
	id := e.add(srv.URL("/night.bin"))
	if s, _ := e.m.Get(id); s.State != Queued {
		t.Fatalf("added while the queue is closed, the download is %v; want Queued", s.State)
	}
	if n := len(srv.Requests("/night.bin")); n != 0 {
		t.Fatalf("the server saw %d requests while the queue was closed", n)
	}

	e.reopen() // the plan is kept in the store
	if got := e.m.Schedule(); got != nightOnly {
		t.Fatalf("after a restart the plan is %+v", got)
	}
	if s, _ := e.m.Get(id); s.State != Queued {
		t.Fatalf("after a restart in the closed window the download is %v; want Queued", s.State)
	}

	clock := e.opt.Clock.(*scheduletest.Clock)
	clock.Advance(time.Date(2026, 6, 2, 1, 0, 0, 0, time.UTC))
	e.waitFor(id, "the download to start at 01:00", func(s Snapshot) bool { return s.State == Active && s.Received > 0 })
	clock.Advance(time.Date(2026, 6, 2, 7, 0, 0, 0, time.UTC))
	e.waitFor(id, "the download to go back to the queue at 07:00", func(s Snapshot) bool { return s.State == Queued })
	// Start now is the user's word: it runs while the queue is closed.
	if err := e.m.StartNow(id); err != nil {
		t.Fatal(err)
	}
	e.waitFor(id, "Start now to run it while the queue is closed", func(s Snapshot) bool { return s.State == Active })
}

// The limit window's limit is in force inside it, whatever was set; the
// limit set applies again when it ends. A bad plan is refused whole.
func TestTheLimitWindowSetsTheTotalLimit(t *testing.T) {
	clock := scheduletest.NewClock(noonUTC)
	e := newEnv(t, withClock(clock))
	e.m.SetRateLimit(1 << 20)
	plan := schedule.Plan{Limit: schedule.Window{On: true, Start: 9 * 60, End: 18 * 60, Days: schedule.Everyday}, LimitBytes: 64 << 10}
	if err := e.m.SetSchedule(plan); err != nil {
		t.Fatal(err)
	}
	if got := e.m.global.Rate(); got != 64<<10 {
		t.Fatalf("inside the limit window the total limit is %d; want 64 KiB/s", got)
	}
	e.m.SetRateLimit(2 << 20) // set meanwhile: kept for after the window
	if got := e.m.global.Rate(); got != 64<<10 {
		t.Fatalf("a limit set inside the window replaced the window's: %d", got)
	}
	clock.Advance(time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC))
	for e.m.ScheduleDecision().Limited {
		<-clock.Slept() // the runner decides again, then sleeps
	}
	if got := e.m.global.Rate(); got != 2<<20 {
		t.Fatalf("after the window the total limit is %d; want the 2 MiB/s set", got)
	}
	bad := plan
	bad.Queue = schedule.Window{On: true, Start: 60, End: 120} // no day
	if err := e.m.SetSchedule(bad); err == nil {
		t.Fatal("a queue window on no day was taken")
	}
	if got := e.m.Schedule(); got != plan {
		t.Errorf("a refused plan replaced the one in force: %+v", got)
	}
}
