// Package safename turns file names chosen by strangers (servers, URLs,
// Content-Disposition headers) into names that are safe to create in a
// download folder on Linux, macOS and Windows, and to show to the user.
//
// Unicode normalisation (NFC) is not applied: the standard library has no
// normaliser and this package does not depend on golang.org/x/text.
package safename

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxBytes is the longest name Sanitize returns: 240 bytes, so that
// "NAME (9999).part"-style suffixes still fit the 255-byte name limit of
// common file systems.
const MaxBytes = 240

// maxExtBytes is the longest extension (without its dot) that a length cut
// or a uniqueness suffix keeps intact; longer "extensions" are treated as
// part of the stem.
const maxExtBytes = 16

// Sanitize reduces s to a safe single path element on every OS (Linux,
// macOS, Windows), or "" when nothing usable is left.
//
// It keeps only the text after the last '/' or '\', removes control
// characters, ANSI escape sequences and bidirectional formatting characters,
// replaces invalid UTF-8, slash look-alikes and the characters Windows
// forbids (<>:"|?*) with '_', collapses whitespace to single spaces, drops
// leading dots and spaces and trailing dots and spaces, renames
// Windows-reserved device names (CON.txt becomes CON_.txt) and cuts the
// result to MaxBytes at a rune boundary, keeping a short extension.
// Sanitize is idempotent.
func Sanitize(s string) string {
	s = strings.ToValidUTF8(s, "_")
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = cleanRunes(s)
	s = strings.TrimLeft(s, ". ")
	s = strings.TrimRight(s, ". ")
	if s == "" {
		return ""
	}
	s = fixReserved(s)
	if len(s) > MaxBytes {
		s = cut(s, MaxBytes)
		s = strings.TrimRight(s, ". ")
	}
	return s
}

// cleanRunes drops escape sequences and control and bidi characters,
// replaces forbidden characters with '_' and collapses whitespace runs to a
// single space. s must be valid UTF-8.
func cleanRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		if n := escapeLen(s[i:]); n > 0 {
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case isControl(r), isBidi(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if isForbidden(r) {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLen returns the length of the ANSI escape sequence at the start of
// s, or 0 if s does not start with ESC or a C1 CSI/OSC introducer. An
// unterminated sequence runs to the end of s.
func escapeLen(s string) int {
	var i int
	var kind byte
	switch {
	case strings.HasPrefix(s, "\x1b["):
		i, kind = 2, '['
	case strings.HasPrefix(s, "\x1b]"):
		i, kind = 2, ']'
	case strings.HasPrefix(s, "\u009b"):
		i, kind = 2, '['
	case strings.HasPrefix(s, "\u009d"):
		i, kind = 2, ']'
	case strings.HasPrefix(s, "\x1b"):
		// ESC, optional intermediate bytes, one final byte.
		i = 1
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	default:
		return 0
	}
	if kind == '[' {
		// Parameter and intermediate bytes, then a final byte.
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
			i++
		}
		if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
			i++
		}
		return i
	}
	// OSC: up to BEL, ST (ESC \) or C1 ST.
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case strings.HasPrefix(s[i:], "\x1b\\"):
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + 2
		}
		i++
	}
	return i
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// isBidi reports whether r is a Unicode bidirectional formatting character
// (embeddings, overrides, isolates and marks) that can reorder how a name is
// displayed.
func isBidi(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2066 && r <= 0x2069, // LRI, RLI, FSI, PDI
		r == 0x200e, r == 0x200f,   // LRM, RLM
		r == 0x061c: // ALM
		return true
	}
	return false
}

// isForbidden reports whether r may not appear in a Windows file name, or
// looks so much like a path separator that it would mislead the user.
func isForbidden(r rune) bool {
	switch r {
	case '<', '>', ':', '"', '|', '?', '*',
		'\u2044', // FRACTION SLASH
		'\u2215', // DIVISION SLASH
		'\u29f5', // REVERSE SOLIDUS OPERATOR
		'\u29f8', // BIG SOLIDUS
		'\u29f9', // BIG REVERSE SOLIDUS
		'\uff0f', // FULLWIDTH SOLIDUS
		'\uff3c': // FULLWIDTH REVERSE SOLIDUS
		return true
	}
	return false
}

// fixReserved appends '_' to the device-name part of s when Windows would
// treat s as a device (CON, NUL, COM1, CONIN$, ... with any extension).
func fixReserved(s string) string {
	stem, _, _ := strings.Cut(s, ".")
	trimmed := strings.TrimRight(stem, " ")
	if !isReservedStem(trimmed) {
		return s
	}
	return trimmed + "_" + s[len(trimmed):]
}

// isReservedStem reports whether stem (the part of a name before its first
// dot, trailing spaces removed) is a Windows device name.
func isReservedStem(stem string) bool {
	switch strings.ToUpper(stem) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) < 4 {
		return false
	}
	switch strings.ToUpper(stem[:3]) {
	case "COM", "LPT":
	default:
		return false
	}
	switch stem[3:] {
	case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
		"\u00b9", "\u00b2", "\u00b3":
		return true
	}
	return false
}

// splitExt splits name into stem and extension. The extension is the last
// ".xxx" of at most maxExtBytes letters and digits including at least one
// letter, plus a preceding ".tar" ("x.tar.gz" → "x", ".tar.gz"). The stem
// is never empty: a name that is all extension has none.
func splitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || !isExt(name[i+1:]) {
		return name, ""
	}
	stem, ext = name[:i], name[i:]
	if j := len(stem) - len(".tar"); j > 0 && strings.EqualFold(stem[j:], ".tar") {
		stem, ext = stem[:j], stem[j:]+ext
	}
	return stem, ext
}

// isExt reports whether e (without its dot) looks like a real extension.
func isExt(e string) bool {
	if e == "" || len(e) > maxExtBytes {
		return false
	}
	letter := false
	for _, r := range e {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
		default:
			return false
		}
	}
	return letter
}

// cut shortens name to at most limit bytes at a rune boundary, keeping its
// extension when the stem can keep at least half of the limit.
func cut(name string, limit int) string {
	if len(name) <= limit {
		return name
	}
	stem, ext := splitExt(name)
	if len(ext) > limit/2 {
		stem, ext = name, ""
	}
	return truncate(stem, limit-len(ext)) + ext
}

// truncate returns the longest prefix of s that is at most n bytes and ends
// at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
