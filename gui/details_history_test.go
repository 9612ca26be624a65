package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// openDetails selects the row of id and opens its details.
func (h *harness) openDetails(id string) *detailsDialog {
	h.t.Helper()
	h.clickRow(id, 0)
	test.Tap(h.u.tools.details)
	d := h.u.infoDlg
	if d == nil {
		h.t.Fatal("Details opened nothing")
	}
	return d
}

func TestDetailsViewListsTheAttemptsWithTheirErrors(t *testing.T) {
	h := newHarness(t)
	h.srv.Add("/d/flaky.bin", fileBody, testserver.Status(503, 1, ""))
	h.u.addText(h.srv.URL("/d/flaky.bin"), "", "the test")
	id := h.idByName("flaky.bin")
	h.waitState(id, engine.Completed)
	d := h.openDetails(id)
	var lines []string
	h.until("the history to list two attempts", func() bool {
		lines = strings.Split(d.history.Text, "\n")
		return len(lines) == 2
	})
	if !strings.Contains(lines[0], "completed") || !strings.Contains(lines[0], "KiB") {
		t.Errorf("newest attempt: %q, want the completed one with its bytes", lines[0])
	}
	if !strings.Contains(lines[1], "failed, retried") || !strings.Contains(lines[1], "503") {
		t.Errorf("older attempt: %q, want the 503 that was retried", lines[1])
	}
}

func TestDetailsViewCountsDownToTheNextTry(t *testing.T) {
	h := newHarness(t)
	h.srv.Add("/d/busy.bin", fileBody, testserver.Status(503, testserver.Always, "3600"))
	h.u.addText(h.srv.URL("/d/busy.bin"), "", "the test")
	id := h.idByName("busy.bin")
	h.until("a retry", func() bool { s, _ := h.u.model.snapshot(id); return s.Retry != nil })
	d := h.openDetails(id)
	h.until("the history to say when the next try comes", func() bool {
		return strings.Contains(d.history.Text, "next try in") && strings.Contains(d.history.Text, "503")
	})
	if strings.Count(d.history.Text, "\n") != 0 {
		t.Errorf("history %q, want the one attempt that failed", d.history.Text)
	}
	if err := h.m.Pause(id); err != nil {
		t.Fatal(err)
	}
	h.until("the countdown to go once paused", func() bool {
		return !strings.Contains(d.history.Text, "next try in") && strings.Contains(d.history.Text, "503")
	})
}

func TestHistoryTextCountsTheDroppedAttempts(t *testing.T) {
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.Local)
	det := engine.Details{
		Attempts: []engine.Attempt{
			{Started: now, Ended: now, Outcome: engine.AttemptFailed,
				Problem: engine.Problem{Kind: engine.KindHTTP, Status: 500, Message: "gave up after 25 attempts: 500 Internal Server Error"}},
			{Started: now.Add(-24 * time.Hour), Outcome: engine.AttemptRetrying, Problem: engine.Problem{Message: "reset"}},
		},
		AttemptsDropped: 5,
	}
	want := "15:04:05  failed: gave up after 25 attempts: 500 Internal Server Error\n" +
		"Jan 1 15:04:05  failed, retried: reset\n" +
		"… and 5 older attempts before"
	if got := historyText(det, now); got != want {
		t.Errorf("history:\n%s\nwant:\n%s", got, want)
	}
}
