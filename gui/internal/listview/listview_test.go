package listview

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/haul-dl/haul/engine"
)

func snap(id, name, url, dir string, st engine.State, total, recv int64, speed float64) engine.Snapshot {
	return engine.Snapshot{ID: id, Name: name, URL: url, Dir: dir, State: st, Total: total, Received: recv, Speed: speed}
}

// list is a small download list in the engine's order.
var list = []engine.Snapshot{
	snap("a", "Holiday.JPG", "https://photos.example.org/1", "/home/me/Pictures", engine.Completed, 100, 100, 0),
	snap("b", "debian.iso", "https://cdn.debian.example/iso", "/home/me/Downloads", engine.Active, 1000, 250, 50),
	snap("c", "notes.txt", "http://user:xxxxx@files.example.net/n", "/home/me/Downloads", engine.Queued, -1, 0, 0),
	snap("d", "movie.mkv", "https://cdn.debian.example/m", "/media/videos", engine.Failed, 500, 100, 0),
	snap("e", "song.mp3", "https://music.example.com/s", "/home/me/Music", engine.Paused, 300, 150, 0),
	snap("f", "big.zip", "https://photos.example.org/z", "/home/me/Downloads", engine.Canceled, 2000, 0, 0),
	snap("g", "clip.mp4", "https://cdn.debian.example/c", "/home/me/Downloads", engine.Active, 800, 700, 900),
}

func TestFilterMatchesNameHostAndFolder(t *testing.T) {
	cases := []struct {
		text string
		show Show
		want []string
	}{
		{"", ShowAll, []string{"a", "b", "c", "d", "e", "f", "g"}},
		{"holiday", ShowAll, []string{"a"}},                  // name, any case
		{"debian.example", ShowAll, []string{"b", "d", "g"}}, // host
		{"MUSIC", ShowAll, []string{"e"}},                    // folder
		{"downloads zip", ShowAll, []string{"f"}},            // every word must match
		{"xxxxx", ShowAll, nil},                              // not the redacted password
		{"/iso", ShowAll, nil},                               // not the URL's path
		{"", ShowActive, []string{"b", "g"}},
		{"", ShowPaused, []string{"e"}},
		{"", ShowQueued, []string{"c"}},
		{"", ShowCompleted, []string{"a"}},
		{"", ShowFailed, []string{"d", "f"}},
		{"cdn", ShowActive, []string{"b", "g"}},
	}
	for _, tc := range cases {
		got := Rows(list, Filter{Text: tc.text, Show: tc.show}, Order{})
		if !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Rows(%q, %v) = %v, want %v", tc.text, tc.show, got, tc.want)
		}
	}
}

func TestCountsPerChoiceIgnoreTheText(t *testing.T) {
	got := Counts(list)
	want := map[Show]int{ShowAll: 7, ShowActive: 2, ShowPaused: 1, ShowQueued: 1, ShowCompleted: 1, ShowFailed: 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Counts = %v, want %v", got, want)
	}
}

func TestSortEachKeyBothWays(t *testing.T) {
	cases := []struct {
		o    Order
		want []string
	}{
		{Order{ByAdded, false}, []string{"a", "b", "c", "d", "e", "f", "g"}},
		{Order{ByAdded, true}, []string{"g", "f", "e", "d", "c", "b", "a"}},
		{Order{ByName, false}, []string{"f", "g", "b", "a", "d", "c", "e"}},
		{Order{BySize, true}, []string{"f", "b", "g", "d", "e", "a", "c"}},
		{Order{ByProgress, false}, []string{"c", "f", "d", "b", "e", "g", "a"}}, // unknown (-1) first
		{Order{BySpeed, true}, []string{"g", "b", "a", "c", "d", "e", "f"}},     // ties keep the engine's order
		{Order{ByState, false}, []string{"b", "g", "c", "e", "d", "f", "a"}},
		{Order{ByState, true}, []string{"a", "f", "d", "e", "c", "b", "g"}},
	}
	for _, tc := range cases {
		if got := Rows(list, Filter{}, tc.o); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Rows sorted %v = %v, want %v", tc.o, got, tc.want)
		}
	}
}

func TestOrderRoundTripsThroughSettings(t *testing.T) {
	for _, k := range Keys {
		for _, desc := range []bool{false, true} {
			o := Order{k, desc}
			if got := ParseOrder(o.String()); got != o {
				t.Errorf("ParseOrder(%q) = %v, want %v", o.String(), got, o)
			}
		}
	}
	if got := ParseOrder("-bogus"); got != (Order{}) {
		t.Errorf("ParseOrder of a damaged setting = %v, want the default", got)
	}
}

