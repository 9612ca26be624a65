package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/haul-dl/haul/engine/safename"
)

// partSuffix marks a file that is still being downloaded.
const partSuffix = ".part"

// maxRestarts bounds how often a download starts over because the file
// on the server kept changing.
const maxRestarts = 3

// transfer runs one download to completion, retrying transient failures
// with exponential backoff. It returns nil once the file is complete,
// verified and in place.
func (m *Manager) transfer(ctx context.Context, d *download, r *runState) error {
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("creating the download folder: %w", err)
	}
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return fmt.Errorf("opening the download folder: %w", err)
	}
	defer root.Close()

	failures, restarts := 0, 0
	best := d.received.Load() // the furthest any attempt got
	for {
		m.mu.Lock()
		noResume := d.nameFixed && d.pieces != nil && !d.ranges
		m.mu.Unlock()
		if noResume {
			// The server does not do ranges: what we have cannot be
			// continued, only fetched again.
			m.restartFresh(d, r, root)
		}
		err := m.attempt(ctx, d, r, root)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		if errors.Is(err, errChanged) || errors.Is(err, errShrunk) {
			if restarts++; restarts > maxRestarts {
				return fmt.Errorf("the file keeps changing on the server: %w", err)
			}
			m.restartFresh(d, r, root)
			continue
		}
		again, after := retryable(err)
		if !again {
			return err
		}
		if got := d.received.Load(); got > best {
			best, failures = got, 0 // further than ever: a new streak
		}
		if failures++; failures > m.opt.Retries {
			return fmt.Errorf("gave up after %d attempts: %s", failures, describe(err))
		}
		wait := m.backoff(failures, after)
		m.mu.Lock()
		d.retry = fmt.Sprintf("retrying in %s (attempt %d of %d): %s", wait.Round(100*time.Millisecond), failures+1, m.opt.Retries+1, describe(err))
		m.touch(d)
		m.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return context.Cause(ctx)
		}
		m.mu.Lock()
		d.retry = ""
		m.touch(d)
		m.mu.Unlock()
	}
}

// backoff is RetryBase·2^(n-1) with ±25% jitter, capped at RetryMax, or
// the server's Retry-After when that is longer.
func (m *Manager) backoff(n int, retryAfter time.Duration) time.Duration {
	d := m.opt.RetryBase << min(n-1, 20)
	if d > m.opt.RetryMax || d <= 0 {
		d = m.opt.RetryMax
	}
	d = time.Duration(float64(d) * (0.75 + 0.5*rand.Float64()))
	return max(d, retryAfter)
}

// restartFresh throws away the partial file so the next attempt starts
// from zero.
func (m *Manager) restartFresh(d *download, r *runState, root *os.Root) {
	r.mu.Lock()
	if r.file != nil {
		r.file.Close()
		r.file = nil
	}
	r.ps = nil
	r.mu.Unlock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if d.nameFixed {
		_ = root.Remove(d.name + partSuffix)
	}
	name, fixed := d.name, d.nameFixed
	d.resetProgress()
	d.name, d.nameFixed = name, fixed // keep the reserved name
	m.touch(d)
	m.persistLocked(d)
}

