package hls

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// attrs is a parsed attribute list (RFC 8216 section 4.2): upper-case
// names to values, quoted strings without their quotes.
type attrs map[string]attr

type attr struct {
	val    string
	quoted bool
}

// parseAttrs parses NAME=VALUE,NAME="quoted, value",... strictly: every
// name is [A-Z0-9-] (lower case is taken as upper), every value is a
// quoted string or a run of characters without quotes, commas or blanks, no name
// appears twice. Blanks around names, values and commas are allowed
// (real playlists have them); a trailing comma is allowed.
func parseAttrs(s string) (attrs, error) {
	a := attrs{}
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	for {
		skip()
		if i == len(s) {
			return a, nil
		}
		start := i
		for i < len(s) && isNameChar(s[i]) {
			i++
		}
		name := strings.ToUpper(s[start:i])
		if name == "" {
			return nil, fmt.Errorf("attribute name expected at %s", clip(s[i:]))
		}
		skip()
		if i == len(s) || s[i] != '=' {
			return nil, fmt.Errorf("attribute %s has no value", name)
		}
		i++
		skip()
		var v attr
		if i < len(s) && s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("attribute %s: unterminated quoted string", name)
			}
			v = attr{val: s[i+1 : i+1+end], quoted: true}
			i += end + 2
		} else {
			start = i
			for i < len(s) && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
				if s[i] == '"' {
					return nil, fmt.Errorf("attribute %s: stray quote in value", name)
				}
				i++
			}
			v = attr{val: s[start:i]}
			if v.val == "" {
				return nil, fmt.Errorf("attribute %s has an empty value", name)
			}
		}
		if _, dup := a[name]; dup {
			return nil, fmt.Errorf("attribute %s appears twice", name)
		}
		a[name] = v
		skip()
		if i < len(s) {
			if s[i] != ',' {
				return nil, fmt.Errorf("attribute %s: comma expected before %s", name, clip(s[i:]))
			}
			i++
		}
	}
}

func isNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

// clip quotes s for an error message, cut to 40 bytes.
func clip(s string) string {
	if len(s) > 40 {
		return strconv.Quote(s[:40]) + "..."
	}
	return strconv.Quote(s)
}

// has reports whether name is present.
func (a attrs) has(name string) bool { _, ok := a[name]; return ok }

// str returns the quoted-string attribute name ("" and false when
// absent); an unquoted value is an error.
func (a attrs) str(name string) (string, bool, error) {
	v, ok := a[name]
	if !ok {
		return "", false, nil
	}
	if !v.quoted {
		return "", false, fmt.Errorf("attribute %s must be a quoted string", name)
	}
	return v.val, true, nil
}

// enum returns the enumerated-string attribute name, upper-cased. Quoted
// values are accepted too: some packagers quote METHOD or TYPE.
func (a attrs) enum(name string) (string, bool) {
	v, ok := a[name]
	return strings.ToUpper(v.val), ok
}

// int returns the decimal-integer attribute name (0 when absent).
func (a attrs) int(name string) (int64, error) {
	v, ok := a[name]
	if !ok {
		return 0, nil
	}
	n, err := parseDecimal(v.val)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return n, nil
}

// parseDecimal parses a non-negative decimal integer that fits int64.
func parseDecimal(s string) (int64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%s is not a decimal integer", clip(s))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is out of range", clip(s))
	}
	return n, nil
}

// float returns the decimal-floating-point attribute name (0 when
// absent); it must be finite and not negative.
func (a attrs) float(name string) (float64, error) {
	v, ok := a[name]
	if !ok {
		return 0, nil
	}
	f, err := parseSeconds(v.val, 1e9)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return f, nil
}

// parseSeconds parses a non-negative decimal number no larger than max.
func parseSeconds(s string, max float64) (float64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789.") != "" {
		return 0, fmt.Errorf("%s is not a decimal number", clip(s))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f > max {
		return 0, fmt.Errorf("%s is out of range", clip(s))
	}
	return f, nil
}

// resolution returns the decimal-resolution attribute name (WIDTHxHEIGHT;
// zeros when absent).
func (a attrs) resolution(name string) (w, h int, err error) {
	v, ok := a[name]
	if !ok {
		return 0, 0, nil
	}
	ws, hs, ok := strings.Cut(strings.ToLower(v.val), "x")
	if ok {
		wn, err1 := parseDecimal(ws)
		hn, err2 := parseDecimal(hs)
		if err1 == nil && err2 == nil && wn <= 1<<20 && hn <= 1<<20 {
			return int(wn), int(hn), nil
		}
	}
	return 0, 0, fmt.Errorf("attribute %s: %s is not WIDTHxHEIGHT", name, clip(v.val))
}

// parseIV parses a 128-bit hexadecimal-sequence (0x followed by up to 32 hex
// digits, left-padded with zeros).
func parseIV(s string) ([16]byte, error) {
	var iv [16]byte
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok {
		digits, ok = strings.CutPrefix(s, "0X")
	}
	if !ok || digits == "" || len(digits) > 32 {
		return iv, fmt.Errorf("IV %s is not 0x and 1 to 32 hex digits", clip(s))
	}
	digits = strings.Repeat("0", 32-len(digits)) + digits
	if _, err := hex.Decode(iv[:], []byte(digits)); err != nil {
		return iv, fmt.Errorf("IV %s is not 0x and 1 to 32 hex digits", clip(s))
	}
	return iv, nil
}
