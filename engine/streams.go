package engine

// Stream records what a stream is once its manifest is read (see
// transfer.Reporter.Stream), for the row and the details.
func (p *reporter) Stream(kind, quality string) {
	p.m.mu.Lock()
	defer p.m.unlock()
	if p.d.run != p.r {
		return
	}
	p.d.kind, p.d.chosen = kind, quality
	p.m.touch(p.d)
}
