package links

import (
	"iter"
	"net/url"
	"strings"
)

// Redact returns s with the password of any URL in it replaced by
// "xxxxx": url.URL.Redacted for a URL that parses, and the same rewrite
// done on the text for one that does not (a pasted line, an argument
// with a typo), so that a password never reaches a message.
func Redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil && u.Host != "" {
		return u.Redacted()
	}
	return redact(s, false)
}

// Scrub returns s with every URL in it cut to what a message may show:
// its userinfo (user:pass@) removed, and its query and fragment, where
// signed links keep their tokens, replaced by "…" ("https://host/a.zip?…").
// It works on the text, like Redact, so it also covers URLs inside an
// error message or that do not parse; a URL ends at a space, a quote or
// an angle bracket. Scrubbing twice changes nothing more. Error text,
// log lines and a row's error line go through Scrub; only a view the
// user asked for (Details) shows the link itself, through Redact.
func Scrub(s string) string {
	var b strings.Builder
	last := 0
	for a, end := range authorities(s) {
		if a < last {
			continue // inside a query already cut
		}
		if at := strings.LastIndexByte(s[a:end], '@'); at >= 0 {
			b.WriteString(s[last:a])
			last = a + at + 1
		}
		stop := end + urlEnd(s[end:])
		rest := s[end:stop]
		if n := strings.Index(rest, "://"); n >= 0 {
			rest = rest[:n] // a URL in this one's path is scrubbed on its own
		}
		if q := strings.IndexAny(rest, "?#"); q >= 0 && !strings.HasPrefix(s[end+q+1:], "…") {
			b.WriteString(s[last : end+q+1])
			b.WriteString("…")
			last = stop
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// urlEnd returns the length of the rest of a URL (path, query, fragment)
// at the start of s, in running text.
func urlEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || strings.IndexByte("\"'<>`\\", c) >= 0 {
			return i
		}
	}
	return len(s)
}

// authorities yields, for each "://" in s from the left, where the URL
// authority after it starts and ends.
func authorities(s string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; i < len(s); {
			k := strings.Index(s[i:], "://")
			if k < 0 {
				return
			}
			a := i + k + 3
			end := a + authorityEnd(s[a:])
			if !yield(a, end) {
				return
			}
			i = max(end, a)
		}
	}
}
