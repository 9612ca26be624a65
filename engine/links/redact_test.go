package links

import (
	"strings"
	"testing"
)

func TestRedactForMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://x.example/a", "http://x.example/a"},
		{"http://u:secret@x.example/a", "http://u:xxxxx@x.example/a"},
		{"http://u@x.example/a", "http://u@x.example/a"},
		{"https://u:p@ss@x.example/", "https://u:xxxxx@x.example/"},
		{"http://u:secret@x.example/a b%zz", "http://u:xxxxx@x.example/a b%zz"}, // does not parse
		{"see http://u:secret@x.example and more", "see http://u:xxxxx@x.example and more"},
		{"not a url", "not a url"},
	}
	for _, tc := range tests {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScrubHidesUserinfoAndTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://x.example/a.zip", "http://x.example/a.zip"},
		{"https://x.example/a.zip?token=SIGNED123", "https://x.example/a.zip?…"},
		{"http://u:secret@x.example/a", "http://x.example/a"},
		{"http://alice@x.example:8080/a?X-Amz-Signature=f00#part", "http://x.example:8080/a?…"},
		{"https://x.example/cb#access_token=abc", "https://x.example/cb#…"},
		{`Get "http://u:pw@127.0.0.1:9/x.zip?token=T": dial tcp 127.0.0.1:9: connect: connection refused`,
			`Get "http://127.0.0.1:9/x.zip?…": dial tcp 127.0.0.1:9: connect: connection refused`},
		{"404 Not Found: https://a.example/1?s=1 then https://b.example/2?s=2", "404 Not Found: https://a.example/1?… then https://b.example/2?…"},
		{"http://u:secret@x.example/a b%zz?t=1", "http://x.example/a b%zz?t=1"}, // a raw space ends the URL
		{"<https://x.example/?q=1>", "<https://x.example/?…>"},
		{"https://archive.example/web/https://u:p@b.example/x?t=1", "https://archive.example/web/https://b.example/x?…"},
		{"https://r.example/go?to=https://u:p@b.example/x", "https://r.example/go?…"},
		{"not a url?x=1", "not a url?x=1"},
		{"", ""},
	}
	for _, tc := range tests {
		got := Scrub(tc.in)
		if got != tc.want {
			t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := Scrub(got); again != got {
			t.Errorf("Scrub(Scrub(%q)) = %q, want it unchanged", tc.in, again)
		}
	}
	// Scrubbed text inside brackets keeps the bracket.
	if got := Scrub("refused (" + Scrub("http://h.example/x?t=1") + ")"); got != "refused (http://h.example/x?…)" {
		t.Errorf("Scrub of scrubbed text = %q", got)
	}
}

// FuzzScrub: scrubbing is stable, and no URL left in the text has a
// userinfo or a query or fragment other than the "…" that replaced it.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{
		"https://u:p@h.example/a?t=1#f",
		`Get "http://u:p@h/x?token=T": EOF`,
		"https://a.example/web/https://u:p@b.example/x?t=1",
		"x://@?#://", "://://?", "http://h/a?…?b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Scrub(s)
		if again := Scrub(out); again != out {
			t.Fatalf("Scrub(%q) = %q, and again %q", s, out, again)
		}
		for a, end := range authorities(out) {
			if strings.Contains(out[a:end], "@") {
				t.Fatalf("Scrub(%q) = %q keeps a userinfo", s, out)
			}
			rest := out[end : end+urlEnd(out[end:])]
			if n := strings.Index(rest, "://"); n >= 0 {
				rest = rest[:n]
			}
			if q := strings.IndexAny(rest, "?#"); q >= 0 && !strings.HasPrefix(rest[q+1:], "…") {
				t.Fatalf("Scrub(%q) = %q keeps a query", s, out)
			}
		}
	})
}
