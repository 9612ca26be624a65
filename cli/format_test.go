package cli

import (
	"testing"
	"time"
)

func TestFormatSize(t *testing.T) {
	cases := map[int64]string{
		-1:              "?",
		0:               "0 B",
		1023:            "1023 B",
		1024:            "1.0 KiB",
		1536:            "1.5 KiB",
		300 * 1024:      "300 KiB",
		99*1024 + 1000:  "100 KiB",
		1<<20 - 1:       "1.0 MiB",
		3 << 19:         "1.5 MiB",
		12897485:        "12.3 MiB",
		5 << 30:         "5.0 GiB",
		1<<30 - 1<<20:   "1023 MiB",
		1<<30 - 1:       "1.0 GiB",
		1 << 40:         "1.0 TiB",
		1<<62 + 1<<61:   "6.0 EiB",
		1023*1024 + 512: "1.0 MiB",
	}
	for n, want := range cases {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatSpeed(t *testing.T) {
	cases := map[float64]string{0: "0 B/s", -5: "0 B/s", 300 * 1024: "300 KiB/s", 2.9 * (1 << 20): "2.9 MiB/s", 512.4: "512 B/s"}
	for bps, want := range cases {
		if got := formatSpeed(bps); got != want {
			t.Errorf("formatSpeed(%v) = %q, want %q", bps, got, want)
		}
	}
}

func TestFormatETA(t *testing.T) {
	cases := map[time.Duration]string{
		-1:                          "",
		0:                           "0s",
		1500 * time.Millisecond:     "2s",
		59 * time.Second:            "59s",
		65 * time.Second:            "1m05s",
		2*time.Hour + 3*time.Minute: "2h03m",
		200 * time.Hour:             ">99h",
	}
	for d, want := range cases {
		if got := formatETA(d); got != want {
			t.Errorf("formatETA(%v) = %q, want %q", d, got, want)
		}
	}
	if got := formatElapsed(4200 * time.Millisecond); got != "4.2 s" {
		t.Errorf("formatElapsed(4.2s) = %q", got)
	}
	if got := formatElapsed(187 * time.Second); got != "3m07s" {
		t.Errorf("formatElapsed(187s) = %q", got)
	}
}

func TestTextWidth(t *testing.T) {
	cases := map[string]int{"": 0, "abc": 3, "日本語": 6, "é": 1, "e\u0301": 1, "😀x": 3, "한국": 4}
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
