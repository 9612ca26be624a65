package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/haul-dl/haul/engine/hls"
)

// partTries is how often a segment answered 404 or 410 is asked for
// before the download fails: a CDN may not have it everywhere yet.
const partTries = 3

// maxPartBytes is the largest segment held in memory.
const maxPartBytes = 1 << 30

// PolicyError is a refusal by Haul's rules (a live stream, DRM, a
// playlist over limits); never retried.
type PolicyError struct{ Msg string }

func (e *PolicyError) Error() string { return e.Msg }

// segmentError names the part of a stream an error concerns.
type segmentError struct {
	what string
	err  error
}

func (e *segmentError) Error() string { return e.what + ": " + e.err.Error() }
func (e *segmentError) Unwrap() error { return e.err }

// hlsKind classifies an HLS playlist refusal.
func hlsKind(err error) (Kind, bool) {
	var pe *hls.ParseError
	if !errors.As(err, &pe) {
		return KindNone, false
	}
	switch {
	case errors.Is(err, hls.ErrLive), errors.Is(err, hls.ErrDRM), errors.Is(err, hls.ErrKeyMethod), errors.Is(err, hls.ErrTooLarge):
		return KindPolicy, true
	}
	return KindProtocol, true
}

// playlistFetch fetches playlists for hls.Resolve through the job's
// client, with the stall timer.
func (h *HLS) playlistFetch(j *Job) hls.FetchFunc {
	return func(ctx context.Context, link string) (io.ReadCloser, *url.URL, error) {
		req, err := j.NewRequest(ctx, link)
		if err != nil {
			return nil, nil, err
		}
		rctx, g, cancel := j.guard(ctx)
		resp, err := j.Client().Do(req.WithContext(rctx))
		if err != nil {
			g.stop()
			cancel(nil)
			return nil, nil, stalledErr(rctx, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			g.stop()
			cancel(nil)
			if link == j.spec.URL.String() {
				return nil, nil, j.statusErr(resp)
			}
			return nil, nil, statusError(resp, redactURL(link))
		}
		return &guardedBody{body: resp.Body, g: g, cancel: cancel, rctx: rctx}, resp.Request.URL, nil
	}
}

// guardedBody resets its stall timer on every read and ends its request
// on Close.
type guardedBody struct {
	body   io.ReadCloser
	g      *stallGuard
	cancel context.CancelCauseFunc
	rctx   context.Context
}

func (b *guardedBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.g.alive()
	if err != nil && err != io.EOF {
		err = stalledErr(b.rctx, err)
	}
	return n, err
}

func (b *guardedBody) Close() error {
	err := b.body.Close()
	b.g.stop()
	b.cancel(nil)
	return err
}

// fetchKey fetches one AES-128 key; it never appears in an error.
func (j *Job) fetchKey(ctx context.Context, u string) ([]byte, error) {
	req, err := j.NewRequest(ctx, u)
	if err != nil {
		return nil, err
	}
	rctx, g, cancel := j.guard(ctx)
	defer cancel(nil)
	defer g.stop()
	resp, err := j.Client().Do(req.WithContext(rctx))
	if err != nil {
		return nil, stalledErr(rctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp, redactURL(u))
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, hls.KeySize+1))
	if err != nil {
		return nil, stalledErr(rctx, err)
	}
	if len(b) != hls.KeySize {
		return nil, &ProtocolError{fmt.Sprintf("the AES-128 key at %s is not %d bytes", redactURL(u), hls.KeySize)}
	}
	return b, nil
}

// fetchPart fetches one part, asking again (with backoff) for one the
// server says is not there.
func (h *HLS) fetchPart(ctx context.Context, j *Job, p *part) ([]byte, error) {
	for try := 1; ; try++ {
		got := h.arrived(j)
		if p.audio {
			got = func(int64) {} // the progress counts the video file's bytes
		}
		b, err := j.fetchPartOnce(ctx, p, got)
		if err == nil {
			return b, nil
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		var se *StatusError
		if errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone) {
			if try < partTries {
				t := time.NewTimer(j.backoff(try, 0))
				select {
				case <-t.C:
					continue
				case <-ctx.Done():
					t.Stop()
					return nil, context.Cause(ctx)
				}
			}
			return nil, &segmentError{fmt.Sprintf("%s failed %d times", p.describe(), try), err}
		}
		return nil, &segmentError{p.describe(), err}
	}
}

