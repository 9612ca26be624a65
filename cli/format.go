package cli

import (
	"path"
	"strings"

	"github.com/rivo/uniseg"
)

// Terminal cell widths come from github.com/rivo/uniseg: it follows
// Unicode's grapheme clusters and East Asian Width tables, so an emoji
// (with its skin tone or ZWJ sequence), a CJK character or a letter with
// combining marks takes the columns a terminal gives it, and a cut never
// splits one of them.

// textWidth is the number of terminal columns s takes.
func textWidth(s string) int { return uniseg.StringWidth(s) }

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
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > w-1 {
			break
		}
		b.WriteString(g.Str())
		used += cw
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
	// Take whole clusters worth at most tail columns from the end.
	var starts, widths []int
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		from, _ := g.Positions()
		starts = append(starts, from)
		widths = append(widths, g.Width())
	}
	end := len(s)
	used := 0
	for i := len(starts) - 1; i >= 0 && used+widths[i] <= tail; i-- {
		used += widths[i]
		end = starts[i]
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
