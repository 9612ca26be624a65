package testserver

import "fmt"

// Configure applies opts to the file at path (which must have been
// added), on top of the options it has, keeping its content, validators
// and counters: a download can then resume against it. For example,
// Configure(path, Throttle(0)) lifts a throttle.
func (s *Server) Configure(path string, opts ...Option) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[path]
	if f == nil {
		panic(fmt.Sprintf("testserver: Configure(%q): no file there", path))
	}
	cfg := f.cfg.clone()
	for _, o := range opts {
		o(&cfg)
	}
	nf := *f
	nf.cfg = cfg
	s.files[path] = &nf
}