// attempt makes one pass at the download: a first request (fresh) or
// reopening the partial file (resume), then all pieces over up to N
// connections, then completion.
func (m *Manager) attempt(ctx context.Context, d *download, r *runState, root *os.Root) error {
	m.mu.Lock()
	host := d.url.Host
	fresh := !d.nameFixed || d.pieces == nil
	m.mu.Unlock()

	if err := m.hosts.acquire(ctx, host); err != nil {
		return err
	}
	var first *http.Response
	if fresh {
		resp, err := m.probe(ctx, d, r, root)
		if err != nil {
			m.hosts.release(host)
			return err
		}
		first = resp
	} else if err := m.reopen(d, r, root); err != nil {
		m.hosts.release(host)
		return err
	}
	if first == nil && r.ps.complete() {
		m.hosts.release(host)
		return m.complete(ctx, d, r, root)
	}

	wctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
		stop(err)
	}
	ps := r.ps
	m.hosts.join(host)
	defer m.hosts.leave(host)
	var (
		wmu       sync.Mutex
		nworkers  int
		noWorkers = make(chan struct{})
	)
	// tooMany tells an extra worker to leave when the user lowered the
	// connection count.
	tooMany := func() bool {
		wmu.Lock()
		defer wmu.Unlock()
		if nworkers > m.wantConns(d) {
			nworkers--
			return true
		}
		return false
	}
	worker := func(p *piece, body *http.Response, extra bool) {
		defer wg.Done()
		defer m.hosts.release(host)
		left := false
		defer func() {
			wmu.Lock()
			if !left {
				nworkers--
			}
			if nworkers == 0 {
				close(noWorkers)
			}
			wmu.Unlock()
		}()
		d.conn.Add(1)
		defer d.conn.Add(-1)
		for {
			if p == nil {
				if extra && tooMany() {
					left = true
					return
				}
				if p = ps.next(m.opt.MinPiece); p == nil {
					return
				}
			}
			err := m.fetchPiece(wctx, d, r, p, body)
			body = nil
			ps.release(p)
			p = nil
			if err != nil {
				var se *StatusError
				if extra && errors.As(err, &se) && (se.Code == http.StatusServiceUnavailable || se.Code == http.StatusTooManyRequests) {
					return // the server wants fewer connections: leave it to the others
				}
				if wctx.Err() == nil || !errors.Is(err, context.Canceled) {
					fail(err)
				}
				return
			}
		}
	}
	// spawn starts a worker; an extra one only while others still work
	// and the host has a free slot.
	spawn := func(p *piece, body *http.Response, extra bool) bool {
		wmu.Lock()
		defer wmu.Unlock()
		if extra && (nworkers == 0 || nworkers >= m.wantConns(d) || !ps.hasWork(m.opt.MinPiece) || !m.hosts.tryAcquire(host, nworkers)) {
			return false
		}
		nworkers++
		wg.Add(1)
		go worker(p, body, extra)
		return true
	}
	// The first worker owns piece 0 before any other can look for work:
	// the first response's body fills it.
	var p0 *piece
	if first != nil {
		p0 = ps.first()
	}
	spawn(p0, first, false)
	if d.ranges {
		// Extra connections now, and again whenever the user raises the
		// setting or a connection to this host is freed. The wake-up
		// channels are taken before trying, so no wake-up is missed.
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				more, freed := m.connsChangedCh(), m.hosts.freedCh()
				for spawn(nil, nil, true) {
				}
				select {
				case <-more:
				case <-freed:
				case <-noWorkers:
					return
				case <-wctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if !ps.complete() {
		return io.ErrUnexpectedEOF
	}
	return m.complete(ctx, d, r, root)
}

// wantConns is how many connections d should use now.
func (m *Manager) wantConns(d *download) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.wantConnsLocked(d)
}

func (m *Manager) wantConnsLocked(d *download) int {
	if d.conns > 0 {
		return d.conns
	}
	return m.conns
}

// newRequest builds a GET for the download's URL asking for the raw bytes.
func (m *Manager) newRequest(ctx context.Context, d *download) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.url.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("User-Agent", "Haul/1.0")
	return req, nil
}

// stallGuard cancels a request's context when no bytes arrived for the
// stall timeout: one timer per request, reset on every read.
type stallGuard struct {
	t *time.Timer
	d time.Duration
}

func (m *Manager) guard(ctx context.Context) (context.Context, *stallGuard, context.CancelCauseFunc) {
	rctx, cancel := context.WithCancelCause(ctx)
	g := &stallGuard{d: m.opt.StallTimeout}
	g.t = time.AfterFunc(g.d, func() { cancel(errStalled) })
	return rctx, g, cancel
}

