package instance

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// handoffs records the hand-offs a listener received.
type handoffs struct {
	mu     sync.Mutex
	got    []Handoff
	refuse error
}

func (h *handoffs) take(x Handoff) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.refuse != nil {
		return h.refuse
	}
	h.got = append(h.got, x)
	return nil
}

func listenBoth(t *testing.T, dir string, c *collector, h *handoffs) {
	t.Helper()
	l, err := ListenWith(context.Background(), dir, Handlers{Links: c.add, Handoff: h.take})
	if err != nil {
		t.Fatalf("ListenWith: %v", err)
	}
	t.Cleanup(func() { l.Close() })
}

func TestSendHandoffDeliversHeadersAndLinksStillWork(t *testing.T) {
	dir := shortDir(t)
	var c collector
	var h handoffs
	listenBoth(t, dir, &c, &h)

	want := Handoff{Kind: KindDownload, Page: "https://example.org/p", Items: []HandoffItem{{
		URL:    "https://example.org/a.iso",
		Name:   "a.iso",
		Header: http.Header{"Cookie": {"sid=1"}, "Referer": {"https://example.org/p"}},
	}}}
	if err := SendHandoff(dir, want); err != nil {
		t.Fatalf("SendHandoff: %v", err)
	}
	if err := Send(dir, "https://example.org/b"); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(h.got) != 1 {
		t.Fatalf("received %d hand-offs, want 1", len(h.got))
	}
	got := h.got[0]
	if got.Kind != want.Kind || got.Page != want.Page || len(got.Items) != 1 || got.Items[0].URL != want.Items[0].URL ||
		got.Items[0].Name != "a.iso" || got.Items[0].Header.Get("Cookie") != "sid=1" || got.Items[0].Header.Get("Referer") != want.Page {
		t.Errorf("received %+v, want %+v", got, want)
	}
	if texts := c.got(); len(texts) != 1 || texts[0] != "https://example.org/b" {
		t.Errorf("links received %q", texts)
	}
}

func TestSendHandoffReportsTheWindowsRefusal(t *testing.T) {
	dir := shortDir(t)
	var c collector
	h := handoffs{refuse: errors.New("the link is not\nvalid")}
	listenBoth(t, dir, &c, &h)
	err := SendHandoff(dir, Handoff{Kind: KindLinks, Items: []HandoffItem{{URL: "https://example.org/a"}}})
	var refused *RefusedError
	if !errors.As(err, &refused) || refused.Reason != "the link is not valid" {
		t.Fatalf("SendHandoff = %v, want the refusal on one line", err)
	}
}

func TestListenWithoutHandoffRefusesHandoffs(t *testing.T) {
	dir := shortDir(t)
	var c collector
	listen(t, dir, &c)
	err := SendHandoff(dir, Handoff{Kind: KindDownload, Items: []HandoffItem{{URL: "https://example.org/a"}}})
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "does not take downloads from the browser") {
		t.Fatalf("SendHandoff = %v, want a refusal", err)
	}
}

func TestSendHandoffWithoutWindowIsErrNoInstance(t *testing.T) {
	err := SendHandoff(shortDir(t), Handoff{Kind: KindDownload, Items: []HandoffItem{{URL: "https://example.org/a"}}})
	if !errors.Is(err, ErrNoInstance) {
		t.Fatalf("SendHandoff = %v, want ErrNoInstance", err)
	}
}

func TestMalformedHandoffsAreRefusedWithAReason(t *testing.T) {
	dir := shortDir(t)
	var c collector
	var h handoffs
	listenBoth(t, dir, &c, &h)
	for _, tc := range []struct{ body, want string }{
		{"not json", "not valid JSON"},
		{`{"kind":"launch","items":[{"url":"https://e.example/"}]}`, "unknown kind"},
		{`{"kind":"download","items":[]}`, "without links"},
		{`{"kind":"download","items":[{"url":""}]}`, "empty link"},
		{`{"kind":"download","items":[{"url":"https://e.example/"}]} {}`, "after its JSON"},
	} {
		conn, err := net.Dial("unix", SocketPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(handoffHeader + tc.body))
		conn.(*net.UnixConn).CloseWrite()
		buf := make([]byte, 512)
		n, _ := conn.Read(buf)
		conn.Close()
		if answer := string(buf[:n]); !strings.HasPrefix(answer, refusal) || !strings.Contains(answer, tc.want) {
			t.Errorf("%s: answer %q, want a refusal saying %q", tc.body, answer, tc.want)
		}
	}
	if len(h.got) != 0 {
		t.Errorf("malformed hand-offs reached the window: %+v", h.got)
	}
}
