package transfer

import (
	"context"
	"net/http"
)

// SpecRequest builds the GET a transfer of spec sends for u and the
// client to send it with, exactly as a Job of spec does (Job.NewRequest
// and Job.Client over base: the Spec's extra headers only to its URL's
// origin, and the redirect policy that keeps them there), for a fetch
// outside any transfer: the browser asking what qualities a playlist
// offers. Only spec.URL and spec.Header are used.
func SpecRequest(ctx context.Context, spec Spec, base *http.Client, u string) (*http.Client, *http.Request, error) {
	j := &Job{spec: spec, env: &Env{Client: func() *http.Client { return base }}}
	req, err := j.NewRequest(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	return j.Client(), req, nil
}
