package engine

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

// takePlaced completes a restored download that a crash stopped while
// its finished file was being moved into place: its record names the
// final name it was moving to (reporter.Placing), its .part is gone, and
// a regular file of the recorded size, matching the checksum and the
// server's digest where known, is at that name. Such a download is not
// fetched again. Called by load, before anything runs.
func (m *Manager) takePlaced(ctx context.Context, d *download) {
	if d.placing == "" || d.state == Completed || d.state == Canceled {
		return
	}
	name := d.placing
	d.placing = ""
	if _, err := os.Lstat(joinPath(d.dir, d.name+transfer.PartSuffix)); !errors.Is(err, fs.ErrNotExist) {
		return // still to be placed: the resume does it
	}
	st, err := os.Lstat(joinPath(d.dir, name))
	if err != nil || !st.Mode().IsRegular() || d.res.Total < 0 || st.Size() != d.res.Total {
		return
	}
	if transfer.VerifyFile(ctx, joinPath(d.dir, name), d.checksum, d.res.ServerDigest) != nil {
		return // another file, or ours damaged: fetched again
	}
	d.state, d.problem, d.name = Completed, Problem{}, name
	d.res.Pieces, d.res.State = nil, nil
	d.received.Store(d.res.Total)
	d.refreshFinished()
	m.persistLocked(d)
}
