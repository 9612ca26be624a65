package engine

import (
	"cmp"
	"slices"
)

// ByteRange is the bytes [Start, End) of a file.
type ByteRange struct{ Start, End int64 }

// Details is what a details view shows of one download beyond its
// Snapshot: what the server said about the file, the checksum, and which
// byte ranges are on disk.
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
	// Have are the byte ranges safely on disk, in order: what the last
	// checkpoint saved while the download runs, the whole file once it is
	// complete.
	Have []ByteRange
}

// Details returns the details of one download.
func (m *Manager) Details(id string) (Details, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.byID[id]
	if !ok {
		return Details{}, false
	}
	out := Details{
		Snapshot: d.snapshot(), ETag: d.res.ETag, LastModified: d.res.LastModified, Ranges: d.res.Ranges,
		Checksum: d.checksum, ServerDigest: d.res.ServerDigest,
	}
	if d.state == Completed {
		out.Verified = d.checksum != "" || d.res.ServerDigest != ""
		if d.res.Total > 0 {
			out.Have = []ByteRange{{0, d.res.Total}}
		}
		return out, true
	}
	for _, p := range d.res.Pieces {
		if p.Pos > p.Start {
			out.Have = append(out.Have, ByteRange{p.Start, p.Pos})
		}
	}
	slices.SortFunc(out.Have, func(a, b ByteRange) int { return cmp.Compare(a.Start, b.Start) })
	merged := out.Have[:0]
	for _, r := range out.Have {
		if n := len(merged); n > 0 && r.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, r.End)
			continue
		}
		merged = append(merged, r)
	}
	out.Have = merged
	return out, true
}
