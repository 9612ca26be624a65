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

// preferredExt maps common media types to the extension users expect, ""
// for types it does not know. mime.ExtensionsByType is consulted only for
// those, because its answers depend on the system's mime.types and come in
// no fixed order.
func preferredExt(mediaType string) string {
	switch mediaType {
	case "application/epub+zip":
		return ".epub"
	case "application/gzip", "application/x-gzip":
		return ".gz"
	case "application/javascript", "text/javascript":
		return ".js"
	case "application/json":
		return ".json"
	case "application/msword":
		return ".doc"
	case "application/pdf":
		return ".pdf"
	case "application/vnd.android.package-archive":
		return ".apk"
	case "application/vnd.debian.binary-package":
		return ".deb"
	case "application/vnd.ms-excel":
		return ".xls"
	case "application/vnd.oasis.opendocument.text":
		return ".odt"
	case "application/vnd.openxmlformats-officedocument.presentationml.presentation":
		return ".pptx"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return ".xlsx"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return ".docx"
	case "application/vnd.rar", "application/x-rar-compressed":
		return ".rar"
	case "application/wasm":
		return ".wasm"
	case "application/x-7z-compressed":
		return ".7z"
	case "application/x-bittorrent":
		return ".torrent"
	case "application/x-bzip2":
		return ".bz2"
	case "application/x-iso9660-image":
		return ".iso"
	case "application/x-tar":
		return ".tar"
	case "application/x-xz":
		return ".xz"
	case "application/xml", "text/xml":
		return ".xml"
	case "application/zip":
		return ".zip"
	case "application/zstd":
		return ".zst"
	case "audio/aac":
		return ".aac"
	case "audio/flac":
		return ".flac"
	case "audio/mp4":
		return ".m4a"
	case "audio/mpeg":
		return ".mp3"
	case "audio/ogg":
		return ".ogg"
	case "audio/opus":
		return ".opus"
	case "audio/wav", "audio/x-wav":
		return ".wav"
	case "audio/webm":
		return ".weba"
	case "font/otf":
		return ".otf"
	case "font/ttf":
		return ".ttf"
	case "font/woff":
		return ".woff"
	case "font/woff2":
		return ".woff2"
	case "image/avif":
		return ".avif"
	case "image/bmp":
		return ".bmp"
	case "image/gif":
		return ".gif"
	case "image/heic":
		return ".heic"
	case "image/jpeg", "image/pjpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/svg+xml":
		return ".svg"
	case "image/tiff":
		return ".tiff"
	case "image/vnd.microsoft.icon", "image/x-icon":
		return ".ico"
	case "image/webp":
		return ".webp"
	case "text/css":
		return ".css"
	case "text/csv":
		return ".csv"
	case "text/html":
		return ".html"
	case "text/markdown":
		return ".md"
	case "text/plain":
		return ".txt"
	case "video/mp4":
		return ".mp4"
	case "video/mpeg":
		return ".mpeg"
	case "video/ogg":
		return ".ogv"
	case "video/quicktime":
		return ".mov"
	case "video/webm":
		return ".webm"
	case "video/x-matroska":
		return ".mkv"
	case "video/x-msvideo":
		return ".avi"
	}
	return ""
}

// isVague reports whether a media type says nothing about the content; a
// name never gets an extension from it (a Linux binary served as
// octet-stream must not become "tool.bin").
func isVague(mediaType string) bool {
	switch mediaType {
	case "application/octet-stream", "application/force-download",
		"application/unknown", "application/x-download", "binary/octet-stream":
		return true
	}
	return false
}

// typeExt returns the extension for a Content-Type value, "" if unknown.
func typeExt(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		base, _, _ := strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(base))
	}
	if mt == "" || isVague(mt) {
		return ""
	}
	if ext := preferredExt(mt); ext != "" {
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
