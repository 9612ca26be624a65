package mpd

import (
	"mime"
	"net/url"
	"strings"
)

// IsManifestURL reports whether u looks like a DASH manifest: its path
// (not its query) ends in .mpd, in any case.
func IsManifestURL(u *url.URL) bool {
	return u != nil && strings.HasSuffix(strings.ToLower(u.Path), ".mpd")
}

// IsManifestType reports whether a Content-Type header value is a DASH
// manifest's (application/dash+xml), in any case, with or without
// parameters.
func IsManifestType(contentType string) bool {
	t, _, _ := mime.ParseMediaType(contentType)
	return t == "application/dash+xml"
}
