package hls

import (
	"errors"
	"fmt"
)

// The kinds of refusal. Every error from Parse and NewPlan wraps exactly
// one of them (test with errors.Is); a *ParseError adds the line.
var (
	// ErrNotPlaylist: the text does not start with #EXTM3U.
	ErrNotPlaylist = errors.New("not an HLS playlist (no #EXTM3U header)")
	// ErrLive: a media playlist without EXT-X-ENDLIST.
	ErrLive = errors.New("live stream: recording live streams is not supported yet")
	// ErrDRM: SAMPLE-AES or another DRM scheme (a KEYFORMAT other than
	// identity).
	ErrDRM = errors.New("stream is protected by DRM")
	// ErrKeyMethod: an EXT-X-KEY METHOD this package does not know.
	ErrKeyMethod = errors.New("unknown encryption method")
	// ErrTooLarge: the playlist is over a limit (see Limits).
	ErrTooLarge = errors.New("playlist over limits")
	// ErrMalformed: the playlist breaks RFC 8216 in a way that leaves its
	// meaning unclear (a bad attribute list, a segment without EXTINF, a
	// URI that is not http or https, ...).
	ErrMalformed = errors.New("malformed playlist")
	// ErrUnsupported: a valid stream this package cannot turn into one
	// file (e.g. several different init sections).
	ErrUnsupported = errors.New("unsupported stream")
)

// ParseError is a refusal of one playlist: Kind is one of the Err values
// above, Line the 1-based line it concerns (0: the playlist as a whole)
// and Detail what was wrong. Detail never holds key material.
type ParseError struct {
	Line   int
	Kind   error
	Detail string
}

// Error reads like "playlist line 7: malformed playlist: EXTINF without a
// duration".
func (e *ParseError) Error() string {
	msg := e.Kind.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Line > 0 {
		return fmt.Sprintf("playlist line %d: %s", e.Line, msg)
	}
	return "playlist: " + msg
}

// Unwrap returns Kind, so errors.Is(err, ErrLive) works.
func (e *ParseError) Unwrap() error { return e.Kind }

// errAt builds a *ParseError.
func errAt(line int, kind error, format string, args ...any) *ParseError {
	return &ParseError{Line: line, Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Limits bound what Parse accepts from an untrusted playlist. A zero
// field takes its default.
type Limits struct {
	MaxBytes    int   // playlist text; default 8 MiB
	MaxLine     int   // one line; default 64 KiB
	MaxSegments int   // segments of a media playlist, variants and renditions of a master; default 100,000
	MaxRange    int64 // length of one EXT-X-BYTERANGE or EXT-X-MAP range; default 4 GiB
}

// Default limits.
const (
	DefaultMaxBytes    = 8 << 20
	DefaultMaxLine     = 64 << 10
	DefaultMaxSegments = 100_000
	DefaultMaxRange    = 4 << 30
)

// withDefaults fills zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxLine <= 0 {
		l.MaxLine = DefaultMaxLine
	}
	if l.MaxSegments <= 0 {
		l.MaxSegments = DefaultMaxSegments
	}
	if l.MaxRange <= 0 {
		l.MaxRange = DefaultMaxRange
	}
	return l
}
