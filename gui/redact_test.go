package gui

import (
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// The row's error line never shows a link's userinfo or signed token:
// neither for the engine's message nor for one an older Haul stored.
func TestRowErrorLineShowsNoUserinfoOrQuery(t *testing.T) {
	h := newHarness(t)
	h.srv.Add("/gone.zip", nil, testserver.Status(404, testserver.Always, ""))
	link := strings.Replace(h.srv.URL("/gone.zip?token=SIGNED123"), "://", "://alice:pw1@", 1)
	if _, err := h.m.Add(engine.Request{URL: link}); err != nil {
		t.Fatal(err)
	}
	id := h.idByName("gone.zip")
	h.waitState(id, engine.Failed)
	r := h.rowFor(id)
	want := "404 Not Found: " + h.srv.URL("/gone.zip?…")
	if got := r.message.Text; got != want {
		t.Errorf("the row's error line is %q, want %q", got, want)
	}
	stored := "404 Not Found: http://alice:xxxxx@h.example/a.zip?token=SIGNED123"
	old := engine.Snapshot{State: engine.Failed, Total: -1, ETA: -1, Err: stored,
		Problem: engine.Problem{Kind: engine.KindHTTP, Status: 404, Message: stored}}
	if got, _ := messageText(old); got != "404 Not Found: http://h.example/a.zip?…" {
		t.Errorf("a stored message is shown as %q", got)
	}
}
