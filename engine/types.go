// Package engine downloads files over HTTP(S): a Manager runs many downloads
// at once, each split over several connections when the server allows,
// keeps their state in an embedded store so they resume after a restart,
// and publishes progress to subscribers at a bounded rate.
//
// The engine never imports a GUI toolkit; the window and the command line
// are both plain subscribers.
package engine

import (
	"fmt"
	"time"
)

// State is where a download is in its life.
type State int

// The states of a download.
const (
	Queued    State = iota // waiting for a free slot
	Active                 // transferring (or retrying after a transient error)
	Paused                 // stopped by the user; resumable
	Completed              // verified and renamed to its final name
	Failed                 // stopped by an error; Err says why; retryable
	Canceled               // stopped by the user; partial data deleted
)

var stateNames = [...]string{"queued", "active", "paused", "completed", "failed", "canceled"}

// String returns the lower-case name of the state ("queued", "active", ...).
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("state(%d)", int(s))
	}
	return stateNames[s]
}

// Finished reports whether the download will not move on its own any more.
func (s State) Finished() bool { return s == Completed || s == Failed || s == Canceled }

// Request describes a download to add.
type Request struct {
	// URL is the http or https address to fetch.
	URL string
	// Dir is the destination folder; empty means the manager's default.
	Dir string
	// Name, if set, is the file name the user asked for (e.g. out= in a
	// link file). It is sanitized like any other name.
	Name string
	// Checksum, if set, is "ALGO=HEX" (sha256, sha512, sha1 or md5) and the
	// completed file must match it.
	Checksum string
	// Connections overrides the manager's connections per download (0 = default).
	Connections int
	// Header holds extra request headers (Referer, User-Agent, Cookie, …),
	// sent to the URL's origin only and never stored.
	Header Header
	// Paused adds the download paused: it waits for Resume. A link already
	// in the list is left as it is.
	Paused bool
	// Quality chooses the variant of an HLS master playlist: "best" (the
	// default when empty), "worst", or a height such as "720" (that
	// height, or the closest below it). Other links ignore it.
	Quality string
}

// Snapshot is a consistent copy of one download's state, safe to keep.
type Snapshot struct {
	ID       string
	URL      string // redacted: never contains a password
	Dir      string
	Name     string // final file name (tentative until the server answered)
	State    State
	Total    int64         // bytes; -1 when unknown
	Received int64         // bytes safely received so far
	Speed    float64       // bytes per second, smoothed
	ETA      time.Duration // -1 when unknown
	Err      string        // Problem.Message when Failed, else "" (a retry's reason is in Retry)
	Problem  Problem       // why the download failed; Kind is KindNone unless Failed (kept across restarts)
	Retry    *RetryInfo    // non-nil while an active download waits to try again
	Warning  string        // e.g. "size unknown: cannot be verified"
	Conns    int           // connections currently transferring
	// Finishing says an Active download has all its data and its file is
	// being flushed to disk and put under its name; it no longer counts
	// against Options.MaxActive, so the next download may start.
	Finishing bool
	// Estimated says Total is a guess (an HLS stream whose segment sizes
	// are not all known yet); it is exact once the download completes.
	Estimated bool
	// Segments and SegmentsDone count an HLS stream's media segments
	// (video and separate audio) and those written so far; 0 for a file.
	Segments, SegmentsDone int
	// Stream says the download is an HLS video stream. Its Received
	// counts a segment's bytes as they arrive, before the segment is
	// written (segments are written whole, in order).
	Stream bool
	// StreamKind is a stream's format once its manifest is read: "HLS"
	// or "DASH"; "" before (and for a file).
	StreamKind string
	// Quality is a stream's chosen video quality, such as "720p"; "" when
	// the manifest does not say.
	Quality string
	Added   time.Time
	// Seq is the download's place in the engine's order (time added, or
	// the queue order Manager.Move sets): lower comes first.
	Seq     int64
	Page    string // the page the link came from (its Referer, redacted); "" if none
	Removed bool   // set only in the update that announces a removal
}

// Path is the final path of the file (Dir joined with Name).
func (s Snapshot) Path() string { return joinPath(s.Dir, s.Name) }

// Progress returns the fraction done in [0,1], or -1 when the size is unknown.
func (s Snapshot) Progress() float64 {
	if s.Total <= 0 {
		if s.State == Completed {
			return 1
		}
		return -1
	}
	p := float64(s.Received) / float64(s.Total)
	if p > 1 {
		p = 1
	}
	return p
}
