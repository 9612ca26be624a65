package hls

import (
	"mime"
	"net/url"
	"strings"
)

// IsPlaylistURL reports whether u looks like an HLS playlist: its path
// (not its query) ends in .m3u8, in any case.
func IsPlaylistURL(u *url.URL) bool {
	return u != nil && strings.HasSuffix(strings.ToLower(u.Path), ".m3u8")
}

// IsPlaylistType reports whether a Content-Type header value is an HLS
// playlist's: application/vnd.apple.mpegurl, application/x-mpegurl or
// audio/mpegurl (also audio/x-mpegurl), in any case, with or without
// parameters.
func IsPlaylistType(contentType string) bool {
	// On a malformed parameter list ParseMediaType still returns the
	// type, lower-cased, along with ErrInvalidMediaParameter.
	t, _, _ := mime.ParseMediaType(contentType)
	switch t {
	case "application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl":
		return true
	}
	return false
}
