package gui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
)

func TestEmptyHintFollowsTheList(t *testing.T) {
	h := newHarness(t)
	if !h.u.dl.hint.Visible() {
		t.Fatal("empty hint hidden while the list is empty")
	}
	if h.u.dl.list.Visible() && h.u.dl.list.Length() != 0 {
		t.Fatalf("list has %d rows", h.u.dl.list.Length())
	}
	h.u.addText(h.url("/f/one.bin"), "", "the test")
	id := h.idByName("one.bin")
	if h.u.dl.hint.Visible() {
		t.Error("empty hint still shown with a download in the list")
	}
	// Remove it once it is complete, so that Remove always asks whether
	// to delete the file too (it removes at once only what is unfinished).
	h.waitState(id, engine.Completed)
	test.Tap(h.rowFor(id).removeBtn)
	if h.u.removeDlg == nil {
		t.Fatal("removing a finished download did not ask")
	}
	test.Tap(h.u.removeDlg.removeBtn)
	h.until("the list to empty", func() bool { return h.u.model.len() == 0 })
	if !h.u.dl.hint.Visible() {
		t.Error("empty hint not shown again after the last download was removed")
	}
}

func TestAddDialogAddsDownloadsThatComplete(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	if d == nil {
		t.Fatal("Add did not open the dialog")
	}
	if !d.addBtn.Disabled() {
		t.Error("Add button enabled with no links")
	}
	if d.dir.Text != h.dl {
		t.Errorf("destination = %q, want the default %q", d.dir.Text, h.dl)
	}
	test.Type(d.links, "grab "+h.url("/f/alpha.bin")+" and "+h.url("/f/beta.bin")+" please")
	if got := d.found.Text; got != "2 links found." {
		t.Errorf("found label = %q", got)
	}
	if d.addBtn.Disabled() {
		t.Fatal("Add button disabled with two links")
	}
	test.Tap(d.addBtn)
	if h.u.addDlg != nil {
		t.Error("dialog still open after Add")
	}

	for _, name := range []string{"alpha.bin", "beta.bin"} {
		id := h.idByName(name)
		h.waitState(id, engine.Completed)
		r := h.rowFor(id)
		if r.name.Text != name || r.name.shown() != name {
			t.Errorf("row name = %q, want %q", r.name.Text, name)
		}
		if r.state.Text != "Completed" || !r.openBtn.Visible() || !r.folderBtn.Visible() || r.pauseBtn.Visible() {
			t.Errorf("completed row: state %q, open %v, folder %v, pause %v", r.state.Text, r.openBtn.Visible(), r.folderBtn.Visible(), r.pauseBtn.Visible())
		}
		got, err := os.ReadFile(filepath.Join(h.dl, name))
		if err != nil || len(got) != len(fileBody) {
			t.Errorf("%s on disk: %d bytes, %v", name, len(got), err)
		}
	}
	if !strings.Contains(text(h.u.status.text), "2 done") {
		t.Errorf("status = %q", text(h.u.status.text))
	}
}

func TestAddToAnotherFolder(t *testing.T) {
	h := newHarness(t)
	other := filepath.Join(h.root, "elsewhere")
	test.Tap(h.u.tools.add)
	d := h.u.addDlg
	d.links.SetText(h.url("/f/there.bin"))
	d.dir.SetText(other)
	test.Tap(d.addBtn)
	id := h.idByName("there.bin")
	h.waitState(id, engine.Completed)
	if _, err := os.Stat(filepath.Join(other, "there.bin")); err != nil {
		t.Errorf("file not in the chosen folder: %v", err)
	}
}

