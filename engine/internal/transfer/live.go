package transfer

// written is what the Job hands to Reporter.Live: the pieces as written
// now.
func (j *Job) written() []Piece {
	ps := j.livePieces.Load()
	if ps == nil {
		return nil
	}
	return ps.records()
}
