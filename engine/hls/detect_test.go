package hls

import (
	"net/url"
	"testing"
)

func TestIsPlaylistURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://e.com/v/index.m3u8":            true,
		"https://e.com/v/INDEX.M3U8":            true,
		"http://e.com/live/master.m3u8?tok=1#t": true,
		"https://e.com/v/a%2Fb.m3u8":            true,
		"https://e.com/v/index.m3u":             false,
		"https://e.com/watch?v=index.m3u8":      false, // the query is not the path
		"https://e.com/m3u8":                    false,
		"https://e.com/index.m3u8/":             false,
		"https://e.com/video.mp4":               false,
	} {
		if got := IsPlaylistURL(mustURL(t, u)); got != want {
			t.Errorf("IsPlaylistURL(%s) = %v", u, got)
		}
	}
	if IsPlaylistURL((*url.URL)(nil)) {
		t.Error("nil URL")
	}
}

func TestIsPlaylistType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/vnd.apple.mpegurl":                 true,
		"application/x-mpegURL":                         true,
		"Application/X-MpegUrl; charset=utf-8":          true,
		"audio/mpegurl":                                 true,
		"audio/x-mpegurl":                               true,
		" application/vnd.apple.mpegurl ;charset=UTF-8": true,
		"application/vnd.apple.mpegurl; charset":        true, // a broken parameter still names the type
		"application/octet-stream":                      false,
		"video/mp2t":                                    false,
		"text/plain":                                    false,
		"":                                              false,
		"application/vnd.apple.mpegurl.extra":           false,
	} {
		if got := IsPlaylistType(ct); got != want {
			t.Errorf("IsPlaylistType(%q) = %v", ct, got)
		}
	}
}
