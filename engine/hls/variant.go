package hls

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Quality says which variant of a master playlist to download: Best (the
// zero value), Worst or Height(h).
type Quality struct {
	height int // 0: best; -1: worst; > 0: that height
}

// Best and Worst are the extreme qualities.
var (
	Best  = Quality{}
	Worst = Quality{height: -1}
)

// Height asks for the variant h pixels high, or the closest below it (see
// Master.Choose). h <= 0 gives Best.
func Height(h int) Quality {
	if h <= 0 {
		return Best
	}
	return Quality{height: h}
}

// ErrQuality is returned by ParseQuality for text it does not understand.
var ErrQuality = errors.New(`quality must be "best", "worst" or a height such as 720`)

// ParseQuality reads "best", "worst" or a height ("720" or "720p"),
// ignoring case and surrounding blanks.
func ParseQuality(s string) (Quality, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "best":
		return Best, nil
	case "worst":
		return Worst, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, "p"))
	if err != nil || n <= 0 || n > 1<<20 {
		return Best, fmt.Errorf("%w, not %s", ErrQuality, clip(s))
	}
	return Height(n), nil
}

// Height is the height asked for: 0 for Best, -1 for Worst.
func (q Quality) Height() int { return q.height }

// String gives "best", "worst" or the height, as ParseQuality reads.
func (q Quality) String() string {
	switch {
	case q.height == 0:
		return "best"
	case q.height < 0:
		return "worst"
	}
	return strconv.Itoa(q.height)
}

// Choice is the variant to download and, when its audio is a separate
// rendition, that rendition.
type Choice struct {
	Variant Variant
	Audio   *Rendition // nil: the audio, if any, is in the variant's own stream
}

// Choose picks a variant:
//   - Best: the highest BANDWIDTH, then the largest RESOLUTION (by area),
//     then the first in the playlist;
//   - Worst: the lowest BANDWIDTH, then the smallest RESOLUTION, then the
//     first;
//   - Height(h): among variants that declare a RESOLUTION, those exactly h
//     high, else those of the largest height below h, else (all are
//     taller) those of the smallest height; the best of them as above.
//     When no variant declares a RESOLUTION it is Best.
//
// Audio-only variants (CODECS naming only audio codecs, no RESOLUTION)
// are chosen only when every variant is audio-only.
//
// If the chosen variant names an AUDIO group, Audio is the group's
// DEFAULT=YES rendition, else its first AUTOSELECT=YES one, else its
// first; it is nil when that rendition has no URI of its own (the audio
// is in the variant) or the group is not declared.
func (m *Master) Choose(q Quality) (Choice, error) {
	cands := make([]Variant, 0, len(m.Variants))
	for _, v := range m.Variants {
		if !audioOnly(v) {
			cands = append(cands, v)
		}
	}
	if len(cands) == 0 {
		cands = m.Variants
	}
	if len(cands) == 0 {
		return Choice{}, errAt(0, ErrMalformed, "a master playlist without variants")
	}
	if q.height > 0 {
		if sized := atHeight(cands, q.height); len(sized) > 0 {
			cands = sized
		}
	}
	v := cands[0]
	for _, c := range cands[1:] {
		if q.height < 0 && better(v, c) || q.height >= 0 && better(c, v) {
			v = c
		}
	}
	return Choice{Variant: v, Audio: m.audioFor(v)}, nil
}

// better reports whether a ranks strictly above b for Best.
func better(a, b Variant) bool {
	if a.Bandwidth != b.Bandwidth {
		return a.Bandwidth > b.Bandwidth
	}
	return int64(a.Width)*int64(a.Height) > int64(b.Width)*int64(b.Height)
}

// atHeight returns the variants of the height Choose picks for want
// (none if no variant declares a RESOLUTION).
func atHeight(vs []Variant, want int) []Variant {
	below, above := 0, 0 // the largest height <= want, the smallest > want
	for _, v := range vs {
		switch h := v.Height; {
		case h <= 0:
		case h <= want && h > below:
			below = h
		case h > want && (above == 0 || h < above):
			above = h
		}
	}
	pick := below
	if pick == 0 {
		pick = above
	}
	var out []Variant
	for _, v := range vs {
		if pick > 0 && v.Height == pick {
			out = append(out, v)
		}
	}
	return out
}

// audioOnly reports whether v declares only audio codecs and no
// resolution.
func audioOnly(v Variant) bool {
	if v.Codecs == "" || v.Height > 0 || v.Width > 0 {
		return false
	}
	for _, c := range strings.Split(v.Codecs, ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		audio := false
		for _, p := range []string{"mp4a", "ac-3", "ec-3", "ac-4", "opus", "flac", "alac", "mp3", "dtsc", "dtse", "dtsh", "dtsl"} {
			audio = audio || strings.HasPrefix(c, p)
		}
		if !audio {
			return false
		}
	}
	return true
}

// audioFor returns the separate audio rendition for v, or nil.
func (m *Master) audioFor(v Variant) *Rendition {
	if v.Audio == "" {
		return nil
	}
	var pick *Rendition
	for i := range m.Renditions {
		r := &m.Renditions[i]
		if r.Type != "AUDIO" || r.GroupID != v.Audio {
			continue
		}
		if r.Default {
			pick = r
			break
		}
		if pick == nil || r.AutoSelect && !pick.AutoSelect {
			pick = r
		}
	}
	if pick == nil || pick.URL == "" || pick.URL == v.URL {
		return nil
	}
	r := *pick
	return &r
}
