package testserver

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// serveHTTP records the request and answers it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.handlers.Add(1)
	defer s.handlers.Done()

	// End waits when the client goes away or the server closes.
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()

	rec := RecordedRequest{
		Method:     r.Method,
		Path:       r.URL.Path,
		RawQuery:   r.URL.RawQuery,
		Proto:      r.Proto,
		Range:      r.Header.Get("Range"),
		IfRange:    r.Header.Get("If-Range"),
		Header:     r.Header.Clone(),
		RemoteAddr: r.RemoteAddr,
	}

	s.mu.Lock()
	p := s.paths[rec.Path]
	if p == nil {
		p = &pathRecord{}
		s.paths[rec.Path] = p
	}
	p.stats.Requests++
	n := p.stats.Requests
	if rec.Range != "" {
		p.stats.RangeRequests++
	}
	p.stats.InFlight++
	p.stats.MaxConcurrent = max(p.stats.MaxConcurrent, p.stats.InFlight)
	idx := len(p.reqs)
	p.reqs = append(p.reqs, rec)
	var snap *file
	if f := s.files[rec.Path]; f != nil {
		if f.cfg.change != nil && !f.changed && n > f.cfg.change.after {
			f.change()
		}
		c := *f
		snap = &c
	}
	s.mu.Unlock()

	status := 0
	defer func() {
		s.mu.Lock()
		p.stats.InFlight--
		p.reqs[idx].Status = status
		s.mu.Unlock()
	}()
	status = s.respond(ctx, w, r, snap, n, p)
}

// respond answers one request for f (nil: not served), the nth request
// to its path. It returns the status sent.
func (s *Server) respond(ctx context.Context, w http.ResponseWriter, r *http.Request, f *file, n int, p *pathRecord) int {
	if f == nil {
		return plain(w, r, http.StatusNotFound)
	}
	cfg := &f.cfg
	if cfg.slowHeaders > 0 && !sleep(ctx, cfg.slowHeaders) {
		panic(http.ErrAbortHandler) // gone or closing: answer nothing
	}
	if cfg.refuses(n) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		closeConn(conn, true)
		return 0
	}
	if cfg.statusFor(n) {
		if cfg.retryAfter != "" {
			w.Header().Set("Retry-After", cfg.retryAfter)
		}
		return plain(w, r, cfg.status)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return plain(w, r, http.StatusMethodNotAllowed)
	}
	if cfg.auth {
		u, pw, ok := r.BasicAuth()
		if !ok || u != cfg.authUser || pw != cfg.authPw {
			w.Header().Set("WWW-Authenticate", `Basic realm="haul-testserver"`)
			return plain(w, r, http.StatusUnauthorized)
		}
	}
	if k := cfg.needHeader[0]; k != "" && r.Header.Get(k) != cfg.needHeader[1] {
		return plain(w, r, http.StatusForbidden)
	}
	if cfg.redirect() {
		w.Header()["Location"] = []string{cfg.redirectLocation}
		return plain(w, r, cfg.redirectCode)
	}
	return s.serveFile(ctx, w, r, f, p)
}

// plain answers with code and a one-line text body.
func plain(w http.ResponseWriter, r *http.Request, code int) int {
	body := fmt.Sprintf("%d %s\n", code, http.StatusText(code))
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, body) // fails for statuses without a body; fine
	}
	return code
}

