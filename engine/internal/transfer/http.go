package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/mpd"
)

// HTTP is the Protocol for http and https URLs: a first request for the
// file's first chunk (Range: bytes=0-N) that learns the size, the
// validators and whether ranges work, then range requests for each piece
// in chunks sized by the connection's rate (chunk.go), each checked with
// If-Range and an exact Content-Range. No request asks for bytes another
// connection fetches, so the server sends each byte once.
type HTTP struct{}

// Begin sends the first request of a fresh download.
func (HTTP) Begin(ctx context.Context, j *Job) (*Start, error) {
	req, err := j.NewRequest(ctx, j.spec.URL.String())
	if err != nil {
		return nil, err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=0-%d", j.chunkSize(nil)-1))
	rctx, g, cancel := j.guard(req.Context())
	resp, err := j.Client().Do(req.WithContext(rctx))
	g.stop()
	if err != nil {
		cancel(nil)
		return nil, stalledErr(rctx, err)
	}
	fail := func(err error) (*Start, error) {
		resp.Body.Close()
		cancel(nil)
		return nil, err
	}
	var bodyEnd int64 // where a 206's body ends (0: a 200's, with the file)
	st := &Start{Total: -1, Disposition: resp.Header.Get("Content-Disposition"), ContentType: resp.Header.Get("Content-Type")}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		// Any range from byte 0 will do: the body carries it, the
		// other requests the rest.
		start, end, size, err := parseContentRange(resp.Header.Get("Content-Range"))
		if err != nil || start != 0 || size < 0 {
			return fail(&ProtocolError{fmt.Sprintf("the server answered a range request with a bad Content-Range %q", resp.Header.Get("Content-Range"))})
		}
		if resp.ContentLength >= 0 && resp.ContentLength != end+1 {
			return fail(&IntegrityError{fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", resp.ContentLength, end+1)})
		}
		st.Total, st.Ranges = size, true
		bodyEnd = end + 1
	case http.StatusOK:
		st.Total = resp.ContentLength
	case http.StatusRequestedRangeNotSatisfiable:
		if _, _, size, err := parseContentRange(resp.Header.Get("Content-Range")); err == nil && size == 0 {
			st.Total = 0 // an empty file
			resp.Body.Close()
			cancel(nil)
			return st, nil
		}
		return fail(j.statusErr(resp))
	default:
		return fail(j.statusErr(resp))
	}
	if hls.IsPlaylistType(st.ContentType) {
		return fail(ErrPlaylist) // the owner runs it again as HLS
	}
	if mpd.IsManifestType(st.ContentType) {
		return fail(ErrManifest) // the owner runs it again as DASH
	}
	if resp.StatusCode == http.StatusOK && resp.ContentLength < 0 && len(resp.TransferEncoding) == 0 {
		st.Warning = "the server did not announce the size: completeness cannot be verified"
	}
	if c, ok := serverChecksum(resp.Header, resp.StatusCode); ok {
		st.ServerDigest = c.String()
	}
	if st.ETag = resp.Header.Get("ETag"); strings.HasPrefix(st.ETag, "W/") {
		st.ETag = "" // weak validators cannot guard byte ranges
	}
	st.LastModified = resp.Header.Get("Last-Modified")
	if st.Total == 0 {
		resp.Body.Close()
		cancel(nil)
		return st, nil
	}
	// The body carries piece 0 (up to bodyEnd); closing it ends the request.
	st.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel, rctx: rctx, guard: g, end: bodyEnd}
	st.Alive = g.alive
	return st, nil
}

// Fill fetches every unfinished piece, over several connections when the
// server does ranges.
func (h HTTP) Fill(ctx context.Context, j *Job, start *Start, slot *Slot) error {
	var body io.ReadCloser
	var alive func()
	if start != nil {
		body, alive = start.Body, start.Alive
	}
	j.mu.Lock()
	ranges := j.resume.Ranges
	j.mu.Unlock()
	if c, ok := body.(*cancelOnClose); ok && c.end > 0 {
		// Before any other connection may split piece 0: what the first
		// answer carries stays with it.
		j.pieces().askFirst(c.end)
	}
	return j.Pool(ctx, slot, body, alive, h.fetchPiece(j), ranges)
}

// fetchPiece fills one piece: from body when given (the first answer's),
// then in range requests of a chunk each, validated with If-Range. A
// connection the ramp shed (leaving) stops after its current request
// rather than cutting it: the others take the rest of the piece.
func (HTTP) fetchPiece(j *Job) FetchFunc {
	return func(ctx context.Context, s *Span, body io.ReadCloser, alive func()) error {
		if body != nil {
			if err := j.copyFirst(ctx, s, body, alive); err != nil {
				return err
			}
		}
		var c chunker
		for !leaving(ctx) {
			if err := j.fetchChunk(ctx, s, &c); err != nil || c.done {
				return err
			}
		}
		return nil
	}
}

// copyFirst fills s from the first answer's body.
func (j *Job) copyFirst(ctx context.Context, s *Span, body io.ReadCloser, alive func()) error {
	defer body.Close()
	rctx := ctx
	if c, ok := body.(*cancelOnClose); ok {
		rctx = c.rctx
	}
	if _, _, done := j.Position(s); done {
		return nil
	}
	if alive != nil {
		alive()
	}
	if err := j.Copy(ctx, s, body, alive); err != nil {
		return stalledErr(rctx, err)
	}
	if _, end, done := j.Position(s); !done && end < 0 {
		j.FinishOpen(s) // a stream of unknown size ends with its body
	}
	return nil
}

// fetchChunk sends one range request for the next chunk of s and copies
// its answer; c.done is set when s is full.
func (j *Job) fetchChunk(ctx context.Context, s *Span, c *chunker) error {
	pos, end, done := j.pieces().askUpTo(s, j.chunkSize(c), j.env.MinPiece)
	if done {
		c.done = true
		return nil
	}
	rctx, g, cancel := j.guard(ctx)
	defer cancel(nil)
	defer g.stop()
	t0 := time.Now()
	resp, err := j.rangeRequest(rctx, pos, end)
	if err != nil {
		return stalledErr(rctx, err)
	}
	if resp == nil { // 416 that proves the piece is complete
		j.FinishOpen(s)
		c.done = true
		return nil
	}
	defer resp.Body.Close()
	ttfb := time.Since(t0)
	g.alive()
	if err := j.Copy(ctx, s, resp.Body, g.alive); err != nil {
		return stalledErr(rctx, err)
	}
	got, _, _ := j.Position(s)
	c.measured(got-pos, ttfb, time.Since(t0))
	if _, end, done := j.Position(s); !done && end < 0 {
		j.FinishOpen(s) // a stream of unknown size ends with its body
	}
	return nil
}

// chunkSize is the size of a connection's next request (c nil: the
// download's first): maxChunk when the download stays on one connection.
func (j *Job) chunkSize(c *chunker) int64 {
	if want, _, _ := j.wantConns(); want < 2 || j.oneConn.Load() {
		return maxChunk
	}
	if c == nil {
		return firstChunk(j.env.MinPiece)
	}
	total, _, _ := j.Validators()
	return c.size(total-j.received(), int(j.live.Load()), j.env.MinPiece)
}

// rangeRequest asks for [pos, end) (end -1: to the end) with If-Range and
// accepts only a 206 for exactly that range. A 200 means the file changed
// or ranges are no longer honoured (ErrChanged); a 416 saying the file is
// exactly pos bytes means the piece is complete (nil response).
func (j *Job) rangeRequest(ctx context.Context, pos, end int64) (*http.Response, error) {
	req, err := j.NewRequest(ctx, j.spec.URL.String())
	if err != nil {
		return nil, err
	}
	total, etag, lastMod := j.Validators()
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
	resp, err := j.Client().Do(req)
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
			return nil, fmt.Errorf("asked for bytes %d-%d, got Content-Range %q: %w", pos, want, resp.Header.Get("Content-Range"), errWrongRange)
		}
		if resp.ContentLength >= 0 && resp.ContentLength != last-start+1 {
			resp.Body.Close()
			return nil, &IntegrityError{fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", resp.ContentLength, last-start+1)}
		}
		return resp, nil
	case http.StatusOK:
		resp.Body.Close()
		return nil, ErrChanged
	case http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		_, _, size, err := parseContentRange(resp.Header.Get("Content-Range"))
		switch {
		case err == nil && size == pos && (end < 0 || end == size):
			return nil, nil
		case err == nil && size < pos:
			return nil, ErrShrunk
		}
		return nil, j.statusErr(resp)
	}
	resp.Body.Close()
	return nil, j.statusErr(resp)
}

// statusErr describes a failed response; a 401 for a URL whose password
// was not kept across a restart says how to fix it.
func (j *Job) statusErr(resp *http.Response) error {
	u := j.spec.URL
	err := statusError(resp, u.String())
	if resp.StatusCode == http.StatusUnauthorized && u.User != nil {
		if _, has := u.User.Password(); !has {
			err.Note = "Haul does not save passwords: add the link again with its password"
		}
	}
	return err
}

// stallGuard cancels a request's context when no bytes arrived for the
// stall timeout: one timer per request, reset on every read.
type stallGuard struct {
	t *time.Timer
	d time.Duration
}

func (j *Job) guard(ctx context.Context) (context.Context, *stallGuard, context.CancelCauseFunc) {
	rctx, cancel := context.WithCancelCause(ctx)
	g := &stallGuard{d: j.env.Stall}
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

// cancelOnClose ties the first answer's request context, and its stall
// timer (which every read of the body sets again), to its body: closing
// the body stops both, so that neither outlives the download.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
	rctx   context.Context
	guard  *stallGuard
	end    int64 // where the body's range ends (0: with the file)
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.guard.stop()
	c.cancel(nil)
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
