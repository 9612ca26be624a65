package safename

import (
	"mime"
	"net/url"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	tests := []struct {
		name, cd, url, ct, want string
	}{
		{"header wins over url", `attachment; filename="from-header.pdf"`, "https://x.test/from-url.pdf", "application/pdf", "from-header.pdf"},
		{"header sanitized", `attachment; filename="../../.bashrc"`, "https://x.test/u.txt", "", "bashrc"},
		{"header unusable falls to url", `attachment; filename="..."`, "https://x.test/u.txt", "", "u.txt"},
		{"no header uses url", "", "https://x.test/dl/file.zip?token=1", "application/zip", "file.zip"},
		{"url sanitized", "", "https://x.test/a/..%2F..%2Fetc%2Fpasswd", "", "passwd"},
		{"url segment reserved", "", "https://x.test/con", "", "con_"},
		{"ext from type", "", "https://x.test/image", "image/jpeg", "image.jpg"},
		{"ext from type with params", "", "https://x.test/watch?v=1", "text/html; charset=utf-8", "watch.html"},
		{"ext from type case-insensitive", "", "https://x.test/clip", "Video/MP4", "clip.mp4"},
		{"existing ext kept", "", "https://x.test/index.php", "text/html", "index.php"},
		{"existing double ext kept", "", "https://x.test/src.tar.gz", "application/gzip", "src.tar.gz"},
		{"version number is not an ext", "", "https://x.test/tool-v1.2", "application/zip", "tool-v1.2.zip"},
		{"octet-stream adds nothing", "", "https://x.test/tool-linux-amd64", "application/octet-stream", "tool-linux-amd64"},
		{"unknown type adds nothing", "", "https://x.test/thing", "application/x-nothing-known", "thing"},
		{"malformed type still mapped", "", "https://x.test/pic", "image/png; charset", "pic.png"},
		{"host fallback html", "", "https://example.com/", "text/html", "example.com.html"},
		{"host fallback without port", "", "http://example.com:8080/dir/", "image/webp", "example.com.webp"},
		{"host fallback unknown type", "", "https://example.com", "", "example.com.bin"},
		{"host fallback ip v6", "", "http://[::1]/", "text/plain", "__1.txt"},
		{"no host", "", "file:///", "application/pdf", "download.pdf"},
		{"header name gets ext", `attachment; filename="readme"`, "https://x.test/", "text/plain", "readme.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatalf("url.Parse(%q): %v", tt.url, err)
			}
			if got := Choose(tt.cd, u, tt.ct); got != tt.want {
				t.Errorf("Choose(%q, %q, %q) = %q, want %q", tt.cd, tt.url, tt.ct, got, tt.want)
			}
		})
	}
}

func TestChooseNilURL(t *testing.T) {
	if got := Choose("", nil, ""); got != "download.bin" {
		t.Errorf("Choose with nothing = %q, want download.bin", got)
	}
}

func TestChooseLongNameKeepsTypeExt(t *testing.T) {
	u := &url.URL{Scheme: "https", Host: "x.test", Path: "/" + strings.Repeat("b", 300)}
	got := Choose("", u, "image/png")
	if len(got) > MaxBytes || !strings.HasSuffix(got, ".png") {
		t.Errorf("Choose(long, image/png) = %q (%d bytes), want ≤ %d bytes ending .png", got, len(got), MaxBytes)
	}
}

func TestTypeExtMimeFallback(t *testing.T) {
	// A type missing from the preferred table is looked up in package mime.
	if err := mime.AddExtensionType(".hltst", "application/x-haul-test"); err != nil {
		t.Fatal(err)
	}
	if got := typeExt("application/x-haul-test"); got != ".hltst" {
		t.Errorf("typeExt(application/x-haul-test) = %q, want .hltst", got)
	}
}
