package mpd

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// plan fills r's segments from the segment information of its period,
// adaptation set and representation (levels, top first): the lowest
// level that has any decides the form, and that form's attributes are
// inherited from the levels above.
func (r *Representation) plan(base *url.URL, dur time.Duration, levels ...*segInfo) error {
	var form *segInfo
	for _, l := range levels {
		if l.Template != nil || l.List != nil || l.Base != nil {
			form = l
		}
	}
	switch {
	case form == nil: // a lone BaseURL: the whole file
		r.Segments = []Segment{{URL: base.String()}}
		return nil
	case form.Template != nil:
		var t xmlTemplate
		for _, l := range levels {
			t.merge(l.Template)
		}
		return r.fromTemplate(base, dur, &t)
	case form.List != nil:
		var l xmlList
		for _, lv := range levels {
			l.merge(lv.List)
		}
		return r.fromList(base, &l)
	}
	var b xmlSegBase
	for _, l := range levels {
		b.merge(l.Base)
	}
	return r.fromBase(base, &b)
}

func (t *xmlTemplate) merge(o *xmlTemplate) {
	if o == nil {
		return
	}
	set(&t.Media, o.Media)
	set(&t.Initialization, o.Initialization)
	set(&t.StartNumber, o.StartNumber)
	set(&t.Timescale, o.Timescale)
	set(&t.Duration, o.Duration)
	set(&t.PTO, o.PTO)
	set(&t.Timeline, o.Timeline)
}

func (l *xmlList) merge(o *xmlList) {
	if o == nil {
		return
	}
	set(&l.Timescale, o.Timescale)
	set(&l.Duration, o.Duration)
	set(&l.Init, o.Init)
	set(&l.Timeline, o.Timeline)
	if len(o.URLs) > 0 {
		l.URLs = o.URLs
	}
}

func (b *xmlSegBase) merge(o *xmlSegBase) {
	if o == nil {
		return
	}
	set(&b.IndexRange, o.IndexRange)
	set(&b.Timescale, o.Timescale)
	set(&b.Init, o.Init)
}

func set[T any](dst **T, src *T) {
	if src != nil {
		*dst = src
	}
}

// fromTemplate lists a SegmentTemplate's segments: by $Number$ over the
// period at a fixed duration, or by the SegmentTimeline.
func (r *Representation) fromTemplate(base *url.URL, dur time.Duration, t *xmlTemplate) error {
	if t.Media == nil {
		return fail(ErrMalformed, "representation %q: a SegmentTemplate without media", clip(r.ID))
	}
	if t.Initialization != nil {
		u, err := r.expandURL(base, *t.Initialization, 0, 0, false)
		if err != nil {
			return err
		}
		r.Init = &Segment{URL: u}
	}
	number, scale := uint64(1), uint64(1)
	if t.StartNumber != nil {
		number = *t.StartNumber
	}
	if t.Timescale != nil {
		scale = *t.Timescale
	}
	if scale == 0 {
		return fail(ErrMalformed, "representation %q: timescale 0", clip(r.ID))
	}
	if t.Timeline != nil {
		times, err := expandTimeline(t.Timeline, scale, dur, r.ID)
		if err != nil {
			return err
		}
		for i, at := range times {
			u, err := r.expandURL(base, *t.Media, number+uint64(i), at, true)
			if err != nil {
				return err
			}
			r.Segments = append(r.Segments, Segment{URL: u})
		}
		return nil
	}
	if strings.Contains(*t.Media, "$Time") {
		return fail(ErrMalformed, "representation %q: $Time$ without a SegmentTimeline", clip(r.ID))
	}
	if t.Duration == nil || *t.Duration == 0 {
		return fail(ErrMalformed, "representation %q: a SegmentTemplate with neither a duration nor a SegmentTimeline", clip(r.ID))
	}
	if dur <= 0 {
		return fail(ErrMalformed, "representation %q: segments by number, but the presentation has no duration", clip(r.ID))
	}
	n := math.Ceil(dur.Seconds()*float64(scale)/float64(*t.Duration) - 1e-9)
	if n > MaxSegments {
		return fail(ErrTooLarge, "representation %q has %.0f segments, over %d", clip(r.ID), n, MaxSegments)
	}
	for i := range uint64(n) {
		u, err := r.expandURL(base, *t.Media, number+i, 0, true)
		if err != nil {
			return err
		}
		r.Segments = append(r.Segments, Segment{URL: u})
	}
	return nil
}