func TestRejectedLinesAreReported(t *testing.T) {
	h := newHarness(t)
	h.u.addText(strings.Join([]string{
		h.url("/f/good.bin"),
		"ftp://127.0.0.1/file",
		"http://",
	}, "\n"), "", "the pasted text")
	h.idByName("good.bin")
	h.until("the report", func() bool { return h.u.reportDlg != nil })
	lines := h.u.reportDlg.lines
	if len(lines) != 2 || lines[0].head != "Line 2: ftp://127.0.0.1/file" || !strings.Contains(lines[0].reason, "ftp") ||
		lines[1].head != "Line 3: http://" || lines[1].reason == "" {
		t.Errorf("report lines = %q", lines)
	}
	if s := h.u.reportDlg.summary.Text; !strings.Contains(s, "Added 1 download") || !strings.Contains(s, "2 lines could not be used") {
		t.Errorf("report summary = %q", s)
	}
	if !strings.Contains(h.overlayText(), "Line 2: ftp://127.0.0.1/file") {
		t.Error("report dialog not on screen")
	}
}

func TestTextWithoutLinksSaysSo(t *testing.T) {
	h := newHarness(t)
	h.u.addText("nothing to see here", "", "the pasted text")
	h.until("a dialog", func() bool { return h.overlayText() != "" })
	if got := h.overlayText(); !strings.Contains(got, "There are no web links in the pasted text.") {
		t.Errorf("dialog = %s", got)
	}
	if h.u.model.len() != 0 {
		t.Errorf("%d downloads added", h.u.model.len())
	}
}

func TestPasteOpensAddDialogWithClipboardText(t *testing.T) {
	h := newHarness(t)
	text := "from the web: " + h.url("/f/pasted.bin")
	clip := h.app.Clipboard()
	clip.SetContent(text)
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	d := h.u.addDlg
	if d == nil {
		t.Fatal("Ctrl+V did not open the Add dialog")
	}
	if d.links.Text != text || d.found.Text != "1 link found." {
		t.Errorf("dialog holds %q, %q", d.links.Text, d.found.Text)
	}
	// A second paste adds to the open dialog.
	clip.SetContent(h.url("/f/second.bin"))
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if h.u.addDlg != d || d.found.Text != "2 links found." {
		t.Errorf("second paste: same dialog %v, found %q", h.u.addDlg == d, d.found.Text)
	}
	test.Tap(d.addBtn)
	h.waitState(h.idByName("pasted.bin"), engine.Completed)
	h.waitState(h.idByName("second.bin"), engine.Completed)
}