// serveFile answers a GET or HEAD for f's content, honouring Range and
// If-Range and applying the file's fault knobs.
func (s *Server) serveFile(ctx context.Context, w http.ResponseWriter, r *http.Request, f *file, p *pathRecord) int {
	cfg := &f.cfg
	size := int64(len(f.content))
	h := w.Header()

	switch {
	case cfg.contentType == nil:
		h.Set("Content-Type", typeByExtension(r.URL.Path))
	case *cfg.contentType == "":
		h["Content-Type"] = nil // no header, and no sniffing either
	default:
		h["Content-Type"] = []string{*cfg.contentType}
	}
	if f.etag != "" {
		h["Etag"] = []string{f.etag}
	}
	if !cfg.noLastMod {
		h.Set("Last-Modified", f.modTime.Format(http.TimeFormat))
	}
	if cfg.contentDisposition != nil {
		h["Content-Disposition"] = []string{*cfg.contentDisposition}
	}
	switch cfg.digest {
	case digestRight:
		h.Set("Repr-Digest", reprDigest(f.content))
	case digestWrong:
		h.Set("Repr-Digest", reprDigest(append([]byte("not the content:"), f.content...)))
	}
	for _, kv := range cfg.headers {
		h.Add(kv[0], kv[1])
	}
	if !cfg.noRanges() {
		h.Set("Accept-Ranges", "bytes")
	}

	code, start, end := http.StatusOK, int64(0), size
	if rg := r.Header.Get("Range"); rg != "" && !cfg.noRanges() {
		kind, a, b := parseRange(rg, size)
		if kind != rangeIgnore && ifRangeMatches(r.Header.Get("If-Range"), f) {
			if kind == rangeUnsatisfiable {
				h.Del("Content-Disposition")
				h.Set("Content-Range", fmt.Sprintf("bytes */%d", size))
				return plain(w, r, http.StatusRequestedRangeNotSatisfiable)
			}
			s.mu.Lock()
			busy := p.stats.InFlight > 1
			s.mu.Unlock()
			if d := cfg.shiftRange; d != 0 && (busy || !cfg.shiftBusy) {
				a, b = min(max(a+d, 0), size-1), min(max(b+d, 0), size-1)
			}
			code, start, end = http.StatusPartialContent, a, b+1
			h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", a, b, size))
		}
	}
	body := f.content[start:end]

	pl := plan{throttle: cfg.throttle, resetAt: -1, stallAt: -1, stallFor: cfg.stallFor, holdAt: -1, hold: cfg.holdFor}
	isGet := r.Method == http.MethodGet
	s.mu.Lock()
	if code == http.StatusPartialContent {
		p.stats.Partial++
	}
	if isGet {
		p.bodies++
		bn := p.bodies
		switch long := cfg.resetAfter < int64(len(body)); {
		case long && cfg.resetLong:
			pl.resetAt = max(0, cfg.resetAfter)
			pl.mayCut = func() bool { // counted when the body gets there
				s.mu.Lock()
				defer s.mu.Unlock()
				p.cuts++
				return firstK(p.cuts, cfg.resetFirst)
			}
		case long && firstK(bn, cfg.resetFirst):
			pl.resetAt = max(0, cfg.resetAfter)
		}
		if firstK(bn, cfg.stallFirst) && cfg.stallAfter <= int64(len(body)) {
			pl.stallAt = max(0, cfg.stallAfter)
		}
		if cfg.holdFor != nil && cfg.holdAt <= int64(len(body)) {
			pl.holdAt = max(0, cfg.holdAt)
		}
	}
	s.mu.Unlock()

	switch {
	case cfg.chunked:
	case cfg.closeDelimited:
		h.Set("Transfer-Encoding", "identity") // net/http: no chunking, close at the end
	default:
		cl := int64(len(body))
		if cfg.lie {
			cl += cfg.lieDelta
		}
		h.Set("Content-Length", strconv.FormatInt(cl, 10))
	}

	if isGet && cfg.lie && cfg.lieDelta < 0 && !cfg.chunked && !cfg.closeDelimited {
		// net/http refuses to write past Content-Length: go raw.
		s.sendRaw(ctx, w, code, body, pl, p, cfg.hardReset)
		return code
	}

	w.WriteHeader(code)
	if !isGet {
		return code
	}
	rc := http.NewResponseController(w)
	if cfg.chunked || cfg.closeDelimited {
		_ = rc.Flush() // commit to a streamed body even if it is short
	}
	switch s.sendBody(ctx, w, rc.Flush, body, pl, p) {
	case outDone:
		return code
	case outReset:
		_ = rc.Flush()
		conn, _, err := rc.Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		s.countReset(p)
		closeConn(conn, cfg.hardReset)
		return code
	default:
		// Client gone or server closing: do not finish the response.
		panic(http.ErrAbortHandler)
	}
}