// expandTimeline returns the start time of every segment of a
// SegmentTimeline, checking that it adds up: no gap or overlap between
// S elements, no zero duration, and a total within half a segment of the
// period (when its duration is known).
func expandTimeline(tl *timeline, scale uint64, dur time.Duration, id string) ([]uint64, error) {
	var out []uint64
	var at, longest uint64
	end := uint64(math.Round(dur.Seconds() * float64(scale)))
	for i, s := range tl.S {
		if s.D == 0 {
			return nil, fail(ErrTimeline, "representation %q: S %d has no duration", clip(id), i+1)
		}
		if s.T != nil {
			if i > 0 && *s.T != at {
				return nil, fail(ErrTimeline, "representation %q: S %d starts at %d, but the segments before it end at %d", clip(id), i+1, *s.T, at)
			}
			at = *s.T
		}
		if i == 0 {
			end += at // the period's end, on the timeline's clock
		}
		n := s.R + 1
		switch {
		case s.R == -1: // until the next S, or the period's end
			next := end
			if i+1 < len(tl.S) && tl.S[i+1].T != nil {
				next = *tl.S[i+1].T
			}
			if dur <= 0 && (i+1 >= len(tl.S) || tl.S[i+1].T == nil) {
				return nil, fail(ErrTimeline, "representation %q: r=\"-1\" with no end to repeat to", clip(id))
			}
			n = int64(math.Ceil(float64(next-min(at, next)) / float64(s.D)))
		case s.R < -1:
			return nil, fail(ErrTimeline, "representation %q: S %d repeats %d times", clip(id), i+1, s.R)
		}
		if n > int64(MaxSegments-len(out)) {
			return nil, fail(ErrTooLarge, "representation %q has over %d segments", clip(id), MaxSegments)
		}
		for range n {
			out = append(out, at)
			at += s.D
		}
		longest = max(longest, s.D)
	}
	if len(out) == 0 {
		return nil, fail(ErrTimeline, "representation %q: an empty SegmentTimeline", clip(id))
	}
	if dur > 0 {
		total := at - out[0]
		want := end - out[0]
		if diff := max(total, want) - min(total, want); diff > max(longest/2, 1) {
			return nil, fail(ErrTimeline, "representation %q: the segments last %.3f s, the period %.3f s",
				clip(id), float64(total)/float64(scale), float64(want)/float64(scale))
		}
	}
	return out, nil
}

// fromList lists a SegmentList's segments.
func (r *Representation) fromList(base *url.URL, l *xmlList) error {
	if len(l.URLs) > MaxSegments {
		return fail(ErrTooLarge, "representation %q has %d segments, over %d", clip(r.ID), len(l.URLs), MaxSegments)
	}
	if l.Init != nil {
		s, err := segmentAt(base, l.Init.SourceURL, l.Init.Range)
		if err != nil {
			return err
		}
		r.Init = &s
	}
	for _, su := range l.URLs {
		s, err := segmentAt(base, su.Media, su.MediaRange)
		if err != nil {
			return err
		}
		r.Segments = append(r.Segments, s)
	}
	if len(r.Segments) == 0 {
		return fail(ErrMalformed, "representation %q: an empty SegmentList", clip(r.ID))
	}
	return nil
}