func TestDropAddsLinksFromFilesAndURLs(t *testing.T) {
	h := newHarness(t)
	list := filepath.Join(h.root, "list.txt")
	body := "# my downloads\n" + h.url("/f/d1.bin") + "\n" + h.url("/f/d2.bin") + "\nftp://127.0.0.1/nope\n"
	if err := os.WriteFile(list, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	web, err := storage.ParseURI(h.url("/f/d3.bin"))
	if err != nil {
		t.Fatal(err)
	}
	h.u.drop([]fyne.URI{storage.NewFileURI(list), web})
	for _, name := range []string{"d1.bin", "d2.bin", "d3.bin"} {
		h.waitState(h.idByName(name), engine.Completed)
	}
	h.until("the report of list.txt", func() bool { return h.u.reportDlg != nil })
	if lines := h.u.reportDlg.lines; len(lines) != 1 || lines[0].head != "Line 4: ftp://127.0.0.1/nope" {
		t.Errorf("report lines = %q", lines)
	}
	if !strings.Contains(h.u.reportDlg.summary.Text, "list.txt") {
		t.Errorf("report does not name the file: %q", h.u.reportDlg.summary.Text)
	}
}

func TestDropRefusesBinaryFile(t *testing.T) {
	h := newHarness(t)
	bin := filepath.Join(h.root, "photo.jpg")
	if err := os.WriteFile(bin, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x00\x00\x01"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.u.drop([]fyne.URI{storage.NewFileURI(bin)})
	h.until("an error dialog", func() bool { return h.overlayText() != "" })
	if got := h.overlayText(); !strings.Contains(got, "Cannot read links from photo.jpg: this looks like a binary file") {
		t.Errorf("dialog = %s", got)
	}
	if h.u.model.len() != 0 {
		t.Errorf("%d downloads added from a binary file", h.u.model.len())
	}
}

func TestBigFileShowsProgressAndAddsAll(t *testing.T) {
	h := newHarness(t)
	list := filepath.Join(h.root, "big.txt")
	var b strings.Builder
	for i := 1; i <= 3; i++ {
		h.url(fmt.Sprintf("/f/b%d.bin", i)) // serve what the pattern expands to
	}
	b.WriteString(h.url("/f/b[1-3].bin") + "\n")
	for b.Len() < bigFile {
		b.WriteString("# padding so that the file is big enough to show its progress\n")
	}
	if err := os.WriteFile(list, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	h.u.addArgs([]string{list})
	h.until("the progress dialog", func() bool { return h.u.scanDlg != nil })
	for _, name := range []string{"b1.bin", "b2.bin", "b3.bin"} {
		h.idByName(name)
	}
	h.until("the progress dialog to close", func() bool { return !strings.Contains(h.overlayText(), "Reading a list of links") })
}

func TestRowButtonsDriveTheEngine(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/held.bin"), "", "the test")
	id := h.idByName("held.bin")
	h.waitState(id, engine.Active)
	r := h.rowFor(id)
	if !r.pauseBtn.Visible() || r.resumeBtn.Visible() || !r.cancelBtn.Visible() {
		t.Fatalf("active row buttons: pause %v resume %v cancel %v", r.pauseBtn.Visible(), r.resumeBtn.Visible(), r.cancelBtn.Visible())
	}

	test.Tap(r.pauseBtn)
	h.waitState(id, engine.Paused)
	if s, _ := h.m.Get(id); s.State != engine.Paused {
		t.Fatalf("engine state after pause = %v", s.State)
	}
	if r.state.Text != "Paused" || !r.resumeBtn.Visible() || r.pauseBtn.Visible() {
		t.Errorf("paused row: state %q resume %v pause %v", r.state.Text, r.resumeBtn.Visible(), r.pauseBtn.Visible())
	}

	test.Tap(r.resumeBtn)
	h.waitState(id, engine.Active)
	if r.state.Text != "Downloading" {
		t.Errorf("resumed row state = %q", r.state.Text)
	}

	test.Tap(r.cancelBtn)
	h.waitState(id, engine.Canceled)
	if !r.retryBtn.Visible() || r.cancelBtn.Visible() || r.state.Text != "Canceled" {
		t.Errorf("canceled row: retry %v cancel %v state %q", r.retryBtn.Visible(), r.cancelBtn.Visible(), r.state.Text)
	}

	test.Tap(r.retryBtn)
	h.waitState(id, engine.Active)

	test.Tap(r.removeBtn)
	h.until("the row to go", func() bool { return h.u.model.len() == 0 })
	if _, ok := h.m.Get(id); ok {
		t.Error("engine still has the removed download")
	}
}

func TestFailedRowShowsErrorAndRetries(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/missing/gone.bin"), "", "the test")
	id := h.idByName("gone.bin")
	h.waitState(id, engine.Failed)
	r := h.rowFor(id)
	if r.state.Text != "Failed" || !strings.Contains(r.message.Text, "404") {
		t.Errorf("failed row: state %q, message %q", r.state.Text, r.message.Text)
	}
	if r.message.Importance != widget.DangerImportance || !r.retryBtn.Visible() {
		t.Errorf("failed row: message importance %v, retry %v", r.message.Importance, r.retryBtn.Visible())
	}
	if !strings.Contains(text(h.u.status.text), "1 failed") {
		t.Errorf("status = %q", text(h.u.status.text))
	}
}

func TestToolbarActions(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/f/done.bin")+"\n"+h.url("/hold/h1.bin")+"\n"+h.url("/hold/h2.bin"), "", "the test")
	done, h1, h2 := h.idByName("done.bin"), h.idByName("h1.bin"), h.idByName("h2.bin")
	h.waitState(done, engine.Completed)
	h.waitState(h1, engine.Active)
	h.waitState(h2, engine.Active)
	if h.u.tools.resumeAll.Disabled() == false || h.u.tools.pauseAll.Disabled() || h.u.tools.clear.Disabled() {
		t.Errorf("toolbar: resume all enabled %v, pause all disabled %v, clear disabled %v",
			!h.u.tools.resumeAll.Disabled(), h.u.tools.pauseAll.Disabled(), h.u.tools.clear.Disabled())
	}

	test.Tap(h.u.tools.pauseAll)
	h.waitState(h1, engine.Paused)
	h.waitState(h2, engine.Paused)
	h.until("resume all to enable", func() bool { return !h.u.tools.resumeAll.Disabled() })

	test.Tap(h.u.tools.resumeAll)
	h.waitState(h1, engine.Active)
	h.waitState(h2, engine.Active)

	test.Tap(h.u.tools.clear)
	h.until("the completed download to go", func() bool { return h.u.model.index(done) < 0 })
	if h.u.model.len() != 2 {
		t.Errorf("%d downloads left after clearing finished, want 2", h.u.model.len())
	}
	if _, err := os.Stat(filepath.Join(h.dl, "done.bin")); err != nil {
		t.Errorf("clearing removed the file: %v", err)
	}
}

func TestSettingsApplyToEngineAndPersist(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.u.tools.settings)
	d := h.u.setDlg
	if d == nil {
		t.Fatal("Settings did not open")
	}
	if d.maxActive.Text != "4" || d.connections.Text != strconv.Itoa(engine.DefaultConnections) || d.limit.Checked || d.dir.Text != h.dl {
		t.Errorf("defaults: %q %q %v %q", d.maxActive.Text, d.connections.Text, d.limit.Checked, d.dir.Text)
	}

	d.maxActive.SetText("0")
	test.Tap(d.saveBtn)
	if h.u.setDlg == nil || !d.problem.Visible() || !strings.Contains(d.problem.Text, "Downloads at once") {
		t.Fatalf("invalid value accepted; problem %q", d.problem.Text)
	}

	d.maxActive.SetText("1")
	d.connections.SetText("2")
	test.Tap(d.limit)
	d.limitKiB.SetText("512")
	other := filepath.Join(h.root, "other")
	d.dir.SetText(other)
	test.Tap(d.saveBtn)
	if h.u.setDlg != nil {
		t.Fatal("dialog still open after a valid Save")
	}
	want := settings{MaxActive: 1, Connections: 2, RateLimitKiB: 512, Dir: other, Compact: true}
	if got := loadSettings(h.app.Preferences(), "unused"); got != want {
		t.Errorf("saved settings = %+v, want %+v", got, want)
	}
	if h.u.status.limit.Text != "512 KiB/s" {
		t.Errorf("the limit button says %q", h.u.status.limit.Text)
	}

	// One download at a time, live: the second waits for the first.
	h.u.addText(h.url("/hold/x1.bin")+"\n"+h.url("/hold/x2.bin"), "", "the test")
	x1, x2 := h.idByName("x1.bin"), h.idByName("x2.bin")
	h.waitState(x1, engine.Active)
	if h.state(x2) != engine.Queued {
		t.Errorf("second download is %v with one allowed at once", h.state(x2))
	}
	if s, _ := h.m.Get(x1); s.Dir != other {
		t.Errorf("download went to %q, want the new default %q", s.Dir, other)
	}
	test.Tap(h.rowFor(x1).pauseBtn)
	h.waitState(x2, engine.Active)
}

func TestSecondLaunchHandsOverLinks(t *testing.T) {
	h := newHarness(t)
	h.u.receive(strings.Join([]string{h.url("/f/from-second.bin")}, "\n"))
	h.waitState(h.idByName("from-second.bin"), engine.Completed)
}

func TestArgsMixFilesAndURLs(t *testing.T) {
	h := newHarness(t)
	list := filepath.Join(h.root, "args.txt")
	if err := os.WriteFile(list, []byte(h.url("/f/from-file.bin")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.u.addArgs([]string{list, h.url("/f/from-arg.bin"), "  "})
	h.idByName("from-file.bin")
	h.idByName("from-arg.bin")
	names := []string{}
	for _, id := range h.u.model.order {
		s, _ := h.u.model.snapshot(id)
		names = append(names, s.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"from-arg.bin", "from-file.bin"}) {
		t.Errorf("downloads = %q", names)
	}
}

func TestHoverShowsATooltipByThePointer(t *testing.T) {
	h := newHarness(t)
	h.u.addText(h.url("/hold/hover.bin"), "", "the test")
	id := h.idByName("hover.bin")
	h.waitState(id, engine.Active)
	h.until("the add report", func() bool { return strings.HasPrefix(h.u.status.activity.Text, "Added 1 download") })
	r := h.rowFor(id)
	at := fyne.NewPos(500, 120)
	r.pauseBtn.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: at}})
	if h.u.tips.panel.Visible() {
		t.Error("the tooltip shows before the delay")
	}
	if got := h.waitTooltip(); got != "Pause" {
		t.Errorf("tooltip = %q", got)
	}
	if p := h.u.tips.panel.Position(); p.X != at.X || p.Y <= at.Y || p.Y > at.Y+tooltipOffset+1 {
		t.Errorf("the tooltip is at %v, the pointer at %v", p, at)
	}
	if !strings.HasPrefix(h.u.status.activity.Text, "Added 1 download") {
		t.Errorf("the status bar says %q while hovering, want the last message", h.u.status.activity.Text)
	}
	r.pauseBtn.MouseOut()
	if h.u.tips.panel.Visible() {
		t.Error("the tooltip stayed after the pointer left")
	}
	// Pointer in and out before the delay: no tooltip.
	r.pauseBtn.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: at}})
	r.pauseBtn.MouseOut()
	h.timers.fire(tooltipDelay)
	h.until("posted work", func() bool { return len(h.loop) == 0 })
	if h.u.tips.panel.Visible() {
		t.Error("a tooltip showed after the pointer left")
	}
}