// sendRaw writes the whole response on the hijacked connection, so a body
// longer than its Content-Length really goes out, then closes it.
func (s *Server) sendRaw(ctx context.Context, w http.ResponseWriter, code int, body []byte, pl plan, p *pathRecord, hard bool) {
	h := w.Header().Clone()
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	h.Set("Connection", "close")
	fmt.Fprintf(brw, "HTTP/1.1 %d %s\r\n", code, http.StatusText(code))
	_ = h.Write(brw)
	_, _ = brw.WriteString("\r\n")
	out := s.sendBody(ctx, brw, brw.Flush, body, pl, p)
	_ = brw.Flush()
	if out == outReset {
		s.countReset(p)
		closeConn(conn, hard)
		return
	}
	closeConn(conn, false)
}

func (s *Server) countReset(p *pathRecord) {
	s.mu.Lock()
	p.stats.Resets++
	s.mu.Unlock()
}

// closeConn closes c without a TLS close_notify; hard sends a TCP reset.
func closeConn(c net.Conn, hard bool) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tcp, ok := c.(*net.TCPConn); ok && hard {
		_ = tcp.SetLinger(0)
	}
	_ = c.Close()
}

// plan is how to send one body.
type plan struct {
	throttle int64           // bytes per second; 0: unlimited
	resetAt  int64           // cut after this many bytes; -1: never
	stallAt  int64           // pause after this many bytes; -1: never
	stallFor time.Duration   // length of the pause
	holdAt   int64           // pause after this many bytes until hold is closed; -1: never
	hold     <-chan struct{} // see Hold
	mayCut   func() bool     // if set, asked at resetAt whether to cut (ResetLonger)
}

type outcome int

const (
	outDone     outcome = iota // all sent
	outReset                   // reached plan.resetAt
	outCanceled                // client gone or server closing
	outFailed                  // write error
)

// maxChunk is the largest single write of a body.
const maxChunk = 32 << 10

// sendBody writes body to w following pl, counting bytes into p.
func (s *Server) sendBody(ctx context.Context, w io.Writer, flush func() error, body []byte, pl plan, p *pathRecord) outcome {
	chunk := int64(maxChunk)
	if pl.throttle > 0 {
		chunk = min(max(pl.throttle/50, 1), maxChunk) // about 50 writes a second
	}
	size := int64(len(body))
	start, base := time.Now(), int64(0) // pacing origin
	stalled, held := false, false
	for pos := int64(0); ; {
		if pos == pl.holdAt && !held {
			held = true
			if flush() != nil {
				return outFailed
			}
			select {
			case <-pl.hold:
			case <-ctx.Done():
				return outCanceled
			}
			start, base = time.Now(), pos
		}
		if pos == pl.stallAt && !stalled {
			stalled = true
			if flush() != nil {
				return outFailed
			}
			if !sleep(ctx, pl.stallFor) {
				return outCanceled
			}
			start, base = time.Now(), pos
		}
		if pos == pl.resetAt && (pl.mayCut == nil || pl.mayCut()) {
			return outReset
		}
		if pos >= size {
			return outDone
		}
		n := min(chunk, size-pos)
		if pl.stallAt > pos && !stalled {
			n = min(n, pl.stallAt-pos)
		}
		if pl.resetAt > pos {
			n = min(n, pl.resetAt-pos)
		}
		if pl.holdAt > pos && !held {
			n = min(n, pl.holdAt-pos)
		}
		m, err := w.Write(body[pos : pos+n])
		if m > 0 {
			pos += int64(m)
			s.countSent(p, int64(m))
		}
		if err != nil {
			return outFailed
		}
		if ctx.Err() != nil {
			return outCanceled
		}
		if pl.throttle > 0 && pos < size {
			if flush() != nil {
				return outFailed
			}
			due := start.Add(time.Duration(float64(pos-base) / float64(pl.throttle) * float64(time.Second)))
			if !sleep(ctx, time.Until(due)) {
				return outCanceled
			}
		}
	}
}

func (s *Server) countSent(p *pathRecord, n int64) {
	s.total.Add(n)
	s.mu.Lock()
	p.stats.BytesSent += n
	s.mu.Unlock()
}

// sleep waits for d, returning false if ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
