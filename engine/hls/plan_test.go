package hls

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func plan(t *testing.T, m *Media) *Plan {
	t.Helper()
	pl, err := NewPlan(m)
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	return pl
}

func TestPlanOfTSAndAES(t *testing.T) {
	pl := plan(t, fixture(t, "ts/index.m3u8").Media)
	if pl.Container != ContainerTS || pl.Ext != ".ts" || pl.Init != nil || len(pl.Keys) != 0 || len(pl.Segments) != 3 || pl.Duration != 3*time.Second {
		t.Fatalf("plan %+v", pl)
	}
	if pl.Container.String() != "ts" || ContainerMP4.String() != "mp4" || ContainerAudio.String() != "audio" || Container(9).String() != "Container(9)" {
		t.Errorf("container names %v %v %v %v", pl.Container, ContainerMP4, ContainerAudio, Container(9))
	}
	for _, p := range pl.Segments {
		if p.Encrypted() || p.Range != nil {
			t.Errorf("part %+v", p)
		}
	}

	a := plan(t, fixture(t, "aes/index.m3u8").Media)
	if len(a.Keys) != 2 || a.Keys[0] != "https://media.example.org/hls/aes/key1.key" || a.Keys[1] != "https://media.example.org/hls/aes/key2.key" {
		t.Fatalf("keys %v", a.Keys)
	}
	if k := []int{a.Segments[0].Key, a.Segments[1].Key, a.Segments[2].Key}; k[0] != 0 || k[1] != 0 || k[2] != 1 {
		t.Errorf("key indexes %v", k)
	}
	if a.Segments[2].IV != [16]byte{15: 9} || a.Segments[2].Sequence != 9 || a.Segments[0].IV == a.Segments[2].IV {
		t.Errorf("IVs %x %x", a.Segments[0].IV, a.Segments[2].IV)
	}
}

func TestPlanOfFMP4PutsTheInitSectionFirst(t *testing.T) {
	pl := plan(t, fixture(t, "fmp4/index.m3u8").Media)
	if pl.Container != ContainerMP4 || pl.Ext != ".mp4" || pl.Init == nil || pl.Init.URL != "https://media.example.org/hls/fmp4/init.mp4" || pl.Init.Encrypted() {
		t.Fatalf("plan %+v init %+v", pl, pl.Init)
	}
	r := plan(t, fixture(t, "fmp4-range/index.m3u8").Media)
	if r.Init == nil || r.Init.Range == nil || *r.Init.Range != (ByteRange{0, 1352}) || r.Segments[1].Range.Offset != r.Segments[0].Range.End() {
		t.Fatalf("init %+v, segments %+v", r.Init, r.Segments)
	}
}

func TestPlanOfAnEncryptedInitSection(t *testing.T) {
	m := parseMedia(t, media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXT-X-MAP:URI=\"init.mp4\"\n"+
		"#EXT-X-KEY:METHOD=AES-128,URI=\"k2\"\n#EXTINF:2,\na.m4s\n"))
	pl := plan(t, m)
	if pl.Init.Key != 0 || pl.Init.IV != [16]byte{15: 1} || pl.Segments[0].Key != 1 || pl.Segments[0].IV != [16]byte{} {
		t.Fatalf("init %+v segment %+v keys %v", pl.Init, pl.Segments[0], pl.Keys)
	}
}

