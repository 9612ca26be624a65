// Package hls is the transfer protocol of HTTP Live Streaming playlists:
// a segmented.Source that resolves the playlist (a master playlist's
// variant chosen by quality) with the engine/hls parser, fetches its
// AES-128 keys once per run and plans the segments of the chosen stream
// and of its separate audio rendition, if any. Keys are kept in memory
// only, never in the state or in messages.
package hls

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	playlist "github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/internal/transfer/segmented"
)

// New returns the Protocol that downloads the HLS stream of a transfer's
// URL at quality: "best" (or ""), "worst", or a height such as "720".
// Use a new one for each transfer.Run.
func New(quality string) transfer.Protocol {
	return &segmented.Protocol{Source: &source{quality: quality}}
}

// TentativeName is the name shown for an HLS link before its playlist
// is read: the playlist URL's, as a .ts file.
func TentativeName(u *url.URL) string {
	return segmented.NameOf(segmented.Stem(u, manifestExts...), ".ts")
}

var manifestExts = []string{".m3u8", ".m3u"}

// source plans an HLS stream.
type source struct {
	quality string
	keys    map[string][]byte // by key URL, fetched once per run
}

// Resolve fetches the playlist(s) through the job's client, chooses the
// variant, fetches the keys and plans the parts.
func (s *source) Resolve(ctx context.Context, j *transfer.Job) (*segmented.Plan, error) {
	q, err := playlist.ParseQuality(s.quality)
	if s.quality == "" {
		q, err = playlist.Best, nil
	}
	if err != nil {
		return nil, &transfer.PolicyError{Msg: err.Error()}
	}
	st, err := playlist.Resolve(ctx, fetcher(j), j.Spec().URL.String(), q, playlist.Limits{})
	if err != nil {
		return nil, err
	}
	if err := s.fetchKeys(ctx, j, st); err != nil {
		return nil, err
	}
	pl := &segmented.Plan{Kind: "HLS", Stem: segmented.Stem(j.Spec().URL, manifestExts...), ContentType: "video/mp2t"}
	if st.Video.Container == playlist.ContainerMP4 {
		pl.ContentType = "video/mp4"
	}
	pl.Video = s.track(st.Video)
	if st.Audio != nil {
		pl.Audio = s.track(st.Audio)
	}
	var bw int64
	if v := st.Variant; v != nil {
		if bw = v.AverageBandwidth; bw <= 0 {
			bw = v.Bandwidth
		}
		if v.Height > 0 {
			pl.Quality = fmt.Sprintf("%dp", v.Height)
		}
	}
	pl.Estimate = st.Video.EstimateSize(bw)
	return pl, nil
}

// track is a media playlist's plan as segmented parts, each encrypted
// one decrypted with its key.
func (s *source) track(p *playlist.Plan) *segmented.Track {
	t := &segmented.Track{Ext: p.Ext, Fingerprint: p.Fingerprint}
	conv := func(hp *playlist.Part) segmented.Part {
		out := segmented.Part{URL: hp.URL}
		if r := hp.Range; r != nil {
			out.Range = &segmented.Range{Offset: r.Offset, Length: r.Length}
		}
		if hp.Encrypted() {
			key, iv := s.keys[p.Keys[hp.Key]], hp.IV
			out.Decode = func(b []byte) ([]byte, error) { return playlist.Decrypt(key, iv, b) }
		}
		return out
	}
	if p.Init != nil {
		in := conv(p.Init)
		t.Init = &in
	}
	for i := range p.Segments {
		t.Segments = append(t.Segments, conv(&p.Segments[i]))
	}
	return t
}

// fetchKeys fetches each key of the stream once.
func (s *source) fetchKeys(ctx context.Context, j *transfer.Job, st *playlist.Stream) error {
	if s.keys == nil {
		s.keys = map[string][]byte{}
	}
	for _, pl := range []*playlist.Plan{st.Video, st.Audio} {
		if pl == nil {
			continue
		}
		for i, u := range pl.Keys {
			if _, ok := s.keys[u]; ok {
				continue
			}
			k, err := fetchKey(ctx, j, u)
			if err != nil {
				return fmt.Errorf("key %d of the stream: %w", i+1, err)
			}
			s.keys[u] = k
		}
	}
	return nil
}

// fetcher fetches playlists for playlist.Resolve through the job's
// client, with the stall timer.
func fetcher(j *transfer.Job) playlist.FetchFunc {
	return func(ctx context.Context, link string) (io.ReadCloser, *url.URL, error) {
		resp, _, err := j.Get(ctx, link, nil)
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, nil, j.StatusError(resp, link)
		}
		return resp.Body, resp.Request.URL, nil
	}
}

// fetchKey fetches one AES-128 key; it never appears in an error.
func fetchKey(ctx context.Context, j *transfer.Job, u string) ([]byte, error) {
	resp, _, err := j.Get(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, j.StatusError(resp, u)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, playlist.KeySize+1))
	if err != nil {
		return nil, err
	}
	if len(b) != playlist.KeySize {
		return nil, &transfer.ProtocolError{Msg: fmt.Sprintf("the AES-128 key at %s is not %d bytes", transfer.RedactURL(u), playlist.KeySize)}
	}
	return b, nil
}
