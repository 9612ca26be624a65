package testserver

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// hlsFiles are the HLS fixtures made by scripts/make-hls-fixtures.sh.
//
//go:embed testdata/hls
var hlsFiles embed.FS

// HLSFixtures returns the committed HLS fixtures, rooted at their top
// directory: ts/ (MPEG-TS), aes/ (AES-128 with key rotation), fmp4/
// (fragmented MP4), fmp4-range/ (byte ranges in one file), master/ (two
// variants) and audio/ (a separate audio rendition). Each stream's
// directory holds index.m3u8 (master.m3u8 for the master playlists) and
// expected.sha256, the SHA-256 in hex of the file a downloader must make
// of it (init section first, segments decrypted, in order).
func HLSFixtures() fs.FS {
	sub, err := fs.Sub(hlsFiles, "testdata/hls")
	if err != nil {
		panic("testserver: HLS fixtures: " + err.Error()) // cannot happen: the directory is embedded
	}
	return sub
}

// HLSOption changes how AddHLS serves the fixtures. Names are fixture
// paths relative to their top directory, e.g. "ts/seg1.ts" or
// "aes/index.m3u8"; a name that is not a fixture makes AddHLS panic.
type HLSOption func(*hlsConfig)

type hlsConfig struct {
	segThrottle int64
	files       map[string][]Option
	live        map[string]bool
	change      map[string]int // playlist name → requests before it changes
}

// HLSExpectedSum returns the committed SHA-256 (lower-case hex) of what
// the fixture stream in dir ("ts", "aes", "master/lo", "audio/video", ...)
// must download to: the concatenation of its decrypted segments, in order.
// It panics for a dir without one, a mistake in the test.
func HLSExpectedSum(dir string) string {
	b, err := fs.ReadFile(HLSFixtures(), dir+"/expected.sha256")
	if err != nil {
		panic("testserver: no expected sum for HLS fixture " + dir + ": " + err.Error())
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		panic("testserver: empty expected.sha256 in HLS fixture " + dir)
	}
	return f[0]
}

// ThrottleSegments throttles every segment and init section (not the
// playlists or keys) to about bytesPerSec each, as Throttle does.
func ThrottleSegments(bytesPerSec int64) HLSOption {
	return func(c *hlsConfig) { c.segThrottle = bytesPerSec }
}

// FailSegment answers 404 to the first times requests for name; times
// may be Always.
func FailSegment(name string, times int) HLSOption {
	return HLSFile(name, Status(404, times, ""))
}

// HLSFile applies opts (any of the file knobs: Throttle, Stall,
// ResetAfter, ...) to the fixture name.
func HLSFile(name string, opts ...Option) HLSOption {
	return func(c *hlsConfig) { c.files[name] = append(c.files[name], opts...) }
}

// LivePlaylist serves the media playlist name without its EXT-X-ENDLIST,
// as a live stream looks.
func LivePlaylist(name string) HLSOption {
	return func(c *hlsConfig) { c.live[name] = true }
}

// ChangePlaylist serves the media playlist name as committed for the
// first after requests and from then on without its last segment: a
// different segment list, still a valid stream (its expected file is the
// other segments' concatenation).
func ChangePlaylist(name string, after int) HLSOption {
	return func(c *hlsConfig) { c.change[name] = after }
}

// AddHLS serves every HLS fixture under prefix (which must start with
// "/"): HLSFixtures()'s "ts/index.m3u8" at prefix+"/ts/index.m3u8", and
// so on, each with the Content-Type a real server sends. It replaces
// files already there and clears their counters.
func (s *Server) AddHLS(prefix string, opts ...HLSOption) {
	cfg := &hlsConfig{files: map[string][]Option{}, live: map[string]bool{}, change: map[string]int{}}
	for _, o := range opts {
		o(cfg)
	}
	s.addFixtures(prefix, HLSFixtures(), cfg, "HLS")
}

// addFixtures serves the fixtures of root under prefix as cfg says.
func (s *Server) addFixtures(prefix string, root fs.FS, cfg *hlsConfig, what string) {
	names := map[string]bool{}
	err := fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names[name] = true
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
		var fo []Option
		if ct := hlsType(name); ct != "" {
			fo = append(fo, ContentType(ct))
		}
		if isMedia(name) && cfg.segThrottle > 0 {
			fo = append(fo, Throttle(cfg.segThrottle))
		}
		if cfg.live[name] {
			body = withoutEndList(body)
		}
		if after, ok := cfg.change[name]; ok {
			fo = append(fo, ChangeAfter(after, withoutLastSegment(body)))
		}
		fo = append(fo, cfg.files[name]...)
		s.Add(prefix+"/"+name, body, fo...)
		return nil
	})
	if err != nil {
		panic("testserver: " + what + " fixtures: " + err.Error()) // cannot happen: they are embedded
	}
	for _, m := range []map[string]bool{keys(cfg.files), cfg.live, keys(cfg.change)} {
		for name := range m {
			if !names[name] {
				panic(fmt.Sprintf("testserver: %q is not an %s fixture", name, what))
			}
		}
	}
}

func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// HLSFetches returns, for each fixture served under prefix that was
// requested, how many requests it received (any method and answer),
// keyed by fixture name ("ts/seg0.ts").
func (s *Server) HLSFetches(prefix string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for p, rec := range s.paths {
		if name, ok := strings.CutPrefix(p, prefix+"/"); ok && rec.stats.Requests > 0 {
			out[name] = rec.stats.Requests
		}
	}
	return out
}

// hlsType is the Content-Type a real server sends for a fixture.
func hlsType(name string) string {
	switch path.Ext(name) {
	case ".m3u8":
		return "application/vnd.apple.mpegurl"
	case ".mpd":
		return "application/dash+xml"
	case ".ts":
		return "video/mp2t"
	case ".m4s":
		return "video/iso.segment"
	case ".mp4":
		return "video/mp4"
	case ".key":
		return "application/octet-stream"
	case ".sha256":
		return "text/plain; charset=utf-8"
	}
	return ""
}

// isMedia reports whether name is a segment or an init section.
func isMedia(name string) bool {
	switch path.Ext(name) {
	case ".ts", ".m4s", ".mp4":
		return true
	}
	return false
}

// withoutEndList drops the EXT-X-ENDLIST line of a playlist.
func withoutEndList(p []byte) []byte {
	lines := strings.SplitAfter(string(p), "\n")
	out := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "#EXT-X-ENDLIST" {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, ""))
}

// withoutLastSegment drops a media playlist's last segment: the lines
// from its EXTINF through its URI.
func withoutLastSegment(p []byte) []byte {
	lines := strings.SplitAfter(string(p), "\n")
	uri, inf := -1, -1
	for i, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "#EXTINF"):
			inf = i
		case l != "" && !strings.HasPrefix(l, "#"):
			uri = i
		}
	}
	if inf < 0 || uri < inf {
		panic("testserver: not a media playlist")
	}
	out := append(append([]string(nil), lines[:inf]...), lines[uri+1:]...)
	return []byte(strings.Join(out, ""))
}
