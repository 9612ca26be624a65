package gui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/gui/internal/listview"
	"github.com/haul-dl/haul/instance"
	"github.com/haul-dl/haul/remote/aria2"
	"github.com/haul-dl/haul/remote/aria2/aria2test"
	"github.com/haul-dl/haul/remote/boxes"
)

// boxHarness is the window with a real aria2c set up as the remote
// downloader "nas" through Settings › Remote downloaders, holding a
// finished download (done.bin) and a paused one (later.bin).
type boxHarness struct {
	*harness
	d   *aria2test.Daemon
	srv *testserver.Server
	c   *aria2.Client
}

func newBoxHarness(t *testing.T) *boxHarness {
	t.Helper()
	d, srv, c := startBox(t)
	return attachBox(newHarness(t), d, srv, c)
}

// startBox starts aria2c with done.bin finished and later.bin paused.
func startBox(t *testing.T) (*aria2test.Daemon, *testserver.Server, *aria2.Client) {
	t.Helper()
	// No secret store answers: the secret goes to the 0600 file.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	d := aria2test.Start(t, "gui-secret")
	srv := browserServer(t, "done.bin", "later.bin", "page.bin")
	c, err := aria2.Dial(aria2test.Context(t), aria2.Config{URL: d.URL(), Secret: d.Secret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := aria2test.Context(t)
	done, err := c.AddURI(ctx, []string{srv.URL("/b/done.bin")}, aria2.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waitComplete(t, c, done)
	if _, err := c.AddURI(ctx, []string{srv.URL("/b/later.bin")}, aria2.AddOptions{Paused: true}); err != nil {
		t.Fatal(err)
	}
	return d, srv, c
}

// attachBox sets up the daemon d as "nas" in the window of h, through
// Settings › Remote downloaders.
func attachBox(h *harness, d *aria2test.Daemon, srv *testserver.Server, c *aria2.Client) *boxHarness {
	t := h.t
	t.Helper()
	b := &boxHarness{harness: h, d: d, srv: srv, c: c}
	h.until("the remote downloaders read", func() bool { return h.u.places.store != nil })
	if h.u.places.box.Visible() {
		t.Fatal("the switcher shows before any remote downloader is set up")
	}
	h.u.showRemotes()
	h.u.showBoxForm(h.u.places.dlg, boxes.Box{})
	f := h.u.places.form
	test.Type(f.name, "nas")
	test.Type(f.url, d.URL())
	test.Type(f.secret, d.Secret)
	test.Tap(f.save)
	h.until("the box saved and the switcher shown", func() bool { return h.u.places.box.Visible() })
	h.u.places.dlg.dlg.Hide()
	return b
}

// waitComplete waits for aria2's event that the download completed.
func waitComplete(t *testing.T, c *aria2.Client, gid string) {
	t.Helper()
	ctx := aria2test.Context(t)
	for {
		if st, err := c.TellStatus(ctx, gid); err == nil && st.State == aria2.StateComplete {
			return
		}
		select {
		case <-c.Notifications():
		case <-ctx.Done():
			t.Fatalf("%s never completed", gid)
		}
	}
}

// switchTo picks a place in the switcher as the user does.
func (b *boxHarness) switchTo(name string) {
	b.t.Helper()
	b.u.places.pick.SetSelected(name)
	b.until("the window on "+name, func() bool { return b.u.places.current == name })
}

func TestWindowOnARemoteBoxListsItsDownloads(t *testing.T) {
	b := newBoxHarness(t)
	b.switchTo("nas")
	b.until("the box's downloads listed", func() bool {
		return len(b.u.model.order) == 2 && strings.HasPrefix(b.u.places.banner.Text, "Connected")
	})
	b.waitState(b.idByName("done.bin"), engine.Completed)
	b.waitState(b.idByName("later.bin"), engine.Paused)
	// aria2's total speed is an average that falls to 0 soon after the
	// download ended: each poll of the box is an event here.
	b.until("the box's totals", func() bool { return b.u.places.banner.Text == "Connected · 0 active, 1 waiting · 0 B/s" })
	b.u.win.Resize(fyne.NewSize(1000, 700))
	// The speed graph holds a sample a second of however long this took.
	b.u.status.graph.hist = speedHistory{}
	b.u.status.graph.Refresh()
	test.AssertRendersToMarkup(t, "remote-rows.xml", b.u.win.Canvas())
	test.AssertImageMatches(t, "remote-rows.png", b.u.win.Canvas().Capture())

	// The secret went to the 0600 file, and nowhere in the preferences.
	secrets := filepath.Join(b.root, "state", boxes.SecretsFileName)
	if got, _ := (&boxes.File{Path: secrets}).Get("nas"); got != b.d.Secret {
		t.Fatalf("the secrets file holds %q", got)
	}
	if !strings.Contains(b.u.places.dlg.note.Text, secrets) {
		t.Fatalf("the note does not say where the secret is: %q", b.u.places.dlg.note.Text)
	}

	if got := b.app.Preferences().String(prefPlace); got != "nas" {
		t.Fatalf("the place kept for the next start is %q", got)
	}
	b.switchTo(thisComputer)
	b.until("this computer's (empty) list", func() bool { return len(b.u.model.order) == 0 })
	if b.u.places.banner.Visible() {
		t.Fatal("the box's banner shows on this computer")
	}
}

func TestWindowActsOnTheBoxAndAddsThere(t *testing.T) {
	b := newBoxHarness(t)
	b.switchTo("nas")
	later := b.idByName("later.bin")
	b.waitState(later, engine.Paused)

	// The details work on the box; a new link is not offered there.
	snap, _ := b.u.model.snapshot(later)
	b.u.details(snap)
	b.until("the details open", func() bool { return b.u.infoDlg != nil })
	if !b.u.infoDlg.newLink.entry.Disabled() {
		t.Fatal("a paused download on a box is offered a new link")
	}
	b.u.infoDlg.dlg.Hide()

	b.u.resume(later)
	b.waitState(later, engine.Completed)

	// A browser hand-off goes to the box, with the browser's headers.
	page := b.srv.URL("/page.html")
	if err := b.handOff(instance.Handoff{Kind: instance.KindDownload, Page: page, Items: []instance.HandoffItem{
		{URL: b.srv.URL("/b/page.bin"), Header: browserHeader(page)},
	}}); err != nil {
		t.Fatal(err)
	}
	id := b.idByName("page.bin")
	b.waitState(id, engine.Completed)
	if st, err := b.c.TellStatus(aria2test.Context(t), id); err != nil || st.State != aria2.StateComplete {
		t.Fatalf("the box does not have the hand-off: %+v, %v", st, err)
	}
	for _, r := range b.srv.Requests("/b/page.bin") {
		if r.Header.Get("Cookie") != "sid=s3cret" || r.Header.Get("Referer") != page {
			t.Errorf("the box's request lacks the browser's headers: %v", r.Header)
		}
	}
	if len(b.m.List()) != 0 {
		t.Fatalf("the hand-off reached this computer's engine: %+v", b.m.List())
	}
	if !b.u.tools.noStartNow {
		t.Fatal("Start now is offered on the box")
	}

	// The status bar's speed limit is the box's total limit.
	b.u.setSpeedPreset(1024)
	b.drainJobs()
	if o, err := b.c.GlobalOption(aria2test.Context(t)); err != nil || o["max-overall-download-limit"] != "1048576" {
		t.Fatalf("the box's total limit: %q (%v), want 1048576", o["max-overall-download-limit"], err)
	}

	done := b.idByName("done.bin")
	b.u.dl.click(done, 0)
	if sel := b.u.dl.selected(); len(sel) != 1 || !b.u.tools.sel[listview.OpenFolder].Disabled() {
		t.Fatalf("Open folder is offered for a file on the box (selected %d)", len(sel))
	}
	b.u.dl.clearSelection()
	b.u.engineCall("remove", func() error { return b.u.m.Remove(done) })
	b.until("done.bin off the list", func() bool { _, ok := b.u.model.snapshot(done); return !ok })
}

func TestWindowSaysTheBoxCannotBeReachedAndReconnects(t *testing.T) {
	b := newBoxHarness(t)
	b.switchTo("nas")
	later := b.idByName("later.bin")
	b.d.Stop(true)
	b.until("the window saying the box is unreachable", func() bool {
		return strings.HasPrefix(b.u.places.banner.Text, "nas cannot be reached: ") && b.u.places.icon.Visible()
	})
	if _, ok := b.u.model.snapshot(later); !ok {
		t.Fatal("the list went while the box is unreachable")
	}
	b.d.Restart()
	b.until("the box back with its list", func() bool {
		return strings.HasPrefix(b.u.places.banner.Text, "Connected") && !b.u.places.icon.Visible() && b.state(later) == engine.Paused
	})
}

func TestWindowOnABoxWithAWrongSecretSaysSo(t *testing.T) {
	b := newBoxHarness(t)
	b.switchTo("nas")
	b.idByName("later.bin")

	// Editing the box in use connects again, here with a wrong secret.
	b.u.showRemotes()
	b.u.showBoxForm(b.u.places.dlg, boxes.Box{Name: "nas", URL: b.d.URL()})
	f := b.u.places.form
	test.Type(f.secret, "not-the-secret")
	test.Tap(f.save)
	b.until("the window saying the secret is refused", func() bool {
		return strings.Contains(b.u.places.banner.Text, "refused the secret")
	})
	if strings.Contains(b.u.places.banner.Text, "not-the-secret") || strings.Contains(b.u.places.banner.Text, b.d.Secret) {
		t.Fatalf("the banner shows a secret: %q", b.u.places.banner.Text)
	}
}

// drainJobs waits until the engine worker has run every job queued so
// far: jobs run in order, so a marker queued last runs after them.
func (b *boxHarness) drainJobs() {
	b.t.Helper()
	ran := make(chan struct{})
	b.u.enqueue(func() { close(ran) })
	b.until("the queued jobs run", func() bool {
		select {
		case <-ran:
			return true
		default:
			return false
		}
	})
}

func TestRemoteFormWarnsOfClearTextAndRefusesABadURL(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	h := newHarness(t)
	h.until("the remote downloaders read", func() bool { return h.u.places.store != nil })
	h.u.showRemotes()
	if !strings.Contains(h.u.places.dlg.note.Text, "only you can read") {
		t.Fatalf("without a secret store the note says %q", h.u.places.dlg.note.Text)
	}
	h.u.showBoxForm(h.u.places.dlg, boxes.Box{})
	f := h.u.places.form
	test.Type(f.name, "seedbox")
	test.Type(f.url, "ws://203.0.113.9:6800/jsonrpc")
	if !f.clear.Visible() {
		t.Fatal("no warning for a secret in clear to a public address")
	}
	f.url.SetText("wss://203.0.113.9:6800/jsonrpc")
	if f.clear.Visible() {
		t.Fatal("a warning for wss://")
	}
	f.url.SetText("ftp://203.0.113.9/")
	test.Tap(f.save)
	if !f.problem.Visible() || !strings.Contains(f.problem.Text, "ws://") {
		t.Fatalf("a bad URL: problem %q (shown %v)", f.problem.Text, f.problem.Visible())
	}
	if list, _ := h.u.places.store.List(); len(list) != 0 || h.u.places.box.Visible() {
		t.Fatalf("a refused box was saved: %+v", list)
	}
}

func TestTheScheduleDoesNotHoldABoxsDownloads(t *testing.T) {
	d, srv, c := startBox(t)
	release := make(chan struct{})
	defer close(release)
	srv.Add("/b/running.bin", testserver.Content(100_000, 3), testserver.Hold(1000, release))
	if _, err := c.AddURI(aria2test.Context(t), []string{srv.URL("/b/running.bin")}, aria2.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	// At noon this computer's queue waits for 01:00; the box's does not.
	dh := newDesktopHarness(t, noon, false, nightQueue)
	b := attachBox(dh.harness, d, srv, c)
	b.switchTo("nas")
	id := b.idByName("running.bin")
	b.waitState(id, engine.Active)
	b.until("the window to show the schedule's decision", func() bool { return b.u.desk.sched.have })
	if s, _ := b.u.m.Get(id); s.State != engine.Active {
		t.Fatalf("with this computer's queue closed, the box's download is %v", s.State)
	}
}
