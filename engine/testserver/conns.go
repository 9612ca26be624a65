package testserver

import (
	"net"
	"net/http"
)

// NewH2 starts an HTTPS server that speaks HTTP/2 (and HTTP/1.1 to a
// client that does not offer h2), with the certificate of NewTLS.
func NewH2() *Server {
	s := newServer()
	s.ts.EnableHTTP2 = true
	s.ts.StartTLS()
	return s
}

// Connections returns how many connections the server has accepted so
// far, whether or not a request came over them: a client that opens a
// connection it then drops is counted too.
func (s *Server) Connections() int { return int(s.conns.Load()) }

func (s *Server) connState(_ net.Conn, st http.ConnState) {
	if st == http.StateNew {
		s.conns.Add(1)
	}
}
