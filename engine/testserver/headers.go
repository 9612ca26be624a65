package testserver

import (
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Header parsing and values for serveFile: Range, If-Range, the type by
// extension and Repr-Digest.

// typeByExtension guesses a Content-Type from the path's extension.
func typeByExtension(p string) string {
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// reprDigest returns a Repr-Digest header value (RFC 9530) for b.
func reprDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

type rangeKind int

const (
	rangeIgnore        rangeKind = iota // absent, invalid or multi-range: send all
	rangeOK                             // one satisfiable range
	rangeUnsatisfiable                  // answer 416
)

// parseRange interprets a Range header against a body of size bytes. Only
// a single bytes range is honoured; first and last positions are
// inclusive and last is clamped to the end.
func parseRange(h string, size int64) (kind rangeKind, first, last int64) {
	unit, spec, ok := strings.Cut(strings.TrimSpace(h), "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") || strings.Contains(spec, ",") {
		return rangeIgnore, 0, 0
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return rangeIgnore, 0, 0
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" { // suffix: the last b bytes
		n, ok := parseDigits(b)
		if !ok {
			return rangeIgnore, 0, 0
		}
		if n == 0 || size == 0 {
			return rangeUnsatisfiable, 0, 0
		}
		return rangeOK, max(0, size-n), size - 1
	}
	first, ok = parseDigits(a)
	if !ok {
		return rangeIgnore, 0, 0
	}
	last = size - 1
	if b != "" {
		l, ok := parseDigits(b)
		if !ok || l < first {
			return rangeIgnore, 0, 0
		}
		last = min(l, size-1)
	}
	if first >= size {
		return rangeUnsatisfiable, 0, 0
	}
	return rangeOK, first, last
}

// parseDigits parses a non-empty run of ASCII digits; values too large
// for int64 saturate.
func parseDigits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63-1-9)/10 {
			n = 1<<63 - 1
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// ifRangeMatches evaluates an If-Range header (empty: no condition): an
// entity tag must be strong and equal to the file's strong ETag; a date
// must equal Last-Modified.
func ifRangeMatches(v string, f *file) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	if strings.HasPrefix(v, `"`) || strings.HasPrefix(v, "W/") {
		return strings.HasPrefix(v, `"`) && v == f.etag
	}
	t, err := http.ParseTime(v)
	return err == nil && !f.cfg.noLastMod && t.Equal(f.modTime)
}
