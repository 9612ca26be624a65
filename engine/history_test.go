package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine/testserver"
)

// details returns the details of id, failing the test when it is gone.
func (e *env) details(id string) Details {
	e.t.Helper()
	d, ok := e.m.Details(id)
	if !ok {
		e.t.Fatalf("no details of %s", id)
	}
	return d
}

func TestHistoryListsTwoFailedAttemptsAndTheOneThatCompleted(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(64<<10, 3)
	srv.Add("/flaky.bin", body, testserver.Status(503, 2, ""))
	e := newEnv(t)
	// The password in the link never reaches the history.
	id := e.add(strings.Replace(srv.URL("/flaky.bin"), "http://", "http://user:s3cret@", 1))
	e.mustComplete(id, body)

	check := func(when string) {
		t.Helper()
		d := e.details(id)
		if len(d.Attempts) != 3 || d.AttemptsDropped != 0 {
			t.Fatalf("%s: %d attempts (%d dropped), want 3: %+v", when, len(d.Attempts), d.AttemptsDropped, d.Attempts)
		}
		done := d.Attempts[0]
		if done.Outcome != AttemptCompleted || done.Bytes != int64(len(body)) || done.Problem != (Problem{}) {
			t.Errorf("%s: newest attempt %+v, want completed with %d bytes", when, done, len(body))
		}
		for i, a := range d.Attempts[1:] {
			if a.Outcome != AttemptRetrying || a.Problem.Kind != KindHTTP || a.Problem.Status != 503 ||
				!strings.Contains(a.Problem.Message, "503") {
				t.Errorf("%s: attempt %d: %+v, want a 503 to retry", when, i+2, a)
			}
			if strings.Contains(a.Problem.Message, "s3cret") {
				t.Errorf("%s: attempt %d shows the password: %q", when, i+2, a.Problem.Message)
			}
			if a.Next.IsZero() || a.Next.Before(a.Ended) || a.Ended.Before(a.Started) {
				t.Errorf("%s: attempt %d: started %v, ended %v, next due %v", when, i+2, a.Started, a.Ended, a.Next)
			}
		}
		if d.Attempts[2].Started.After(d.Attempts[1].Started) || d.Attempts[1].Started.After(done.Started) {
			t.Errorf("%s: attempts not newest first: %+v", when, d.Attempts)
		}
	}
	check("after the download")
	e.reopen()
	check("after a restart")
}

func TestHistoryKeepsTheLastAttemptsAndCountsTheDropped(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	srv.Add("/down.bin", []byte("x"), testserver.Status(500, testserver.Always, ""))
	const tries = MaxAttempts + 5
	e := newEnv(t, func(o *Options) {
		o.Retries = tries - 1
		o.RetryBase, o.RetryMax = time.Millisecond, 2*time.Millisecond
	})
	id := e.add(srv.URL("/down.bin"))
	if s := e.wait(id); s.State != Failed {
		t.Fatalf("state %v, want failed", s.State)
	}
	for _, when := range []string{"after the download", "after a restart"} {
		d := e.details(id)
		if len(d.Attempts) != MaxAttempts || d.AttemptsDropped != tries-MaxAttempts {
			t.Fatalf("%s: %d attempts, %d dropped; want %d and %d", when, len(d.Attempts), d.AttemptsDropped, MaxAttempts, tries-MaxAttempts)
		}
		if a := d.Attempts[0]; a.Outcome != AttemptFailed || a.Problem.Status != 500 || !strings.Contains(a.Problem.Message, "gave up") {
			t.Errorf("%s: newest attempt %+v, want the failure that gave up", when, a)
		}
		for _, a := range d.Attempts[1:] {
			if a.Outcome != AttemptRetrying {
				t.Fatalf("%s: older attempt %+v, want retrying", when, a)
			}
		}
		e.reopen()
	}
}

func TestHistoryPausedDuringTheWaitToRetryStartsNoAttempt(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(1<<10, 5)
	srv.Add("/busy.bin", body, testserver.Status(503, 1, "3600"))
	e := newEnv(t)
	id := e.add(srv.URL("/busy.bin"))
	e.waitFor(id, "a retry", func(s Snapshot) bool { return s.Retry != nil })
	if err := e.m.Pause(id); err != nil {
		t.Fatal(err)
	}
	e.wait(id)
	d := e.details(id)
	if len(d.Attempts) != 1 || d.Attempts[0].Outcome != AttemptRetrying {
		t.Fatalf("paused while waiting: attempts %+v, want the one that failed", d.Attempts)
	}
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	e.mustComplete(id, body)
	if d := e.details(id); len(d.Attempts) != 2 || d.Attempts[0].Outcome != AttemptCompleted {
		t.Fatalf("resumed: attempts %+v, want the failed one and a completed one", d.Attempts)
	}
}

func TestDetailsShowTheBytesWrittenBeforeACheckpointSavesThem(t *testing.T) {
	srv := testserver.New()
	t.Cleanup(srv.Close)
	body := testserver.Content(1<<20, 9)
	release := make(chan struct{})
	srv.Add("/held.bin", body, testserver.Hold(300<<10, release))
	// No checkpoint runs while the test looks: what is saved stays behind.
	e := newEnv(t, func(o *Options) { o.Connections = 1; o.CheckpointInterval = time.Hour })
	id := e.add(srv.URL("/held.bin"))
	deadline := time.Now().Add(30 * time.Second)
	var d Details
	for {
		d = e.details(id)
		if len(d.Have) == 1 && d.Have[0] == (ByteRange{0, 300 << 10}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the written ranges never reached the hold: %+v", d.Have)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if len(d.Saved) != 0 {
		t.Errorf("saved %+v before any checkpoint", d.Saved)
	}
	if len(d.Attempts) != 1 || d.Attempts[0].Outcome != AttemptRunning || d.Attempts[0].Bytes != 300<<10 {
		t.Errorf("attempts while running: %+v", d.Attempts)
	}
	close(release)
	e.mustComplete(id, body)
	if d := e.details(id); len(d.Saved) != 1 || d.Saved[0] != (ByteRange{0, 1 << 20}) || len(d.Have) != 1 {
		t.Errorf("complete: have %+v, saved %+v", d.Have, d.Saved)
	}
}
