package engine

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/haul-dl/haul/engine/testserver"
)

// mustDASHApart waits for a DASH download made without ffmpeg and checks
// its two files against the fixture dir's sums of video (which) and
// audio.
func (e *env) mustDASHApart(id, dir, which string) Snapshot {
	e.t.Helper()
	s := e.wait(id)
	if s.State != Completed {
		e.t.Fatalf("%s: state %v, err %q", dir, s.State, s.Err)
	}
	if s.Name != "manifest.video.mp4" {
		e.t.Errorf("%s: saved as %q, want manifest.video.mp4", dir, s.Name)
	}
	if got := fileSum(e.t, s.Path()); got != testserver.DASHExpectedSum(dir, which) {
		e.t.Errorf("%s: %s is not the %s representation's init and segments in order", dir, s.Name, which)
	}
	audio := filepath.Join(filepath.Dir(s.Path()), "manifest.audio.m4a")
	if got := fileSum(e.t, audio); got != testserver.DASHExpectedSum(dir, "audio") {
		e.t.Errorf("%s: manifest.audio.m4a is not the audio representation's init and segments in order", dir)
	}
	if !strings.Contains(s.Warning, "ffmpeg") {
		e.t.Errorf("%s: warning %q does not say the audio is apart for want of ffmpeg", dir, s.Warning)
	}
	if !s.Stream || s.StreamKind != "DASH" || s.Segments == 0 || s.SegmentsDone != s.Segments {
		e.t.Errorf("%s: stream %v kind %q, segments %d of %d", dir, s.Stream, s.StreamKind, s.SegmentsDone, s.Segments)
	}
	if files := e.files(); len(files) != 2 {
		e.t.Errorf("%s: files %v, want the video and the audio", dir, files)
	}
	return s
}

// Every form of static MPD the fixtures hold downloads, without ffmpeg,
// to the chosen representations' bytes, each of its parts fetched once.
func TestDASHEveryFormDownloads(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no ffmpeg: the audio stays beside
	srv := testserver.New()
	defer srv.Close()
	// Hand-written: a lone BaseURL per representation, each file fetched
	// whole, under a BaseURL of the MPD that points to another folder.
	whole := `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT3S">
<BaseURL>/d/base/</BaseURL><Period>
<AdaptationSet contentType="video"><Representation id="v" bandwidth="84000" width="160" height="90" mimeType="video/mp4"><BaseURL>manifest-stream0.mp4</BaseURL></Representation></AdaptationSet>
<AdaptationSet contentType="audio"><Representation id="a" bandwidth="24000" mimeType="audio/mp4"><BaseURL>manifest-stream1.mp4</BaseURL></Representation></AdaptationSet>
</Period></MPD>`
	for _, c := range []struct {
		dir, link string
		segments  int // video and audio
	}{
		{"number", "/d/number/manifest.mpd", 3 + 3},     // SegmentTemplate with $Number%05d$
		{"timeline", "/d/timeline/manifest.mpd", 3 + 4}, // $Time$ and a SegmentTimeline
		{"list", "/d/list/manifest.mpd", 3 + 4},         // SegmentList of mediaRanges
		{"base", "/d/base/manifest.mpd", 3 + 4},         // SegmentBase, read through its sidx
		{"base", "/w/manifest.mpd", 1 + 1},              // a lone BaseURL, fetched whole
	} {
		t.Run(c.link, func(t *testing.T) {
			srv.AddDASH("/d") // fresh counters
			srv.Add("/w/manifest.mpd", []byte(whole), testserver.ContentType("application/dash+xml"))
			e := newEnv(t)
			s := e.mustDASHApart(e.add(srv.URL(c.link)), c.dir, "video")
			if s.Segments != c.segments || s.Quality != "90p" {
				t.Errorf("segments %d, quality %q; want %d and 90p", s.Segments, s.Quality, c.segments)
			}
			for name, n := range srv.HLSFetches("/d") {
				if strings.HasSuffix(name, ".m4s") && n != 1 {
					t.Errorf("%s fetched %d times, want once", name, n)
				}
			}
		})
	}
}

func TestDASHQualityChoosesTheRepresentation(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	srv := testserver.New()
	defer srv.Close()
	srv.AddDASH("/d")
	for _, c := range []struct{ quality, which, shown string }{
		{"", "video", "90p"}, {"worst", "video-lo", "54p"}, {"54", "video-lo", "54p"}, {"720", "video", "90p"}, {"60", "video-lo", "54p"},
	} {
		t.Run("quality="+c.quality, func(t *testing.T) {
			e := newEnv(t)
			id := e.add(srv.URL("/d/number/manifest.mpd"), func(r *Request) { r.Quality = c.quality })
			if s := e.mustDASHApart(id, "number", c.which); s.Quality != c.shown {
				t.Errorf("quality shown %q, want %q", s.Quality, c.shown)
			}
		})
	}
}

// A link that does not say .mpd but answers application/dash+xml
// becomes a DASH stream, and stays one.
func TestDASHByContentTypeBecomesAStream(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	srv := testserver.New()
	defer srv.Close()
	srv.AddDASH("/d")
	manifest, err := fs.ReadFile(testserver.DASHFixtures(), "number/manifest.mpd")
	if err != nil {
		t.Fatal(err)
	}
	srv.Add("/d/number/watch", manifest, testserver.ContentType("application/dash+xml"))
	e := newEnv(t)
	id := e.add(srv.URL("/d/number/watch"))
	s := e.wait(id)
	if s.State != Completed || s.StreamKind != "DASH" || s.Name != "watch.video.mp4" {
		t.Fatalf("state %v, kind %q, name %q, err %q", s.State, s.StreamKind, s.Name, s.Err)
	}
	if got := fileSum(t, s.Path()); got != testserver.DASHExpectedSum("number", "video") {
		t.Error("watch.video.mp4 is not the video representation")
	}
	e.reopen()
	if s, _ := e.m.Get(id); !s.Stream || s.State != Completed || s.StreamKind != "DASH" || s.Quality != "90p" {
		t.Errorf("after a restart: stream %v, state %v, kind %q, quality %q", s.Stream, s.State, s.StreamKind, s.Quality)
	}
}

