package gui

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
)

// harness is a window over a real engine and a loopback server. The
// test goroutine plays the UI goroutine: what background goroutines hand
// to fyne.Do queues up in loop and runs only inside until, so widgets are
// touched from one goroutine and the race detector can tell.
type harness struct {
	t    *testing.T
	app  fyne.App
	m    *engine.Manager
	u    *UI
	srv  *testserver.Server
	loop chan func()
	dl   string // download folder
	root string
	// timers holds the window's tooltip and fading timers: they fire
	// only when the test says.
	timers *fakeTimers
}

// fakeTimers is an afterFunc whose timers fire when fire is called.
type fakeTimers struct {
	mu      sync.Mutex
	pending []*fakeTimer
}

type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped bool
}

func (ft *fakeTimers) after(d time.Duration, f func()) func() bool {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	t := &fakeTimer{d: d, f: f}
	ft.pending = append(ft.pending, t)
	return func() bool {
		ft.mu.Lock()
		defer ft.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// fire runs the timers set for d that are not stopped, as if d passed.
func (ft *fakeTimers) fire(d time.Duration) int {
	ft.mu.Lock()
	var due []*fakeTimer
	rest := ft.pending[:0]
	for _, t := range ft.pending {
		switch {
		case t.stopped:
		case t.d == d:
			due = append(due, t)
		default:
			rest = append(rest, t)
		}
	}
	ft.pending = rest
	ft.mu.Unlock()
	for _, t := range due {
		t.f()
	}
	return len(due)
}

// fileBody is the content of /f/NAME: 200 KB of a repeated line.
var fileBody = bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz\n"), 200_000/37)

// holdBody is the content of /hold/NAME: 1 MB, of which the server sends
// 1 KB and then waits until the client goes away.
var holdBody = make([]byte, 1_000_000)

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWithPrefs(t, nil)
}

// newHarnessWithPrefs starts the window the way Run does, with the
// preferences that prefs (if set) saved before the start.
func newHarnessWithPrefs(t *testing.T, prefs func(fyne.Preferences)) *harness {
	t.Helper()
	return newHarnessWithEngine(t, prefs, nil)
}

// newHarnessWithEngine is newHarnessWithPrefs with the engine's options
// adjusted (its clock, say) by adjust, if set.
func newHarnessWithEngine(t *testing.T, prefs func(fyne.Preferences), adjust func(*engine.Options)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	root := t.TempDir()
	h := &harness{t: t, app: a, srv: testserver.New(), loop: make(chan func(), 1024), root: root, dl: filepath.Join(root, "dl")}
	if prefs != nil {
		prefs(a.Preferences())
	}
	set := loadSettings(a.Preferences(), h.dl)
	opt := engine.Options{
		StateDir:        filepath.Join(root, "state"),
		DefaultDir:      h.dl,
		MinPiece:        64 << 10,
		Retries:         1,
		RetryBase:       time.Millisecond,
		RetryMax:        time.Millisecond,
		PublishInterval: 10 * time.Millisecond,
		CACertFile:      set.CACertFile,
	}
	if adjust != nil {
		adjust(&opt)
	}
	m, caErr, err := openEngine(opt)
	if err != nil {
		t.Fatal(err)
	}
	h.m = m
	stop := make(chan struct{})
	do := func(f func()) {
		select {
		case h.loop <- f:
		case <-stop:
		}
	}
	h.u = newUI(a, m, Config{StateDir: filepath.Join(root, "state"), DownloadDir: h.dl}, do)
	h.timers = &fakeTimers{}
	h.u.after = h.timers.after
	h.u.win.Resize(fyne.NewSize(1000, 700))
	if caErr != nil {
		h.u.caStartFailed(caErr)
	}
	t.Cleanup(func() {
		close(stop)
		h.u.Close()
		m.Close()
		h.srv.CloseClientConnections()
		h.srv.Close()
	})
	return h
}

// url is the address of a path on the test server, which serves
// /f/NAME (fileBody), /hold/NAME (holdBody: 1 KB, then it waits until
// the client goes away, with no ranges) and anything else as 404 Not
// Found.
func (h *harness) url(path string) string {
	switch {
	case strings.HasPrefix(path, "/f/"):
		h.srv.Add(path, fileBody)
	case strings.HasPrefix(path, "/hold/"):
		h.srv.Add(path, holdBody, testserver.IgnoreRange(), testserver.Stall(1000, time.Hour, testserver.Always))
	}
	return h.srv.URL(path)
}

// until runs what background goroutines handed to the UI goroutine until
// cond holds, failing the test if it does not within a generous time.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case f := <-h.loop:
			f()
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// idByName waits for a download with this file name and returns its ID.
func (h *harness) idByName(name string) string {
	h.t.Helper()
	var id string
	h.until("a download named "+name, func() bool {
		for _, x := range h.u.model.order {
			if s, _ := h.u.model.snapshot(x); s.Name == name {
				id = x
				return true
			}
		}
		return false
	})
	return id
}

// state is the state the window shows for a download.
func (h *harness) state(id string) engine.State {
	s, _ := h.u.model.snapshot(id)
	return s.State
}

// waitState waits until the window shows a download in state st.
func (h *harness) waitState(id string, st engine.State) {
	h.t.Helper()
	h.until(fmt.Sprintf("%s to be %s", id, st), func() bool { return h.state(id) == st })
}

// rowFor returns the row widget that shows download id.
func (h *harness) rowFor(id string) *row {
	h.t.Helper()
	var found *row
	h.until("a row showing "+id, func() bool {
		for _, r := range h.u.dl.rows {
			if r.snap.ID == id && r.Visible() {
				found = r
				return true
			}
		}
		return false
	})
	return found
}

// overlayText is the markup of the topmost dialog, "" if none.
func (h *harness) overlayText() string {
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return test.RenderObjectToMarkup(top)
}

// statusText reads a String binding in tests.
type stringGetter interface{ Get() (string, error) }

func text(b stringGetter) string {
	s, _ := b.Get()
	return s
}

// waitTooltip lets the tooltip's delay pass and returns the text of the
// tooltip it shows.
func (h *harness) waitTooltip() string {
	h.t.Helper()
	if h.timers.fire(tooltipDelay) == 0 {
		h.t.Fatal("no tooltip is on its way")
	}
	h.until("the tooltip", func() bool { return h.u.tips.panel.Visible() })
	return h.u.tips.label.Text
}
