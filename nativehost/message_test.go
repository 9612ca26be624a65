package nativehost

import (
	"fmt"
	"strings"
	"testing"

	"github.com/haul-dl/haul/instance"
)

func TestParseRefusesBadMessagesWithAReason(t *testing.T) {
	longURL := "https://example.org/" + strings.Repeat("a", MaxField)
	manyLinks := `{"type":"links","links":[` + strings.TrimSuffix(strings.Repeat(`{"url":"https://e.example/"},`, MaxLinks+1), ",") + `]}`
	for _, tc := range []struct{ body, want string }{
		{`not json`, "not a JSON message"},
		{``, "not a JSON message"},
		{`{"type":"ping"} {}`, "data after the object"},
		{`[1,2]`, "should be a"},
		{`{}`, "without a type"},
		{`{"type":"format-disk"}`, `unknown message type "format-disk"`},
		{`{"type":"download"}`, `"url" is missing`},
		{`{"type":"download","url":5}`, `"url" should be a string`},
		{`{"type":"download","url":"file:///etc/passwd"}`, "not an http or https link"},
		{`{"type":"download","url":"javascript:alert(1)"}`, "not an http or https link"},
		{`{"type":"download","url":"https:///nohost"}`, "names no host"},
		{`{"type":"download","url":"` + longURL + `"}`, "longer than"},
		{`{"type":"download","url":"https://e.example/\r\nX: y"}`, "control characters"},
		{`{"type":"download","url":"https://e.example/","page":"chrome://settings"}`, "page"},
		{`{"type":"download","url":"https://e.example/","userAgent":"UA\r\nCookie: x=1"}`, "userAgent"},
		{`{"type":"download","url":"https://e.example/","filename":"../../.bashrc"}`, "plain name"},
		{`{"type":"download","url":"https://e.example/","cookies":[{"name":"a\r\nb","value":"1"}]}`, "cookie name"},
		{`{"type":"download","url":"https://e.example/","cookies":[{"name":"a","value":"1\nSet-Cookie: x"}]}`, "cannot carry"},
		{`{"type":"download","url":"https://e.example/","cookies":[{"name":"a","value":"1; b=2"}]}`, "cannot carry"},
		{`{"type":"download","url":"https://e.example/","links":[]}`, "not links"},
		{`{"type":"links"}`, "without links"},
		{`{"type":"links","links":[{"url":"ftp://e.example/"}]}`, `links[0].url`},
		{`{"type":"links","url":"https://e.example/","links":[{"url":"https://e.example/"}]}`, "not url"},
		{manyLinks, fmt.Sprintf("more than the limit of %d", MaxLinks)},
		{`{"type":"qualities","url":"https://e.example/a.m3u8"}`, "kind hls or dash"},
		{`{"type":"qualities","kind":"rtmp","url":"https://e.example/a.m3u8"}`, `not "rtmp"`},
		{`{"type":"qualities","kind":"hls"}`, `"url" is missing`},
		{`{"type":"qualities","kind":"hls","url":"file:///etc/passwd"}`, "not an http or https link"},
		{`{"type":"qualities","kind":"hls","url":"https://e.example/a.m3u8","filename":"a"}`, "not links or a filename"},
		{`{"type":"qualities","kind":"hls","url":"https://e.example/a.m3u8","cookies":[{"name":"a","value":"1\r\nX: y"}]}`, "cannot carry"},
		{`{"type":"download","kind":"hls","url":"https://e.example/a.m3u8"}`, "only a qualities message names a kind"},
	} {
		_, err := parse([]byte(tc.body))
		name := tc.body
		if len(name) > 60 {
			name = name[:60]
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q, want it to say %q", name, err, tc.want)
		}
	}
}

func TestDownloadMessageBecomesAHandoffWithHeaders(t *testing.T) {
	m, err := parse([]byte(`{"type":"download","url":"https://e.example/a.iso","page":"https://e.example/p",
		"userAgent":"Mozilla/5.0 Test","filename":"a.iso","cookies":[{"name":"sid","value":"1"},{"name":"t","value":"x y"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	h := m.handoff()
	if h.Kind != instance.KindDownload || h.Page != "https://e.example/p" || len(h.Items) != 1 {
		t.Fatalf("handoff %+v", h)
	}
	it := h.Items[0]
	if it.URL != "https://e.example/a.iso" || it.Name != "a.iso" {
		t.Errorf("item %+v", it)
	}
	for k, want := range map[string]string{"Referer": "https://e.example/p", "User-Agent": "Mozilla/5.0 Test", "Cookie": "sid=1; t=x y"} {
		if got := it.Header.Values(k); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestLinksMessageGivesEachLinkItsOwnCookies(t *testing.T) {
	m, err := parse([]byte(`{"type":"links","page":"https://e.example/list","links":[
		{"url":"https://e.example/a","cookies":[{"name":"s","value":"1"}]},{"url":"https://other.example/b"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	h := m.handoff()
	if h.Kind != instance.KindLinks || len(h.Items) != 2 {
		t.Fatalf("handoff %+v", h)
	}
	if h.Items[0].Header.Get("Cookie") != "s=1" || h.Items[1].Header.Get("Cookie") != "" {
		t.Errorf("cookies %q, %q", h.Items[0].Header.Get("Cookie"), h.Items[1].Header.Get("Cookie"))
	}
	if h.Items[1].Header.Get("Referer") != "https://e.example/list" {
		t.Errorf("Referer %q", h.Items[1].Header.Get("Referer"))
	}
}
