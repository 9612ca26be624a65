package nativehost

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/engine/hls"
	"github.com/haul-dl/haul/engine/mpd"
)

// Bounds on what a "qualities" message makes Haul fetch, and on its
// answer, which must stay far below the browser's MaxReply.
const (
	MaxPlaylistBytes = 4 << 20          // a master playlist or manifest
	PlaylistTimeout  = 15 * time.Second // its fetch, headers and body
	MaxParts         = 200              // variant URLs told, for folding
	MaxPartsBytes    = 256 << 10        // their total length
	MaxQualities     = 50               // quality labels told
)

// FetchFunc fetches one small resource under Haul's client rules, as
// engine.Fetch does.
type FetchFunc func(ctx context.Context, req engine.Request, lim engine.FetchLimits) ([]byte, *url.URL, error)

// streamInfo is what the popup is told about a playlist or manifest:
// Role "master" (it offers Qualities, best first, and names the
// playlists of its variants and renditions in Parts, which the
// extension folds into it) or "media" (one quality only).
type streamInfo struct {
	Role      string
	Qualities []string
	Parts     []string
}

// streamReader reads a fetched playlist or manifest of one kind; final
// is the URL it came from, for resolving relative addresses.
type streamReader func(body []byte, final *url.URL) (streamInfo, error)

// readerFor is the reader of a kind of stream.
func readerFor(kind string) (streamReader, error) {
	switch kind {
	case "hls":
		return hlsInfo, nil
	case "dash":
		return dashInfo, nil
	}
	return nil, fmt.Errorf("Haul reads no streams of the kind %q", clip(kind))
}

// qualities answers a checked "qualities" message: Haul fetches the
// playlist with the page's headers, as a download of it would, and reads it.
func (h *Host) qualities(ctx context.Context, m message) reply {
	info, err := h.streamInfo(ctx, m)
	if err != nil {
		return reply{Type: "qualities", Error: err.Error()}
	}
	return reply{OK: true, Type: "qualities", Role: info.Role, Qualities: info.Qualities, Parts: info.Parts}
}

func (h *Host) streamInfo(ctx context.Context, m message) (streamInfo, error) {
	read, err := readerFor(m.Kind)
	if err != nil {
		return streamInfo{}, err
	}
	fetch := h.Fetch
	if fetch == nil {
		fetch = func(ctx context.Context, req engine.Request, lim engine.FetchLimits) ([]byte, *url.URL, error) {
			return engine.Fetch(ctx, engine.Options{}, req, lim)
		}
	}
	body, final, err := fetch(ctx, m.request(), engine.FetchLimits{MaxBytes: MaxPlaylistBytes, Timeout: PlaylistTimeout})
	if err != nil {
		return streamInfo{}, fmt.Errorf("Haul could not read the playlist: %w", err)
	}
	info, err := read(body, final)
	if err != nil {
		return streamInfo{}, fmt.Errorf("Haul could not read the playlist: %w", err)
	}
	return info, nil
}

// hlsInfo reads an HLS playlist with engine/hls.
func hlsInfo(body []byte, final *url.URL) (streamInfo, error) {
	p, err := hls.Parse(bytes.NewReader(body), final, hls.Limits{MaxBytes: MaxPlaylistBytes})
	if err != nil {
		return streamInfo{}, err
	}
	if p.Master == nil {
		return streamInfo{Role: "media"}, nil
	}
	info := streamInfo{Role: "master", Qualities: hlsQualities(p.Master.Variants)}
	for _, v := range p.Master.Variants {
		info.Parts = append(info.Parts, v.URL)
	}
	for _, r := range p.Master.Renditions {
		if r.URL != "" {
			info.Parts = append(info.Parts, r.URL)
		}
	}
	info.Parts = boundParts(slices.Compact(slices.Sorted(slices.Values(info.Parts))))
	if len(info.Qualities) > MaxQualities {
		info.Qualities = info.Qualities[:MaxQualities]
	}
	return info, nil
}

// dashInfo reads a DASH manifest with engine/mpd. A manifest names no
// playlists of its own to fold (its segments are folded by the
// extension), so Parts stays empty; it is a "master" when it offers
// more than one video quality. Its qualities are told as a master
// playlist's are, by hlsQualities over its video representations.
func dashInfo(body []byte, final *url.URL) (streamInfo, error) {
	m, err := mpd.Parse(bytes.NewReader(body), final)
	if err != nil {
		return streamInfo{}, err
	}
	vs := make([]hls.Variant, len(m.Video))
	for i, r := range m.Video {
		vs[i] = hls.Variant{Bandwidth: r.Bandwidth, Width: r.Width, Height: r.Height}
	}
	qs := hlsQualities(vs)
	if len(qs) < 2 {
		return streamInfo{Role: "media"}, nil
	}
	if len(qs) > MaxQualities {
		qs = qs[:MaxQualities]
	}
	return streamInfo{Role: "master", Qualities: qs}, nil
}

// boundParts keeps the first parts within MaxParts and MaxPartsBytes,
// leaving out any longer than MaxField: a hostile playlist cannot make
// an answer the browser refuses.
func boundParts(parts []string) []string {
	var out []string
	size := 0
	for _, p := range parts {
		if len(p) > MaxField || size+len(p) > MaxPartsBytes || len(out) == MaxParts {
			continue
		}
		size += len(p)
		out = append(out, p)
	}
	return out
}

// hlsQualities are the heights a master playlist's variants offer,
// highest first, once each ("1080p"). When no variant gives its
// resolution they are told by their bandwidth ("800 kb/s"); a variant
// without one beside others with one (audio only, mostly) is left out.
func hlsQualities(vs []hls.Variant) []string {
	sorted := slices.Clone(vs)
	slices.SortStableFunc(sorted, func(a, b hls.Variant) int {
		if a.Height != b.Height {
			return cmp.Compare(b.Height, a.Height)
		}
		return cmp.Compare(b.Bandwidth, a.Bandwidth)
	})
	sized := len(sorted) > 0 && sorted[0].Height > 0
	var out []string
	for _, v := range sorted {
		var q string
		switch {
		case v.Height > 0:
			q = strconv.Itoa(v.Height) + "p"
		case sized:
			continue
		case v.Bandwidth > 0:
			q = strconv.FormatInt((v.Bandwidth+500)/1000, 10) + " kb/s"
		default:
			continue
		}
		if !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}
