package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/schedule"
)

// haul get follows the schedule kept in its state folder: while the
// queue window is closed the link waits queued, nothing is fetched, and
// haul says so; interrupted, the download stays queued for later.
func TestGetWaitsWhileTheScheduleClosesTheQueue(t *testing.T) {
	srv := newFileServer(t)
	url := srv.add("/night.bin", pattern(4000, 5))
	iv := newInvocation(t)
	// A window of one minute three days from now: closed for the
	// whole test, whenever it runs.
	now := time.Now()
	day := now.AddDate(0, 0, 3).Weekday()
	plan := schedule.Plan{Queue: schedule.Window{On: true, Start: 12 * 60, End: 12*60 + 1, Days: schedule.Days(0).With(day, true)}}
	m, err := engine.Open(context.Background(), engine.Options{StateDir: iv.state, DefaultDir: iv.dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetSchedule(plan); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type outcome struct {
		stderr string
		code   int
	}
	done := make(chan outcome, 1)
	var errw syncBuffer
	go func() {
		code := run(ctx, []string{"--state", iv.state, "-d", iv.dir, url}, env{
			stdin: strings.NewReader(""), stdout: &syncBuffer{}, stderr: &errw, size: fixedSize(100, 30),
			downloads: func() (string, error) { return "", nil }, state: func() (string, error) { return "", nil },
		})
		done <- outcome{errw.String(), code}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errw.String(), "the schedule keeps the queue closed until") {
		if time.Now().After(deadline) {
			t.Fatalf("haul get never said the queue is closed; stderr %q", errw.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	out := <-done
	if out.code != ExitInterrupted {
		t.Errorf("exit %d, want interrupted; stderr %q", out.code, out.stderr)
	}
	if n := len(srv.Requests("/night.bin")); n != 0 {
		t.Errorf("the server saw %d requests while the queue was closed", n)
	}
	m, err = engine.Open(context.Background(), engine.Options{StateDir: iv.state, DefaultDir: iv.dir, HoldRestored: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if l := m.List(); len(l) != 1 || l[0].Received != 0 {
		t.Errorf("after the interruption the list is %+v; want the one download, with nothing fetched", l)
	}
}
