package links

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const maxNameBytes = 255 // longest file name most file systems accept

// splitOption splits an indented aria2 option line "key=value". It reports
// false for text that is markup rather than an option: an HTML attribute
// (a quoted value) or anything holding "<" or ">".
func splitOption(text string) (key, val string, ok bool) {
	key, val, ok = strings.Cut(text, "=")
	if !ok || strings.ContainsAny(text, "<>") || strings.HasPrefix(val, `"`) || strings.HasPrefix(val, "'") {
		return "", "", false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c == '-' || c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "", "", false
		}
	}
	return key, val, true
}

// bareOptionKey returns the option key that text starts with when it misses
// its "=", as in "out" or "out: name"; otherwise "".
func bareOptionKey(text string) string {
	for _, key := range [...]string{"out", "sha256", "checksum"} {
		if hasPrefixFold(text, key) && (len(text) == len(key) || text[len(key)] == ':') {
			return key
		}
	}
	return ""
}

// option applies the option line "key=val" (line no) to the link above it.
func (s *scanner) option(no int, key, val string) {
	lower := strings.ToLower(key)
	switch lower {
	case "out", "sha256", "checksum":
	case "":
		s.reject(no, excerpt(key+"="+val, false), "malformed option: expected key=value")
		return
	default:
		// The value may be a secret (header=Authorization: ...,
		// http-passwd=...): it is not shown.
		s.reject(no, excerpt(key, false)+"=…", fmt.Sprintf(
			"unsupported option %q: only out=, sha256= and checksum=sha-256= can be used", shorten(key, 32)))
		return
	}
	text := excerpt(key+"="+val, false)
	if reason := s.tgt.optionReason(); reason != "" {
		s.reject(no, text, reason)
		return
	}
	l := &s.tgt.link
	val = strings.TrimSpace(val)
	if lower == "out" {
		switch {
		case l.Name != "":
			s.reject(no, text, fmt.Sprintf("the link on line %d already has an out= option", s.tgt.line))
		case nameReason(val) != "":
			s.reject(no, text, nameReason(val))
		default:
			l.Name = val
		}
		return
	}
	sum, reason := checksumOf(lower, val)
	switch {
	case reason != "":
		s.reject(no, text, reason)
	case l.Checksum != "":
		s.reject(no, text, fmt.Sprintf("the link on line %d already has a checksum", s.tgt.line))
	default:
		l.Checksum = sum
	}
}

// optionReason says why an option line cannot apply to t, or "" if it can.
func (t target) optionReason() string {
	switch t.kind {
	case pendingTarget:
		return ""
	case rejectedTarget:
		return fmt.Sprintf("option for the link on line %d, which was rejected", t.line)
	case duplicateTarget:
		return fmt.Sprintf("option for the link on line %d, which repeats an earlier link and was skipped", t.line)
	case manyTarget:
		return fmt.Sprintf("option cannot apply to line %d: it holds %d links, and options apply to a line with one link", t.line, t.n)
	}
	return "option line has no link above it: options must follow the line of their link"
}

// nameReason says why name cannot be a file name from out=, or "" if it
// can. Only a plain name is accepted, never a path.
func nameReason(name string) string {
	switch {
	case name == "":
		return "malformed option: out= needs a file name"
	case name == "." || name == ".." || strings.ContainsAny(name, `/\`):
		return "out= must be a file name, not a path"
	case len(name) > maxNameBytes:
		return fmt.Sprintf("out= is longer than %d bytes", maxNameBytes)
	case !utf8.ValidString(name):
		return "out= is not valid UTF-8 text"
	case strings.ContainsFunc(name, unsafeRune):
		return "out= contains control, invisible or direction-changing characters"
	}
	return ""
}

// checksumOf parses the value of a "sha256" or "checksum" option into
// "sha256=<lower-case hex>", or says why it cannot.
func checksumOf(key, val string) (sum, reason string) {
	hex := val
	if key == "checksum" {
		algo, h, ok := strings.Cut(val, "=")
		if !ok {
			return "", "malformed option: expected checksum=sha-256=HEX"
		}
		switch strings.ToLower(strings.TrimSpace(algo)) {
		case "sha-256", "sha256":
		default:
			return "", fmt.Sprintf("unsupported checksum algorithm %q: only sha-256 is supported", shorten(algo, 20))
		}
		hex = strings.TrimSpace(h)
	}
	if len(hex) != 64 || strings.Trim(hex, "0123456789abcdefABCDEF") != "" {
		return "", fmt.Sprintf("malformed checksum: sha-256 needs 64 hexadecimal digits, got %q", shorten(hex, 16))
	}
	return "sha256=" + strings.ToLower(hex), ""
}
