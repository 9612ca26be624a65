package safename

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Display returns s safe to print on a terminal or show in a window. Control
// characters (C0, C1, DEL), the line and paragraph separators and Unicode
// bidi formatting characters are written as visible escapes ("\x1b",
// "\u202e"), which also defuses ANSI escape sequences; invalid UTF-8 becomes
// U+FFFD. Other text, including accents, CJK and emoji, is kept as is. The
// result is for people to read; it cannot be decoded back.
func Display(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r < 0x80 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r), isBidi(r), r == '\u2028', r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