func TestPlanRefusesSeveralInitSections(t *testing.T) {
	for name, body := range map[string]string{
		"two maps":         "#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n1.m4s\n#EXT-X-MAP:URI=\"b.mp4\"\n#EXTINF:2,\n2.m4s\n",
		"two ranges":       "#EXT-X-MAP:URI=\"a.mp4\",BYTERANGE=\"10@0\"\n#EXTINF:2,\n1.m4s\n#EXT-X-MAP:URI=\"a.mp4\",BYTERANGE=\"10@10\"\n#EXTINF:2,\n2.m4s\n",
		"map part-way":     "#EXTINF:2,\n1.ts\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n2.m4s\n",
		"re-keyed map":     "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n1.m4s\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x2\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n2.m4s\n",
		"map then cleared": "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n1.m4s\n#EXT-X-KEY:METHOD=NONE\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n2.m4s\n",
	} {
		if _, err := NewPlan(parseMedia(t, media(body))); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "init section") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The same map repeated (e.g. after a discontinuity) is one section.
	pl := plan(t, parseMedia(t, media("#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n1.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:2,\n2.m4s\n")))
	if pl.Init == nil || len(pl.Segments) != 2 {
		t.Fatalf("plan %+v", pl)
	}
	if _, err := NewPlan(&Media{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("empty media: %v", err)
	}
}

func TestPlanOfPackedAudio(t *testing.T) {
	if pl := plan(t, parseMedia(t, media("#EXTINF:2,\na.AAC\n#EXTINF:2,\nb.aac?x=.ts\n"))); pl.Container != ContainerAudio || pl.Ext != ".aac" {
		t.Errorf("aac: %v %s", pl.Container, pl.Ext)
	}
	if pl := plan(t, parseMedia(t, media("#EXTINF:2,\na.aac\n#EXTINF:2,\nb.mp3\n"))); pl.Container != ContainerTS {
		t.Errorf("mixed: %v %s", pl.Container, pl.Ext)
	}
	if pl := plan(t, parseMedia(t, media("#EXTINF:2,\nsegment?n=1\n"))); pl.Container != ContainerTS || pl.Ext != ".ts" {
		t.Errorf("no extension: %v %s", pl.Container, pl.Ext)
	}
}

func TestFingerprintTellsChangedPlaylistsApart(t *testing.T) {
	const orig = "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXTINF:2,\na.ts\n#EXTINF:2,\n#EXT-X-BYTERANGE:10@0\nb.ts\n"
	fp := func(body string) string { return plan(t, parseMedia(t, media(body))).Fingerprint }
	ref := fp(orig)
	if len(ref) != 64 || strings.Trim(ref, "0123456789abcdef") != "" {
		t.Fatalf("fingerprint %q", ref)
	}
	// What does not change the output's bytes keeps it.
	same := map[string]string{
		"titles and durations": strings.NewReplacer("#EXTINF:2,\na", "#EXTINF:3.5,Intro\na").Replace(orig),
		"comments, blanks":     "# hello\n\n" + orig,
		"target duration":      "#EXT-X-TARGETDURATION:9\n" + orig,
	}
	for name, body := range same {
		if fp(body) != ref {
			t.Errorf("%s changed the fingerprint", name)
		}
	}
	// What does change it, changes it.
	for name, body := range map[string]string{
		"a segment more":   orig + "#EXTINF:2,\nc.ts\n",
		"a segment less":   "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXTINF:2,\na.ts\n",
		"order":            "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXTINF:2,\n#EXT-X-BYTERANGE:10@0\nb.ts\n#EXTINF:2,\na.ts\n",
		"a URL":            strings.Replace(orig, "a.ts", "a2.ts", 1),
		"a query":          strings.Replace(orig, "a.ts", "a.ts?v=2", 1),
		"a range":          strings.Replace(orig, "10@0", "10@1", 1),
		"the key":          strings.Replace(orig, `URI="k"`, `URI="k2"`, 1),
		"the IV":           strings.Replace(orig, "IV=0x1", "IV=0x2", 1),
		"the IV source":    strings.Replace(orig, ",IV=0x1", "", 1),
		"no encryption":    strings.Replace(orig, "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n", "", 1),
		"an init section":  "#EXT-X-MAP:URI=\"i.mp4\"\n" + orig,
		"a different base": "",
	} {
		got := ""
		if body == "" {
			p, err := Parse(strings.NewReader(media(orig)), mustURL(t, "https://other.example.com/index.m3u8"), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got = plan(t, p.Media).Fingerprint
		} else {
			got = fp(body)
		}
		if got == ref {
			t.Errorf("%s kept the fingerprint", name)
		}
	}
	// Under an implicit IV, the media sequence decides the IVs.
	implicit := strings.Replace(orig, ",IV=0x1", "", 1)
	if fp(implicit) == fp("#EXT-X-MEDIA-SEQUENCE:1\n"+implicit) {
		t.Error("a new media sequence kept the fingerprint")
	}
	if a, b := plan(t, fixture(t, "aes/index.m3u8").Media), plan(t, fixture(t, "aes/index.m3u8").Media); a.Fingerprint != b.Fingerprint {
		t.Error("the same playlist gave two fingerprints")
	}
}
