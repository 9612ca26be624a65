package transfer

// FetchReporter is a Reporter that is also told when a transfer stops
// needing the network (optional: a transfer calls it when the Reporter
// has the method). Once every byte of the file is in, what is left —
// verifying, flushing the file to disk, placing it under its final name
// and flushing its folder — needs no connection, and the owner may start
// another download meanwhile. The transfer is not done until Run returns.
type FetchReporter interface {
	// Fetching reports false when all the data is in and the file is
	// being finished, and true when a transfer that reported false goes
	// back to the network (finishing failed and it tries again). It is
	// called from the transfer's goroutine, only when the answer changes.
	Fetching(on bool)
}

// fetching tells the owner, if it listens, whether the transfer needs the
// network now. Called only from the goroutine that runs the attempts.
func (j *Job) fetching(on bool) {
	fr, ok := j.rep.(FetchReporter)
	if !ok || j.finishing == !on {
		return
	}
	j.finishing = !on
	fr.Fetching(on)
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
