package safename

import (
	"cmp"
	"mime"
	"net/url"
	"slices"
	"strings"
)

// fallbackName is used when neither the headers nor the URL offer a name.
const fallbackName = "download"

// Choose picks the name for a download, never "": the Content-Disposition
// file name, else the last segment of original, else a name derived from
// the host ("example.com" → "example.com.html" for an HTML page,
// "example.com.bin" when the type is unknown, so that Windows never sees a
// ".com" program). Each candidate is sanitized. A name without an extension
// gets the usual one for contentType (a Content-Type value), if any.
//
// original must be the URL the user asked for, never a redirect target:
// a redirect must not choose the name (wget CVE-2010-2252).
func Choose(contentDisposition string, original *url.URL, contentType string) string {
	ext := typeExt(contentType)
	name := Sanitize(FromContentDisposition(contentDisposition))
	if name == "" {
		name = Sanitize(FromURL(original))
	}
	if name == "" {
		name = fallbackName
		if original != nil {
			if host := Sanitize(original.Hostname()); host != "" {
				name = host
			}
		}
		if ext == "" {
			ext = ".bin"
		}
		return Sanitize(name + ext)
	}
	if ext != "" && !hasExt(name) {
		name = Sanitize(name + ext)
	}
	return name
}

// hasExt reports whether name ends in something that looks like an
// extension (".jpg", ".tar.gz"; not "v1.2").
func hasExt(name string) bool {
	_, ext := splitExt(name)
	return ext != ""
}

// preferredExt maps common media types to the extension users expect.
// mime.ExtensionsByType is consulted only for types missing here, because
// its answers depend on the system's mime.types and come in no fixed order.
var preferredExt = map[string]string{
	"application/epub+zip":                    ".epub",
	"application/gzip":                        ".gz",
	"application/javascript":                  ".js",
	"application/json":                        ".json",
	"application/msword":                      ".doc",
	"application/pdf":                         ".pdf",
	"application/vnd.android.package-archive": ".apk",
	"application/vnd.debian.binary-package":   ".deb",
	"application/vnd.ms-excel":                ".xls",
	"application/vnd.oasis.opendocument.text": ".odt",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.rar":          ".rar",
	"application/wasm":             ".wasm",
	"application/x-7z-compressed":  ".7z",
	"application/x-bittorrent":     ".torrent",
	"application/x-bzip2":          ".bz2",
	"application/x-gzip":           ".gz",
	"application/x-iso9660-image":  ".iso",
	"application/x-rar-compressed": ".rar",
	"application/x-tar":            ".tar",
	"application/x-xz":             ".xz",
	"application/xml":              ".xml",
	"application/zip":              ".zip",
	"application/zstd":             ".zst",
	"audio/aac":                    ".aac",
	"audio/flac":                   ".flac",
	"audio/mp4":                    ".m4a",
	"audio/mpeg":                   ".mp3",
	"audio/ogg":                    ".ogg",
	"audio/opus":                   ".opus",
	"audio/wav":                    ".wav",
	"audio/webm":                   ".weba",
	"audio/x-wav":                  ".wav",
	"font/otf":                     ".otf",
	"font/ttf":                     ".ttf",
	"font/woff":                    ".woff",
	"font/woff2":                   ".woff2",
	"image/avif":                   ".avif",
	"image/bmp":                    ".bmp",
	"image/gif":                    ".gif",
	"image/heic":                   ".heic",
	"image/jpeg":                   ".jpg",
	"image/pjpeg":                  ".jpg",
	"image/png":                    ".png",
	"image/svg+xml":                ".svg",
	"image/tiff":                   ".tiff",
	"image/vnd.microsoft.icon":     ".ico",
	"image/webp":                   ".webp",
	"image/x-icon":                 ".ico",
	"text/css":                     ".css",
	"text/csv":                     ".csv",
	"text/html":                    ".html",
	"text/javascript":              ".js",
	"text/markdown":                ".md",
	"text/plain":                   ".txt",
	"text/xml":                     ".xml",
	"video/mp4":                    ".mp4",
	"video/mpeg":                   ".mpeg",
	"video/ogg":                    ".ogv",
	"video/quicktime":              ".mov",
	"video/webm":                   ".webm",
	"video/x-matroska":             ".mkv",
	"video/x-msvideo":              ".avi",
}

// noExt lists types that say nothing about the content; a name never gets
// an extension from them (a Linux binary served as octet-stream must not
// become "tool.bin").
var noExt = map[string]bool{
	"application/octet-stream":   true,
	"application/force-download": true,
	"application/unknown":        true,
	"application/x-download":     true,
	"binary/octet-stream":        true,
}

// typeExt returns the extension for a Content-Type value, "" if unknown.
func typeExt(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		base, _, _ := strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(base))
	}
	if mt == "" || noExt[mt] {
		return ""
	}
	if ext, ok := preferredExt[mt]; ok {
		return ext
	}
	exts, err := mime.ExtensionsByType(mt)
	if err != nil || len(exts) == 0 {
		return ""
	}
	// Deterministic pick: shortest, then alphabetical.
	slices.SortFunc(exts, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	})
	for _, e := range exts {
		if isExt(strings.TrimPrefix(e, ".")) {
			return strings.ToLower(e)
		}
	}
	return ""
}
