package engine

import "testing"

func TestParseURL(t *testing.T) {
	for _, bad := range []string{"ftp://x/y", "file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi", "example.com/a.jpg", "http://", "http://:80/x", "mailto:a@b"} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		}
	}
	u, err := ParseURL("HTTPS://user:secret@Example.com/a.jpg#frag")
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Redacted(); got != "https://user:xxxxx@Example.com/a.jpg" {
		t.Errorf("redact = %q", got)
	}
	if got := withoutPassword(u).String(); got != "https://user@Example.com/a.jpg" {
		t.Errorf("withoutPassword = %q", got)
	}
}
