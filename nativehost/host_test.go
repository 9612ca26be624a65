package nativehost

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haul-dl/haul/instance"
)

// shortDir is a fresh folder with a path short enough for a unix socket.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "nh")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// window is a fake window: a receiver on the instance socket.
type window struct {
	mu     sync.Mutex
	got    []instance.Handoff
	refuse error
}

func (w *window) take(h instance.Handoff) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.refuse != nil {
		return w.refuse
	}
	w.got = append(w.got, h)
	return nil
}

func (w *window) received() []instance.Handoff {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]instance.Handoff(nil), w.got...)
}

func (w *window) listen(t *testing.T, dir string) io.Closer {
	t.Helper()
	l, err := instance.ListenWith(context.Background(), dir, instance.Handlers{Links: func(string) {}, Handoff: w.take})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// serve runs a host over the framed messages and returns its replies.
func serve(t *testing.T, h *Host, msgs ...string) ([]reply, error) {
	t.Helper()
	var in bytes.Buffer
	for _, m := range msgs {
		in.Write(frame(m))
	}
	var out bytes.Buffer
	err := h.Serve(context.Background(), &in, &out)
	return replies(t, out.Bytes()), err
}

func noStart(t *testing.T) func() error {
	return func() error { t.Error("a window was started although one runs"); return nil }
}

const download = `{"type":"download","url":"https://e.example/a.iso","page":"https://e.example/p","userAgent":"UA","cookies":[{"name":"sid","value":"1"}]}`

func TestHostHandsADownloadToTheRunningWindow(t *testing.T) {
	dir := shortDir(t)
	var w window
	w.listen(t, dir)
	reps, err := serve(t, &Host{StateDir: dir, Start: noStart(t)}, download)
	if err != nil || len(reps) != 1 || !reps[0].OK {
		t.Fatalf("replies %+v, %v", reps, err)
	}
	got := w.received()
	if len(got) != 1 || got[0].Items[0].URL != "https://e.example/a.iso" || got[0].Items[0].Header.Get("Cookie") != "sid=1" ||
		got[0].Items[0].Header.Get("Referer") != "https://e.example/p" || got[0].Items[0].Header.Get("User-Agent") != "UA" {
		t.Fatalf("the window received %+v", got)
	}
}

func TestHostAnswersBadMessagesAndGoesOn(t *testing.T) {
	dir := shortDir(t)
	var w window
	w.listen(t, dir)
	reps, err := serve(t, &Host{StateDir: dir, Start: noStart(t)},
		`{"type":"download","url":"file:///etc/passwd"}`, `{{{`, `{"type":"nope"}`, download)
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if len(reps) != 4 {
		t.Fatalf("%d replies, want 4: %+v", len(reps), reps)
	}
	for i, want := range []string{"not an http or https link", "not a JSON message", "unknown message type"} {
		if reps[i].OK || !strings.Contains(reps[i].Error, want) {
			t.Errorf("reply %d = %+v, want an error saying %q", i, reps[i], want)
		}
	}
	if !reps[3].OK || len(w.received()) != 1 {
		t.Errorf("the good message after bad ones: %+v, window got %d", reps[3], len(w.received()))
	}
}

func TestHostRefusesAnOverSizeMessageClearlyAndStops(t *testing.T) {
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], MaxIncoming+1)
	var out bytes.Buffer
	err := (&Host{StateDir: shortDir(t)}).Serve(context.Background(), bytes.NewReader(b[:]), &out)
	var fe *FrameError
	if !errors.As(err, &fe) {
		t.Fatalf("Serve = %v, want a FrameError", err)
	}
	reps := replies(t, out.Bytes())
	if len(reps) != 1 || reps[0].OK || !strings.Contains(reps[0].Error, "over Haul's limit") {
		t.Fatalf("replies %+v", reps)
	}
}