func TestStatusMessageFades(t *testing.T) {
	h := newHarness(t)
	h.u.setActivity("Adding links…")
	if n := h.timers.fire(statusFade); n != 0 {
		t.Errorf("a message of work going on fades (%d timers)", n)
	}
	h.u.setActivity("Added 3 downloads from the pasted text")
	h.u.setActivity("Added 4 downloads from the pasted text")
	if n := h.timers.fire(statusFade); n != 1 {
		t.Errorf("%d fade timers for the last message, want 1", n)
	}
	h.until("the message to fade", func() bool { return h.u.status.activity.Text == "" })
}

func TestClosingTheWindowStopsUIUpdates(t *testing.T) {
	h := newHarness(t)
	h.u.win.Close()
	if h.u.ctx.Err() == nil {
		t.Fatal("closing the window left the UI following the engine")
	}
	ran := false
	h.u.post(func() { ran = true })
	select {
	case f := <-h.loop:
		f()
	default:
	}
	if ran {
		t.Error("a function posted after the window closed ran")
	}
}

// TestLargeLinkFileKeepsItsOrder: a file of thousands of links goes to
// the engine through intake's chunks, and the list shows them in the
// file's order.
func TestLargeLinkFileKeepsItsOrder(t *testing.T) {
	h := newHarness(t)
	const n = 2000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s\n", h.url(fmt.Sprintf("/missing/%04d.bin", i)))
	}
	list := filepath.Join(h.root, "many.txt")
	if err := os.WriteFile(list, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	h.u.addArgs([]string{list})
	h.until("every link in the list", func() bool { return h.u.model.len() == n })
	for i, id := range h.u.model.order {
		s, _ := h.u.model.snapshot(id)
		if want := fmt.Sprintf("%04d.bin", i); s.Name != want {
			t.Fatalf("row %d is %q, want %q: the file's order was not kept", i, s.Name, want)
		}
	}
	h.until("the report", func() bool { return strings.Contains(h.u.status.last, "Added 2000 downloads from many.txt") })
}