// fetchPartOnce fetches a part's bytes (its byte range only) and checks
// their length against what the server and the playlist announced.
func (j *Job) fetchPartOnce(ctx context.Context, p *part, got func(int64)) ([]byte, error) {
	req, err := j.NewRequest(ctx, p.URL)
	if err != nil {
		return nil, err
	}
	if r := p.Range; r != nil {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", r.Offset, r.End()-1))
	}
	rctx, g, cancel := j.guard(ctx)
	defer cancel(nil)
	defer g.stop()
	resp, err := j.Client().Do(req.WithContext(rctx))
	if err != nil {
		return nil, stalledErr(rctx, err)
	}
	defer resp.Body.Close()
	var skip int64
	want := resp.ContentLength // -1: not announced
	switch {
	case resp.StatusCode == http.StatusPartialContent && p.Range != nil:
		start, end, _, err := parseContentRange(resp.Header.Get("Content-Range"))
		if err != nil || start != p.Range.Offset || end != p.Range.End()-1 {
			return nil, &ProtocolError{fmt.Sprintf("asked for bytes %d-%d of %s, got Content-Range %q", p.Range.Offset, p.Range.End()-1, redactURL(p.URL), resp.Header.Get("Content-Range"))}
		}
		if want >= 0 && want != p.Range.Length {
			return nil, &IntegrityError{fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", want, p.Range.Length)}
		}
		want = p.Range.Length
	case resp.StatusCode == http.StatusOK:
		if p.Range != nil { // the whole resource: keep the range of it
			if want >= 0 && want < p.Range.End() {
				return nil, &IntegrityError{fmt.Sprintf("%s is %d bytes, shorter than the range the playlist gives", redactURL(p.URL), want)}
			}
			skip, want = p.Range.Offset, p.Range.Length
		}
	default:
		return nil, statusError(resp, redactURL(p.URL))
	}
	if want > maxPartBytes {
		return nil, &PolicyError{fmt.Sprintf("a segment of %d bytes is too large", want)}
	}
	body := io.Reader(resp.Body)
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, body, skip); err != nil {
			return nil, stalledErr(rctx, err)
		}
	}
	limit := int64(maxPartBytes + 1)
	if want >= 0 {
		limit = want + 1 // one byte more shows a longer body
		if p.Range != nil {
			limit = want
		}
	}
	var counted int64
	data, err := j.readPart(rctx, io.LimitReader(body, limit), max(want, 0), g.alive, func(n int64) { counted += n; got(n) })
	if err != nil {
		got(-counted)
		return nil, stalledErr(rctx, err)
	}
	if want >= 0 && int64(len(data)) != want {
		got(-counted) // not kept
	}
	switch {
	case want >= 0 && int64(len(data)) < want:
		return nil, &IntegrityError{fmt.Sprintf("got %d bytes of %d announced", len(data), want)}
	case want >= 0 && int64(len(data)) > want:
		return nil, &IntegrityError{fmt.Sprintf("got more than the %d bytes announced", want)}
	case len(data) > maxPartBytes:
		return nil, &PolicyError{"a segment of over 1 GiB is too large"}
	}
	return data, nil
}

// readPart reads body to its end under the speed limits.
func (j *Job) readPart(ctx context.Context, body io.Reader, hint int64, alive func(), got func(int64)) ([]byte, error) {
	data := make([]byte, 0, min(hint, 64<<20))
	bp := copyBufs.Get().(*[]byte) // as large as readSize can ask for
	defer copyBufs.Put(bp)
	buf := *bp
	for {
		n, rerr := body.Read(buf[:j.readSize()])
		for done := 0; done < n; {
			k, err := j.waitLimits(ctx, n-done)
			if err != nil {
				return nil, context.Cause(ctx)
			}
			alive()
			done += k
		}
		data = append(data, buf[:n]...)
		if n > 0 {
			got(int64(n))
		}
		if rerr == io.EOF {
			return data, nil
		}
		if rerr != nil {
			return nil, rerr
		}
	}
}

// redactURL hides a password in a URL for a message.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "a segment URL"
}

func parseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	return u.Redacted(), nil
}

func joinDir(dir, name string) string { return filepath.Join(dir, name) }

// arrived counts n more (or, negative, fewer) bytes of segments fetched
// and not yet written, and reports the progress with them.
func (h *HLS) arrived(j *Job) func(int64) {
	return func(n int64) { j.rep.Progress(j.recv.Load() + h.inflight.Add(n)) }
}
