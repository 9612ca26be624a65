package outcome

import (
	"strings"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
)

func TestFailedAddsTheFrontEndsAdvice(t *testing.T) {
	adv := Advice{engine.KindCertificate: "add its CA with --ca-cert FILE"}
	cert := engine.Snapshot{State: engine.Failed, Err: "the server's certificate is not trusted",
		Problem: engine.Problem{Kind: engine.KindCertificate, Message: "the server's certificate is not trusted"}}
	if got, want := Failed(cert, adv), "the server's certificate is not trusted; add its CA with --ca-cert FILE"; got != want {
		t.Errorf("Failed(certificate) = %q, want %q", got, want)
	}
	notFound := engine.Snapshot{State: engine.Failed, Err: "404 Not Found: http://x/a",
		Problem: engine.Problem{Kind: engine.KindHTTP, Status: 404, Message: "404 Not Found: http://x/a"}}
	if got := Failed(notFound, adv); got != "404 Not Found: http://x/a" {
		t.Errorf("Failed(404) = %q: advice for another kind was added", got)
	}
	hostile := engine.Snapshot{State: engine.Failed, Err: "bad \x1b[31mred"}
	if got := Failed(hostile, adv); got != `bad \x1b[31mred` {
		t.Errorf("Failed(escape) = %q, want it made safe", got)
	}
	if got := Failed(engine.Snapshot{State: engine.Completed}, adv); got != "" {
		t.Errorf("Failed(no error) = %q", got)
	}
}

func TestRetryingSaysWhenAndWhy(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := engine.Snapshot{State: engine.Active, Err: "the connection was reset by the server", Retry: &engine.RetryInfo{
		Attempt: 1, Of: 5, At: now.Add(4 * time.Second),
		Problem: engine.Problem{Kind: engine.KindNetwork, Message: "the connection was reset by the server"},
	}}
	if got, want := Retrying(s, now), "retrying in 4 s (attempt 2 of 5): the connection was reset by the server"; got != want {
		t.Errorf("Retrying = %q, want %q", got, want)
	}
	if got := Retrying(s, now.Add(time.Minute)); got != "retrying in 0 s (attempt 2 of 5): the connection was reset by the server" {
		t.Errorf("Retrying past its time = %q", got)
	}
	// An active download with an error but no RetryInfo is not retrying:
	// the front ends no longer guess from Active && Err != "".
	s.Retry = nil
	if got := Retrying(s, now); got != "" {
		t.Errorf("Retrying without RetryInfo = %q, want \"\"", got)
	}
}

func TestOutcomesShowNoUserinfoOrQuery(t *testing.T) {
	// As a record saved by an older Haul may still hold it.
	msg := `gave up after 5 attempts: Get "http://alice:xxxxx@h.example/a.zip?token=SIGNED123": EOF`
	p := engine.Problem{Kind: engine.KindNetwork, Message: msg}
	failed := Failed(engine.Snapshot{State: engine.Failed, Err: msg, Problem: p}, nil)
	retry := Retrying(engine.Snapshot{State: engine.Active, Retry: &engine.RetryInfo{Attempt: 1, Of: 5, Problem: p}}, time.Now())
	for _, got := range []string{failed, retry} {
		if strings.Contains(got, "SIGNED123") || strings.Contains(got, "alice") || !strings.Contains(got, `"http://h.example/a.zip?…"`) {
			t.Errorf("shown as %q", got)
		}
	}
}
