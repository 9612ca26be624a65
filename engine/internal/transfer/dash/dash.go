// Package dash is the transfer protocol of MPEG-DASH manifests: a
// segmented.Source that reads a static manifest with the engine/mpd
// parser, chooses the video by quality (as HLS chooses a variant) and the
// best audio (or the one in the user's language), reads a SegmentBase's
// sidx box when it has one, and plans both representations' segments,
// fetched in parallel into NAME.part and its audio side file and joined
// by ffmpeg, or kept as NAME.video.mp4 and NAME.audio.m4a without it.
package dash

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/internal/transfer"
	"github.com/haul-dl/haul/engine/internal/transfer/segmented"
	"github.com/haul-dl/haul/engine/mpd"
)

// New returns the Protocol that downloads the DASH presentation of a
// transfer's URL at quality ("best" or "", "worst", or a height such as
// "720"), with its audio in lang when it has one ("fr"; "" for the best).
// Use a new one for each transfer.Run.
func New(quality, lang string) transfer.Protocol {
	return &segmented.Protocol{Source: &source{quality: quality, lang: lang}}
}

// TentativeName is the name shown for a DASH link before its manifest
// is read: the manifest URL's, as an .mp4 file.
func TentativeName(u *url.URL) string { return segmented.NameOf(segmented.Stem(u, ".mpd"), ".mp4") }

type source struct {
	quality, lang string
}

// Resolve fetches and reads the manifest, chooses the representations,
// reads their indexes and plans their segments.
func (s *source) Resolve(ctx context.Context, j *transfer.Job) (*segmented.Plan, error) {
	q, err := hls.ParseQuality(s.quality)
	if s.quality == "" {
		q, err = hls.Best, nil
	}
	if err != nil {
		return nil, &transfer.PolicyError{Msg: err.Error()}
	}
	link := j.Spec().URL.String()
	m, err := fetchManifest(ctx, j, link)
	if err != nil {
		return nil, err
	}
	video, audio, err := m.Choose(q, s.lang)
	if err != nil {
		return nil, refusal(err)
	}
	pl := &segmented.Plan{Kind: "DASH", Stem: segmented.Stem(j.Spec().URL, ".mpd"), ContentType: "video/mp4", ApartExt: ".video.mp4"}
	main := video
	if video == nil { // audio only
		main, audio = audio, nil
		pl.ContentType = "audio/mp4"
	}
	if pl.Video, err = track(ctx, j, main, ".mp4"); err != nil {
		return nil, err
	}
	if video == nil {
		pl.Video.Ext = ".m4a"
	} else if video.Height > 0 {
		pl.Quality = fmt.Sprintf("%dp", video.Height)
	}
	if audio != nil {
		if pl.Audio, err = track(ctx, j, audio, ".m4a"); err != nil {
			return nil, err
		}
	}
	pl.Estimate = int64(m.Duration.Seconds() * float64(main.Bandwidth) / 8)
	return pl, nil
}

// fetchManifest fetches and parses the manifest at link.
func fetchManifest(ctx context.Context, j *transfer.Job, link string) (*mpd.MPD, error) {
	resp, _, err := j.Get(ctx, link, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, j.StatusError(resp, link)
	}
	m, err := mpd.Parse(resp.Body, resp.Request.URL)
	if err != nil {
		var me *mpd.Error
		if errors.As(err, &me) {
			return nil, refusal(err)
		}
		return nil, err // the network: perhaps transient
	}
	return m, nil
}

// refusal is a manifest's refusal as the transfer classifies it.
func refusal(err error) error {
	if mpd.Policy(err) {
		return &transfer.PolicyError{Msg: err.Error()}
	}
	return &transfer.ProtocolError{Msg: err.Error()}
}

// track plans one representation, reading its sidx first if it has one.
func track(ctx context.Context, j *transfer.Job, r *mpd.Representation, ext string) (*segmented.Track, error) {
	if r.Index != nil {
		box, err := fetchRange(ctx, j, r.URL, *r.Index)
		if err != nil {
			return nil, fmt.Errorf("the segment index of %s: %w", transfer.RedactURL(r.URL), err)
		}
		if err := r.FromIndex(box); err != nil {
			return nil, refusal(err)
		}
	}
	t := &segmented.Track{Ext: ext}
	h := sha256.New()
	conv := func(s mpd.Segment) segmented.Part {
		p := segmented.Part{URL: s.URL}
		io.WriteString(h, s.URL)
		if s.Range != nil {
			p.Range = &segmented.Range{Offset: s.Range.Offset, Length: s.Range.Length}
			io.WriteString(h, "@"+strconv.FormatInt(s.Range.Offset, 10)+"+"+strconv.FormatInt(s.Range.Length, 10))
		}
		h.Write([]byte{0})
		return p
	}
	if r.Init != nil {
		in := conv(*r.Init)
		t.Init = &in
	}
	for _, s := range r.Segments {
		t.Segments = append(t.Segments, conv(s))
	}
	t.Fingerprint = "dash:" + hex.EncodeToString(h.Sum(nil))
	return t, nil
}

// maxIndexBytes bounds a sidx box (12 bytes a segment, MaxSegments).
const maxIndexBytes = 12*mpd.MaxSegments + 1024

// fetchRange fetches the bytes r of link.
func fetchRange(ctx context.Context, j *transfer.Job, link string, r mpd.ByteRange) ([]byte, error) {
	if r.Length > maxIndexBytes {
		return nil, &transfer.PolicyError{Msg: fmt.Sprintf("a segment index of %d bytes is too large", r.Length)}
	}
	resp, _, err := j.Get(ctx, link, func(req *http.Request) {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", r.Offset, r.End()-1))
	})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var skip int64
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, _, _, err := transfer.ParseContentRange(resp.Header.Get("Content-Range"))
		if err != nil || start != r.Offset {
			return nil, &transfer.ProtocolError{Msg: fmt.Sprintf("asked for bytes %d-%d, got Content-Range %q", r.Offset, r.End()-1, resp.Header.Get("Content-Range"))}
		}
	case http.StatusOK:
		skip = r.Offset // the whole file: the index is a part of it
	default:
		return nil, j.StatusError(resp, link)
	}
	if _, err := io.CopyN(io.Discard, resp.Body, skip); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, r.Length))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) != r.Length {
		return nil, &transfer.IntegrityError{Msg: fmt.Sprintf("the segment index is %d bytes, not %d", len(b), r.Length)}
	}
	return b, nil
}
