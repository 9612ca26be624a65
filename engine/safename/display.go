package safename

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Display returns s safe to print on a terminal or show in a window. Control
// characters (C0, C1, DEL), the line and paragraph separators, Unicode bidi
// formatting characters and other invisible format characters (zero-width
// space, BOM, soft hyphen, …) are written as visible escapes ("\x1b",
// "\u202e", "\u200b"), which also defuses ANSI escape sequences; invalid
// UTF-8 becomes U+FFFD. Other text, including accents, CJK and emoji (with
// the zero-width joiners and tags of their sequences), is kept as is. The
// result is for people to read; it cannot be decoded back. It is the one
// display sanitizer of Haul: the window, the terminal and engine/links use
// it.
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
		case isControl(r), isBidi(r), r == '\u2028', r == '\u2029', isInvisible(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isInvisible reports whether r is a format character that shows nothing
// and so can hide what a text says, other than the joiners and tags that
// emoji sequences and some scripts need.
func isInvisible(r rune) bool {
	switch {
	case r == '\u200c', r == '\u200d': // ZWNJ, ZWJ
		return false
	case r >= 0xe0020 && r <= 0xe007f: // tags, in subdivision flags
		return false
	}
	return unicode.Is(unicode.Cf, r)
}
