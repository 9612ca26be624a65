package transfer

// LiveReporter is a Reporter that also reads a running transfer's pieces
// as they fill in, between checkpoints (optional: Run hands it over when
// the Reporter has the method).
type LiveReporter interface {
	// Live hands over written, which returns the pieces' progress as
	// written to the .part file so far: bytes the next checkpoint will
	// flush, not yet known to be on disk (Checkpoint reports those). It
	// returns nil while there is no .part file. written takes only the
	// pieces' own lock, briefly, and does no I/O; it may be called from
	// any goroutine, at any time, also after the transfer ended.
	Live(written func() []Piece)
}

// written is the Job's LiveReporter view: the pieces as written now.
func (j *Job) written() []Piece {
	ps := j.livePieces.Load()
	if ps == nil {
		return nil
	}
	return ps.records()
}