func (g *stallGuard) alive() { g.t.Reset(g.d) }
func (g *stallGuard) stop()  { g.t.Stop() }

// stalledErr turns a canceled read into errStalled when the stall timer
// fired rather than the user.
func stalledErr(rctx context.Context, err error) error {
	if errors.Is(context.Cause(rctx), errStalled) {
		return errStalled
	}
	return err
}

// probe sends the first request of a fresh download (Range: bytes=0-),
// learns size, validators and whether ranges work, picks and reserves the
// file name, creates the .part file and plans the pieces. The returned
// response's body carries piece 0.
func (m *Manager) probe(ctx context.Context, d *download, r *runState, root *os.Root) (*http.Response, error) {
	req, err := m.newRequest(ctx, d)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Range", "bytes=0-")
	rctx, g, cancel := m.guard(ctx)
	req = req.WithContext(rctx)
	resp, err := m.httpClient().Do(req)
	g.stop()
	if err != nil {
		cancel(nil)
		return nil, stalledErr(rctx, err)
	}
	ok := false
	defer func() {
		if !ok {
			resp.Body.Close()
			cancel(nil)
		}
	}()
	total := int64(-1)
	ranges := false
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, end, size, err := parseContentRange(resp.Header.Get("Content-Range"))
		if err != nil || start != 0 || size < 0 || end != size-1 {
			return nil, fmt.Errorf("the server answered a range request with a bad Content-Range %q", resp.Header.Get("Content-Range"))
		}
		if resp.ContentLength >= 0 && resp.ContentLength != size {
			return nil, &IntegrityError{fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", resp.ContentLength, size)}
		}
		total, ranges = size, true
	case http.StatusOK:
		total = resp.ContentLength
	case http.StatusRequestedRangeNotSatisfiable:
		if _, _, size, err := parseContentRange(resp.Header.Get("Content-Range")); err == nil && size == 0 {
			total = 0 // an empty file
			break
		}
		return nil, m.statusErr(resp, d)
	default:
		return nil, m.statusErr(resp, d)
	}
	closeDelimited := resp.StatusCode == http.StatusOK && resp.ContentLength < 0 && len(resp.TransferEncoding) == 0

	var server string
	if c, ok := serverChecksum(resp.Header, resp.StatusCode); ok {
		server = c.String()
	}
	etag := resp.Header.Get("ETag")
	if strings.HasPrefix(etag, "W/") {
		etag = "" // weak validators cannot guard byte ranges
	}

	m.mu.Lock()
	if !d.nameFixed {
		name := d.name
		if name == "" || !d.explicit {
			name = safename.Choose(resp.Header.Get("Content-Disposition"), d.url, resp.Header.Get("Content-Type"))
		}
		name, err = safename.Unique(root, name, func(c string) bool { return m.reserved[nameKey(d.dir, c)] })
		if err != nil {
			m.mu.Unlock()
			return nil, fmt.Errorf("choosing a file name: %w", err)
		}
		d.name, d.nameFixed = name, true
		m.reserved[nameKey(d.dir, name)] = true
	}
	d.total, d.ranges, d.etag, d.lastMod, d.server = total, ranges, etag, resp.Header.Get("Last-Modified"), server
	if closeDelimited {
		d.warning = "the server did not announce the size: completeness cannot be verified"
	} else {
		d.warning = ""
	}
	var recs []pieceRec
	if total < 0 {
		recs = []pieceRec{{Start: 0, Pos: 0, End: -1}}
	} else {
		n := 1
		if ranges {
			n = int(max(1, min(int64(m.wantConnsLocked(d)), total/m.opt.MinPiece)))
		}
		recs = split(total, n)
	}
	d.pieces = recs
	d.received.Store(0)
	name := d.name
	m.touch(d)
	m.persistLocked(d)
	m.mu.Unlock()

	f, err := root.OpenFile(name+partSuffix, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		// Ours from an earlier attempt that never recorded progress.
		if err = root.Remove(name + partSuffix); err == nil {
			f, err = root.OpenFile(name+partSuffix, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", name+partSuffix, err)
	}
	r.mu.Lock()
	r.file, r.ps = m.wrap(f), newPieceSet(recs)
	r.mu.Unlock()
	if total == 0 {
		return nil, nil
	}
	ok = true
	// The body belongs to piece 0 now; the cancel func is released when
	// the body is closed.
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel, rctx: rctx, g: g}
	return resp, nil
}

// cancelOnClose ties a probe response's context and stall timer to its body.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
	rctx   context.Context
	g      *stallGuard
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.g.stop()
	c.cancel(nil)
	return err
}

