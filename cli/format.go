package cli

import (
	"fmt"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// formatSize writes a byte count the way people read it: "512 B",
// "1.5 MiB", "300 KiB" (binary units; one decimal below 100).
func formatSize(n int64) string {
	if n < 0 {
		return "?"
	}
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if v < 99.95 {
		s := fmt.Sprintf("%.1f %s", v, units[u])
		return s
	}
	if v >= 1023.5 && u < len(units)-1 { // rounds up to the next unit
		return fmt.Sprintf("1.0 %s", units[u+1])
	}
	return fmt.Sprintf("%.0f %s", v, units[u])
}

// formatSpeed writes bytes per second: "300 KiB/s".
func formatSpeed(bps float64) string {
	if bps < 0 {
		bps = 0
	}
	return formatSize(int64(bps+0.5)) + "/s"
}

// formatETA writes a time left: "12s", "4m05s", "2h03m"; "" when unknown.
func formatETA(d time.Duration) string {
	if d < 0 {
		return ""
	}
	s := int64((d + time.Second - 1) / time.Second) // round up: never show 0s early
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 100*3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
	return ">99h"
}

// formatElapsed writes how long a run took: "4.2 s", "3m07s".
func formatElapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return formatETA(d)
}

// runeWidth is the number of terminal columns r takes: 0 for combining
// marks, 2 for East Asian wide characters and most emoji, 1 otherwise.
func runeWidth(r rune) int {
	switch {
	case r == 0 || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200d':
		return 0
	case r >= 0x1100 && r <= 0x115f, // Hangul Jamo
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f, // CJK ... Yi
		r >= 0xac00 && r <= 0xd7a3,                // Hangul syllables
		r >= 0xf900 && r <= 0xfaff,                // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f,                // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60,                // full-width forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, // pictographs, emoticons
		r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd:
		return 2
	}
	return 1
}

// textWidth is the number of terminal columns s takes.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// fitWidth shortens s to at most w columns, marking a cut with "…".
func fitWidth(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if textWidth(s) <= w {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := runeWidth(r)
		if used+rw > w-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	b.WriteString("…")
	return b.String()
}

// fitMiddle shortens s to at most w columns by cutting its middle, which
// keeps a file name's extension visible: "a-very-lo…name.iso".
func fitMiddle(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	if w < 8 {
		return fitWidth(s, w)
	}
	tail := (w - 1) / 3
	if ext := textWidth(path.Ext(s)); ext <= 10 && ext+2 > tail && w-1-(ext+2) >= 4 {
		tail = ext + 2 // keep the extension and a little before it
	}
	head := w - 1 - tail
	// Take tail columns from the end.
	end := len(s)
	used := 0
	for end > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:end])
		if used+runeWidth(r) > tail {
			break
		}
		used += runeWidth(r)
		end -= size
	}
	headText := fitWidth(s[:end], head+1) // fitWidth adds the "…"
	if !strings.HasSuffix(headText, "…") {
		headText += "…"
	}
	return headText + s[end:]
}

// padRight pads s with spaces to w columns.
func padRight(s string, w int) string {
	if n := w - textWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
