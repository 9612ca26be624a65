package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

// TestRowWordsOutcomesForTheWindow: the engine's message never names a
// flag; the window adds its own advice from the kind, and tells a retry
// from RetryInfo, not from Active && Err != "".
func TestRowWordsOutcomesForTheWindow(t *testing.T) {
	msg := "the server's certificate is not trusted (unknown authority)"
	cert := engine.Snapshot{State: engine.Failed, Total: -1, ETA: -1, Err: msg,
		Problem: engine.Problem{Kind: engine.KindCertificate, Message: msg}}
	got, imp := messageText(cert)
	if want := msg + "; if it is your own server, add its CA under Extra CA certificates in Settings"; got != want || imp != widget.DangerImportance {
		t.Errorf("certificate failure = %q (%v), want %q as danger", got, imp, want)
	}

	notFound := engine.Snapshot{State: engine.Failed, Total: -1, ETA: -1, Err: "404 Not Found: http://h/a",
		Problem: engine.Problem{Kind: engine.KindHTTP, Status: 404, Message: "404 Not Found: http://h/a"}}
	if got, _ := messageText(notFound); got != "404 Not Found: http://h/a" {
		t.Errorf("404 failure = %q", got)
	}

	// Active with an error but no RetryInfo: not retrying.
	active := engine.Snapshot{State: engine.Active, Total: 100, Received: 0, Speed: 0, ETA: -1, Err: "an old message"}
	if got, _ := messageText(active); got != "" {
		t.Errorf("active without RetryInfo shows %q, want nothing", got)
	}
	if got := detailText(active); got == "" {
		t.Error("active without RetryInfo: the detail line is empty, as if retrying")
	}

	retry := active
	retry.Retry = &engine.RetryInfo{Attempt: 1, Of: 5, At: time.Now().Add(time.Hour),
		Problem: engine.Problem{Kind: engine.KindNetwork, Message: "the connection was reset by the server"}}
	got, imp = messageText(retry)
	if !strings.HasPrefix(got, "retrying in ") || !strings.HasSuffix(got, " (attempt 2 of 5): the connection was reset by the server") || imp != widget.WarningImportance {
		t.Errorf("retrying = %q (%v)", got, imp)
	}
	if got := detailText(retry); got != "" {
		t.Errorf("retrying before any byte: detail %q, want none (the message says when)", got)
	}
}

// A download whose data is all in, being flushed, says so rather than
// showing a speed that has fallen to nothing.
func TestRowSaysSavingWhileTheFileIsFlushed(t *testing.T) {
	s := engine.Snapshot{State: engine.Active, Total: 1 << 20, Received: 1 << 20, ETA: -1, Finishing: true}
	if got, _ := stateText(s); got != "Saving" {
		t.Errorf("state = %q, want Saving", got)
	}
	if got := detailText(s); !strings.HasSuffix(got, "saving to disk") || strings.Contains(got, "/s") {
		t.Errorf("detail = %q, want the size and 'saving to disk', no speed", got)
	}
	s.Finishing = false
	if got, _ := stateText(s); got != "Downloading" {
		t.Errorf("state while fetching = %q, want Downloading", got)
	}
}
