package segmented

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

// partTries is how often a segment answered 404 or 410 is asked for
// before the download fails: a CDN may not have it everywhere yet.
const partTries = 3

// MaxPartBytes is the largest segment accepted (and held in memory).
const MaxPartBytes = 1 << 30

// fetchPart fetches one part, asking again (with backoff) for one the
// server says is not there.
func (p *Protocol) fetchPart(ctx context.Context, j *transfer.Job, pt *part, win *window, k int) ([]byte, error) {
	for try := 1; ; try++ {
		got := p.arrived(j)
		if pt.audio {
			got = func(int64) {} // the progress counts the video file's bytes
		}
		b, err := fetchPartOnce(ctx, j, pt, got, win, k)
		if err == nil {
			return b, nil
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		var se *transfer.StatusError
		if errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone) {
			if try < partTries {
				t := time.NewTimer(j.Backoff(try))
				select {
				case <-t.C:
					continue
				case <-ctx.Done():
					t.Stop()
					return nil, context.Cause(ctx)
				}
			}
			return nil, &transfer.SegmentError{What: fmt.Sprintf("%s failed %d times", pt.describe(), try), Err: err}
		}
		return nil, &transfer.SegmentError{What: pt.describe(), Err: err}
	}
}

// arrived counts n more (or, negative, fewer) bytes of segments fetched
// and not yet written, and reports the progress with them.
func (p *Protocol) arrived(j *transfer.Job) func(int64) {
	return func(n int64) { j.Progress(j.Received() + p.inflight.Add(n)) }
}

// fetchPartOnce fetches a part's bytes (its byte range only) and checks
// their length against what the server and the manifest announced.
// got counts the bytes read (negative: not kept). The bytes held wait
// in win as part k (see ReadAhead).
func fetchPartOnce(ctx context.Context, j *transfer.Job, pt *part, got func(int64), win *window, k int) (_ []byte, err error) {
	r := pt.Range
	resp, alive, err := j.Get(ctx, pt.URL, func(req *http.Request) {
		if r != nil {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", r.Offset, r.End()-1))
		}
	})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var skip int64
	want := resp.ContentLength // -1: not announced
	switch {
	case resp.StatusCode == http.StatusPartialContent && r != nil:
		start, end, _, err := transfer.ParseContentRange(resp.Header.Get("Content-Range"))
		if err != nil || start != r.Offset || end != r.End()-1 {
			return nil, &transfer.ProtocolError{Msg: fmt.Sprintf("asked for bytes %d-%d of %s, got Content-Range %q", r.Offset, r.End()-1, transfer.RedactURL(pt.URL), resp.Header.Get("Content-Range"))}
		}
		if want >= 0 && want != r.Length {
			return nil, &transfer.IntegrityError{Msg: fmt.Sprintf("the server's Content-Length (%d) disagrees with its Content-Range (%d bytes)", want, r.Length)}
		}
		want = r.Length
	case resp.StatusCode == http.StatusOK:
		if r != nil { // the whole resource: keep the range of it
			if want >= 0 && want < r.End() {
				return nil, &transfer.IntegrityError{Msg: fmt.Sprintf("%s is %d bytes, shorter than the range the manifest gives", transfer.RedactURL(pt.URL), want)}
			}
			skip, want = r.Offset, r.Length
		}
	default:
		return nil, j.StatusError(resp, pt.URL)
	}
	if want > MaxPartBytes {
		return nil, &transfer.PolicyError{Msg: fmt.Sprintf("a segment of %d bytes is too large", want)}
	}
	var body io.Reader
	if want >= 0 { // its bytes are taken from the cap at once
		if err := win.reserve(ctx, k, want, alive); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				win.add(-want) // not kept
			}
		}()
		body = resp.Body
	} else { // taken as they arrive
		body = &reader{ctx: ctx, w: win, k: k, r: resp.Body, alive: alive}
		counted := got
		got = func(n int64) { win.add(n); counted(n) }
	}
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, body, skip); err != nil {
			return nil, err
		}
	}
	limit := int64(MaxPartBytes + 1)
	if want >= 0 {
		limit = want + 1 // one byte more shows a longer body
		if r != nil {
			limit = want
		}
	}
	var counted int64
	data, err := j.ReadAll(ctx, io.LimitReader(body, limit), max(want, 0), alive, func(n int64) { counted += n; got(n) })
	if err != nil {
		got(-counted)
		return nil, err
	}
	if want >= 0 && int64(len(data)) != want {
		got(-counted) // not kept
	}
	switch {
	case want >= 0 && int64(len(data)) < want:
		return nil, &transfer.IntegrityError{Msg: fmt.Sprintf("got %d bytes of %d announced", len(data), want)}
	case want >= 0 && int64(len(data)) > want:
		return nil, &transfer.IntegrityError{Msg: fmt.Sprintf("got more than the %d bytes announced", want)}
	case len(data) > MaxPartBytes:
		return nil, &transfer.PolicyError{Msg: "a segment of over 1 GiB is too large"}
	}
	return data, nil
}
