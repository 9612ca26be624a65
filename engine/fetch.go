package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/haul-dl/haul/engine/internal/transfer"
)

// DefaultFetchTimeout bounds a Fetch whose FetchLimits give no time.
const DefaultFetchTimeout = 20 * time.Second

// FetchLimits bound one Fetch.
type FetchLimits struct {
	MaxBytes int64         // the most body bytes read; more is an error
	Timeout  time.Duration // the whole fetch, headers and body; 0: DefaultFetchTimeout
}

// ErrFetchTooLarge is returned by Fetch for a body over FetchLimits.MaxBytes.
var ErrFetchTooLarge = errors.New("the answer is larger than the limit")

// Fetch gets one small resource, such as a playlist whose qualities the
// browser's extension shows, under the rules a download of req.URL
// follows: Haul's client (certificates verified, its redirect policy),
// req.Header sent only to req.URL's origin and dropped when a redirect
// leaves it, only a 200 answer accepted, at most lim.MaxBytes of body
// and lim.Timeout in all. It returns the body and the URL it finally
// came from. Of opt only the client's fields (Transport, CACertFile,
// AllowDowngrade) are used.
func Fetch(ctx context.Context, opt Options, req Request, lim FetchLimits) ([]byte, *url.URL, error) {
	u, err := ParseURL(req.URL)
	if err != nil {
		return nil, nil, err
	}
	if lim.Timeout <= 0 {
		lim.Timeout = DefaultFetchTimeout
	}
	base, err := newClient(opt)
	if err != nil {
		return nil, nil, err
	}
	defer base.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	client, hr, err := transfer.SpecRequest(ctx, transfer.Spec{URL: u, Header: transfer.CleanHeader(req.Header)}, base, req.URL)
	if err != nil {
		return nil, nil, err
	}
	resp, err := client.Do(hr)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, nil, fmt.Errorf("fetching %s: no answer within %v: %w", u.Redacted(), lim.Timeout, ctx.Err())
		}
		return nil, nil, fmt.Errorf("fetching %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("fetching %s: the server answered %s", u.Redacted(), resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, lim.MaxBytes+1))
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, nil, fmt.Errorf("reading %s: not whole within %v: %w", u.Redacted(), lim.Timeout, ctx.Err())
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", u.Redacted(), err)
	}
	if int64(len(body)) > lim.MaxBytes {
		return nil, nil, fmt.Errorf("%s: %w (%d bytes)", u.Redacted(), ErrFetchTooLarge, lim.MaxBytes)
	}
	return body, resp.Request.URL, nil
}
