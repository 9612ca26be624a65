package hls

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/url"
	"path"
	"strings"
	"time"
)

// Container is the kind of file a media playlist's segments make when
// concatenated.
type Container int

// The containers.
const (
	ContainerTS    Container = iota // MPEG-TS segments: NAME.ts
	ContainerMP4                    // fragmented MP4: the EXT-X-MAP init section, then the fragments: NAME.mp4
	ContainerAudio                  // packed audio (.aac, .mp3, .ac3, .ec3 segments): that extension
)

// String names the container: "ts", "mp4" or "audio".
func (c Container) String() string {
	switch c {
	case ContainerTS:
		return "ts"
	case ContainerMP4:
		return "mp4"
	case ContainerAudio:
		return "audio"
	}
	return fmt.Sprintf("Container(%d)", int(c))
}

// Plan is how to download a media playlist as one file: fetch Init (if
// any) and then Segments, decrypt each that has a key, and write them in
// this order.
type Plan struct {
	Container Container
	Ext       string // the output file's extension: ".ts", ".mp4", ".aac", ...
	Init      *Part  // the init section (EXT-X-MAP); nil for none
	Segments  []Part // in playlist order; never empty
	// Keys holds each distinct AES-128 key URL once, in order of first
	// use; a Part's Key indexes it. Fetch each key once.
	Keys     []string
	Duration time.Duration // sum of the segments' EXTINF durations
	// Fingerprint identifies the list of parts (URLs, ranges, keys, IVs,
	// order) as 64 hex digits: a resume whose playlist now gives a
	// different fingerprint must start over rather than mix old and new
	// bytes. It does not depend on key contents, durations or titles.
	Fingerprint string
}

// Part is one thing to fetch: a segment or the init section.
type Part struct {
	URL      string
	Range    *ByteRange // nil: the whole resource
	Key      int        // index into Plan.Keys; -1: not encrypted
	IV       [16]byte   // the AES-128 IV when Key >= 0
	Sequence uint64     // media sequence number (0 for Init)
	Duration time.Duration
}

// Encrypted reports whether the part must be decrypted with
// Plan.Keys[p.Key] and p.IV.
func (p *Part) Encrypted() bool { return p.Key >= 0 }

// NewPlan makes the download plan of a parsed media playlist. It refuses
// (ErrUnsupported) a playlist whose segments use different init sections,
// or only some of them one, which cannot make one file.
func NewPlan(m *Media) (*Plan, error) {
	if m == nil || len(m.Segments) == 0 {
		return nil, errAt(0, ErrMalformed, "no segments")
	}
	pl := &Plan{Container: ContainerTS, Ext: ".ts"}
	keyIndex := map[string]int{}
	keyOf := func(k *Key) int {
		if k == nil {
			return -1
		}
		i, ok := keyIndex[k.URL]
		if !ok {
			i = len(pl.Keys)
			keyIndex[k.URL] = i
			pl.Keys = append(pl.Keys, k.URL)
		}
		return i
	}
	first := m.Segments[0].Map
	if first != nil {
		pl.Container, pl.Ext = ContainerMP4, ".mp4"
		pl.Init = &Part{URL: first.URL, Range: cloneRange(first.Range), Key: keyOf(first.Key)}
		if first.Key != nil {
			pl.Init.IV = *first.Key.IV // Parse requires an explicit IV here
		}
	}
	pl.Segments = make([]Part, len(m.Segments))
	for i := range m.Segments {
		s := &m.Segments[i]
		if !sameMap(s.Map, first) {
			return nil, errAt(0, ErrUnsupported, "segment %d has a different init section (EXT-X-MAP) from the first", i+1)
		}
		p := Part{URL: s.URL, Range: cloneRange(s.Range), Key: keyOf(s.Key), Sequence: s.Sequence, Duration: s.Duration}
		if p.Key >= 0 {
			p.IV = s.IV()
		}
		pl.Segments[i] = p
		pl.Duration = min(pl.Duration+s.Duration, maxDuration) // no overflow: a segment is at most a day
	}
	if first == nil {
		if ext := packedAudioExt(m.Segments); ext != "" {
			pl.Container, pl.Ext = ContainerAudio, ext
		}
	}
	pl.Fingerprint = pl.fingerprint()
	return pl, nil
}

// KnownSize returns the number of bytes to download (init section
// included) when every part has a byte range, and false otherwise.
// Decrypted output is up to 16 bytes per encrypted part smaller.
func (pl *Plan) KnownSize() (int64, bool) {
	var n int64
	if pl.Init != nil {
		if pl.Init.Range == nil {
			return 0, false
		}
		n = pl.Init.Range.Length
	}
	for i := range pl.Segments {
		r := pl.Segments[i].Range
		if r == nil || r.Length > math.MaxInt64-n {
			return 0, false
		}
		n += r.Length
	}
	return n, true
}

// EstimateSize guesses the bytes to download, for progress before the
// parts' sizes are known: KnownSize when it knows, else bandwidth (bits
// per second, e.g. a variant's AVERAGE-BANDWIDTH or BANDWIDTH) times
// Duration; 0 when there is nothing to go on.
func (pl *Plan) EstimateSize(bandwidth int64) int64 {
	if n, ok := pl.KnownSize(); ok {
		return n
	}
	if bandwidth <= 0 {
		return 0
	}
	est := float64(bandwidth) / 8 * pl.Duration.Seconds()
	if est >= 1<<62 {
		return 1 << 62
	}
	return int64(est)
}

// maxDuration caps Plan.Duration (about 146 years) for huge Limits.
const maxDuration = time.Duration(1 << 62)

func cloneRange(r *ByteRange) *ByteRange {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// sameMap reports whether a and b name the same init section, read the
// same way.
func sameMap(a, b *Map) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.URL == b.URL && sameRange(a.Range, b.Range) && sameKey(a.Key, b.Key)
}

func sameRange(a, b *ByteRange) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func sameKey(a, b *Key) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.URL == b.URL && (a.IV == nil) == (b.IV == nil) && (a.IV == nil || *a.IV == *b.IV)
}

// packedAudioExt returns the extension shared by every segment's URL path
// when it is a packed-audio one, else "".
func packedAudioExt(segs []Segment) string {
	ext := ""
	for i := range segs {
		u, err := url.Parse(segs[i].URL)
		if err != nil {
			return ""
		}
		e := strings.ToLower(path.Ext(u.Path))
		switch {
		case e != ".aac" && e != ".mp3" && e != ".ac3" && e != ".ec3":
			return ""
		case ext != "" && e != ext:
			return ""
		}
		ext = e
	}
	return ext
}

// fingerprint hashes what decides the output's bytes.
func (pl *Plan) fingerprint() string {
	h := sha256.New()
	part := func(tag string, p *Part) {
		key, iv := "", ""
		if p.Key >= 0 {
			key, iv = pl.Keys[p.Key], hex.EncodeToString(p.IV[:])
		}
		rng := ""
		if p.Range != nil {
			rng = fmt.Sprintf("%d@%d", p.Range.Length, p.Range.Offset)
		}
		// Tabs and newlines never occur in a resolved URL, so the
		// encoding is unambiguous.
		fmt.Fprintf(h, "%s\t%s\t%s\t%s\t%s\n", tag, p.URL, rng, key, iv)
	}
	fmt.Fprintf(h, "haul-hls-plan-v1\t%d\n", pl.Container)
	if pl.Init != nil {
		part("init", pl.Init)
	}
	for i := range pl.Segments {
		part("seg", &pl.Segments[i])
	}
	return hex.EncodeToString(h.Sum(nil))
}
