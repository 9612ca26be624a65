// Package mpd reads MPEG-DASH manifests (ISO/IEC 23009-1) and turns
// them into what a downloader needs: the representations of a static
// presentation, a choice of video (by quality, as engine/hls chooses a
// variant) and audio (the best, or the user's language), and for each a
// list of absolute segment URLs and byte ranges whose bytes, in order,
// make one playable file (init section first).
//
// It does no network I/O: a representation described by a SegmentBase
// with an indexRange says so (Representation.Index), and the caller
// fetches those bytes (the sidx box) and passes them to
// Representation.FromIndex. Manifests are untrusted input: Parse
// enforces the limits and refuses, with a typed error, what it cannot
// download faithfully (live presentations, DRM, timelines that do not
// add up, several periods) rather than returning part of a manifest.
//
// Supported: SegmentTemplate with $Number$ (and a duration) or with
// $Time$/$Number$ and a SegmentTimeline; SegmentList; SegmentBase or a
// lone BaseURL (the whole file, in one piece or through its sidx);
// BaseURL at every level, each resolved against the one above it;
// $RepresentationID$, $Bandwidth$, $Number$, $Time$ and $$, with width
// formats such as $Number%05d$.
package mpd

import (
	"errors"
	"fmt"
)

// The limits of what Parse reads.
const (
	MaxManifestBytes = 8 << 20 // a manifest's size
	MaxSegments      = 100_000 // segments of one representation
)

// The kinds of refusal; test with errors.Is.
var (
	ErrLive        = errors.New(`the manifest is a live presentation (type="dynamic")`)
	ErrDRM         = errors.New("the stream is protected by DRM (ContentProtection)")
	ErrTooLarge    = errors.New("the manifest is over the limits")
	ErrTimeline    = errors.New("the segment timeline does not add up")
	ErrMalformed   = errors.New("the manifest is malformed")
	ErrUnsupported = errors.New("the manifest uses a form Haul cannot download")
)

// Error is a refusal of a manifest: Kind is one of the Err values.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return "DASH manifest: " + e.Kind.Error() + ": " + e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Policy reports whether err is a refusal by Haul's rules (live, DRM,
// over the limits) rather than a broken manifest.
func Policy(err error) bool {
	return errors.Is(err, ErrLive) || errors.Is(err, ErrDRM) || errors.Is(err, ErrTooLarge)
}
