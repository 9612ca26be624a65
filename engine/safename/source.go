package safename

import (
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"
)

// FromContentDisposition returns the raw file name in a Content-Disposition
// header value, "" if none. filename* (RFC 6266/5987, UTF-8 or ISO-8859-1)
// is preferred over filename. It is lenient with real-world malformed
// headers: a missing disposition type, unquoted names with spaces, an
// unterminated quote, a quoted filename*, a percent-encoded or RFC 2047
// encoded filename, and raw ISO-8859-1 bytes. The result is not sanitized.
func FromContentDisposition(header string) string {
	header = strings.TrimSpace(header)
	if header == "" {
		return ""
	}
	params := scanParams(header)
	if v, ok := params["filename*"]; ok {
		if name := decodeExtValue(v); name != "" {
			return name
		}
	}
	if _, mp, err := mime.ParseMediaType(header); err == nil && mp["filename"] != "" {
		// Covers RFC 2231 continuations (filename*0*=...) too.
		return decodePlain(mp["filename"])
	}
	return decodePlain(params["filename"])
}

// scanParams splits a header value into lower-cased parameter names and
// their values, quotes and backslash escapes removed. It never fails: a
// segment without '=' (the disposition type) is skipped, an unterminated
// quoted string runs to the end, and the first of duplicate names wins.
func scanParams(h string) map[string]string {
	params := make(map[string]string)
	for len(h) > 0 {
		h = strings.TrimLeft(h, " \t;")
		eq := strings.IndexAny(h, "=;")
		if eq < 0 {
			break
		}
		if h[eq] == ';' {
			h = h[eq:]
			continue
		}
		key := strings.ToLower(strings.TrimSpace(h[:eq]))
		h = strings.TrimLeft(h[eq+1:], " \t")
		var value string
		if strings.HasPrefix(h, `"`) {
			value, h = unquote(h[1:])
			// Ignore anything between the closing quote and the next ';'.
			if i := strings.IndexByte(h, ';'); i >= 0 {
				h = h[i:]
			} else {
				h = ""
			}
		} else {
			end := strings.IndexByte(h, ';')
			if end < 0 {
				end = len(h)
			}
			value, h = strings.TrimSpace(h[:end]), h[end:]
		}
		if _, dup := params[key]; !dup && key != "" {
			params[key] = value
		}
	}
	return params
}

// unquote reads a quoted string whose opening quote is already consumed and
// returns its value and the text after the closing quote.
func unquote(s string) (value, rest string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), s[i+1:]
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// decodeExtValue decodes an RFC 5987 ext-value (charset'lang'pct-encoded),
// "" if it is malformed or in a charset this package cannot decode.
func decodeExtValue(v string) string {
	v = strings.Trim(v, `"`)
	charset, rest, ok := strings.Cut(v, "'")
	if !ok {
		return ""
	}
	_, encoded, ok := strings.Cut(rest, "'")
	if !ok {
		return ""
	}
	raw := percentDecode(encoded)
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "":
		if utf8.ValidString(raw) {
			return raw
		}
		// Mislabelled single-byte names are common; read them as Latin-1.
		return decodeLatin1(raw)
	case "iso-8859-1", "latin1", "us-ascii", "windows-1252", "cp1252":
		return decodeLatin1(raw)
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] >= utf8.RuneSelf {
			return ""
		}
	}
	return raw // pure ASCII reads the same in any ASCII-compatible charset
}

// decodePlain undoes the encodings servers put in a plain filename
// parameter: RFC 2047 encoded words, percent-encoding (only when the result
// is valid UTF-8) and raw ISO-8859-1 bytes.
func decodePlain(v string) string {
	if strings.HasPrefix(v, "=?") && strings.HasSuffix(v, "?=") {
		var d mime.WordDecoder
		if s, err := d.DecodeHeader(v); err == nil {
			return s
		}
	}
	if strings.Contains(v, "%") {
		if s := percentDecode(v); s != v && utf8.ValidString(s) {
			return s
		}
	}
	if !utf8.ValidString(v) {
		return decodeLatin1(v)
	}
	return v
}

// percentDecode decodes %XX escapes and leaves malformed ones as they are.
// '+' is kept: it means a space only in form encoding.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// decodeLatin1 reads s as Windows-1252/ISO-8859-1 bytes.
func decodeLatin1(s string) string {
	// Bytes 0x80–0x9F as Windows-1252 has them; browsers read text
	// labelled ISO-8859-1 this way. Zero entries are undefined there and
	// stay Latin-1 (C1 controls).
	cp1252 := [32]rune{
		0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
		0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		r := rune(s[i])
		if r >= 0x80 && r <= 0x9f && cp1252[r-0x80] != 0 {
			r = cp1252[r-0x80]
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FromURL returns the last path segment of u, percent-decoded, "" if none
// (nil or opaque URL, empty path, trailing slash). The query and fragment
// are ignored. An encoded slash (%2F) inside the segment is decoded into the
// result. The result is not sanitized.
func FromURL(u *url.URL) string {
	if u == nil || u.Opaque != "" {
		return ""
	}
	p := u.EscapedPath()
	return percentDecode(p[strings.LastIndexByte(p, '/')+1:])
}
