package testserver

import (
	"embed"
	"io/fs"
	"strings"
)

// dashFiles are the DASH fixtures made by scripts/make-dash-fixtures.sh.
//
//go:embed testdata/dash
var dashFiles embed.FS

// DASHFixtures returns the committed DASH fixtures, rooted at their top
// directory: number/ (SegmentTemplate with $Number%05d$, two video
// representations), timeline/ ($Time$ and a SegmentTimeline), list/
// (SegmentList of byte ranges) and base/ (SegmentBase with an indexRange
// to a sidx box). Each holds manifest.mpd and, for its representations,
// video.sha256 and audio.sha256 (number/ also video-lo.sha256): the
// SHA-256 in hex of the file a downloader must make of it.
func DASHFixtures() fs.FS {
	sub, err := fs.Sub(dashFiles, "testdata/dash")
	if err != nil {
		panic("testserver: DASH fixtures: " + err.Error()) // cannot happen: the directory is embedded
	}
	return sub
}

// DASHExpectedSum returns the committed SHA-256 (lower-case hex) of the
// file the representation which ("video", "audio", "video-lo") of the
// fixture dir must download to. It panics for one without a sum, a
// mistake in the test.
func DASHExpectedSum(dir, which string) string {
	b, err := fs.ReadFile(DASHFixtures(), dir+"/"+which+".sha256")
	if err != nil {
		panic("testserver: no expected sum for DASH fixture " + dir + "/" + which + ": " + err.Error())
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		panic("testserver: empty " + which + ".sha256 in DASH fixture " + dir)
	}
	return f[0]
}

// AddDASH serves every DASH fixture under prefix (which must start with
// "/"), as AddHLS does the HLS ones: DASHFixtures()'s
// "number/manifest.mpd" at prefix+"/number/manifest.mpd" (as
// application/dash+xml), with byte ranges. Of the HLS options,
// ThrottleSegments, FailSegment and HLSFile apply (names relative to the
// fixtures' top directory); it replaces files already there and clears
// their counters. Count requests with HLSFetches(prefix).
func (s *Server) AddDASH(prefix string, opts ...HLSOption) {
	cfg := &hlsConfig{files: map[string][]Option{}, live: map[string]bool{}, change: map[string]int{}}
	for _, o := range opts {
		o(cfg)
	}
	s.addFixtures(prefix, DASHFixtures(), cfg, "DASH")
}
