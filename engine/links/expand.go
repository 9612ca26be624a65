package links

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

const maxRangeDigits = 18 // keeps range arithmetic inside int64

// errMalformed marks pattern syntax errors, as opposed to a pattern that
// expands too far.
var errMalformed = errors.New("malformed pattern")

// Expand expands the URL patterns in pattern and returns every URL it
// stands for, the leftmost pattern varying slowest:
//
//	[1-100]    numbers 1 to 100
//	[001-100]  zero-padded to the width of the first number
//	[0-100:10] with a step: 0, 10, ..., 100
//	[a-z]      letters (a step works here too: [a-z:2])
//	{jpg,png}  alternatives; an empty one is allowed: photo{,s}
//
// Patterns are only recognised after the scheme and host, so the brackets
// of an IPv6 host such as http://[::1]:8080/ stay as they are. A pattern
// without any group yields itself. Expand fails when a group is malformed
// (unclosed or nested brackets, a reversed range, a zero step...) or when
// the result would hold more than max URLs; max <= 0 means
// DefaultMaxExpand.
func Expand(pattern string, max int) ([]string, error) {
	p, err := compilePattern(pattern, max)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, p.total)
	err = p.each(func(s string) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// pattern is a compiled URL pattern: literal text around groups.
type pattern struct {
	lits   []string // len(groups)+1 pieces of literal text
	groups []group
	total  int // number of URLs it expands to
}

// group is one [range] or {alternatives}.
type group struct {
	alts   []string // {a,b}; nil for a range
	lo     int64    // range start
	step   int64    // range step
	n      int      // number of values
	width  int      // zero-padding width of numbers
	letter bool     // letters instead of numbers
}

// value returns the k-th value of g.
func (g group) value(k int) string {
	if g.alts != nil {
		return g.alts[k]
	}
	v := g.lo + int64(k)*g.step
	if g.letter {
		return string(rune(v))
	}
	s := strconv.FormatInt(v, 10)
	if len(s) < g.width {
		s = strings.Repeat("0", g.width-len(s)) + s
	}
	return s
}

// hasPattern reports whether s holds pattern syntax after its host.
func hasPattern(s string) bool {
	return strings.ContainsAny(s[afterHost(s):], "[]{}")
}

// afterHost returns the index where the path of URL s starts: after
// "scheme://authority". Without a "scheme://" prefix it returns 0.
func afterHost(s string) int {
	i := 0
	for i < len(s) && isSchemeByte(s[i], i == 0) {
		i++
	}
	if i == 0 || !strings.HasPrefix(s[i:], "://") {
		return 0
	}
	a := i + 3
	if k := strings.IndexAny(s[a:], "/?#"); k >= 0 {
		return a + k
	}
	return len(s)
}

// isSchemeByte reports whether c may appear in a URL scheme (first: at its
// start).
func isSchemeByte(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		return true
	case first:
		return false
	default:
		return '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
	}
}

// compilePattern parses s into literal text and groups and checks that it
// expands to at most max URLs.
func compilePattern(s string, max int) (*pattern, error) {
	if max <= 0 {
		max = DefaultMaxExpand
	}
	p := &pattern{total: 1}
	lit := 0
	for i := afterHost(s); i < len(s); {
		c := s[i]
		switch c {
		case ']', '}':
			return nil, fmt.Errorf("%w: %q has no opening %q", errMalformed, string(rune(c)), string(rune(opener(c))))
		case '[', '{':
		default:
			i++
			continue
		}
		k := strings.IndexAny(s[i+1:], "[]{}")
		if k < 0 {
			return nil, fmt.Errorf("%w: %q is never closed", errMalformed, string(rune(c)))
		}
		end := i + 1 + k
		if s[end] != closer(c) {
			if s[end] == '[' || s[end] == '{' {
				return nil, fmt.Errorf("%w: brackets cannot be nested", errMalformed)
			}
			return nil, fmt.Errorf("%w: %q is closed by %q", errMalformed, string(rune(c)), string(rune(s[end])))
		}
		g, err := parseGroup(c, s[i+1:end])
		if err != nil {
			return nil, err
		}
		hi, lo := bits.Mul64(uint64(p.total), uint64(g.n))
		if hi != 0 || lo > uint64(max) {
			return nil, fmt.Errorf("pattern expands to more than %d links", max)
		}
		p.total = int(lo)
		p.lits = append(p.lits, s[lit:i])
		p.groups = append(p.groups, g)
		i = end + 1
		lit = i
	}
	p.lits = append(p.lits, s[lit:])
	return p, nil
}

