package addlist

import (
	"reflect"
	"testing"

	"github.com/haul-dl/haul/engine/links"
)

const pasted = `Photos from the trip:
https://photos.example.org/img[001-120].jpg
https://u:secret@files.example.org/report.pdf
ftp://old.example.org/file.zip
https://cdn.example.org/video.mp4 and again https://CDN.example.org:443/video.mp4
https://photos.example.org/img[1-2].png
`

func TestNewListsLinksPatternsAndRejections(t *testing.T) {
	found, sum := links.Parse(pasted)
	known := KnownURLs([]string{"https://u:xxxxx@files.example.org/report.pdf", "https://example.net/other"})
	l := New(found, sum, known)

	if len(l.Entries) != 124 {
		t.Fatalf("%d entries, want 120 + report + video + 2", len(l.Entries))
	}
	want := []Pattern{
		{Line: 2, Text: "https://photos.example.org/img[001-120].jpg", Count: 120},
		{Line: 6, Text: "https://photos.example.org/img[1-2].png", Count: 2},
	}
	if !reflect.DeepEqual(l.Patterns, want) {
		t.Errorf("patterns = %+v, want %+v", l.Patterns, want)
	}
	report := l.Entries[120]
	if report.Link.URL != "https://u:secret@files.example.org/report.pdf" || !report.Existing || report.Checked {
		t.Errorf("the report, already in the list, = %+v; want marked and unticked", report)
	}
	if l.CheckedCount() != 123 || l.ExistingCount() != 1 {
		t.Errorf("checked %d, existing %d; want 123 and 1", l.CheckedCount(), l.ExistingCount())
	}
	if l.RejectedCount != 1 || l.Rejected[0].Line != 4 {
		t.Errorf("rejected %+v, want line 4 (ftp)", l.Rejected)
	}
	if l.Duplicates != 1 {
		t.Errorf("duplicates = %d, want 1 (the video twice on line 5)", l.Duplicates)
	}
}

func TestTickBoxesDecideWhatIsAdded(t *testing.T) {
	found, sum := links.Parse("https://a.example/1\nhttps://a.example/2\nhttps://a.example/3\n")
	l := New(found, sum, KnownURLs([]string{"https://a.example/3"}))
	l.Set(0, false)
	l.Set(0, false) // twice is once
	got := l.Checked()
	if len(got) != 1 || got[0].URL != "https://a.example/2" || l.CheckedCount() != 1 {
		t.Fatalf("after unticking 1: %+v (count %d)", got, l.CheckedCount())
	}
	l.SetAll(true, false) // "all" leaves the known one alone
	if l.CheckedCount() != 2 || l.Entries[2].Checked {
		t.Fatalf("tick all: count %d, known ticked %v", l.CheckedCount(), l.Entries[2].Checked)
	}
	l.SetAll(true, true)
	if l.CheckedCount() != 3 {
		t.Fatalf("tick all with known: %d", l.CheckedCount())
	}
	l.SetAll(false, false)
	if l.CheckedCount() != 0 || len(l.Checked()) != 0 {
		t.Fatalf("untick all: %d", l.CheckedCount())
	}
	l.Set(7, true) // out of range: ignored
	if l.CheckedCount() != 0 {
		t.Fatal("an out-of-range Set changed the count")
	}
}

func TestUnresolvedPageLinksAreReported(t *testing.T) {
	found, sum := links.Parse(`<a href="a.zip">a</a> <a href="b.zip">b</a>`)
	l := New(found, sum, nil)
	if len(l.Entries) != 0 || l.Unresolved != 2 {
		t.Errorf("entries %d, unresolved %d; want 0 and 2 (the dialog asks for the page's address)", len(l.Entries), l.Unresolved)
	}
}
