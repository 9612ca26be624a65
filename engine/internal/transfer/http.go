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
// whole file (Range: bytes=0-) that learns the size, the validators and
// whether ranges work, then one range request per piece, each checked
// with If-Range and an exact Content-Range.
type HTTP struct{}

// Begin sends the first request of a fresh download.
func (HTTP) Begin(ctx context.Context, j *Job) (*Start, error) {
	req, err := j.NewRequest(ctx, j.spec.URL.String())
	if err != nil {
		return nil, err
	}
	req.Header.Set("Range", "bytes=0-")
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
	st := &Start{Total: -1, Disposition: resp.Header.Get("Content-Disposition"), ContentType: resp.Header.Get("Content-Type")}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, end, size, err := parseContentRange(resp.Header.Get("Content-Range"))
		if err != nil || start != 0 || size < 0 || end != size-1 {
			return fail(&ProtocolError{fmt.Sprintf("the server answered a range request with a bad Content-Range %q", resp.Header.Get("Content-Range"))})
		}
		if resp.ContentLength >= 0 && resp.ContentLength != size {
			return fail(&IntegrityError{fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", resp.ContentLength, size)})
		}
		st.Total, st.Ranges = size, true
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
	// The body carries piece 0; closing it ends the request.
	st.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel, rctx: rctx, guard: g}
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
	return j.Pool(ctx, slot, body, alive, h.fetchPiece(j), ranges)
}

// fetchPiece fills one piece, from body when given (the first answer's)
// or from a new range request validated with If-Range.
func (HTTP) fetchPiece(j *Job) FetchFunc {
	return func(ctx context.Context, s *Span, body io.ReadCloser, alive func()) error {
		pos, end, done := j.Position(s)
		if done {
			if body != nil {
				body.Close()
			}
			return nil
		}
		rctx := ctx
		if body == nil {
			var g *stallGuard
			var cancel context.CancelCauseFunc
			rctx, g, cancel = j.guard(ctx)
			defer cancel(nil)
			defer g.stop()
			resp, err := j.rangeRequest(rctx, pos, end)
			if err != nil {
				return stalledErr(rctx, err)
			}
			if resp == nil { // 416 that proves the piece is complete
				if end < 0 {
					j.FinishOpen(s)
				}
				return nil
			}
			body, alive = resp.Body, g.alive
		} else if c, ok := body.(*cancelOnClose); ok {
			rctx = c.rctx
		}
		defer body.Close()
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
