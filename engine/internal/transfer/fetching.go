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
