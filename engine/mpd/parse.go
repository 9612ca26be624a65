package mpd

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"strings"
	"time"
)

// MPD is a static presentation of one period, as a downloader sees it.
type MPD struct {
	Duration time.Duration     // the period's (or presentation's); 0 if unknown
	Video    []*Representation // in manifest order
	Audio    []*Representation
}

// Representation is one encoding of the video or the audio.
type Representation struct {
	ID            string
	Bandwidth     int64 // bits per second
	Width, Height int
	Codecs        string
	MimeType      string
	Lang          string // the adaptation set's language, e.g. "en"
	Main          bool   // the adaptation set's Role is "main"
	URL           string // the representation's BaseURL, resolved
	// Init is the initialization segment; nil when there is none (a
	// whole file).
	Init *Segment
	// Segments are the media segments in order; nil while Index is set.
	Segments []Segment
	// Index is set for a SegmentBase with an indexRange: fetch these
	// bytes of URL (the sidx box) and pass them to FromIndex.
	Index *ByteRange
}

// Segment is one resource to fetch.
type Segment struct {
	URL   string
	Range *ByteRange // nil: the whole resource
}

// ByteRange is Length bytes from Offset.
type ByteRange struct{ Offset, Length int64 }

// End is the offset just past the range.
func (r ByteRange) End() int64 { return r.Offset + r.Length }

// Parse reads a manifest fetched from base (its URL after redirects),
// at most MaxManifestBytes of it.
func Parse(r io.Reader, base *url.URL) (*MPD, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxManifestBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxManifestBytes {
		return nil, fail(ErrTooLarge, "over %d MiB", MaxManifestBytes>>20)
	}
	var x xmlMPD
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&x); err != nil {
		return nil, fail(ErrMalformed, "%v", err)
	}
	switch strings.TrimSpace(x.Type) {
	case "", "static":
	case "dynamic":
		return nil, fail(ErrLive, "Haul saves only presentations that have ended")
	default:
		return nil, fail(ErrMalformed, "type %q", clip(x.Type))
	}
	switch len(x.Periods) {
	case 0:
		return nil, fail(ErrMalformed, "no Period")
	case 1:
	default:
		return nil, fail(ErrUnsupported, "%d periods (only one-period presentations are supported)", len(x.Periods))
	}
	p := &x.Periods[0]
	dur, err := parseDuration(p.Duration)
	if err == nil && dur == 0 {
		dur, err = parseDuration(x.Duration)
	}
	if err != nil {
		return nil, err
	}
	if len(p.Protection) > 0 {
		return nil, fail(ErrDRM, "the period is encrypted")
	}
	b, err := resolveBase(base, x.BaseURL)
	if err == nil {
		b, err = resolveBase(b, p.BaseURL)
	}
	if err != nil {
		return nil, err
	}
	m := &MPD{Duration: dur}
	for i := range p.Sets {
		if err := m.addSet(b, p, &p.Sets[i]); err != nil {
			return nil, err
		}
	}
	if len(m.Video) == 0 && len(m.Audio) == 0 {
		return nil, fail(ErrMalformed, "no video or audio representation")
	}
	return m, nil
}

// addSet adds the video and audio representations of an adaptation set.
func (m *MPD) addSet(base *url.URL, p *xmlPeriod, s *xmlSet) error {
	if len(s.Protection) > 0 {
		return fail(ErrDRM, "an adaptation set is encrypted")
	}
	sb, err := resolveBase(base, s.BaseURL)
	if err != nil {
		return err
	}
	main := false
	for _, r := range s.Roles {
		main = main || r.Value == "main"
	}
	for i := range s.Reps {
		x := &s.Reps[i]
		if len(x.Protection) > 0 {
			return fail(ErrDRM, "representation %q is encrypted", clip(x.ID))
		}
		kind := mediaKind(x.MimeType, s.ContentType, s.MimeType)
		if kind == "" {
			continue // subtitles, images
		}
		rb, err := resolveBase(sb, x.BaseURL)
		if err != nil {
			return err
		}
		r := &Representation{ID: x.ID, Bandwidth: x.Bandwidth, Width: x.Width, Height: x.Height,
			Codecs: x.Codecs, MimeType: x.MimeType, Lang: s.Lang, Main: main, URL: rb.String()}
		if r.Width == 0 && r.Height == 0 {
			r.Width, r.Height = s.Width, s.Height
		}
		if r.Codecs == "" {
			r.Codecs = s.Codecs
		}
		if r.MimeType == "" {
			r.MimeType = s.MimeType
		}
		if err := r.plan(rb, m.Duration, &p.segInfo, &s.segInfo, &x.segInfo); err != nil {
			return err
		}
		if kind == "video" {
			m.Video = append(m.Video, r)
		} else {
			m.Audio = append(m.Audio, r)
		}
	}
	return nil
}

// mediaKind is "video" or "audio" by the first of the types that says,
// else "".
func mediaKind(types ...string) string {
	for _, t := range types {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case t == "video" || strings.HasPrefix(t, "video/"):
			return "video"
		case t == "audio" || strings.HasPrefix(t, "audio/"):
			return "audio"
		case t != "":
			return ""
		}
	}
	return ""
}

// resolveBase resolves the first BaseURL of a level against the level
// above (an absolute one replaces it); none keeps base.
func resolveBase(base *url.URL, bs []xmlBase) (*url.URL, error) {
	if len(bs) == 0 {
		return base, nil
	}
	return resolve(base, bs[0].URL)
}

// resolve resolves ref against base; only http(s) results are allowed.
func resolve(base *url.URL, ref string) (*url.URL, error) {
	ref = strings.TrimSpace(ref)
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fail(ErrMalformed, "URL %q: %v", clip(ref), err)
	}
	out := base.ResolveReference(u)
	if out.Scheme != "http" && out.Scheme != "https" {
		return nil, fail(ErrMalformed, "URL %q is not http(s)", clip(ref))
	}
	return out, nil
}

// clip shortens untrusted text for a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