// reopen opens the partial file of a download being resumed and checks it
// still holds what the saved progress claims.
func (m *Manager) reopen(d *download, r *runState, root *os.Root) error {
	m.mu.Lock()
	name, recs := d.name, d.pieces
	m.mu.Unlock()
	f, err := root.OpenFile(name+partSuffix, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the partial file %s is gone: %w", name+partSuffix, errChanged)
		}
		return fmt.Errorf("opening %s: %w", name+partSuffix, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("checking %s: %w", name+partSuffix, err)
	}
	var need int64
	for _, p := range recs {
		if p.Pos > p.Start {
			need = max(need, p.Pos)
		}
	}
	if st.Size() < need || !st.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("the partial file %s is shorter than recorded: %w", name+partSuffix, errChanged)
	}
	ps := newPieceSet(recs)
	d.received.Store(ps.received())
	r.mu.Lock()
	r.file, r.ps = m.wrap(f), ps
	r.mu.Unlock()
	return nil
}

// fetchPiece fills one piece, from body when given (the probe's) or from
// a new range request validated with If-Range.
func (m *Manager) fetchPiece(ctx context.Context, d *download, r *runState, p *piece, resp *http.Response) error {
	ps := r.ps
	pos, end, done := ps.span(p)
	if done {
		if resp != nil {
			resp.Body.Close()
		}
		return nil
	}
	var rctx context.Context
	var g *stallGuard
	if resp == nil {
		var cancel context.CancelCauseFunc
		rctx, g, cancel = m.guard(ctx)
		defer cancel(nil)
		defer g.stop()
		var err error
		resp, err = m.rangeRequest(rctx, d, pos, end)
		if err != nil {
			return stalledErr(rctx, err)
		}
		if resp == nil { // 416 that proves the piece is complete
			if end < 0 {
				ps.finishOpen(p)
			}
			return nil
		}
	} else {
		c := resp.Body.(*cancelOnClose)
		rctx, g = c.rctx, c.g
		g.alive()
	}
	defer resp.Body.Close()

	buf := make([]byte, readBuf)
	for {
		n, rerr := resp.Body.Read(buf[:m.readSize()])
		if n > 0 {
			g.alive()
			if err := m.limiter.WaitN(ctx, n); err != nil {
				return context.Cause(ctx)
			}
			g.alive() // time spent waiting for the speed limit is not a stall
			off, w := ps.claim(p, int64(n))
			if w > 0 {
				if _, err := r.file.WriteAt(buf[:w], off); err != nil {
					ps.commit(p, 0)
					return fmt.Errorf("writing %s: %w", d.name+partSuffix, err)
				}
				ps.commit(p, w)
				d.received.Add(w)
			}
			if w < int64(n) {
				return nil // reached the end of the piece (its tail may have been taken over)
			}
		}
		if rerr == io.EOF {
			if _, end, done := ps.span(p); !done {
				if end < 0 { // a stream of unknown size ends here
					ps.finishOpen(p)
					return nil
				}
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if rerr != nil {
			return stalledErr(rctx, rerr)
		}
		if _, _, done := ps.span(p); done {
			return nil
		}
	}
}

// rangeRequest asks for [pos, end) (end -1: to the end) with If-Range and
// accepts only a 206 for exactly that range. A 200 means the file changed
// or ranges are no longer honoured (errChanged); a 416 saying the file is
// exactly pos bytes means the piece is complete (nil response).
func (m *Manager) rangeRequest(ctx context.Context, d *download, pos, end int64) (*http.Response, error) {
	req, err := m.newRequest(ctx, d)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	etag, lastMod, total := d.etag, d.lastMod, d.total
	m.mu.Unlock()
	if end >= 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", pos, end-1))
	} else {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", pos))
	}
	switch {
	case etag != "":
		req.Header.Set("If-Range", etag)
	case lastMod != "":
		req.Header.Set("If-Range", lastMod)
	}
	resp, err := m.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, last, size, err := parseContentRange(resp.Header.Get("Content-Range"))
		want := end - 1
		if end < 0 {
			want = size - 1
		}
		if err != nil || start != pos || last != want || (total >= 0 && size != total) {
			resp.Body.Close()
			return nil, fmt.Errorf("asked for bytes %d-%d, got Content-Range %q: %w", pos, want, resp.Header.Get("Content-Range"), errChanged)
		}
		if resp.ContentLength >= 0 && resp.ContentLength != last-start+1 {
			resp.Body.Close()
			return nil, &IntegrityError{fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", resp.ContentLength, last-start+1)}
		}
		return resp, nil
	case http.StatusOK:
		resp.Body.Close()
		return nil, errChanged
	case http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		_, _, size, err := parseContentRange(resp.Header.Get("Content-Range"))
		switch {
		case err == nil && size == pos && (end < 0 || end == size):
			return nil, nil
		case err == nil && size < pos:
			return nil, errShrunk
		}
		return nil, m.statusErr(resp, d)
	}
	resp.Body.Close()
	return nil, m.statusErr(resp, d)
}

// statusErr describes a failed response; a 401 for a URL whose password
// was not kept across a restart says how to fix it.
func (m *Manager) statusErr(resp *http.Response, d *download) error {
	m.mu.Lock()
	u := d.url
	m.mu.Unlock()
	err := statusError(resp, redact(u))
	if resp.StatusCode == http.StatusUnauthorized && u.User != nil {
		if _, has := u.User.Password(); !has {
			err.(*StatusError).Status += " (Haul does not save passwords: add the link again with its password)"
		}
	}
	return err
}

// parseContentRange reads "bytes a-b/n" or "bytes */n"; n is -1 for "*".
func parseContentRange(v string) (start, end, size int64, err error) {
	bad := fmt.Errorf("bad Content-Range %q", v)
	rest, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !ok {
		return 0, 0, 0, bad
	}
	span, total, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, 0, 0, bad
	}
	size = -1
	if total != "*" {
		if size, err = strconv.ParseInt(total, 10, 64); err != nil || size < 0 {
			return 0, 0, 0, bad
		}
	}
	if span == "*" {
		return -1, -1, size, nil
	}
	a, b, ok := strings.Cut(span, "-")
	if !ok {
		return 0, 0, 0, bad
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start || (size >= 0 && end >= size) {
		return 0, 0, 0, bad
	}
	return start, end, size, nil
}

// complete verifies the finished .part file (size, then digests), flushes
// it, moves it to its final name without overwriting anything, and
// flushes the folder.
func (m *Manager) complete(ctx context.Context, d *download, r *runState, root *os.Root) error {
	r.mu.Lock()
	f, ps := r.file, r.ps
	r.mu.Unlock()
	got := ps.received()
	m.mu.Lock()
	if d.total < 0 {
		d.total = got
	}
	total, name := d.total, d.name
	var sums []checksum
	for i, s := range []string{d.checksum, d.server} {
		if s != "" {
			if c, err := parseChecksum(s); err == nil {
				if i == 1 {
					c.source = "digest header"
				}
				sums = append(sums, c)
			}
		}
	}
	m.mu.Unlock()

	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("checking %s: %w", name+partSuffix, err)
	}
	if got != total || st.Size() != total {
		return &IntegrityError{fmt.Sprintf("size mismatch: expected %d bytes, have %d", total, st.Size())}
	}
	if err := verify(ctx, f, sums); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("flushing %s: %w", name+partSuffix, err)
	}
	r.mu.Lock()
	r.file = nil
	r.mu.Unlock()
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", name+partSuffix, err)
	}
	final, err := m.place(d, root, name)
	if err != nil {
		return err
	}
	if dir, err := root.Open("."); err == nil {
		_ = dir.Sync()
		dir.Close()
	}
	m.mu.Lock()
	d.name = final
	m.mu.Unlock()
	return nil
}

