package links

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const ctxCheckLines = 64 // lines, or pattern links, between context checks

// targetKind says what the option lines below a line apply to.
type targetKind int

const (
	noTarget        targetKind = iota // no link above
	pendingTarget                     // one new link, not emitted yet
	manyTarget                        // a line with several links
	rejectedTarget                    // a line that was rejected
	duplicateTarget                   // a link that repeats an earlier one
)

// target is what the option lines below the last link line apply to.
type target struct {
	kind targetKind
	line int
	n    int  // links on the line, for manyTarget
	link Link // for pendingTarget
}

// scanner holds the state of one Scan.
type scanner struct {
	ctx  context.Context
	opt  Options
	emit func(Link) error
	lr   *lineReader
	seed maphash.Seed
	seen map[uint64]struct{}
	tgt  target
	sum  Summary
	// base is the page address the input declared (a <base href> or a
	// saved-from comment); baseFromTag says it came from a <base> tag.
	base        *url.URL
	baseFromTag bool
}

// errStop ends a pattern walk early; it never leaves the package.
var errStop = errors.New("stop")

func scan(ctx context.Context, r io.Reader, opt Options, sniff bool, emit func(Link) error) (Summary, error) {
	opt = opt.withDefaults()
	s := &scanner{
		ctx:  ctx,
		opt:  opt,
		emit: emit,
		lr:   newLineReader(ctx, r, opt.MaxLineBytes, sniff, opt.Progress),
		seed: maphash.MakeSeed(),
		seen: make(map[uint64]struct{}),
	}
	err := s.run()
	s.sum.Lines = s.lr.lines
	s.sum.Bytes = s.lr.bytes
	return s.sum, err
}

func (s *scanner) run() error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if err := s.lr.start(); err != nil {
		return err
	}
	for {
		if s.lr.lines%ctxCheckLines == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		text, tooLong, err := s.lr.next()
		if err == io.EOF {
			return s.flush()
		}
		if err != nil {
			return err
		}
		if err := s.line(s.lr.lines, text, tooLong); err != nil {
			return err
		}
	}
}

// line handles one line of input, numbered no.
func (s *scanner) line(no int, raw []byte, tooLong bool) error {
	if tooLong {
		if err := s.flush(); err != nil {
			return err
		}
		s.reject(no, excerpt(string(cutPartialRune(raw)), true),
			"line is longer than "+sizeText(s.opt.MaxLineBytes))
		s.tgt = target{kind: rejectedTarget, line: no}
		return nil
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] == '#' {
		return nil // blank lines and comments keep the target
	}
	text := string(trimmed)
	if strings.IndexByte(text, 0x1b) >= 0 {
		// Terminal output: colours and the like are not part of links.
		if text = strings.TrimSpace(stripANSI(text)); text == "" || text[0] == '#' {
			return nil
		}
	}
	if raw[0] == ' ' || raw[0] == '\t' {
		if key, val, ok := splitOption(text); ok {
			s.option(no, key, val)
			return nil
		}
		if key := bareOptionKey(text); key != "" {
			s.reject(no, excerpt(text, false), "malformed option: expected "+key+"=value")
			return nil
		}
	}
	if err := s.flush(); err != nil {
		return err
	}
	return s.content(no, text)
}

// content handles a line that is not blank, a comment or an option line.
func (s *scanner) content(no int, text string) error {
	if fields, ok := mirrorFields(text); ok {
		for _, f := range fields {
			if hasHTTPPrefix(f) {
				return s.use(no, f, true)
			}
		}
		s.reject(no, excerpt(fields[0], false), linkReason(fields[0]))
		s.tgt = target{kind: rejectedTarget, line: no}
		return nil
	}
	urls := s.findLinks(text)
	switch len(urls) {
	case 0:
		s.tgt = target{}
		s.rejectWords(no, text)
		return nil
	case 1:
		return s.use(no, urls[0], true)
	}
	s.tgt = target{kind: manyTarget, line: no, n: len(urls)}
	for _, u := range urls {
		if err := s.use(no, u, false); err != nil {
			return err
		}
	}
	return nil
}

// findLinks returns the URLs of a line: the absolute ones findURLs finds
// and, on an HTML line, its relative file references resolved against the
// page's address. A line that declares that address (a <base href> or a
// saved-from comment) does not also offer it as a link.
func (s *scanner) findLinks(text string) []string {
	urls := findURLs(text)
	if !looksHTML(text) {
		return urls
	}
	if b, declared, fromTag := baseOf(text, s.base); b != nil {
		if fromTag || !s.baseFromTag {
			s.base, s.baseFromTag = b, fromTag
			s.sum.Base = b.Redacted()
		}
		urls = slices.DeleteFunc(urls, func(u string) bool { return u == declared })
	}
	rel := relativeRefs(text)
	if len(rel) == 0 {
		return urls
	}
	base := s.base
	if base == nil {
		base = s.opt.Base
	}
	if base == nil {
		s.sum.Unresolved += len(rel)
		return urls
	}
	for _, r := range rel {
		urls = append(urls, resolve(base, r))
	}
	return urls
}

