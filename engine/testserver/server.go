// Package testserver is a loopback HTTP(S) server of in-memory files with
// knobs for the faults a download manager must survive: throttling, cut
// and stalled connections, lying lengths, failing statuses, content that
// changes between requests, redirects, odd headers and authentication.
//
// It records every request and counts what it sent, so tests can assert
// on what a client did. It is an ordinary package (it does not import
// testing) for use by tests, benchmarks and the haul-testserver command.
//
//	s := testserver.New()
//	defer s.Close()
//	s.Add("/a.jpg", content, testserver.Throttle(64<<10))
//	resp, err := http.Get(s.URL("/a.jpg"))
package testserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what happened for one path. A request's counts are
// complete once it has left InFlight; a client can finish reading an
// answer just before that.
type Stats struct {
	Requests      int   // requests received, any method and outcome
	RangeRequests int   // requests carrying a Range header
	Partial       int   // 206 answers
	BytesSent     int64 // file body bytes written (error pages not counted)
	InFlight      int   // requests being handled now
	MaxConcurrent int   // the most requests in flight at once
	Resets        int   // connections cut by ResetAfter
}

// RecordedRequest is one request as the server received it.
type RecordedRequest struct {
	Method     string
	Path       string      // URL path, without the query
	RawQuery   string      // the query, without '?'
	Proto      string      // e.g. "HTTP/1.1"
	Range      string      // the Range header
	IfRange    string      // the If-Range header
	Header     http.Header // all request headers (a copy)
	RemoteAddr string      // the client's address
	Status     int         // status answered; 0 while in flight
}

// Server serves in-memory files on 127.0.0.1. Its methods are safe for
// concurrent use.
type Server struct {
	ts     *httptest.Server
	ctx    context.Context // canceled by Close: ends sleeping handlers
	cancel context.CancelFunc

	handlers  sync.WaitGroup
	closeOnce sync.Once
	total     atomic.Int64
	conns     atomic.Int64 // connections accepted (see Connections)

	mu    sync.Mutex
	files map[string]*file
	paths map[string]*pathRecord
}

// file is the current state of one served path.
type file struct {
	cfg     config
	content []byte // never modified in place
	etag    string
	modTime time.Time
	changed bool // ChangeAfter has happened
}

// pathRecord is what was seen for one path, whether or not it is served.
// Its request count drives Status and ChangeAfter, its body count
// ResetAfter and Stall; Add starts a new one, Set keeps it.
type pathRecord struct {
	stats  Stats
	bodies int // GET answers that carried the file's body
	cuts   int // bodies that reached a ResetLonger cut
	reqs   []RecordedRequest
}

// New starts a plain HTTP server on a free loopback port.
func New() *Server {
	s := newServer()
	s.ts.Start()
	return s
}

// NewTLS starts an HTTPS server (HTTP/1.1) on a free loopback port with a
// self-signed certificate for 127.0.0.1, ::1 and example.com. Clients
// trust it through CertPool, CertPEM or Client.
func NewTLS() *Server {
	s := newServer()
	s.ts.StartTLS()
	return s
}

// Listen starts a plain HTTP server on addr (host:port; port 0 picks one).
func Listen(addr string) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := newServer()
	_ = s.ts.Listener.Close()
	s.ts.Listener = l
	s.ts.Start()
	return s, nil
}

// NewOn starts a plain HTTP server on a free port of the loopback address
// host, such as "127.0.0.2": a second origin besides New's 127.0.0.1, for
// what a client carries across a redirect. It panics if it cannot listen,
// as New does.
func NewOn(host string) *Server {
	s, err := Listen(net.JoinHostPort(host, "0"))
	if err != nil {
		panic("testserver: " + err.Error())
	}
	return s
}

