package links

import (
	"bytes"
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzScan checks these invariants on any input:
//   - Scan never panics and never emits a link after returning;
//   - every emitted Link.URL parses with url.Parse, has scheme http or https
//     and a non-empty host, and links come in line order within 1..Lines;
//   - Name is empty or a plain file name, Checksum is empty or
//     "sha256=" and 64 lower-case hex digits;
//   - every Rejected.Line is within 1..Lines, and Rejected.Text and Reason
//     are valid UTF-8 without control, format or line-separator characters,
//     Text at most 120 characters;
//   - the counts in Summary agree with what was emitted and read;
//   - reading the input one byte at a time gives the same result.
func FuzzScan(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{MaxLineBytes: 300, MaxExpand: 50, MaxRejected: 20}
		scanOnce := func(r interface{ Read([]byte) (int, error) }) ([]Link, Summary, error) {
			var links []Link
			done := false
			sum, err := Scan(context.Background(), r, opt, func(l Link) error {
				if done {
					t.Fatalf("emit after Scan returned")
				}
				links = append(links, l)
				return nil
			})
			done = true
			return links, sum, err
		}
		links, sum, err := scanOnce(bytes.NewReader(data))
		if err != nil && err != ErrBinary {
			t.Fatalf("Scan: %v", err)
		}
		checkSummary(t, links, sum, err, len(data))
		if err == nil {
			links1, sum1, err1 := scanOnce(iotest.OneByteReader(bytes.NewReader(data)))
			if err1 == nil && (!reflect.DeepEqual(links, links1) || !reflect.DeepEqual(sum, sum1)) {
				t.Fatalf("one byte at a time differs:\n%+v\n%+v\nwhole:\n%+v\n%+v", links1, sum1, links, sum)
			}
		}
		plinks, psum := Parse(string(data))
		checkSummary(t, plinks, psum, nil, len(data))
	})
}

func checkSummary(t *testing.T, links []Link, sum Summary, err error, size int) {
	t.Helper()
	if sum.Links != len(links) {
		t.Fatalf("Summary.Links = %d, emitted %d", sum.Links, len(links))
	}
	if err == nil && sum.Bytes != int64(size) {
		t.Fatalf("Summary.Bytes = %d, input %d", sum.Bytes, size)
	}
	if sum.RejectedCount < len(sum.Rejected) {
		t.Fatalf("RejectedCount %d < %d kept", sum.RejectedCount, len(sum.Rejected))
	}
	prev := 1
	for _, l := range links {
		u, perr := url.Parse(l.URL)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("emitted %q: %v", l.URL, perr)
		}
		if l.Line < prev || l.Line > sum.Lines {
			t.Fatalf("link %q on line %d (previous %d, lines %d)", l.URL, l.Line, prev, sum.Lines)
		}
		prev = l.Line
		if l.Name != "" && nameReason(l.Name) != "" {
			t.Fatalf("bad name %q", l.Name)
		}
		if l.Checksum != "" {
			hex, ok := strings.CutPrefix(l.Checksum, "sha256=")
			if !ok || len(hex) != 64 || strings.Trim(hex, "0123456789abcdef") != "" {
				t.Fatalf("bad checksum %q", l.Checksum)
			}
		}
	}
	for _, r := range sum.Rejected {
		if r.Line < 1 || r.Line > sum.Lines {
			t.Fatalf("rejected line %d of %d", r.Line, sum.Lines)
		}
		for _, s := range []string{r.Text, r.Reason} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, unsafeRune) {
				t.Fatalf("unsafe rejection text %q", s)
			}
		}
		if utf8.RuneCountInString(r.Text) > maxTextRunes || r.Reason == "" {
			t.Fatalf("rejection %+v", r)
		}
	}
}

// FuzzExpand checks these invariants on any pattern and limit:
//   - Expand never panics and never returns more than max URLs;
//   - without an error it returns at least one URL, each starting with
//     the pattern's text up to its first bracket;
//   - a pattern without pattern syntax after its host expands to itself.
func FuzzExpand(f *testing.F) {
	f.Fuzz(func(t *testing.T, pattern string, limit uint16) {
		max := int(limit%500) + 1
		got, err := Expand(pattern, max)
		if len(got) > max {
			t.Fatalf("%d URLs, max %d", len(got), max)
		}
		if err != nil {
			return
		}
		if len(got) == 0 {
			t.Fatalf("no URLs and no error")
		}
		prefix := pattern
		if i := strings.IndexAny(pattern, "[{"); i >= 0 {
			prefix = pattern[:i]
		}
		for _, u := range got {
			if !strings.HasPrefix(u, prefix) {
				t.Fatalf("%q does not start with %q", u, prefix)
			}
		}
		if !strings.ContainsAny(pattern[afterHost(pattern):], "[]{}") && (len(got) != 1 || got[0] != pattern) {
			t.Fatalf("plain %q expanded to %q", pattern, got)
		}
	})
}