// mirrorFields splits an aria2 URL line holding several TAB-separated URIs
// of the same file. It reports false unless every field is a single word
// that looks like a link.
func mirrorFields(text string) ([]string, bool) {
	if strings.IndexByte(text, '\t') < 0 {
		return nil, false
	}
	var fields []string
	for f := range strings.SplitSeq(text, "\t") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.ContainsFunc(f, unicode.IsSpace) || !hasHTTPPrefix(f) && linkReason(f) == "" {
			return nil, false
		}
		fields = append(fields, f)
	}
	return fields, len(fields) > 1
}

// rejectWords rejects the words of a line without http(s) URLs when every
// one of them looks like a link that cannot be used (ftp://..., mailto:...,
// example.com/a.jpg). A line with any ordinary word is prose, and ignored.
func (s *scanner) rejectWords(no int, text string) {
	for w := range strings.FieldsSeq(text) {
		if linkReason(w) == "" {
			return
		}
	}
	for w := range strings.FieldsSeq(text) {
		s.reject(no, excerpt(w, false), linkReason(w))
	}
	s.tgt = target{kind: rejectedTarget, line: no}
}

// use checks u, expands it if it is a pattern, and emits its new links. With
// single set, u is the only URL of its line: s.tgt is set for the option
// lines below, and a lone new link is held back until they have been read.
func (s *scanner) use(no int, u string, single bool) error {
	if hasPattern(u) {
		p, err := compilePattern(u, s.opt.MaxExpand)
		if err != nil {
			reason := err.Error()
			if errors.Is(err, errMalformed) {
				reason += " (write [ ] { } as %5B %5D %7B %7D to use them literally)"
			}
			s.rejectLine(no, u, reason, single)
			return nil
		}
		var reason, only string
		i := 0
		err = p.each(func(x string) error {
			if i++; i%ctxCheckLines == 0 {
				if err := s.ctx.Err(); err != nil {
					return err
				}
			}
			only = x
			if reason = checkURL(x); reason != "" {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			return err
		}
		if reason != "" {
			s.rejectLine(no, u, reason, single)
			return nil
		}
		if p.total > 1 {
			if single {
				s.tgt = target{kind: manyTarget, line: no, n: p.total}
			}
			return s.emitPattern(no, u, p)
		}
		u = only
	} else if reason := checkURL(u); reason != "" {
		s.rejectLine(no, u, reason, single)
		return nil
	}
	if s.duplicate(u) {
		if single {
			s.tgt = target{kind: duplicateTarget, line: no}
		}
		return nil
	}
	l := Link{URL: u, Line: no}
	if single {
		s.tgt = target{kind: pendingTarget, line: no, link: l}
		return nil
	}
	return s.send(l)
}

// emitPattern emits the new links of a checked pattern.
func (s *scanner) emitPattern(no int, raw string, p *pattern) error {
	i := 0
	shown := excerpt(raw, false)
	return p.each(func(x string) error {
		i++
		if i%ctxCheckLines == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		if s.duplicate(x) {
			return nil
		}
		return s.send(Link{URL: x, Line: no, Pattern: shown})
	})
}

// rejectLine rejects URL u of line no; with single set, the option lines
// below it then have no link to apply to.
func (s *scanner) rejectLine(no int, u, reason string, single bool) {
	s.reject(no, excerpt(u, false), reason)
	if single {
		s.tgt = target{kind: rejectedTarget, line: no}
	}
}

// duplicate reports whether u was seen before in this Scan, and remembers it.
func (s *scanner) duplicate(u string) bool {
	h := maphash.String(s.seed, dedupKey(u))
	if _, ok := s.seen[h]; ok {
		s.sum.Duplicates++
		return true
	}
	s.seen[h] = struct{}{}
	return false
}

// flush emits the link held back for its option lines, if any.
func (s *scanner) flush() error {
	if s.tgt.kind != pendingTarget {
		return nil
	}
	l := s.tgt.link
	s.tgt = target{}
	return s.send(l)
}

func (s *scanner) send(l Link) error {
	s.sum.Links++
	return s.emit(l)
}

// reject records a rejection; text must already be display-safe.
func (s *scanner) reject(no int, text, reason string) {
	s.sum.RejectedCount++
	if len(s.sum.Rejected) < s.opt.MaxRejected {
		s.sum.Rejected = append(s.sum.Rejected, Rejected{
			Line:   no,
			Text:   text,
			Reason: displaySafe(reason, maxReasonRunes),
		})
	}
}

// cutPartialRune drops a rune cut in two at the end of b.
func cutPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// sizeText writes n bytes for a person: "8 KiB", "100 bytes".
func sizeText(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}