func closer(open byte) byte {
	if open == '[' {
		return ']'
	}
	return '}'
}

func opener(close byte) byte {
	if close == ']' {
		return '['
	}
	return '{'
}

// parseGroup parses the body of a [range] or {alternatives} group.
func parseGroup(open byte, body string) (group, error) {
	if open == '{' {
		if body == "" {
			return group{}, fmt.Errorf("%w: {} holds no alternatives", errMalformed)
		}
		alts := strings.Split(body, ",")
		return group{alts: alts, n: len(alts)}, nil
	}
	bad := func() error {
		return fmt.Errorf("%w: [%s] is not a range like [1-10], [01-10], [0-100:10] or [a-z]", errMalformed, shorten(body, 24))
	}
	spec, stepText, hasStep := strings.Cut(body, ":")
	loText, hiText, ok := strings.Cut(spec, "-")
	if !ok {
		return group{}, bad()
	}
	step := int64(1)
	if hasStep {
		if !isDigits(stepText) || len(stepText) > maxRangeDigits {
			return group{}, bad()
		}
		step, _ = strconv.ParseInt(stepText, 10, 64) // digits only, short: cannot fail
		if step < 1 {
			return group{}, fmt.Errorf("%w: the step of [%s] must be at least 1", errMalformed, shorten(body, 24))
		}
	}
	var g group
	var lo, hi int64
	switch {
	case isDigits(loText) && isDigits(hiText):
		if len(loText) > maxRangeDigits || len(hiText) > maxRangeDigits {
			return group{}, fmt.Errorf("%w: the numbers in [%s] are too large", errMalformed, shorten(body, 24))
		}
		lo, _ = strconv.ParseInt(loText, 10, 64) // digits only, short: cannot fail
		hi, _ = strconv.ParseInt(hiText, 10, 64)
		if len(loText) > 1 && loText[0] == '0' {
			g.width = len(loText)
		}
	case len(loText) == 1 && len(hiText) == 1 && sameCaseLetters(loText[0], hiText[0]):
		lo, hi = int64(loText[0]), int64(hiText[0])
		g.letter = true
	default:
		return group{}, bad()
	}
	if lo > hi {
		return group{}, fmt.Errorf("%w: the range [%s] is reversed", errMalformed, shorten(body, 24))
	}
	g.lo, g.step = lo, step
	n := (hi-lo)/step + 1
	if n > int64(^uint(0)>>1) {
		n = int64(^uint(0) >> 1)
	}
	g.n = int(n)
	return g, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func sameCaseLetters(a, b byte) bool {
	lower := func(c byte) bool { return 'a' <= c && c <= 'z' }
	upper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	return lower(a) && lower(b) || upper(a) && upper(b)
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut
// with "…".
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// each calls fn with every URL p expands to, in order, and stops at the
// first error fn returns.
func (p *pattern) each(fn func(string) error) error {
	idx := make([]int, len(p.groups))
	var b strings.Builder
	for range p.total {
		b.Reset()
		for i, g := range p.groups {
			b.WriteString(p.lits[i])
			b.WriteString(g.value(idx[i]))
		}
		b.WriteString(p.lits[len(p.lits)-1])
		if err := fn(b.String()); err != nil {
			return err
		}
		for i := len(idx) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < p.groups[i].n {
				break
			}
			idx[i] = 0
		}
	}
	return nil
}
