package gui

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/testserver"
	"github.com/haul-dl/haul/instance"
)

// browserServer serves files of 100 KB at /b/NAME for hand-off tests.
func browserServer(t *testing.T, names ...string) *testserver.Server {
	t.Helper()
	s := testserver.New()
	t.Cleanup(s.Close)
	for _, n := range names {
		s.Add("/b/"+n, testserver.Content(100_000, uint64(len(n))))
	}
	return s
}

// handOff hands h to the window as the instance listener would (from a
// goroutine of its own) and returns the answer once the UI has run.
func (h *harness) handOff(ho instance.Handoff) error {
	h.t.Helper()
	answer := make(chan error, 1)
	go func() { answer <- h.u.receiveHandoff(ho) }()
	var err error
	h.until("the window to answer the hand-off", func() bool {
		select {
		case err = <-answer:
			return true
		default:
			return false
		}
	})
	return err
}

func browserHeader(page string) http.Header {
	return http.Header{"Referer": {page}, "User-Agent": {"BrowserUA/1"}, "Cookie": {"sid=s3cret"}}
}

func TestBrowserDownloadStartsAndCompletes(t *testing.T) {
	h := newHarness(t)
	s := browserServer(t, "a.bin")
	page := s.URL("/page.html")
	err := h.handOff(instance.Handoff{Kind: instance.KindDownload, Page: page, Items: []instance.HandoffItem{
		{URL: s.URL("/b/a.bin"), Name: "a.bin", Header: browserHeader(page)},
	}})
	if err != nil {
		t.Fatalf("the window refused the download: %v", err)
	}
	id := h.idByName("a.bin")
	h.waitState(id, engine.Completed)
	if fi, err := os.Stat(filepath.Join(h.dl, "a.bin")); err != nil || fi.Size() != 100_000 {
		t.Fatalf("a.bin on disk: %v", err)
	}
	if !strings.Contains(h.u.status.last, "From the browser: a.bin") {
		t.Errorf("activity %q", h.u.status.last)
	}
}

func TestBrowserDownloadTheEngineRefusesIsRefused(t *testing.T) {
	h := newHarness(t)
	err := h.handOff(instance.Handoff{Kind: instance.KindDownload, Items: []instance.HandoffItem{{URL: "ftp://127.0.0.1/a.bin"}}})
	if err == nil || !strings.Contains(err.Error(), "ftp://127.0.0.1/a.bin") {
		t.Fatalf("receiveHandoff = %v, want the engine's refusal naming the link", err)
	}
	if len(h.m.List()) != 0 {
		t.Errorf("the list holds %d downloads", len(h.m.List()))
	}
}

// Needs the reshape branch: the engine sends Request.Header.
func TestBrowserDownloadSendsTheBrowsersHeaders(t *testing.T) {
	h := newHarness(t)
	s := browserServer(t, "h.bin")
	page := s.URL("/page.html")
	if err := h.handOff(instance.Handoff{Kind: instance.KindDownload, Page: page, Items: []instance.HandoffItem{
		{URL: s.URL("/b/h.bin"), Header: browserHeader(page)},
	}}); err != nil {
		t.Fatal(err)
	}
	h.waitState(h.idByName("h.bin"), engine.Completed)
	reqs := s.Requests("/b/h.bin")
	if len(reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	for _, r := range reqs {
		if r.Header.Get("Cookie") != "sid=s3cret" || r.Header.Get("Referer") != page || r.Header.Get("User-Agent") != "BrowserUA/1" {
			t.Errorf("%s request: Cookie %q, Referer %q, User-Agent %q", r.Method, r.Header.Get("Cookie"), r.Header.Get("Referer"), r.Header.Get("User-Agent"))
		}
	}
}

// Needs the reshape branch: the engine fills Snapshot.Page from the Referer.
func TestBrowserDownloadRowSaysItCameFromThePage(t *testing.T) {
	h := newHarness(t)
	s := browserServer(t, "r.bin")
	page := s.URL("/downloads/page.html")
	if err := h.handOff(instance.Handoff{Kind: instance.KindDownload, Page: page, Items: []instance.HandoffItem{
		{URL: s.URL("/b/r.bin"), Header: browserHeader(page)},
	}}); err != nil {
		t.Fatal(err)
	}
	id := h.idByName("r.bin")
	h.waitState(id, engine.Completed)
	want := "From the browser · " + s.Addr() + "/downloads/page.html"
	r := h.rowFor(id)
	h.until("the row to name the page", func() bool { return strings.Contains(r.detail.Text, want) })
}

func TestSourceTextNamesThePage(t *testing.T) {
	for _, tc := range []struct{ page, want string }{
		{"", ""},
		{"https://example.org/dl/page/?x=1#top", "From the browser · example.org/dl/page"},
		{"https://u:pw@example.org/", "From the browser · example.org"},
		{"https://example.org/" + strings.Repeat("a", 100), "From the browser · example.org/" + strings.Repeat("a", 47) + "…"},
	} {
		if got := sourceText(engine.Snapshot{Page: tc.page}); got != tc.want {
			t.Errorf("sourceText(%q) = %q, want %q", tc.page, got, tc.want)
		}
	}
	if got := withSource("1 MB", engine.Snapshot{Page: "https://example.org/p"}); got != "1 MB  ·  From the browser · example.org/p" {
		t.Errorf("withSource = %q", got)
	}
	if got := withSource("1 MB", engine.Snapshot{}); got != "1 MB" {
		t.Errorf("withSource without a page = %q", got)
	}
}

func TestBrowserLinksOpenTickedAndAddOnlyTheChosen(t *testing.T) {
	h := newHarness(t)
	s := browserServer(t, "one.bin", "two.bin", "three.bin")
	page := s.URL("/list.html")
	var items []instance.HandoffItem
	for _, n := range []string{"one.bin", "two.bin", "three.bin"} {
		items = append(items, instance.HandoffItem{URL: s.URL("/b/" + n), Header: browserHeader(page)})
	}
	if err := h.handOff(instance.Handoff{Kind: instance.KindLinks, Page: page, Items: items}); err != nil {
		t.Fatal(err)
	}
	h.until("the links dialog", func() bool { return h.u.linksDlg != nil })
	d := h.u.linksDlg
	if got := d.picker.count.Text; got != "3 of 3 links ticked" {
		t.Errorf("count %q", got)
	}
	if !strings.Contains(h.overlayText(), "Links from "+s.Addr()+"/list.html") {
		t.Errorf("dialog title: %s", h.overlayText())
	}
	if len(h.m.List()) != 0 {
		t.Fatal("links were added before the user chose")
	}
	test.Tap(d.picker.noneBtn)
	if !d.addBtn.Disabled() {
		t.Error("Add is enabled with nothing ticked")
	}
	test.Tap(d.picker.allBtn)
	// The box of the second link, as the list builds it, clicked.
	url, box := d.picker.item(1)
	if !box.Checked || !strings.Contains(url.Text, "two.bin") {
		t.Fatalf("second box %q ticked %v", url.Text, box.Checked)
	}
	test.Tap(box)
	if got := d.picker.count.Text; got != "2 of 3 links ticked" {
		t.Errorf("count after unticking one: %q", got)
	}
	test.Tap(d.addBtn)
	for _, n := range []string{"one.bin", "three.bin"} {
		h.waitState(h.idByName(n), engine.Completed)
	}
	for _, x := range h.m.List() {
		if x.Name == "two.bin" {
			t.Error("the unticked link was added")
		}
	}
}
