package engine

import (
	"cmp"
	"slices"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

// ByteRange is the bytes [Start, End) of a file.
type ByteRange struct{ Start, End int64 }

// Details is what a details view shows of one download beyond its
// Snapshot: what the server said about the file, the checksum, which
// byte ranges are written, and its last attempts.
type Details struct {
	Snapshot
	ETag         string // the server's strong validator, "" if none
	LastModified string // the validator used when there is no ETag
	Ranges       bool   // the server honours byte ranges
	Checksum     string // "algo=hex" the user asked for; "" if none
	ServerDigest string // "algo=hex" the server announced; "" if none
	// Verified says the completed file was checked against Checksum or
	// ServerDigest (a mismatch fails the download instead).
	Verified bool
	// Have are the byte ranges written to the file, in order. While the
	// download runs they are read live, as its connections write: some
	// of those bytes may not be flushed to disk yet (Saved is what is).
	// Otherwise they equal Saved.
	Have []ByteRange
	// Saved are the byte ranges known to be on disk, in order: what the
	// last checkpoint flushed and stored (a crash loses nothing of them),
	// the whole file once it is complete.
	Saved []ByteRange
	// Attempts are the download's last tries, newest first (at most
	// MaxAttempts); AttemptsDropped counts the older ones dropped.
	Attempts        []Attempt
	AttemptsDropped int
}

// Details returns the details of one download. The live ranges of a
// running download are read after the manager's lock is released.
func (m *Manager) Details(id string) (Details, bool) {
	m.mu.Lock()
	d, ok := m.byID[id]
	if !ok {
		m.mu.Unlock()
		return Details{}, false
	}
	out := Details{
		Snapshot: d.snapshot(), ETag: d.res.ETag, LastModified: d.res.LastModified, Ranges: d.res.Ranges,
		Checksum: d.checksum, ServerDigest: d.res.ServerDigest,
		Attempts: d.hist.newestFirst(d.received.Load()), AttemptsDropped: d.hist.dropped,
	}
	var written func() []transfer.Piece
	if d.run != nil && d.state == Active {
		written = d.run.written
	}
	saved := d.res.Pieces // replaced, never changed in place, by a checkpoint
	m.mu.Unlock()
	if out.State == Completed {
		out.Verified = out.Checksum != "" || out.ServerDigest != ""
		if out.Total > 0 {
			out.Saved = []ByteRange{{0, out.Total}}
		}
		out.Have = out.Saved
		return out, true
	}
	out.Saved = rangesOf(saved)
	out.Have = out.Saved
	if written != nil {
		if live := written(); live != nil {
			out.Have = rangesOf(live)
		}
	}
	return out, true
}

// rangesOf returns the filled parts of pieces, sorted and merged.
func rangesOf(pieces []transfer.Piece) []ByteRange {
	var have []ByteRange
	for _, p := range pieces {
		if p.Pos > p.Start {
			have = append(have, ByteRange{p.Start, p.Pos})
		}
	}
	slices.SortFunc(have, func(a, b ByteRange) int { return cmp.Compare(a.Start, b.Start) })
	merged := have[:0]
	for _, r := range have {
		if n := len(merged); n > 0 && r.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, r.End)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}
