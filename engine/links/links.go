// Package links reads download links out of any text: a plain list of URLs,
// a page of prose or HTML, or an aria2 input file with per-link options.
//
// Scan streams its input line by line with bounded memory, expands URL
// patterns such as file[001-100].jpg, drops duplicates and reports every
// unusable line with its number and a reason a person understands. It never
// opens a connection: it only reads text.
//
// One reader handles every form, line by line:
//
//   - Blank lines and lines starting with "#" are skipped.
//   - Every http or https URL in a line is taken, bare or in an HTML
//     attribute, several per line. A bare URL ends at whitespace, a quote,
//     "<" or ">", and loses trailing punctuation and unbalanced closing
//     brackets; a URL right after a quote or "<" ends at the matching one.
//     On HTML lines, character references such as "&amp;" are decoded.
//   - An aria2 URL line may hold several TAB-separated mirrors of one file:
//     the first http(s) one is taken. Indented "key=value" lines below it
//     apply to it: out=NAME, sha256=HEX and checksum=sha-256=HEX. Any other
//     key, a malformed value, or an option with no single link above it is
//     rejected.
//   - On an HTML line, the relative href or src of a link, image, video or
//     audio tag is taken too, resolved against the page's address: its
//     <base href>, else the "saved from url=" comment a browser writes into
//     a saved page, else Options.Base. With none of them it is counted in
//     Summary.Unresolved. Fragments, queries of the page itself, folders
//     (a path ending in "/") and other schemes are skipped.
//   - A malformed http(s) URL is rejected wherever it appears. A line whose
//     words all look like links of another kind ("ftp://...", "mailto:...",
//     "example.com/a.jpg" without a scheme) is rejected too; a line of prose
//     without links is not.
//   - A URL with [..] or {..} after its host is expanded with Expand.
//   - A URL seen before in the same Scan (scheme and host compared without
//     case, default port and fragment ignored) is counted as a duplicate.
package links

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
)

// Defaults used for the zero values of Options.
const (
	DefaultMaxLineBytes = 8192  // longest line read
	DefaultMaxExpand    = 10000 // most URLs one pattern may expand to
	DefaultMaxRejected  = 1000  // most Rejected entries kept in a Summary
)

// ErrBinary is returned by Scan when the input does not look like text.
var ErrBinary = errors.New("this looks like a binary file, not a list of links")

// Link is one download found in the input.
type Link struct {
	// URL is an absolute http or https URL as written in the input (HTML
	// entities decoded). It may hold user:pass@, which the engine needs.
	URL string
	// Line is the 1-based line the URL came from.
	Line int
	// Name is the file name from an "out=" option line, "" if none.
	Name string
	// Checksum is "sha256=<64 lower-case hex digits>" from a "sha256=" or
	// "checksum=sha-256=" option line, "" if none.
	Checksum string
	// Pattern is the URL pattern this link was expanded from, display-safe
	// (password redacted), "" when it was written out.
	Pattern string
}

// Rejected is one input line, or one link in it, that could not be used.
type Rejected struct {
	// Line is the 1-based line number.
	Line int
	// Text is a display-safe excerpt of what was rejected: passwords
	// redacted, control, format and direction-changing characters escaped,
	// at most 120 characters.
	Text string
	// Reason says why, as a sentence a person understands.
	Reason string
}

// Options tunes Scan. Zero values mean the documented defaults.
type Options struct {
	// MaxLineBytes is the longest line read (default 8192). A longer line is
	// rejected and skipped without being buffered whole.
	MaxLineBytes int
	// MaxExpand is the most URLs one pattern may expand to (default 10000).
	// A pattern that expands further is rejected.
	MaxExpand int
	// MaxRejected is how many Rejected entries Summary keeps (default 1000;
	// negative keeps none). Summary.RejectedCount still counts them all.
	MaxRejected int
	// Base, if set, is the address of the page being read, used to resolve
	// its relative links when the page declares none itself (no
	// <base href> and no "saved from url=" comment).
	Base *url.URL
	// Progress, if set, is called with the bytes and lines read so far,
	// about every 64 KiB and once at the end.
	Progress func(bytesRead int64, lines int)
}

// Summary describes what a Scan read.
type Summary struct {
	Lines         int        // lines read, blank ones included
	Links         int        // links emitted
	Duplicates    int        // links skipped because an earlier one was the same
	Rejected      []Rejected // the first Options.MaxRejected rejections, in order
	RejectedCount int        // all rejections
	Bytes         int64      // bytes read
	// Unresolved counts relative links of an HTML page that were skipped
	// because the page's address is unknown: scan again with Options.Base.
	Unresolved int
	// Base is the page address the input declared, password redacted; ""
	// if none.
	Base string
}

// Scan reads r line by line and calls emit for every new link, in input
// order. Memory stays bounded by the line length, besides a set of 8-byte
// hashes of the links seen so far, used to skip duplicates.
//
// A link followed by aria2 option lines is emitted once those lines have been
// read. Scan returns ErrBinary, before reading any line, when the first bytes
// of r do not look like text; a NUL byte later in the first 8 KiB also stops
// it with ErrBinary. If emit returns an error, Scan stops and returns it. If
// ctx is canceled, Scan stops between reads and returns ctx.Err(); close r to
// interrupt a Read that blocks. A Scan that stops early does not emit a link
// whose option lines may not have been read yet. The Summary describes what
// was read so far.
func Scan(ctx context.Context, r io.Reader, opt Options, emit func(Link) error) (Summary, error) {
	return scan(ctx, r, opt, true, emit)
}

// Parse is Scan over text the user pasted, collecting the links. Pasted text
// is taken as text: Parse does not refuse it as binary.
func Parse(text string) ([]Link, Summary) {
	var out []Link
	// A strings.Reader never fails and emit never fails, so the error
	// is always nil.
	sum, _ := scan(context.Background(), strings.NewReader(text), Options{}, false, func(l Link) error {
		out = append(out, l)
		return nil
	})
	return out, sum
}

// withDefaults returns opt with zero values replaced by the defaults.
func (opt Options) withDefaults() Options {
	if opt.MaxLineBytes <= 0 {
		opt.MaxLineBytes = DefaultMaxLineBytes
	}
	if opt.MaxExpand <= 0 {
		opt.MaxExpand = DefaultMaxExpand
	}
	switch {
	case opt.MaxRejected == 0:
		opt.MaxRejected = DefaultMaxRejected
	case opt.MaxRejected < 0:
		opt.MaxRejected = 0
	}
	return opt
}