// fromBase plans a SegmentBase: the file through its sidx when it has an
// indexRange (see FromIndex), else the file whole.
func (r *Representation) fromBase(base *url.URL, b *xmlSegBase) error {
	if b.IndexRange == nil {
		r.Segments = []Segment{{URL: base.String()}}
		return nil
	}
	idx, err := parseRange(*b.IndexRange)
	if err != nil {
		return err
	}
	r.Index = &idx
	// The file up to the end of its index (ftyp, moov, sidx) is the init
	// section, unless the manifest places it elsewhere.
	init := Segment{URL: base.String(), Range: &ByteRange{0, idx.End()}}
	if b.Init != nil {
		s, err := segmentAt(base, b.Init.SourceURL, b.Init.Range)
		if err != nil {
			return err
		}
		if s.URL != init.URL || s.Range == nil || s.Range.Offset != 0 || s.Range.End() > idx.Offset {
			init = s
		}
	}
	r.Init = &init
	return nil
}

// segmentAt is the segment at ref (base when empty), of the byte range
// "first-last" when rng is set.
func segmentAt(base *url.URL, ref, rng string) (Segment, error) {
	u := base
	if ref != "" {
		var err error
		if u, err = resolve(base, ref); err != nil {
			return Segment{}, err
		}
	}
	s := Segment{URL: u.String()}
	if rng != "" {
		br, err := parseRange(rng)
		if err != nil {
			return Segment{}, err
		}
		s.Range = &br
	}
	return s, nil
}

// parseRange reads "first-last" (both inclusive).
func parseRange(s string) (ByteRange, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || first < 0 || last < first {
		return ByteRange{}, fail(ErrMalformed, "byte range %q", clip(s))
	}
	return ByteRange{first, last - first + 1}, nil
}

// identifier is one $Name$ or $Name%0Nd$ of a template.
var identifier = regexp.MustCompile(`\$(RepresentationID|Number|Bandwidth|Time)(%0?([0-9]+)d)?\$|\$\$`)

// expandURL fills a template's identifiers for this representation and
// resolves it against base. $Number$ and $Time$ are allowed only in
// media templates (media).
func (r *Representation) expandURL(base *url.URL, tmpl string, number, at uint64, media bool) (string, error) {
	var bad string
	out := identifier.ReplaceAllStringFunc(tmpl, func(m string) string {
		if m == "$$" {
			return "$"
		}
		sub := identifier.FindStringSubmatch(m)
		var v string
		switch sub[1] {
		case "RepresentationID":
			if sub[2] != "" { // a string takes no width
				bad = m
			}
			return r.ID
		case "Bandwidth":
			v = strconv.FormatInt(r.Bandwidth, 10)
		case "Number":
			v = strconv.FormatUint(number, 10)
		case "Time":
			v = strconv.FormatUint(at, 10)
		}
		if !media && (sub[1] == "Number" || sub[1] == "Time") {
			bad = m
		}
		if w, _ := strconv.Atoi(sub[3]); len(v) < w && w <= 64 {
			v = strings.Repeat("0", w-len(v)) + v
		}
		return v
	})
	if bad != "" {
		return "", fail(ErrMalformed, "representation %q: template %q uses %s", clip(r.ID), clip(tmpl), bad)
	}
	if rest := identifier.ReplaceAllString(tmpl, ""); strings.Contains(rest, "$") {
		return "", fail(ErrMalformed, "representation %q: template %q has an unknown identifier", clip(r.ID), clip(tmpl))
	}
	u, err := resolve(base, out)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// duration reads an xs:duration such as "PT3.0S" or "P1DT2H"; "" is 0.
var durationRE = regexp.MustCompile(`^P(?:([0-9.]+)D)?(?:T(?:([0-9.]+)H)?(?:([0-9.]+)M)?(?:([0-9.]+)S)?)?$`)

func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	m := durationRE.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, fail(ErrMalformed, "duration %q", clip(s))
	}
	var secs float64
	for i, unit := range []float64{86400, 3600, 60, 1} {
		if m[i+1] == "" {
			continue
		}
		v, err := strconv.ParseFloat(m[i+1], 64)
		if err != nil {
			return 0, fail(ErrMalformed, "duration %q", clip(s))
		}
		secs += v * unit
	}
	if secs > 1e7 { // over 115 days
		return 0, fail(ErrTooLarge, "a duration of %q", clip(s))
	}
	return time.Duration(secs * float64(time.Second)), nil
}
