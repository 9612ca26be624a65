package links

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/haul-dl/haul/engine/safename"
)

const (
	maxTextRunes   = 120 // longest Rejected.Text
	maxReasonRunes = 240 // longest Rejected.Reason
)

// excerpt makes s safe to show in a list of rejections: passwords in URLs
// redacted, unsafe characters escaped, at most maxTextRunes long. cut says
// s is the start of a longer text, so a URL running to its end may have
// lost the "@" that marks its password.
func excerpt(s string, cut bool) string {
	return displaySafe(redact(s, cut), maxTextRunes)
}

// displaySafe is safename.Display, the one display sanitizer, with tabs
// turned into spaces and s shortened to limit runes, ending it with "…".
func displaySafe(s string, limit int) string {
	out := safename.Display(strings.ReplaceAll(s, "\t", " "))
	if utf8.RuneCountInString(out) > limit {
		return cutRunes(out, limit-1) + "…"
	}
	return out
}

// cutRunes returns the first n runes of s.
func cutRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// unsafeRune reports whether r must not be shown as is: control characters,
// format characters (bidi controls, zero-width joiners, BOM, soft hyphen)
// and the Unicode line and paragraph separators.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// redact replaces the password of every URL in s with "xxxxx", like
// url.URL.Redacted, working on the text so that it also covers URLs that do
// not parse. With cut set, a URL whose authority runs to the end of s also
// loses everything after its first ":", which may be a password whose "@"
// was cut off.
func redact(s string, cut bool) string {
	var b strings.Builder
	last := 0
	for a, end := range authorities(s) {
		auth := s[a:end]
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			if c := strings.IndexByte(auth[:at], ':'); c >= 0 {
				b.WriteString(s[last : a+c+1])
				b.WriteString("xxxxx")
				last = a + at
			}
		} else if cut && end == len(s) {
			if c := strings.IndexByte(auth, ':'); c >= 0 {
				b.WriteString(s[last : a+c+1])
				b.WriteString("xxxxx")
				last = len(s)
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// authorityEnd returns the length of the URL authority at the start of s.
func authorityEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '/' || c == '?' || c == '#' || c == '\\' || c == '"' || c == '\'' || c == '<' || c == '>':
			return i
		case c <= ' ' || c == 0x7f:
			return i
		}
	}
	return len(s)
}

// stripANSI removes terminal escape sequences from s: CSI sequences such as
// colours ("\x1b[31m"), OSC sequences such as titles and hyperlinks, ended
// by BEL or ESC \, and two-byte escapes.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			i++
			continue
		}
		i++ // ESC
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '[': // CSI: parameters and intermediates, then a final byte
			i++
			for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
				i++
			}
			i++
		case ']': // OSC: up to BEL or ST
			i++
			for i < len(s) && s[i] != 0x07 && !(s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\') {
				i++
			}
			if i < len(s) && s[i] == 0x1b {
				i++
			}
			i++
		default: // a two-byte escape
			i++
		}
	}
	return b.String()
}