// place moves NAME.part to NAME, or to a free "NAME (n)" if something
// appeared at NAME meanwhile. A hard link then unlink never replaces an
// existing file; where links are not supported it falls back to a rename
// after checking the name is free.
func (m *Manager) place(d *download, root *os.Root, name string) (string, error) {
	part := name + partSuffix
	for range 100 {
		err := root.Link(part, name)
		if err == nil {
			if err := root.Remove(part); err != nil {
				return "", fmt.Errorf("removing %s: %w", part, err)
			}
			return name, nil
		}
		if errors.Is(err, fs.ErrExist) {
			m.mu.Lock()
			next, uerr := safename.Unique(root, name, func(c string) bool { return m.reserved[nameKey(d.dir, c)] && c != name })
			if uerr == nil {
				// Unique skips names whose .part exists, which includes
				// ours: rename our .part to the new name's first.
				m.reserved[nameKey(d.dir, next)] = true
				delete(m.reserved, nameKey(d.dir, name))
			}
			m.mu.Unlock()
			if uerr != nil {
				return "", fmt.Errorf("choosing a free file name: %w", uerr)
			}
			if err := root.Rename(part, next+partSuffix); err != nil {
				return "", fmt.Errorf("renaming %s: %w", part, err)
			}
			name, part = next, next+partSuffix
			continue
		}
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EXDEV) || errors.Is(err, syscall.EMLINK) {
			if _, serr := root.Lstat(name); serr == nil {
				continue
			}
			if err := root.Rename(part, name); err != nil {
				return "", fmt.Errorf("renaming %s: %w", part, err)
			}
			return name, nil
		}
		return "", fmt.Errorf("moving %s into place: %w", part, err)
	}
	return "", errors.New("could not find a free file name")
}

// wrap applies the test hook, if any, to a freshly opened .part file.
func (m *Manager) wrap(f *os.File) partFile {
	if m.wrapFile != nil {
		return m.wrapFile(f)
	}
	return f
}

// verify reads the file once and checks every expected digest.
func verify(ctx context.Context, f io.ReaderAt, sums []checksum) error {
	if len(sums) == 0 {
		return nil
	}
	var ws []io.Writer
	hs := make([]interface {
		io.Writer
		Sum([]byte) []byte
	}, len(sums))
	for i, c := range sums {
		hs[i] = newHash(c.algo)
		ws = append(ws, hs[i])
	}
	rd := io.NewSectionReader(f, 0, 1<<62)
	if _, err := io.Copy(io.MultiWriter(ws...), ctxReader{ctx, rd}); err != nil {
		return fmt.Errorf("reading the file to verify it: %w", err)
	}
	for i, c := range sums {
		if got := hs[i].Sum(nil); string(got) != string(c.sum) {
			who := "the checksum given"
			if c.source != "given" {
				who = "the server's " + c.source
			}
			return &IntegrityError{fmt.Sprintf("checksum mismatch: the file does not match %s (%s)", who, c.algo)}
		}
	}
	return nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
