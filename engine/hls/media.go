package hls

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// maxSegmentSeconds bounds EXTINF and EXT-X-TARGETDURATION: a day. With
// at most MaxSegments segments the total then fits a time.Duration.
const maxSegmentSeconds = 86400

// mediaState is the parser's state inside a media playlist.
type mediaState struct {
	m        Media
	endList  bool
	sawSeq   bool
	key      *Key // in effect for the next segments; nil: clear
	initMap  *Map
	sawFirst bool // a segment URI has been seen

	// The segment being described, until its URI line.
	pending    bool // an EXTINF was seen
	pendLine   int
	duration   time.Duration
	title      string
	rng        *ByteRange
	rngOffset  bool // rng had an explicit @offset
	discont    bool
	prevRanged bool // the previous segment was a byte range ...
	prevURL    string
	prevEnd    int64 // ... of prevURL ending here
}

func (p *parser) mediaTag(tag, value string) error {
	s := &p.media
	switch tag {
	case "EXTINF":
		if s.pending {
			return p.malformed("EXTINF follows an EXTINF without a URI")
		}
		d, title, _ := strings.Cut(value, ",")
		secs, err := parseSeconds(strings.TrimSpace(d), maxSegmentSeconds)
		if err != nil {
			return p.malformed("EXTINF duration %v", err)
		}
		s.pending, s.pendLine, s.title = true, p.line, strings.TrimSpace(title)
		s.duration = time.Duration(secs * float64(time.Second))
	case "EXT-X-TARGETDURATION":
		n, err := parseDecimal(value)
		if err != nil || n > maxSegmentSeconds {
			return p.malformed("EXT-X-TARGETDURATION %s is not a number of seconds", clip(value))
		}
		s.m.TargetDuration = time.Duration(n) * time.Second
	case "EXT-X-MEDIA-SEQUENCE":
		if s.sawFirst || s.sawSeq {
			return p.malformed("EXT-X-MEDIA-SEQUENCE must come once, before the first segment")
		}
		n, err := strconv.ParseUint(value, 10, 64)
		if err != nil || strings.TrimLeft(value, "0123456789") != "" {
			return p.malformed("EXT-X-MEDIA-SEQUENCE %s is not a 64-bit unsigned integer", clip(value))
		}
		s.m.MediaSequence, s.sawSeq = n, true
	case "EXT-X-PLAYLIST-TYPE":
		t := strings.ToUpper(value)
		if t != "VOD" && t != "EVENT" {
			return p.malformed("EXT-X-PLAYLIST-TYPE %s is neither VOD nor EVENT", clip(value))
		}
		s.m.Type = t
	case "EXT-X-ENDLIST":
		s.endList = true
	case "EXT-X-DISCONTINUITY":
		s.discont = true
	case "EXT-X-BYTERANGE":
		if s.rng != nil {
			return p.malformed("two EXT-X-BYTERANGE tags for one segment")
		}
		r, explicit, err := p.parseRange(tag, value)
		if err != nil {
			return err
		}
		s.rng, s.rngOffset = &r, explicit
	case "EXT-X-KEY":
		k, err := p.parseKey(value)
		if err != nil {
			return err
		}
		s.key = k
	case "EXT-X-MAP":
		return p.parseMap(value)
	case "EXT-X-GAP":
		return errAt(p.line, ErrUnsupported, "EXT-X-GAP: the stream has missing segments")
	case "EXT-X-I-FRAMES-ONLY":
		return errAt(p.line, ErrUnsupported, "an I-frame-only playlist is not a playable stream")
	}
	return nil
}

// parseKey parses EXT-X-KEY; a nil Key means METHOD=NONE.
func (p *parser) parseKey(value string) (*Key, error) {
	a, err := p.attrs("EXT-X-KEY", value)
	if err != nil {
		return nil, err
	}
	method, ok := a.enum("METHOD")
	if !ok {
		return nil, p.malformed("EXT-X-KEY without METHOD")
	}
	if err := p.checkKey("EXT-X-KEY", method, a); err != nil || method == "NONE" {
		return nil, err
	}
	uri, ok, err := a.str("URI")
	if err != nil || !ok {
		return nil, p.malformed("EXT-X-KEY METHOD=AES-128 needs a quoted URI")
	}
	k := &Key{Method: method}
	if k.URL, err = p.resolve("EXT-X-KEY", uri); err != nil {
		return nil, err
	}
	if v, ok := a["IV"]; ok {
		iv, err := parseIV(v.val)
		if err != nil {
			return nil, p.malformed("EXT-X-KEY: %v", err)
		}
		k.IV = &iv
	}
	return k, nil
}

