package safename

import "testing"

func TestDisplay(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "report.pdf", "report.pdf"},
		{"unicode kept", "naïve 日本語 🎉 👩‍💻", "naïve 日本語 🎉 👩‍💻"},
		{"ANSI escape visible", "\x1b[2Jx", `\x1b[2Jx`},
		{"newline and tab", "a\nb\tc", `a\x0ab\x09c`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 control", "a\u009bb", `a\u009bb`},
		{"RLO spoof", "invoice\u202Efdp.exe", `invoice\u202efdp.exe`},
		{"isolates and marks", "\u2066\u2069\u200e\u200f\u061c", `\u2066\u2069\u200e\u200f\u061c`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"invisible format characters", "zero\u200bwidth\ufeff\u00adsoft\u2060", `zero\u200bwidth\ufeff\u00adsoft\u2060`},
		{"emoji sequences kept", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f 👨\u200d👩\u200d👧", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f 👨\u200d👩\u200d👧"},
		{"invalid utf8", "a\xff\xfeb", "a\uFFFD\uFFFDb"},
		{"literal replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Display(tt.in); got != tt.want {
				t.Errorf("Display(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
