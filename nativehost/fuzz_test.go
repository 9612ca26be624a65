package nativehost

import (
	"bytes"
	"strings"
	"testing"

	"github.com/haul-dl/haul/instance"
)

// FuzzMessage feeds arbitrary bytes to the framing and the message
// checks: nothing may panic, and whatever is accepted must make headers
// that cannot split a request.
func FuzzMessage(f *testing.F) {
	f.Add([]byte(download))
	f.Add([]byte(`{"type":"links","page":"https://e.example/","links":[{"url":"https://e.example/a","cookies":[{"name":"a","value":"b"}]}]}`))
	f.Add([]byte(`{"type":"ping"}`))
	f.Add([]byte(`{"type":"qualities","kind":"hls","url":"https://e.example/m.m3u8","page":"https://e.example/","cookies":[{"name":"a","value":"b"}]}`))
	f.Add([]byte(`{"type":"download","url":"https://e.example/","userAgent":"\u0000"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = ReadMessage(bytes.NewReader(body), MaxIncoming)
		m, err := parse(body)
		if err != nil || m.Type == "ping" {
			return
		}
		h := m.handoff()
		if m.Type == "qualities" {
			r := m.request()
			h.Items = []instance.HandoffItem{{URL: r.URL, Header: r.Header}}
		}
		if len(h.Items) == 0 {
			t.Fatalf("an accepted %s message without items", m.Type)
		}
		for _, it := range h.Items {
			if u := strings.ToLower(it.URL); !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				t.Fatalf("accepted the URL %q", it.URL)
			}
			for k, vs := range it.Header {
				for _, v := range vs {
					if strings.ContainsAny(v, "\r\n\x00") {
						t.Fatalf("header %s = %q", k, v)
					}
				}
			}
		}
	})
}