func newServer() *Server {
	s := &Server{
		files: make(map[string]*file),
		paths: make(map[string]*pathRecord),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// Cut connections and refused certificates are the point here.
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.ts.Config.ConnState = s.connState
	return s
}

// Add serves content at path (which must start with "/") with the given
// options, replacing any file there and clearing its counters. The
// content is copied.
func (s *Server) Add(path string, content []byte, opts ...Option) {
	s.put(path, content, opts, true)
}

// Set replaces the content at path (which must start with "/"), keeping
// its counters, records and options; opts are applied on top of the
// options it had. Unless opts say otherwise, the ETag is derived from the
// new content and Last-Modified moves a second forward, so validators from
// before no longer match.
func (s *Server) Set(path string, content []byte, opts ...Option) {
	s.put(path, content, opts, false)
}

func (s *Server) put(path string, content []byte, opts []Option, reset bool) {
	if !strings.HasPrefix(path, "/") {
		panic(fmt.Sprintf("testserver: path %q does not start with /", path))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.files[path]
	if reset {
		old = nil
		delete(s.paths, path)
	}

	var cfg config
	if old != nil {
		cfg = old.cfg.clone()
		cfg.lastModified = time.Time{}
		if cfg.etagMode == etagFixed {
			cfg.etagMode = etagStrong
		}
	}
	for _, o := range opts {
		o(&cfg)
	}
	f := &file{cfg: cfg, content: bytes.Clone(content)}
	if f.content == nil {
		f.content = []byte{}
	}
	switch {
	case !cfg.lastModified.IsZero():
		f.modTime = cfg.lastModified
	case old != nil:
		f.modTime = old.modTime.Add(time.Second)
	default:
		f.modTime = time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	}
	f.etag = makeETag(cfg.etagMode, cfg.etag, f.content)
	if old != nil && old.cfg.change == cfg.change {
		f.changed = old.changed // the same ChangeAfter, already done or not
	}
	s.files[path] = f
}

// makeETag returns the ETag header value for content ("" for none).
func makeETag(mode etagMode, fixed string, content []byte) string {
	sum := sha256.Sum256(content)
	tag := `"` + hex.EncodeToString(sum[:8]) + `"`
	switch mode {
	case etagNone:
		return ""
	case etagWeak:
		return "W/" + tag
	case etagFixed:
		return fixed
	}
	return tag
}

// change applies ChangeAfter's new content; s.mu is held.
func (f *file) change() {
	f.content = f.cfg.change.content
	f.modTime = f.modTime.Add(time.Second)
	mode := f.cfg.etagMode
	if mode == etagFixed {
		mode = etagStrong
	}
	f.etag = makeETag(mode, "", f.content)
	f.changed = true
}

// URL returns the absolute URL of path on this server (path "" gives the
// base URL, without a trailing slash).
func (s *Server) URL(path string) string { return s.ts.URL + path }

// Addr returns the host:port the server listens on.
func (s *Server) Addr() string { return s.ts.Listener.Addr().String() }

// Stats returns the counters for path (zero if it was never requested).
func (s *Server) Stats(path string) Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.paths[path]; p != nil {
		return p.stats
	}
	return Stats{}
}

// TotalBytesSent returns the file body bytes written for all paths.
func (s *Server) TotalBytesSent() int64 { return s.total.Load() }

// Requests returns copies of the requests received for path, oldest
// first.
func (s *Server) Requests(path string) []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paths[path]
	if p == nil {
		return nil
	}
	out := make([]RecordedRequest, len(p.reqs))
	for i, r := range p.reqs {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// Received returns the value of the request header key on every request
// for path, oldest first: "" where a request did not carry it.
func (s *Server) Received(path, key string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paths[path]
	if p == nil {
		return nil
	}
	out := make([]string, len(p.reqs))
	for i, r := range p.reqs {
		out[i] = r.Header.Get(key)
	}
	return out
}

// CloseClientConnections closes every open client connection at once.
func (s *Server) CloseClientConnections() { s.ts.CloseClientConnections() }

// Client returns an HTTP client that trusts the server's certificate (for
// NewTLS) and is closed with the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// CertPool returns a pool holding the server's certificate, or nil for a
// plain HTTP server.
func (s *Server) CertPool() *x509.CertPool {
	c := s.ts.Certificate()
	if c == nil {
		return nil
	}
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}

// CertPEM returns the server's certificate in PEM form (for a CA bundle
// file), or nil for a plain HTTP server.
func (s *Server) CertPEM() []byte {
	c := s.ts.Certificate()
	if c == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// Close stops the server: handlers that are waiting (throttled, stalled,
// slow) stop at once, connections are closed, and Close returns when every
// handler has finished. Calling it again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		s.ts.CloseClientConnections()
		s.ts.Close()
		s.handlers.Wait()
	})
}
