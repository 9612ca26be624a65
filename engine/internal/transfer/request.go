package transfer

import (
	"context"
	"net/http"
)

// NewSpecRequest builds the GET a transfer of spec sends for u, exactly
// as Job.NewRequest does (the Spec's extra headers only to its URL's
// origin, marked so the redirect policy drops them when a redirect
// leaves it), for a fetch outside any transfer: the browser asking what
// qualities a playlist offers. Only spec.URL and spec.Header are used.
func NewSpecRequest(ctx context.Context, spec Spec, u string) (*http.Request, error) {
	return (&Job{spec: spec}).NewRequest(ctx, u)
}
