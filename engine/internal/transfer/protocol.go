package transfer

import (
	"context"
	"io"
)

// Protocol is what a way of fetching (HTTP(S) here; the streams of
// transfer/segmented, HLS and DASH, in packages of their own) adds to the shared machinery of a transfer. Run calls it once per
// attempt, in this order:
//
//  1. Begin, only when there is no partial file to continue: make the
//     first request and describe the resource in a Start (size if known,
//     whether it can be fetched in ranges, validators, name hints, and
//     optionally an open body that carries the first bytes). Run then
//     chooses and reserves the file name, creates NAME.part and plans
//     one piece: [0,-1) when the size is unknown, else [0,size). The
//     first answer streams it; when ranges are offered and more
//     connections help (ramp.go), the extra ones take the second half of
//     the largest piece left (pieces.go).
//  2. Fill: write every unfinished piece of j's .part file, with
//     j.Copy for the bytes (it applies the speed limits, the claim →
//     write → commit order and progress reports) and j.Pool or a loop of
//     its own for connections. On a resume Fill gets start == nil and the
//     pieces (and the State it set with j.SetState) as last checkpointed.
//     slot is the host slot Run took for this attempt's first connection:
//     hand it to the first worker (j.Pool does) or leave it; Run releases
//     it exactly once either way.
//  3. Run checks the size and digests, flushes, and moves NAME.part to
//     its final name; Fill does not.
//
// Errors are classified by Retryable: a Fill or Begin error that is
// transient (a reset, a timeout, a 503) is retried with backoff by Run;
// ErrChanged restarts the download from zero; anything else fails it.
// Return context.Cause(ctx) (or any error) when ctx ends.
//
// A protocol of another package reaches the job only through its
// exported methods (seam.go): requests under the stall timer (Get),
// reads under the speed limits (ReadAll), whole segments appended (Put),
// side files flushed with the checkpoints (OpenSide), the connection
// setting and host slots (WantConns, TrySlot), and the reports.
//
// A protocol that fetches many segment URLs into one .part (see
// transfer/segmented, which does this for HLS and DASH) returns
// a Start with Total -1 (one piece [0,-1)) and Ranges true (it can go on
// from a segment). In Fill it runs j.Pool(ctx, slot, nil, nil, fetch,
// false) — one worker, which gets that piece — and fetch copies segment
// after segment into it with j.Copy (which appends at the piece's
// position); before starting segment k it calls j.SetState with what it needs to continue (say, k and the piece
// position where segment k starts). A checkpoint always pairs the pieces
// with the State set before them, so on a resume Fill finds the State and
// a piece position at or past where that segment began: it moves the
// piece back with j.Rewind and fetches segment k again. End the piece with
// j.FinishOpen when the last segment is in. Per-segment retries inside
// Fill are the protocol's choice; returning a transient error retries the
// whole attempt from the last position, which is usually enough.
type Protocol interface {
	Begin(ctx context.Context, j *Job) (*Start, error)
	Fill(ctx context.Context, j *Job, start *Start, slot *Slot) error
}

// Start is what the first answer of a fresh attempt told about the
// resource.
type Start struct {
	Total int64 // bytes; -1 when unknown
	// Ranges says the resource can be continued from a position: a
	// partial file is resumed rather than fetched again, and when Total
	// is known it is split over several connections.
	Ranges       bool
	ETag         string // strong validator ("" if none or weak)
	LastModified string
	ServerDigest string // "algo=hex" the whole file must match; "" if none
	Warning      string // for the user, e.g. "the size cannot be verified"
	// Name hints: Run chooses the name from these, the URL the user gave
	// and the user's own choice.
	Disposition string // Content-Disposition header value
	ContentType string
	Name        string // the protocol's own choice (HLS: from the playlist URL); wins over the two above
	// Body, if not nil, carries the file from byte 0: the first piece is
	// filled from it. Close closes it.
	Body io.ReadCloser
	// Alive, if set, is called whenever Body delivers bytes (a stall timer).
	Alive func()
}

// close releases the body, if any.
func (s *Start) close() {
	if s != nil && s.Body != nil {
		s.Body.Close()
		s.Body = nil
	}
}
