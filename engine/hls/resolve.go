package hls

import (
	"context"
	"fmt"
	"io"
	"net/url"
)

// FetchFunc fetches one playlist for Resolve: the response body and the
// URL it finally came from, after redirects (relative URIs resolve
// against it). The caller's HTTP rules (TLS, retries, headers, limits on
// time) apply there; Resolve closes the body.
type FetchFunc func(ctx context.Context, url string) (body io.ReadCloser, final *url.URL, err error)

// Stream is an HLS link resolved to what must be downloaded.
type Stream struct {
	// Master is the master playlist the link named, for showing the
	// choice of variants; nil when the link was a media playlist.
	Master *Master
	// Variant is the variant chosen from Master; nil without a Master.
	Variant *Variant
	// Video is the plan of the main stream: the variant, or the media
	// playlist the link named.
	Video *Plan
	// AudioRendition and Audio are the separate audio rendition of the
	// chosen variant and its plan; both nil when the audio (if any) is
	// in Video.
	AudioRendition *Rendition
	Audio          *Plan
}

// Resolve fetches the playlist at link and, when it is a master
// playlist, chooses a variant by q and fetches the variant's playlist
// and that of its separate audio rendition, if any; it returns their
// download plans. Every playlist is held to lim and must be one
// RFC 8216 allows at its place: a variant or rendition that is itself a
// master playlist is refused (ErrMalformed). Errors from fetch come back
// wrapped, naming the playlist.
func Resolve(ctx context.Context, fetch FetchFunc, link string, q Quality, lim Limits) (*Stream, error) {
	p, err := fetchParse(ctx, fetch, link, lim)
	if err != nil {
		return nil, err
	}
	st := &Stream{}
	if p.Media != nil {
		if st.Video, err = NewPlan(p.Media); err != nil {
			return nil, err
		}
		return st, nil
	}
	st.Master = p.Master
	ch, err := p.Master.Choose(q)
	if err != nil {
		return nil, err
	}
	st.Variant = &ch.Variant
	if st.Video, err = fetchPlan(ctx, fetch, ch.Variant.URL, "variant", lim); err != nil {
		return nil, err
	}
	if ch.Audio != nil {
		st.AudioRendition = ch.Audio
		if st.Audio, err = fetchPlan(ctx, fetch, ch.Audio.URL, "audio rendition", lim); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// fetchParse fetches and parses one playlist.
func fetchParse(ctx context.Context, fetch FetchFunc, link string, lim Limits) (*Playlist, error) {
	body, final, err := fetch(ctx, link)
	if err != nil {
		return nil, fmt.Errorf("fetch playlist %s: %w", redact(link), err)
	}
	defer body.Close()
	p, err := Parse(body, final, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", final.Redacted(), err)
	}
	return p, nil
}

// fetchPlan fetches the media playlist of a variant or rendition and
// plans it.
func fetchPlan(ctx context.Context, fetch FetchFunc, link, what string, lim Limits) (*Plan, error) {
	p, err := fetchParse(ctx, fetch, link, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if p.Media == nil {
		return nil, fmt.Errorf("%s %s: %w", what, redact(link), errAt(0, ErrMalformed, "a master playlist where a media playlist belongs"))
	}
	pl, err := NewPlan(p.Media)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, redact(link), err)
	}
	return pl, nil
}

// redact hides a password in a URL for a message.
func redact(link string) string {
	if u, err := url.Parse(link); err == nil {
		return u.Redacted()
	}
	return clip(link)
}
