package links

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// A directory listing as Apache and nginx write it: sort links, the parent
// folder and sub-folders are not files.
const dirListing = `<html><head><title>Index of /pub/iso</title></head><body>
<h1>Index of /pub/iso</h1>
<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th></tr>
<tr><td><a href="../">Parent Directory</a></td></tr>
<tr><td><a href="old/">old/</a></td></tr>
<tr><td><a href="debian-12.iso">debian-12.iso</a></td></tr>
<tr><td><a href="SHA256SUMS">SHA256SUMS</a></td></tr>
<tr><td><a href="notes%20v2.txt">notes v2.txt</a></td></tr>
</table></body></html>
`

func TestRelativeLinksOfADirectoryListingUseTheGivenBase(t *testing.T) {
	base, _ := url.Parse("https://mirror.example.org/pub/iso/")
	runScanCases(t, []scanCase{{
		name: "listing",
		in:   dirListing,
		opt:  Options{Base: base},
		links: []Link{
			l(6, "https://mirror.example.org/pub/iso/debian-12.iso"),
			l(7, "https://mirror.example.org/pub/iso/SHA256SUMS"),
			l(8, "https://mirror.example.org/pub/iso/notes%20v2.txt"),
		},
	}})
}

func TestRelativeLinksWithoutABaseAreCountedNotGuessed(t *testing.T) {
	links, sum := Parse(dirListing)
	if len(links) != 0 {
		t.Fatalf("links = %+v, want none without the page's address", links)
	}
	if sum.Unresolved != 3 {
		t.Errorf("Unresolved = %d, want 3 (the three files)", sum.Unresolved)
	}
	if sum.RejectedCount != 0 {
		t.Errorf("rejected %+v: relative links are not errors", sum.Rejected)
	}
}

// What a browser's "Save page as" writes: the comment names the page.
const savedGallery = `<!DOCTYPE html>
<!-- saved from url=(0044)https://photos.example.org/trip/index.html -->
<html><head><link rel="stylesheet" href="style.css"><script src="app.js"></script></head>
<body><a href="full/1.jpg"><img src="thumbs/1.jpg" alt="one"></a>
<a href='full/2.jpg'><img src=thumbs/2.jpg></a> <a href="#top">top</a>
<a href="mailto:me@example.org">mail</a> <a href="javascript:void(0)">x</a>
<img src="data:image/png;base64,AAAA"> <a href="//cdn.example.org/v.mp4">video</a>
<a href="full/3.jpg?size=big&amp;v=2">3</a> <a href="https://photos.example.org/trip/full/1.jpg">again</a>
</body></html>
`

func TestSavedPageLinksResolveAgainstTheSavedFromComment(t *testing.T) {
	other, _ := url.Parse("https://wrong.example.net/")
	runScanCases(t, []scanCase{{
		name: "gallery",
		in:   savedGallery,
		opt:  Options{Base: other}, // the page's own address wins
		links: []Link{
			l(4, "https://photos.example.org/trip/full/1.jpg"),
			l(4, "https://photos.example.org/trip/thumbs/1.jpg"),
			l(5, "https://photos.example.org/trip/full/2.jpg"),
			l(5, "https://photos.example.org/trip/thumbs/2.jpg"),
			l(7, "https://cdn.example.org/v.mp4"),
			l(8, "https://photos.example.org/trip/full/3.jpg?size=big&v=2"),
		},
		dups: 1, // the absolute link to full/1.jpg
	}})
	_, sum := Parse(savedGallery)
	if sum.Base != "https://photos.example.org/trip/index.html" {
		t.Errorf("Summary.Base = %q", sum.Base)
	}
}

func TestBaseTagOutranksTheCommentAndIsNotALink(t *testing.T) {
	in := `<!-- saved from url=(0040)https://user:secret@site.example.org/a/b.html -->
<head><base href="/files/"></head>
<a href="x.zip">x</a>
`
	got, sum := Parse(in)
	want := []Link{l(3, "https://user:secret@site.example.org/files/x.zip")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("links = %+v, want %+v", got, want)
	}
	if strings.Contains(sum.Base, "secret") || !strings.HasPrefix(sum.Base, "https://user:xxxxx@site.example.org/files/") {
		t.Errorf("Summary.Base = %q, want the base with its password redacted", sum.Base)
	}

	// A later comment does not replace a <base> tag; an absolute <base>
	// on its own is the page address and not a download.
	got, _ = Parse(`<base href="https://cdn.example.org/set/">
<!-- saved from url=(0030)https://elsewhere.example.org/ -->
<img src="p.png">`)
	want = []Link{l(3, "https://cdn.example.org/set/p.png")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("links = %+v, want %+v", got, want)
	}
}

func TestRelativeLinksOnlyInHTML(t *testing.T) {
	base, _ := url.Parse("https://example.org/")
	// Prose that mentions a file name, and an aria2 list, stay as they are.
	var got []Link
	_, err := Scan(context.Background(), strings.NewReader("see photo.jpg for details\nhref=\"a.jpg\"\n"), Options{Base: base}, func(l Link) error {
		got = append(got, l)
		return nil
	})
	if err != nil || len(got) != 0 {
		t.Fatalf("Scan = %+v, %v; want no links from prose", got, err)
	}
}

func TestTagsReadsAttributes(t *testing.T) {
	got := tags(`<A HREF = "x.jpg" title='a > b' data-x=1 checked><img src=y.png/>`)
	if len(got) != 2 || got[0].name != "a" || got[0].attrs["href"] != "x.jpg" || got[0].attrs["title"] != "a > b" || got[1].attrs["src"] != "y.png/" {
		t.Errorf("tags = %+v", got)
	}
}

func TestKeyIgnoresCredentialsCaseAndDefaults(t *testing.T) {
	same := [][2]string{
		{"https://u:secret@X.example/a", "https://u:xxxxx@x.example/a"},
		{"https://x.example:443/a#part", "https://x.example/a"},
		{"http://x.example", "http://x.example/"},
		{"HTTP://x.example:80/a", "http://bob@x.example/a"},
	}
	for _, p := range same {
		if Key(p[0]) != Key(p[1]) {
			t.Errorf("Key(%q) = %q, Key(%q) = %q; want the same", p[0], Key(p[0]), p[1], Key(p[1]))
		}
	}
	differ := [][2]string{
		{"https://x.example/a", "http://x.example/a"},
		{"https://x.example/a", "https://x.example/A"},
		{"https://x.example/a?x=1", "https://x.example/a?x=2"},
		{"https://x.example:8443/a", "https://x.example/a"},
	}
	for _, p := range differ {
		if Key(p[0]) == Key(p[1]) {
			t.Errorf("Key(%q) == Key(%q); want them apart", p[0], p[1])
		}
	}
}
