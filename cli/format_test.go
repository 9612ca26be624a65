package cli

import "testing"

func TestTextWidth(t *testing.T) {
	cases := map[string]int{"": 0, "abc": 3, "日本語": 6, "é": 1, "e\u0301": 1, "😀x": 3, "한국": 4,
		"🚀": 2, "a🚀b": 4, "👍🏽": 2, "👨\u200d👩\u200d👧": 2, "🇩🇪": 2}
	for s, want := range cases {
		if got := textWidth(s); got != want {
			t.Errorf("textWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestFitWidth(t *testing.T) {
	if got := fitWidth("short", 10); got != "short" {
		t.Errorf("fitWidth kept %q", got)
	}
	if got := fitWidth("abcdefghij", 5); got != "abcd…" {
		t.Errorf("fitWidth = %q", got)
	}
	if got := fitWidth("日本語のファイル", 7); textWidth(got) > 7 || got != "日本語…" {
		t.Errorf("fitWidth wide = %q (%d columns)", got, textWidth(got))
	}
	if got := fitWidth("abc", 0); got != "" {
		t.Errorf("fitWidth(0) = %q", got)
	}
}

func TestFitMiddleKeepsExtension(t *testing.T) {
	name := "ubuntu-24.04.1-desktop-amd64-with-a-very-long-suffix.iso"
	for _, w := range []int{8, 12, 20, 30} {
		got := fitMiddle(name, w)
		if textWidth(got) > w {
			t.Errorf("fitMiddle(%d) = %q is %d columns", w, got, textWidth(got))
		}
		if got[len(got)-4:] != ".iso" && w >= 12 {
			t.Errorf("fitMiddle(%d) = %q lost the extension", w, got)
		}
	}
	if got := fitMiddle("a.iso", 30); got != "a.iso" {
		t.Errorf("fitMiddle shortened a short name: %q", got)
	}
	if got := fitMiddle("写真-2024-夏休み-海辺の風景.jpg", 15); textWidth(got) > 15 {
		t.Errorf("fitMiddle wide = %q is %d columns", got, textWidth(got))
	}
}

func TestFitWidthKeepsClustersWhole(t *testing.T) {
	// A cut lands between clusters, never inside an emoji sequence or
	// between a letter and its accent.
	if got := fitWidth("🚀🚀🚀🚀", 5); got != "🚀🚀…" || textWidth(got) > 5 {
		t.Errorf("fitWidth(rockets, 5) = %q (%d columns), want two rockets and …", got, textWidth(got))
	}
	if got := fitWidth("e\u0301e\u0301e\u0301e\u0301", 3); got != "e\u0301e\u0301…" {
		t.Errorf("fitWidth(accents, 3) = %q", got)
	}
	if got := fitMiddle("launch-🚀🚀🚀🚀🚀🚀🚀🚀-day.png", 16); textWidth(got) > 16 || got[len(got)-4:] != ".png" {
		t.Errorf("fitMiddle(emoji name, 16) = %q, %d columns", got, textWidth(got))
	}
	if got := padRight("🚀", 4); got != "🚀  " {
		t.Errorf("padRight(rocket, 4) = %q, want two spaces after it", got)
	}
}
