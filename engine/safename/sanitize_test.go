package safename

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	long := strings.Repeat("a", 1000)
	tests := []struct {
		name, in, want string
	}{
		{"plain", "report.pdf", "report.pdf"},
		{"unicode kept", "naïve 日本語 🎉.txt", "naïve 日本語 🎉.txt"},
		{"empty", "", ""},
		{"unix traversal", "../../etc/passwd", "passwd"},
		{"windows path", `C:\Windows\x.exe`, "x.exe"},
		{"mixed separators", `a/b\c`, "c"},
		{"trailing slash", "dir/", ""},
		{"dot", ".", ""},
		{"dot dot", "..", ""},
		{"only dots", "...", ""},
		{"drive prefix", "C:x", "C_x"},
		{"alternate data stream", "file.txt:Zone.Identifier", "file.txt_Zone.Identifier"},
		{"forbidden chars", `a<b>c"d|e?f*g.txt`, "a_b_c_d_e_f_g.txt"},
		{"slash look-alikes", "Documents\u2215evil\uff0fx.exe", "Documents_evil_x.exe"},
		{"NUL byte", "a\x00b.txt", "ab.txt"},
		{"C0 controls", "a\x01\x07\x7fb", "ab"},
		{"C1 control", "a\u0085b\u0090c", "a bc"},
		{"ANSI colour", "\x1b[31mred\x1b[0m.txt", "red.txt"},
		{"ANSI OSC title", "\x1b]0;pwned\x07name.txt", "name.txt"},
		{"ANSI OSC with ST", "\x1b]8;;x\x1b\\link.txt", "link.txt"},
		{"C1 CSI", "\u009b2Jclear.txt", "clear.txt"},
		{"lone ESC", "a\x1b", "a"},
		{"RLO spoof", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"bidi isolates and marks", "a\u2066b\u2069c\u200e\u200f\u061cd", "abcd"},
		{"leading dot", ".bashrc", "bashrc"},
		{"leading dots and spaces", " . .hidden", "hidden"},
		{"trailing dots and spaces", "name. . ", "name"},
		{"whitespace collapsed", "  a \t\n b   c  ", "a b c"},
		{"unicode spaces", "a\u00a0\u3000b", "a b"},
		{"invalid utf8", "a\xffb.txt", "a_b.txt"},
		{"reserved", "CON", "CON_"},
		{"reserved lower with ext", "con.txt", "con_.txt"},
		{"reserved double ext", "NUL.tar.gz", "NUL_.tar.gz"},
		{"reserved trailing space before ext", "aux .txt", "aux_ .txt"},
		{"reserved COM", "COM1.log", "COM1_.log"},
		{"reserved LPT9", "lpt9", "lpt9_"},
		{"reserved COM0", "com0", "com0_"},
		{"reserved superscript", "COM\u00b9.txt", "COM\u00b9_.txt"},
		{"reserved CONIN$", "conin$", "conin$_"},
		{"reserved CONOUT$", "CONOUT$.txt", "CONOUT$_.txt"},
		{"reserved via trailing dot", "PRN.", "PRN_"},
		{"not reserved COM10", "COM10", "COM10"},
		{"not reserved CONSOLE", "console.txt", "console.txt"},
		{"long keeps extension", long + ".jpg", long[:MaxBytes-4] + ".jpg"},
		{"long keeps tar.gz", long + ".tar.gz", long[:MaxBytes-7] + ".tar.gz"},
		{"long absurd extension", "a." + long, "a." + long[:MaxBytes-2]},
		{"long multibyte", strings.Repeat("é", 200), strings.Repeat("é", MaxBytes/2)},
		{"long cut at trailing dot", strings.Repeat("a", MaxBytes-1) + ". b", strings.Repeat("a", MaxBytes-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.in)
			if got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if err := checkSafe(got); err != "" {
				t.Errorf("Sanitize(%q) = %q: %s", tt.in, got, err)
			}
		})
	}
}

func TestSanitizeLongUTF8Boundary(t *testing.T) {
	// 3-byte runes do not divide MaxBytes-4 evenly: the cut must not split one.
	in := strings.Repeat("日", 300) + ".png"
	got := Sanitize(in)
	if !utf8.ValidString(got) || len(got) > MaxBytes || !strings.HasSuffix(got, "日.png") {
		t.Fatalf("Sanitize(300×日.png) = %q (%d bytes)", got, len(got))
	}
}
