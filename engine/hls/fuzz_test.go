package hls

import (
	"bytes"
	"errors"
	"io/fs"
	"net/url"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// FuzzParse checks these invariants on any input, with small limits so
// that the fuzzer reaches them:
//   - Parse never panics and returns either a playlist (exactly one of
//     Master and Media) or a *ParseError wrapping one refusal kind;
//   - the limits hold: text, segment, entry and byte-range sizes;
//   - every URL it returns (segments, keys, init sections, variants,
//     renditions) is absolute http or https with a host;
//   - a media playlist has segments numbered on from its media sequence;
//   - NewPlan either refuses with ErrUnsupported or plans every segment
//     with valid key indexes and a 64-hex-digit fingerprint;
//   - Choose picks one of the master playlist's variants.
func FuzzParse(f *testing.F) {
	root := testserver.HLSFixtures()
	_ = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(name) > 5 && name[len(name)-5:] == ".m3u8" {
			b, _ := fs.ReadFile(root, name)
			f.Add(b)
		}
		return err
	})
	base, _ := url.Parse("https://fuzz.example/a/b/index.m3u8")
	lim := Limits{MaxBytes: 4096, MaxLine: 512, MaxSegments: 20, MaxRange: 1 << 20}
	kinds := []error{ErrNotPlaylist, ErrLive, ErrDRM, ErrKeyMethod, ErrTooLarge, ErrMalformed, ErrUnsupported}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(bytes.NewReader(data), base, lim)
		if err != nil {
			var pe *ParseError
			if p != nil || !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) with playlist %v", err, err, p)
			}
			known := false
			for _, k := range kinds {
				known = known || errors.Is(err, k)
			}
			if !known {
				t.Fatalf("error of no known kind: %v", err)
			}
			return
		}
		if len(data) > lim.MaxBytes {
			t.Fatalf("accepted %d bytes over the %d limit", len(data), lim.MaxBytes)
		}
		if (p.Master == nil) == (p.Media == nil) {
			t.Fatalf("playlist %+v", p)
		}
		if p.Media != nil {
			checkMedia(t, p.Media, lim)
		} else {
			checkMaster(t, p.Master, lim)
		}
	})
}

func checkURL(t *testing.T, what, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !u.IsAbs() {
		t.Fatalf("%s URL %q is not absolute http(s)", what, s)
	}
}

func checkRange(t *testing.T, r *ByteRange, lim Limits) {
	t.Helper()
	if r != nil && (r.Length <= 0 || r.Length > lim.MaxRange || r.Offset < 0 || r.End() < r.Offset) {
		t.Fatalf("byte range %+v", *r)
	}
}

func checkMedia(t *testing.T, m *Media, lim Limits) {
	n := len(m.Segments)
	if n == 0 || n > lim.MaxSegments {
		t.Fatalf("%d segments", n)
	}
	for i, s := range m.Segments {
		checkURL(t, "segment", s.URL)
		checkRange(t, s.Range, lim)
		if s.Sequence != m.MediaSequence+uint64(i) || s.Duration < 0 {
			t.Fatalf("segment %d: sequence %d from %d, duration %v", i, s.Sequence, m.MediaSequence, s.Duration)
		}
		if s.Key != nil {
			checkURL(t, "key", s.Key.URL)
		}
		if s.Map != nil {
			checkURL(t, "map", s.Map.URL)
			checkRange(t, s.Map.Range, lim)
			if s.Map.Key != nil && s.Map.Key.IV == nil {
				t.Fatal("encrypted map without an IV")
			}
		}
	}
	pl, err := NewPlan(m)
	if err != nil {
		if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("NewPlan: %v", err)
		}
		return
	}
	if len(pl.Segments) != n || len(pl.Fingerprint) != 64 {
		t.Fatalf("plan of %d parts for %d segments, fingerprint %q", len(pl.Segments), n, pl.Fingerprint)
	}
	parts := pl.Segments
	if pl.Init != nil {
		parts = append([]Part{*pl.Init}, parts...)
	}
	for _, p := range parts {
		if p.Key < -1 || p.Key >= len(pl.Keys) {
			t.Fatalf("key index %d of %d keys", p.Key, len(pl.Keys))
		}
	}
}

func checkMaster(t *testing.T, m *Master, lim Limits) {
	if len(m.Variants) == 0 || len(m.Variants)+len(m.Renditions) > lim.MaxSegments {
		t.Fatalf("%d variants, %d renditions", len(m.Variants), len(m.Renditions))
	}
	for _, v := range m.Variants {
		checkURL(t, "variant", v.URL)
	}
	for _, r := range m.Renditions {
		if r.URL != "" {
			checkURL(t, "rendition", r.URL)
		}
	}
	for _, q := range []Quality{Best, Worst, Height(720)} {
		c, err := m.Choose(q)
		if err != nil {
			t.Fatalf("Choose(%v): %v", q, err)
		}
		found := false
		for _, v := range m.Variants {
			found = found || v == c.Variant
		}
		if !found {
			t.Fatalf("Choose(%v) = %+v, not a variant", q, c.Variant)
		}
	}
}
