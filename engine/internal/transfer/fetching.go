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

// placing tells the owner the final name about to be taken (see
// Reporter.Placing).
func (j *Job) placing(name string, pieces []Piece) { j.rep.Placing(name, pieces) }

// hook calls Env.Hook at point, if set.
func (j *Job) hook(point string) {
	if j.env.Hook != nil {
		j.env.Hook(point)
	}
}