func TestSelectionLikeAFileManager(t *testing.T) {
	shown := []string{"a", "b", "c", "d", "e"}
	var s Selection
	s.Click("b")
	s.Extend("d", shown) // Shift+click
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"b", "c", "d"}) {
		t.Fatalf("after shift+click: %v", got)
	}
	s.Extend("a", shown) // a new range from the same anchor
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("after second shift+click: %v", got)
	}
	s.Toggle("e") // Ctrl+click adds
	s.Toggle("a") // and takes away
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"b", "e"}) {
		t.Fatalf("after ctrl+clicks: %v", got)
	}
	s.Extend("c", shown) // extends from the last ctrl+clicked row, a
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Fatalf("shift+click after ctrl+click: %v", got)
	}
	s.All(shown)
	if s.Len() != 5 {
		t.Fatalf("Ctrl+A selected %d", s.Len())
	}
	s.Keep([]string{"b", "d"}) // the filter hid the others
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"b", "d"}) {
		t.Fatalf("after filtering: %v", got)
	}
	s.Clear()
	if s.Len() != 0 || s.Has("b") {
		t.Fatal("Clear left a selection")
	}
	s.Extend("c", shown) // no anchor: acts as a click
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"c"}) {
		t.Fatalf("shift+click without anchor: %v", got)
	}
}

func TestActionsApplyToTheRightStates(t *testing.T) {
	if got := Targets(Pause, list); !reflect.DeepEqual(got, []string{"b", "c", "g"}) {
		t.Errorf("Pause targets %v", got)
	}
	if got := Targets(Resume, list); !reflect.DeepEqual(got, []string{"e"}) {
		t.Errorf("Resume targets %v", got)
	}
	if got := Targets(Retry, list); !reflect.DeepEqual(got, []string{"d", "f"}) {
		t.Errorf("Retry targets %v", got)
	}
	if got := Targets(Remove, list); len(got) != len(list) {
		t.Errorf("Remove targets %v", got)
	}
	if a, ok := SpaceAction(list[3:5]); !ok || a != Resume { // failed + paused
		t.Errorf("Space on failed+paused = %v %v, want Resume", a, ok)
	}
	if a, ok := SpaceAction(list[:2]); !ok || a != Pause {
		t.Errorf("Space on completed+active = %v %v, want Pause", a, ok)
	}
	if a, ok := SpaceAction(list[3:4]); !ok || a != Retry {
		t.Errorf("Space on failed = %v %v, want Retry", a, ok)
	}
	if _, ok := SpaceAction(list[:1]); ok {
		t.Error("Space on a completed download does something")
	}
	want := []string{"/home/me/Pictures", "/home/me/Downloads", "/media/videos", "/home/me/Music"}
	if got := Folders(list); !reflect.DeepEqual(got, want) {
		t.Errorf("Folders = %v, want %v", got, want)
	}
}

// BenchmarkRows10000 is the filter-and-sort cost of a 10,000-row list on
// every keystroke; the window's target is 100 ms.
func BenchmarkRows10000(b *testing.B) {
	snaps := make([]engine.Snapshot, 10000)
	states := []engine.State{engine.Active, engine.Queued, engine.Completed, engine.Failed}
	for i := range snaps {
		snaps[i] = snap(fmt.Sprint(i), fmt.Sprintf("file-%05d.jpg", (i*7919)%10000),
			fmt.Sprintf("https://host%d.example.org/f", i%50), "/home/me/Downloads", states[i%4], int64(i*1000), int64(i*500), float64(i%100))
		snaps[i].Added = time.Unix(int64(i), 0)
	}
	b.ReportAllocs()
	for b.Loop() {
		Rows(snaps, Filter{Text: "host7 jpg", Show: ShowAll}, Order{Key: ByName, Desc: true})
	}
}

func TestStepMovesAndExtendsTheSelectionLikeAFileManager(t *testing.T) {
	shown := []string{"a", "b", "c", "d", "e"}
	var s Selection
	if i := s.Step(1, shown, false); i != 0 || !reflect.DeepEqual(s.IDs(shown), []string{"a"}) {
		t.Fatalf("Down with nothing selected: row %d, %v; want the first row", i, s.IDs(shown))
	}
	s.Clear()
	if i := s.Step(-1, shown, false); i != 4 || !reflect.DeepEqual(s.IDs(shown), []string{"e"}) {
		t.Fatalf("Up with nothing selected: row %d, %v; want the last row", i, s.IDs(shown))
	}
	s.Click("b")
	if i := s.Step(1, shown, false); i != 2 || !reflect.DeepEqual(s.IDs(shown), []string{"c"}) {
		t.Fatalf("Down from b: row %d, %v", i, s.IDs(shown))
	}
	s.Step(1, shown, true) // Shift+Down
	s.Step(1, shown, true)
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"c", "d", "e"}) {
		t.Fatalf("Shift+Down twice from c: %v", got)
	}
	if i := s.Step(1, shown, true); i != 4 {
		t.Fatalf("Shift+Down past the end reached row %d", i)
	}
	s.Step(-3, shown, true) // back over the anchor
	if got := s.IDs(shown); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Fatalf("Shift+Up past the anchor: %v", got)
	}
	if i := s.Jump(len(shown)-1, shown, false); i != 4 || !reflect.DeepEqual(s.IDs(shown), []string{"e"}) {
		t.Fatalf("End: row %d, %v", i, s.IDs(shown))
	}
	s.Jump(0, shown, true) // Shift+Home
	if got := s.IDs(shown); len(got) != 5 {
		t.Fatalf("Shift+Home from e: %v", got)
	}
	if i := s.Step(-1, shown, false); i != 0 {
		t.Fatalf("Up from the first row reached row %d", i)
	}
	if s.Step(1, nil, false) != -1 {
		t.Fatal("Step in an empty list reached a row")
	}
}