func TestHostPassesOnTheWindowsRefusal(t *testing.T) {
	dir := shortDir(t)
	w := window{refuse: errors.New("the download folder is full")}
	w.listen(t, dir)
	reps, _ := serve(t, &Host{StateDir: dir, Start: noStart(t)}, download)
	if len(reps) != 1 || reps[0].OK || !strings.Contains(reps[0].Error, "the download folder is full") {
		t.Fatalf("replies %+v", reps)
	}
}

func TestHostStartsTheWindowWhenNoneRunsAndRetries(t *testing.T) {
	dir := shortDir(t)
	var w window
	started := 0
	start := func() error {
		started++
		// The window comes up a little later, as a real one does.
		go func() {
			time.Sleep(50 * time.Millisecond)
			w.listen(t, dir)
		}()
		return nil
	}
	reps, err := serve(t, &Host{StateDir: dir, Start: start, RetryEvery: 10 * time.Millisecond}, download)
	if err != nil || len(reps) != 1 || !reps[0].OK {
		t.Fatalf("replies %+v, %v", reps, err)
	}
	if started != 1 || len(w.received()) != 1 {
		t.Fatalf("started %d windows, window received %d hand-offs", started, len(w.received()))
	}
}

func TestHostGivesUpOnAWindowThatNeverAnswers(t *testing.T) {
	start := func() error { return nil } // starts nothing
	reps, _ := serve(t, &Host{StateDir: shortDir(t), Start: start, StartWait: 50 * time.Millisecond, RetryEvery: 5 * time.Millisecond}, download)
	if len(reps) != 1 || reps[0].OK || !strings.Contains(reps[0].Error, "did not answer") {
		t.Fatalf("replies %+v", reps)
	}
}

func TestHostReportsAFailedStart(t *testing.T) {
	start := func() error { return errors.New("no display") }
	reps, _ := serve(t, &Host{StateDir: shortDir(t), Start: start}, download)
	if len(reps) != 1 || reps[0].OK || !strings.Contains(reps[0].Error, "could not be started: no display") {
		t.Fatalf("replies %+v", reps)
	}
}

func TestPingSaysWhetherTheWindowRunsWithoutStartingIt(t *testing.T) {
	dir := shortDir(t)
	h := &Host{StateDir: dir, Version: "9.9", Start: noStart(t)}
	reps, _ := serve(t, h, `{"type":"ping"}`)
	if len(reps) != 1 || !reps[0].OK || reps[0].Version != "9.9" || reps[0].Window == nil || *reps[0].Window {
		t.Fatalf("ping without a window: %+v", reps)
	}
	var w window
	w.listen(t, dir)
	reps, _ = serve(t, h, `{"type":"ping"}`)
	if len(reps) != 1 || reps[0].Window == nil || !*reps[0].Window {
		t.Fatalf("ping with a window: %+v", reps)
	}
}

func TestInvokedAndCallerAllowed(t *testing.T) {
	for _, tc := range []struct {
		args             []string
		invoked, allowed bool
	}{
		{[]string{ChromeOrigin}, true, true},
		{[]string{"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"}, true, false},
		{[]string{"/home/me/.mozilla/native-messaging-hosts/" + HostName + ".json", GeckoID}, true, true},
		{[]string{"/x/" + HostName + ".json", "evil@example.org"}, false, false},
		{nil, false, true},
		{[]string{"https://example.org/a.iso"}, false, true},
	} {
		if got := Invoked(tc.args); got != tc.invoked {
			t.Errorf("Invoked(%q) = %v", tc.args, got)
		}
		if got := CallerAllowed(tc.args); got != tc.allowed {
			t.Errorf("CallerAllowed(%q) = %v", tc.args, got)
		}
	}
}

func TestMainRefusesAnotherExtension(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"}, shortDir(t), "1", bytes.NewReader(frame(download)), &out, &errOut)
	reps := replies(t, out.Bytes())
	if code == 0 || len(reps) != 1 || reps[0].OK || !strings.Contains(reps[0].Error, "only its own extension") {
		t.Fatalf("code %d, replies %+v", code, reps)
	}
}
