package transfer

// fetching tells the owner whether the transfer needs the network now
// (see Reporter.Fetching). Called only from the goroutine that runs the
// attempts.
func (j *Job) fetching(on bool) {
	if j.finishing == !on {
		return
	}
	j.finishing = !on
	j.rep.Fetching(on)
}

// PlaceReporter is a Reporter that records a finished file's final name
// durably before the file takes it (optional, like FetchReporter). After
// a crash in the middle of placing, the owner can then tell a download
// whose .part is gone because it is in place under that name (complete:
// see Placing) from one whose .part was lost.
type PlaceReporter interface {
	// Placing says the complete .part (flushed, holding pieces) is about
	// to be moved to name. It returns once that is recorded, or when
	// the owner cannot record it (it then says why itself).
	Placing(name string, pieces []Piece)
}

// placing tells the owner, if it listens, the final name about to be
// taken.
func (j *Job) placing(name string, pieces []Piece) {
	if pr, ok := j.rep.(PlaceReporter); ok {
		pr.Placing(name, pieces)
	}
}

// hook calls Env.Hook at point, if set.
func (j *Job) hook(point string) {
	if j.env.Hook != nil {
		j.env.Hook(point)
	}
}
