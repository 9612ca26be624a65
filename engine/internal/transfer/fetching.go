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