// checkKey refuses DRM and unknown methods in EXT-X-KEY or
// EXT-X-SESSION-KEY. Only NONE and AES-128 with KEYFORMAT identity pass.
func (p *parser) checkKey(tag, method string, a attrs) error {
	switch method {
	case "NONE":
		return nil
	case "AES-128":
		// Quoted or not (which is malformed), only identity is plain AES.
		if f, ok := a["KEYFORMAT"]; ok && f.val != "identity" {
			return errAt(p.line, ErrDRM, "%s KEYFORMAT %s is not supported", tag, clip(f.val))
		}
		return nil
	case "SAMPLE-AES", "SAMPLE-AES-CTR", "SAMPLE-AES-CENC", "ISO-23001-7":
		return errAt(p.line, ErrDRM, "%s METHOD=%s is not supported", tag, method)
	}
	return errAt(p.line, ErrKeyMethod, "%s METHOD=%s", tag, clip(method))
}

// parseMap parses EXT-X-MAP.
func (p *parser) parseMap(value string) error {
	s := &p.media
	a, err := p.attrs("EXT-X-MAP", value)
	if err != nil {
		return err
	}
	uri, ok, err := a.str("URI")
	if err != nil || !ok {
		return p.malformed("EXT-X-MAP needs a quoted URI")
	}
	m := &Map{Key: s.key}
	if m.URL, err = p.resolve("EXT-X-MAP", uri); err != nil {
		return err
	}
	if a.has("BYTERANGE") {
		br, _, err := a.str("BYTERANGE")
		if err != nil {
			return p.malformed("EXT-X-MAP: %v", err)
		}
		r, _, err := p.parseRange("EXT-X-MAP BYTERANGE", br)
		if err != nil {
			return err
		}
		m.Range = &r
	}
	if m.Key != nil && m.Key.IV == nil {
		return p.malformed("EXT-X-MAP under an AES-128 key without an explicit IV")
	}
	s.initMap = m
	return nil
}

// mediaURI ends the segment being described.
func (p *parser) mediaURI(ln string) error {
	s := &p.media
	if !s.pending {
		return p.malformed("segment URI %s without EXTINF", clip(ln))
	}
	if len(s.m.Segments) >= p.lim.MaxSegments {
		return errAt(p.line, ErrTooLarge, "more than %d segments", p.lim.MaxSegments)
	}
	u, err := p.resolve("segment", ln)
	if err != nil {
		return err
	}
	n := uint64(len(s.m.Segments))
	if s.m.MediaSequence > math.MaxUint64-n {
		return p.malformed("media sequence number overflows")
	}
	seg := Segment{
		URL:           u,
		Duration:      s.duration,
		Title:         s.title,
		Sequence:      s.m.MediaSequence + n,
		Key:           s.key,
		Map:           s.initMap,
		Discontinuity: s.discont,
	}
	if s.rng != nil {
		r := *s.rng
		if !s.rngOffset {
			if !s.prevRanged || s.prevURL != u {
				return p.malformed("EXT-X-BYTERANGE without an offset must follow a byte range of the same URI")
			}
			r.Offset = s.prevEnd
			if r.Offset > maxOffset {
				return errAt(p.line, ErrTooLarge, "byte range offset %d", r.Offset)
			}
		}
		seg.Range = &r
		s.prevEnd = r.End()
	}
	s.prevRanged, s.prevURL = s.rng != nil, u
	s.m.Segments = append(s.m.Segments, seg)
	s.sawFirst = true
	s.pending, s.rng, s.rngOffset, s.discont, s.title = false, nil, false, false, ""
	return nil
}

func (p *parser) finishMedia() (*Playlist, error) {
	s := &p.media
	if s.pending {
		return nil, errAt(s.pendLine, ErrMalformed, "EXTINF without a segment URI")
	}
	if !s.endList {
		return nil, errAt(0, ErrLive, "")
	}
	if len(s.m.Segments) == 0 {
		return nil, errAt(0, ErrMalformed, "no segments")
	}
	s.m.URL = p.base.String()
	s.m.Version = p.version
	m := s.m
	return &Playlist{Media: &m}, nil
}
