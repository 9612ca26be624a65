package hls

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Parse reads one playlist from r (at most Limits.MaxBytes of it) and
// parses it. base is the playlist's final URL, after any redirects:
// relative URIs resolve against it, and every URI must resolve to an
// absolute http or https URL.
//
// It returns a master or a media playlist, or an error and no playlist.
// A refusal is a *ParseError wrapping one of the Err values (ErrLive for
// a media playlist without EXT-X-ENDLIST, ErrDRM, ErrTooLarge, ...);
// any other error is r's, wrapped.
func Parse(r io.Reader, base *url.URL, lim Limits) (*Playlist, error) {
	lim = lim.withDefaults()
	if base == nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, errAt(0, ErrMalformed, "base URL %s is not an absolute http(s) URL", clip(fmt.Sprint(base)))
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(lim.MaxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("read playlist: %w", err)
	}
	if len(data) > lim.MaxBytes {
		return nil, errAt(0, ErrTooLarge, "more than %d bytes of text", lim.MaxBytes)
	}
	p := &parser{base: base, lim: lim}
	return p.run(data)
}

// kind is what a playlist's tags say it is.
type kind int

const (
	kindUnknown kind = iota
	kindMaster
	kindMedia
)

// masterTags and mediaTags decide a playlist's kind; other tags (version,
// independent segments, start, unknown ones) fit either.
var (
	masterTags = map[string]bool{"EXT-X-STREAM-INF": true, "EXT-X-I-FRAME-STREAM-INF": true, "EXT-X-MEDIA": true, "EXT-X-SESSION-DATA": true, "EXT-X-SESSION-KEY": true}
	mediaTags  = map[string]bool{"EXTINF": true, "EXT-X-TARGETDURATION": true, "EXT-X-MEDIA-SEQUENCE": true, "EXT-X-KEY": true, "EXT-X-MAP": true, "EXT-X-BYTERANGE": true, "EXT-X-DISCONTINUITY": true, "EXT-X-ENDLIST": true, "EXT-X-PLAYLIST-TYPE": true, "EXT-X-DISCONTINUITY-SEQUENCE": true, "EXT-X-I-FRAMES-ONLY": true, "EXT-X-GAP": true, "EXT-X-PROGRAM-DATE-TIME": true}
)

// parser holds the state of one Parse.
type parser struct {
	base *url.URL
	lim  Limits
	line int // current line, 1-based
	kind kind

	version int
	master  masterState
	media   mediaState
}

func (p *parser) run(data []byte) (*Playlist, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM is wrong but harmless
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if string(bytes.Trim(first, " \t\r")) != "#EXTM3U" {
		return nil, errAt(0, ErrNotPlaylist, "") // e.g. a video segment or a web page
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, errAt(0, ErrMalformed, "not UTF-8 text")
	}
	text := string(data)
	for len(text) > 0 || p.line == 0 {
		var ln string
		ln, text, _ = strings.Cut(text, "\n")
		p.line++
		if len(ln) > p.lim.MaxLine {
			return nil, errAt(p.line, ErrTooLarge, "line longer than %d bytes", p.lim.MaxLine)
		}
		ln = strings.Trim(ln, " \t\r")
		if p.line == 1 {
			continue // #EXTM3U, checked above
		}
		if err := p.handle(ln); err != nil {
			return nil, err
		}
	}
	switch p.kind {
	case kindMaster:
		return p.finishMaster()
	case kindMedia:
		return p.finishMedia()
	}
	return nil, errAt(0, ErrMalformed, "neither segments nor variants")
}

// handle dispatches one line (surrounding blanks removed).
func (p *parser) handle(ln string) error {
	switch {
	case ln == "":
		return nil
	case strings.HasPrefix(ln, "#EXT"):
		tag, value, _ := strings.Cut(ln[1:], ":")
		if err := p.setKind(tag); err != nil {
			return err
		}
		if tag == "EXT-X-VERSION" {
			v, err := parseDecimal(value)
			if err != nil || v > 100 {
				return p.malformed("EXT-X-VERSION %s is not a small integer", clip(value))
			}
			p.version = int(v)
			return nil
		}
		switch p.kind {
		case kindMaster:
			return p.masterTag(tag, value)
		case kindMedia:
			return p.mediaTag(tag, value)
		}
		return nil // a tag of either kind, e.g. EXT-X-INDEPENDENT-SEGMENTS
	case strings.HasPrefix(ln, "#"):
		return nil // a comment
	}
	switch p.kind {
	case kindMaster:
		return p.masterURI(ln)
	case kindMedia:
		return p.mediaURI(ln)
	}
	return p.malformed("URI %s before any EXTINF or EXT-X-STREAM-INF", clip(ln))
}

// setKind records what tag says the playlist is, refusing a mix.
func (p *parser) setKind(tag string) error {
	k := kindUnknown
	switch {
	case masterTags[tag]:
		k = kindMaster
	case mediaTags[tag]:
		k = kindMedia
	}
	if k == kindUnknown || k == p.kind {
		return nil
	}
	if p.kind != kindUnknown {
		return p.malformed("%s mixes master and media playlist tags", tag)
	}
	p.kind = k
	return nil
}

// malformed is an ErrMalformed refusal at the current line.
func (p *parser) malformed(format string, args ...any) error {
	return errAt(p.line, ErrMalformed, format, args...)
}

// attrs parses the attribute list of tag.
func (p *parser) attrs(tag, value string) (attrs, error) {
	a, err := parseAttrs(value)
	if err != nil {
		return nil, p.malformed("%s: %v", tag, err)
	}
	return a, nil
}

// resolve makes ref absolute against the playlist URL; the result must be
// an http or https URL with a host. The fragment is dropped.
func (p *parser) resolve(what, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", p.malformed("%s: empty URI", what)
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", p.malformed("%s: bad URI %s", what, clip(ref))
	}
	abs := p.base.ResolveReference(u)
	abs.Fragment, abs.RawFragment = "", ""
	s := abs.String()
	if back, err := url.Parse(s); err != nil || (back.Scheme != "http" && back.Scheme != "https") || back.Host == "" {
		return "", p.malformed("%s: URI %s is not an http(s) URL", what, clip(ref))
	}
	return s, nil
}

// parseRange parses EXT-X-BYTERANGE's n[@o]. Without @o, hasOffset is
// false and off is 0.
func (p *parser) parseRange(what, s string) (r ByteRange, hasOffset bool, err error) {
	ns, os, hasOffset := strings.Cut(s, "@")
	n, err := parseDecimal(ns)
	if err != nil {
		return r, false, p.malformed("%s: length %v", what, err)
	}
	var o int64
	if hasOffset {
		if o, err = parseDecimal(os); err != nil {
			return r, false, p.malformed("%s: offset %v", what, err)
		}
	}
	switch {
	case n == 0:
		return r, false, p.malformed("%s: empty byte range", what)
	case n > p.lim.MaxRange:
		return r, false, errAt(p.line, ErrTooLarge, "%s: byte range of %d bytes (limit %d)", what, n, p.lim.MaxRange)
	case o > maxOffset:
		return r, false, errAt(p.line, ErrTooLarge, "%s: byte range offset %d", what, o)
	}
	return ByteRange{Offset: o, Length: n}, hasOffset, nil
}

// maxOffset bounds byte-range offsets (1 PiB): nothing real is larger, and
// offset plus length then never overflows.
const maxOffset = 1 << 50
