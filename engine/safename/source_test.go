package safename

import (
	"net/url"
	"testing"
)

func TestFromContentDisposition(t *testing.T) {
	tests := []struct {
		name, header, want string
	}{
		{"quoted", `attachment; filename="a.jpg"`, "a.jpg"},
		{"utf-8 ext-value", `attachment; filename*=UTF-8''na%C3%AFve%20file.txt`, "naïve file.txt"},
		{"filename* wins after", `attachment; filename="fallback.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt`, "€ rates.txt"},
		{"filename* wins before", `attachment; filename*=UTF-8''real.txt; filename="fallback.txt"`, "real.txt"},
		{"unquoted with spaces", `inline; filename=unquoted name.png`, "unquoted name.png"},
		{"traversal returned raw", `attachment; filename="../../etc/passwd"`, "../../etc/passwd"},
		{"iso-8859-1 ext-value", `attachment; filename*=iso-8859-1'en'%A3%20rates.txt`, "£ rates.txt"},
		{"iso-8859-1 is read as windows-1252", `attachment; filename*=ISO-8859-1''%80.txt`, "€.txt"},
		{"mislabelled utf-8 ext-value", `attachment; filename*=UTF-8''caf%E9.txt`, "café.txt"},
		{"unknown charset falls back", `attachment; filename*=Shift_JIS''%82%A0.txt; filename="plain.txt"`, "plain.txt"},
		{"unknown charset ascii", `attachment; filename*=koi8-r''ascii.txt`, "ascii.txt"},
		{"malformed ext-value falls back", `attachment; filename*=nonsense; filename="ok.txt"`, "ok.txt"},
		{"quoted ext-value", `attachment; filename*="UTF-8''q%20x.txt"`, "q x.txt"},
		{"unterminated quote", `attachment; filename="broken`, "broken"},
		{"no disposition type", `filename=a.jpg`, "a.jpg"},
		{"empty", ``, ""},
		{"type only", `attachment`, ""},
		{"empty filename", `attachment; filename=""`, ""},
		{"case-insensitive names", `Attachment; FileName="Up.txt"`, "Up.txt"},
		{"spaces around equals", `attachment; filename = "sp.txt" ;`, "sp.txt"},
		{"escaped quote", `attachment; filename="a\"b.txt"`, `a"b.txt`},
		{"semicolon in quotes", `attachment; filename="a;b.txt"; size=3`, "a;b.txt"},
		{"percent-encoded plain", `attachment; filename="%E6%97%A5%E6%9C%AC.pdf"`, "日本.pdf"},
		{"percent sign kept", `attachment; filename="100% real.txt"`, "100% real.txt"},
		{"percent not utf-8 kept", `attachment; filename="a%FF.txt"`, "a%FF.txt"},
		{"rfc 2047", `attachment; filename="=?UTF-8?B?w6l0w6kudHh0?="`, "été.txt"},
		{"raw latin-1 bytes", "attachment; filename=\"caf\xe9.txt\"", "café.txt"},
		{"raw utf-8 bytes", `attachment; filename="日本.txt"`, "日本.txt"},
		{"rfc 2231 continuation", `attachment; filename*0*=UTF-8''a%20; filename*1=b.txt`, "a b.txt"},
		{"other params only", `attachment; size=10`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FromContentDisposition(tt.header); got != tt.want {
				t.Errorf("FromContentDisposition(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestFromURL(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"https://example.com/files/report.pdf", "report.pdf"},
		{"https://example.com/a/na%C3%AFve%20file.txt", "naïve file.txt"},
		{"https://example.com/dir/", ""},
		{"https://example.com", ""},
		{"https://example.com/", ""},
		{"https://example.com/get.php?file=x.zip&y=1#frag", "get.php"},
		{"https://example.com/a%2Fb.txt", "a/b.txt"},
		{"https://example.com/x/..%2F..%2Fetc%2Fpasswd", "../../etc/passwd"},
		{"https://example.com/100%25.txt", "100%.txt"},
		{"https://example.com/a+b.txt", "a+b.txt"},
		{"mailto:someone@example.com", ""},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.raw)
		if err != nil {
			t.Fatalf("url.Parse(%q): %v", tt.raw, err)
		}
		if got := FromURL(u); got != tt.want {
			t.Errorf("FromURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
	if got := FromURL(nil); got != "" {
		t.Errorf("FromURL(nil) = %q, want \"\"", got)
	}
}