// With ffmpeg, the video and audio are joined into NAME.mp4, which plays
// with both streams and the presentation's duration.
func TestDASHIsMuxedIntoOneFileThatPlays(t *testing.T) {
	testserver.NeedFFmpeg(t)
	srv := testserver.New()
	defer srv.Close()
	srv.AddDASH("/d")
	for _, dir := range []string{"number", "timeline", "list", "base"} {
		t.Run(dir, func(t *testing.T) {
			e := newEnv(t)
			s := e.wait(e.add(srv.URL("/d/" + dir + "/manifest.mpd")))
			if s.State != Completed || s.Name != "manifest.mp4" || s.Warning != "" {
				t.Fatalf("state %v, name %q, warning %q, err %q", s.State, s.Name, s.Warning, s.Err)
			}
			if files := e.files(); !slices.Equal(files, []string{"manifest.mp4"}) {
				t.Errorf("files %v, want only manifest.mp4", files)
			}
			if err := testserver.Plays(s.Path(), 3); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestDASHPausedStreamResumesFromTheNextSegment(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	srv := testserver.New()
	defer srv.Close()
	srv.AddDASH("/d", testserver.ThrottleSegments(24<<10)) // about 0.4 s a segment
	e := newEnv(t)
	id := e.pauseAfterASegment(srv.URL("/d/timeline/manifest.mpd"))
	e.reopen() // the progress and the protocol come back from the record
	if err := e.m.Resume(id); err != nil {
		t.Fatal(err)
	}
	e.mustDASHApart(id, "timeline", "video")
	if n := srv.HLSFetches("/d")["timeline/chunk-0-0.m4s"]; n != 1 {
		t.Errorf("segment 1 was fetched %d times: the resume did not go on from the next segment", n)
	}
}

func TestDASHRefusals(t *testing.T) {
	srv := testserver.New()
	defer srv.Close()
	srv.AddDASH("/d")
	manifest, err := fs.ReadFile(testserver.DASHFixtures(), "number/manifest.mpd")
	if err != nil {
		t.Fatal(err)
	}
	m := string(manifest)
	srv.Add("/d/number/live.mpd", []byte(strings.Replace(m, `type="static"`, `type="dynamic"`, 1)))
	srv.Add("/d/number/drm.mpd", []byte(strings.Replace(m, `<Representation id="0"`, `<ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"/><Representation id="0"`, 1)))
	srv.Add("/d/number/huge.mpd", []byte(m+"<!--"+strings.Repeat("x", 8<<20)+"-->"))
	srv.Add("/d/number/long.mpd", []byte(strings.Replace(m, `mediaPresentationDuration="PT3.0S"`, `mediaPresentationDuration="PT200000S"`, 1)))
	tl, err := fs.ReadFile(testserver.DASHFixtures(), "timeline/manifest.mpd")
	if err != nil {
		t.Fatal(err)
	}
	srv.Add("/d/timeline/gap.mpd", []byte(strings.Replace(string(tl), `<S d="21504" />`, `<S t="20000" d="21504" />`, 1)))
	srv.Add("/d/number/gone.mpd", []byte(strings.Replace(m, "chunk-stream$RepresentationID$", "missing-$RepresentationID$", 1)))
	for _, c := range []struct {
		name, link string
		kind       ErrorKind
		says       string
	}{
		{"live", "/d/number/live.mpd", KindPolicy, "live"},
		{"drm", "/d/number/drm.mpd", KindPolicy, "DRM"},
		{"over 8 MiB", "/d/number/huge.mpd", KindPolicy, "8 MiB"},
		{"over 100,000 segments", "/d/number/long.mpd", KindPolicy, "100000"},
		{"a timeline that does not add up", "/d/timeline/gap.mpd", KindProtocol, "timeline"},
		{"a segment not there", "/d/number/gone.mpd", KindHTTP, "segment 1 of 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Retries = 1 })
			s := e.wait(e.add(srv.URL(c.link)))
			if s.State != Failed || s.Problem.Kind != c.kind || !strings.Contains(s.Err, c.says) {
				t.Fatalf("state %v, kind %v, err %q; want failed, %v, saying %q", s.State, s.Problem.Kind, s.Err, c.kind, c.says)
			}
			for _, f := range e.files() {
				if !strings.HasSuffix(f, partSuffix) {
					t.Errorf("%s was left in the folder, looking complete", f)
				}
			}
		})
	}
}

func TestUserLanguageComesFromTheLocale(t *testing.T) {
	for _, c := range []struct{ all, messages, lang, want string }{
		{"", "", "fr_FR.UTF-8", "fr"},
		{"", "de_AT", "fr_FR.UTF-8", "de"},
		{"pt_BR.UTF-8", "de_AT", "fr_FR", "pt"},
		{"", "", "C.UTF-8", ""},
		{"", "", "POSIX", ""},
		{"", "", "", ""},
	} {
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_MESSAGES", c.messages)
		t.Setenv("LANG", c.lang)
		if got := userLanguage(); got != c.want {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q: %q, want %q", c.all, c.messages, c.lang, got, c.want)
		}
	}
}
