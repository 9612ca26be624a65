package safename

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkSafe returns why name is not a safe single path element, or "" if
// it is. These are the invariants of Sanitize, checked by the fuzz tests:
//
//   - the result is "" or valid UTF-8 of at most MaxBytes bytes;
//   - it contains no '/', '\', NUL or other control character, no bidi
//     formatting character and none of the Windows-forbidden <>:"|?*;
//   - it is not "." or "..", has no leading dot, no leading or trailing
//     space and no trailing dot;
//   - it is not a Windows reserved device name, with or without extension;
//   - filepath.Base(result) == result.
//
// Idempotency (Sanitize(Sanitize(x)) == Sanitize(x)) is checked separately.
func checkSafe(name string) string {
	if name == "" {
		return ""
	}
	switch {
	case !utf8.ValidString(name):
		return "invalid UTF-8"
	case len(name) > MaxBytes:
		return "longer than MaxBytes"
	case name == "." || name == "..":
		return "dot name"
	case strings.HasPrefix(name, "."):
		return "leading dot"
	case strings.HasPrefix(name, " "):
		return "leading space"
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return "trailing dot or space"
	case strings.ContainsAny(name, `/\<>:"|?*`):
		return "separator or forbidden character"
	case strings.ContainsFunc(name, func(r rune) bool { return isControl(r) || isBidi(r) }):
		return "control or bidi character"
	case filepath.Base(name) != name:
		return "not its own base name"
	}
	stem, _, _ := strings.Cut(name, ".")
	if isReservedStem(strings.TrimRight(stem, " ")) {
		return "Windows reserved name"
	}
	return ""
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"report.pdf", "../x", "CON.txt", "\x1b[31m.a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Sanitize(in)
		if why := checkSafe(got); why != "" {
			t.Fatalf("Sanitize(%q) = %q: %s", in, got, why)
		}
		if again := Sanitize(got); again != got {
			t.Fatalf("not idempotent: Sanitize(%q) = %q, Sanitize of that = %q", in, got, again)
		}
	})
}

func FuzzContentDisposition(f *testing.F) {
	f.Add(`attachment; filename="a.jpg"`, "https://example.com/x", "image/png")
	f.Add(`attachment; filename*=UTF-8''%E2%80%AEgpj.exe`, "https://example.com/", "text/html")
	f.Add(`filename="broken`, "http://[::1]:80/..%2F..%2Fetc", "")
	f.Fuzz(func(t *testing.T, header, rawURL, contentType string) {
		_ = FromContentDisposition(header) // must not panic
		u, err := url.Parse(rawURL)
		if err != nil {
			u = nil
		}
		got := Choose(header, u, contentType)
		if got == "" {
			t.Fatalf("Choose(%q, %q, %q) = \"\"", header, rawURL, contentType)
		}
		if why := checkSafe(got); why != "" {
			t.Fatalf("Choose(%q, %q, %q) = %q: %s", header, rawURL, contentType, got, why)
		}
	})
}
